"""The show as one use case: scenes -> broadcast -> preflight -> slate -> record -> stream -> live -> end -> archive.

Scenes and the (not yet live) broadcast come before the preflight so that the checks look at the show itself:
OBS's output with the officer's camera and microphone (the program shows the camera until the starting-soon
slate goes up; nothing is streamed yet), and tonight's broadcast created and bound.

`ShowFlow` walks one session of an evening through its steps. Every step is written to the store BEFORE it is
taken (status 'running') and again when it is done, so after a crash of the panel or the PC `ShowFlow.resume`
reopens on the right step of the right session and carries on. Each step is idempotent (it looks at what OBS
and YouTube report before acting), so re-running a step that was interrupted never starts anything twice.

Two steps are gates that wait for a person: 'live' (at the start time, or on a key press) and 'on_air' (until
"Einde"). A failing step stays 'failed' with its Dutch one-line reason; the panel offers retry, skip (only where
that is safe: `StepSpec.skippable`) or stop. Stopping a session that is already streaming always runs the end
sequence, so no broadcast is ever left live by accident.

The blocking work is done by `ShowActions` (studio/show_actions.py), which calls the adapters; `ShowFlow` only
orders, records and resumes. The panel runs ShowFlow's methods in a thread worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from studio.errors import StudioError
from studio.store import Store
from studio.store import session as repo


@dataclass(frozen=True)
class SessionPlan:
    """One session of an evening, from the schedule."""

    session_id: str  # '2026-11-24-nl'
    lang: str  # 'nl' | 'ar'
    topic: str
    starts_at: str  # ISO 8601 with offset, Europe/Amsterdam
    rehearsal: bool = False


@dataclass(frozen=True)
class StepSpec:
    id: str
    label: str  # Dutch, shown in the panel
    skippable: bool = False  # safe to go on without it
    gate: bool = False  # waits for a person (or the start time)


STEPS: tuple[StepSpec, ...] = (
    StepSpec("scenes", "Scènes klaarzetten"),
    StepSpec("broadcast", "YouTube-uitzending klaarzetten"),
    StepSpec("preflight", "Controle vooraf"),
    StepSpec("slate", "Startbeeld in beeld", skippable=True),
    StepSpec("record", "Opname starten"),
    StepSpec("stream", "Stream starten en testen"),
    StepSpec("live", "Live gaan", gate=True),
    StepSpec("on_air", "Spreekuur loopt", gate=True),
    StepSpec("end_slate", "Eindbeeld in beeld", skippable=True),
    StepSpec("end_broadcast", "Uitzending beëindigen"),
    StepSpec("stop_record", "Opname stoppen en afronden"),
    StepSpec("archive", "Opname archiveren", skippable=True),
    StepSpec("done", "Klaar"),
)
STEP_IDS = tuple(s.id for s in STEPS)
SPEC = {s.id: s for s in STEPS}
# From here on OBS is streaming to YouTube: stopping must end the broadcast, never just walk away.
_STREAMING_FROM = STEP_IDS.index("stream")
# A step interrupted this often (the panel killed each time it ran it) is not run again by itself: the
# officer gets retry, skip or stop for it, so a step that kills the panel cannot keep it in a loop.
MAX_INTERRUPTIONS = 3


def still_streaming(log: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> bool:
    """The session started streaming to YouTube and its broadcast was not ended yet (from the step log)."""
    started = any(e["step"] == "stream" and e["status"] in ("running", "done") for e in log)
    ended = any(e["step"] == "end_broadcast" and e["status"] == "done" for e in log)
    return started and not ended


class PreflightFailed(StudioError):
    """Blocking checks failed; the flow waits for them to pass or for an override with a reason."""


class ShowActions(Protocol):
    """What each step does. The real implementation is studio.usecases.show_steps.StudioShowActions."""

    def preflight(self, plan: SessionPlan) -> None: ...
    def scenes(self, plan: SessionPlan) -> None: ...
    def broadcast(self, plan: SessionPlan) -> str: ...  # returns the broadcast id
    def slate(self, plan: SessionPlan) -> None: ...
    def record(self, plan: SessionPlan) -> float: ...  # returns when OBS confirmed (unix time)
    def stream(self, plan: SessionPlan, broadcast_id: str, progress: Callable[[str], None]) -> None: ...
    def live(self, plan: SessionPlan, broadcast_id: str) -> float: ...  # returns when it went live
    def end_slate(self, plan: SessionPlan, remaining: float) -> None: ...
    def end_broadcast(self, plan: SessionPlan, broadcast_id: str) -> None: ...
    def stop_record(self, plan: SessionPlan, started_at: float | None) -> str: ...  # the finalised file
    def archive(self, plan: SessionPlan, path: str) -> None: ...
    # not steps: the countdown on the starting slate, and what runs while live, again after a restart
    def refresh_slate(self, plan: SessionPlan) -> None: ...
    def resume_live(self, plan: SessionPlan, broadcast_id: str) -> None: ...


@dataclass(frozen=True)
class FlowState:
    session_id: str
    step: str
    status: str  # pending | running | done | failed | waiting | skipped | interrupted (found running)
    detail: str
    broadcast_id: str | None
    live_since: float | None
    record_path: str | None

    @property
    def spec(self) -> StepSpec:
        return SPEC[self.step]

    @property
    def finished(self) -> bool:
        return self.step == "done"


class ShowFlow:
    def __init__(self, store: Store, plan: SessionPlan, actions: ShowActions,
                 end_slate_seconds: float = 30.0, clock: Callable[[], float] = time.time,
                 on_change: Callable[[FlowState], None] | None = None) -> None:
        self.store = store
        self.plan = plan
        self.actions = actions
        self.end_slate_seconds = end_slate_seconds
        self.clock = clock
        self.on_change = on_change
        self._lock = threading.Lock()  # one step at a time, whoever asks
        repo.ensure_session(store, plan.session_id, plan.lang, plan.topic, plan.starts_at, plan.rehearsal,
                            STEP_IDS[0])

    # -- reading --------------------------------------------------------------------------------
    @property
    def state(self) -> FlowState:
        row = repo.get_session(self.store, self.plan.session_id)
        assert row is not None
        return FlowState(row["session_id"], row["step"], row["status"], row["detail"], row["broadcast_id"],
                         row["live_since"], row["record_path"])

    def log(self) -> list[dict[str, Any]]:
        return repo.step_log(self.store, self.plan.session_id)

    # -- moving on ------------------------------------------------------------------------------
    def advance(self) -> FlowState:
        """Run steps from the current one until a gate, a failure or the end."""
        with self._lock:
            while True:
                st = self.state
                if st.finished:
                    return st
                if SPEC[st.step].gate and st.status in ("waiting", "pending"):
                    if st.status == "pending":
                        self._mark(st.step, "waiting", self._gate_text(st.step))
                    return self.state
                if st.status == "failed":
                    return st
                if not self._run(st.step):
                    return self.state

    def go_live(self) -> FlowState:
        """The 'live' gate: the start time came or the officer pressed the key."""
        return self._open_gate("live")

    def end(self) -> FlowState:
        """The 'on_air' gate: "Einde". Runs end slate, end broadcast, stop and archive the recording."""
        return self._open_gate("on_air")

    def needs_resume(self) -> bool:
        """A step was under way when the panel stopped (it is 'running', or between two steps): carry on."""
        st = self.state
        if st.finished:
            return False
        if st.status in ("running", "interrupted", "done", "skipped"):
            return True
        return st.status == "pending" and st.step != STEP_IDS[0] and not SPEC[st.step].gate

    def resume(self) -> FlowState:
        """After a restart: finish the step that was interrupted (every step is safe to run again), or, when
        it was interrupted too often, leave it 'failed' so the officer chooses retry, skip or stop."""
        with self._lock:
            st = self.state
            if st.finished:
                return st
            if st.status in ("done", "skipped"):  # stopped between a step and the next (an older version)
                self._goto(self._next(st.step))
            elif st.status in ("running", "interrupted"):
                count = self._interruptions(st.step) + 1
                what = st.detail or SPEC[st.step].label
                self.store.audit("show.resume", {"session": self.plan.session_id, "step": st.step, "count": count})
                if count >= MAX_INTERRUPTIONS:
                    self._mark(st.step, "failed", f"{count} keer onderbroken tijdens '{what}'")
                    return self.state
                self._mark(st.step, "interrupted", f"onderbroken: {what}")
        return self.advance()

    def _interruptions(self, step: str) -> int:
        """How often ``step`` was interrupted since it last ended (done, failed, skipped) or was retried."""
        n = 0
        for e in reversed(self.log()):
            if e["step"] != step:
                continue
            if e["status"] == "interrupted":
                n += 1
            elif e["status"] in ("done", "failed", "skipped") or (e["status"] == "pending" and e["detail"]):
                break
        return n

    def retry(self) -> FlowState:
        st = self.state
        if st.status == "failed":
            self._mark(st.step, "pending", "opnieuw")
        return self.advance() if not SPEC[st.step].gate else self._open_gate(st.step)

    def skip(self, reason: str = "") -> FlowState:
        """Skip the failed step where that is safe; preflight can only be overridden with a reason."""
        st = self.state
        if st.step == "preflight":
            if not reason.strip():
                raise StudioError("overslaan van de controle kan alleen met een reden",
                                  "typ waarom de uitzending toch door moet gaan")
            self.store.audit("preflight.override", {"session": self.plan.session_id, "reason": reason})
        elif not SPEC[st.step].skippable:
            raise StudioError(f"'{SPEC[st.step].label}' kan niet worden overgeslagen",
                              "probeer opnieuw of stop de sessie")
        self.store.audit("show.skip", {"session": self.plan.session_id, "step": st.step, "reason": reason})
        with self._lock:
            self._mark(st.step, "skipped", reason or "overgeslagen")
            self._goto(self._next(st.step))
        return self.advance()

    def stop(self) -> FlowState:
        """Stop the session. Once streaming, this runs the end sequence (no broadcast left live): it is the
        one key that ends a broadcast the flow could not end by itself (a failed end step is tried again)."""
        st = self.state
        self.store.audit("show.stop", {"session": self.plan.session_id, "step": st.step})
        if st.finished:
            return st
        at = STEP_IDS.index(st.step)
        with self._lock:
            if _STREAMING_FROM <= at < STEP_IDS.index("end_broadcast"):
                self._goto("end_broadcast")
            elif at < _STREAMING_FROM:
                # Nothing is on YouTube yet; a recording that was started is still stopped and archived.
                self._goto("stop_record" if self._did("record") else "done", detail="gestopt")
            elif st.step in ("end_broadcast", "stop_record") and st.status in ("failed", "interrupted"):
                self._mark(st.step, "pending", "opnieuw (stoppen)")
            elif st.step == "archive" and st.status == "failed":
                # the recording stays where it is; 'studio archive add' can take it in later
                self._mark(st.step, "skipped", "gestopt: opname niet gearchiveerd")
                self._goto("done")
        return self.advance()

    # -- internals ------------------------------------------------------------------------------
    def _open_gate(self, step: str) -> FlowState:
        with self._lock:
            st = self.state
            if st.step != step:
                return st
            if not self._run(step):
                return self.state
        return self.advance()

    def _gate_text(self, step: str) -> str:
        return {"live": "klaar om live te gaan", "on_air": "live: druk op Einde om af te sluiten"}[step]

    def _did(self, step: str) -> bool:
        return any(e["step"] == step and e["status"] == "done" for e in self.log())

    def _next(self, step: str) -> str:
        return STEP_IDS[min(STEP_IDS.index(step) + 1, len(STEP_IDS) - 1)]

    def _mark(self, step: str, status: str, detail: str = "") -> None:
        repo.record_step(self.store, self.plan.session_id, step, status, detail)
        if self.on_change:
            self.on_change(self.state)

    def _goto(self, step: str, detail: str = "") -> None:
        status = "done" if step == "done" else "pending"
        self._mark(step, status, detail)

    def _run(self, step: str) -> bool:
        """Run one step, recorded before and after. False when it failed."""
        self._mark(step, "running", SPEC[step].label + "…")
        self.store.audit(f"show.{step}", {"session": self.plan.session_id})
        try:
            detail = self._do(step)
        except StudioError as exc:
            self._mark(step, "failed", str(exc))
            self.store.audit(f"show.{step}", {"session": self.plan.session_id}, result=str(exc))
            return False
        except Exception as exc:  # an adapter let something through: still one line, still recoverable
            msg = f"onverwachte fout bij '{SPEC[step].label}': {type(exc).__name__}: {exc}"
            self._mark(step, "failed", msg)
            self.store.audit(f"show.{step}", {"session": self.plan.session_id}, result=msg)
            return False
        nxt = self._next(step)
        repo.record_steps(self.store, self.plan.session_id,
                          [(step, "done", detail), (nxt, "done" if nxt == "done" else "pending", "")])
        if self.on_change:
            self.on_change(self.state)
        return True

    def _do(self, step: str) -> str:
        plan, a, sid = self.plan, self.actions, self.plan.session_id
        st = self.state
        if step == "preflight":
            a.preflight(plan)
        elif step == "scenes":
            a.scenes(plan)
        elif step == "broadcast":
            bid = a.broadcast(plan)
            repo.update_session(self.store, sid, broadcast_id=bid)
            return f"uitzending {bid}"
        elif step == "slate":
            a.slate(plan)
        elif step == "record":
            row = repo.get_session(self.store, sid)
            started = a.record(plan)
            if not (row and row["record_started_at"]):
                repo.update_session(self.store, sid, record_started_at=started)
        elif step == "stream":
            a.stream(plan, self._broadcast_id(), lambda text: self._progress(step, text))
        elif step == "live":
            since = a.live(plan, self._broadcast_id())
            if not st.live_since:
                repo.update_session(self.store, sid, live_since=since)
        elif step == "on_air":
            pass  # the gate itself: "Einde" was pressed
        elif step == "end_slate":
            # Resumed after a restart: only what is left of the end slate's time.
            first = next((e["at"] for e in self.log() if e["step"] == "end_slate" and e["status"] == "running"),
                         self.clock())
            a.end_slate(plan, max(0.0, self.end_slate_seconds - (self.clock() - first)))
        elif step == "end_broadcast":
            if st.broadcast_id:
                a.end_broadcast(plan, st.broadcast_id)
        elif step == "stop_record":
            row = repo.get_session(self.store, sid)
            path = a.stop_record(plan, row["record_started_at"] if row else None)
            repo.update_session(self.store, sid, record_path=path)
            return path
        elif step == "archive" and st.record_path:
            a.archive(plan, st.record_path)
        return ""

    def _broadcast_id(self) -> str:
        bid = self.state.broadcast_id
        if not bid:
            raise StudioError("er is nog geen YouTube-uitzending voor deze sessie", "voer de stap opnieuw uit")
        return bid

    def _progress(self, step: str, text: str) -> None:
        repo.record_step(self.store, self.plan.session_id, step, "running", text)
        if self.on_change:
            self.on_change(self.state)


def resume(store: Store, plans: list[SessionPlan]) -> SessionPlan | None:
    """Which of tonight's sessions the panel should open on: the first one that is not finished."""
    for plan in plans:
        row = repo.get_session(store, plan.session_id)
        if row is None or row["step"] != "done":
            return plan
    return None
