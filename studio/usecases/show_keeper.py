"""OBS back after a crash, the show back on air: what the show was doing, kept in the store and put back.

While a session runs, ``ShowKeeper`` (an OBS listener) writes the program scene and the mutes to the store
whenever OBS reports a change. OBS that crashed comes back on its start scene, unmuted, not recording and not
streaming. When the connection is back (or the panel starts and finds OBS like that), the keeper compares OBS
with what the session's step says it should be doing and restores, automatically:

1. the program scene and the mutes, from the store (within the show: from the slate to the end slate), only
   when OBS lost the show (a panel that restarts while OBS kept recording leaves the scene OBS shows alone:
   somebody chose it);
2. the recording, into the studio's recordings folder, as the next part of the session's recording (part 1,
   the file OBS was writing when it died, is noted first; the archive step catalogues the parts in order and
   processing joins them);
3. the stream to the same broadcast (its ingest put into OBS again), while the session is streaming.

Automatic, not behind a key: while live every second without a picture is lost for the viewers and every
second without a recording is lost evidence, and the officer may be mid-sentence; what it did is said on the
panel at once (``on_report``) and in the audit log, and a technician can still stop anything by hand.
It never touches an output the flow's own step is handling at that moment (recording is only restarted from
the stream step to the end of the broadcast, streaming only from 'waiting to go live' to the end slate).
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.errors import StudioError
from studio.store import session as repo
from studio.usecases.context import Studio
from studio.usecases.show import FlowState, ShowFlow

log = logging.getLogger(__name__)

# Which outputs the session's step expects OBS to have (the flow itself starts and stops them elsewhere).
_RECORDING_STEPS = frozenset({"stream", "live", "on_air", "end_slate", "end_broadcast"})
_STREAMING = frozenset({("live", "waiting"), ("on_air", "waiting"), ("end_slate", "running"),
                        ("end_slate", "interrupted"), ("end_slate", "pending"), ("end_slate", "failed")})
_SCENE_STEPS = frozenset({"record", "stream", "live", "on_air", "end_slate"})


@dataclass(frozen=True)
class Expected:
    scene: bool
    recording: bool
    streaming: bool


def expected(st: FlowState, log_entries: list[dict[str, Any]]) -> Expected:
    recorded = any(e["step"] == "record" and e["status"] == "done" for e in log_entries)
    return Expected(st.step in _SCENE_STEPS,
                    recorded and st.step in _RECORDING_STEPS,
                    st.broadcast_id is not None and (st.step, st.status) in _STREAMING)


@dataclass(frozen=True)
class Restored:
    """What the keeper put back after OBS came back, for the panel's line and the audit."""

    scene: str | None = None
    unmuted: tuple[str, ...] = ()
    muted: tuple[str, ...] = ()
    record_part: int | None = None  # the number of the part that was started
    streaming: bool = False
    seconds: float = 0.0
    problems: tuple[str, ...] = field(default=())

    @property
    def anything(self) -> bool:
        return bool(self.scene or self.unmuted or self.muted or self.record_part or self.streaming or self.problems)

    def summary(self) -> str:
        done = []
        if self.scene:
            done.append(f"scène '{self.scene}'")
        if self.muted:
            done.append("stil: " + ", ".join(self.muted))
        if self.unmuted:
            done.append("aan: " + ", ".join(self.unmuted))
        if self.record_part:
            done.append(f"opname loopt weer (deel {self.record_part})")
        if self.streaming:
            done.append("stream weer naar YouTube")
        text = "OBS is terug na een storing: " + (", ".join(done) or "niets te herstellen")
        text += f" ({self.seconds:.1f} s)"
        if self.problems:
            text += ". NIET gelukt: " + "; ".join(self.problems)
        return text


class ShowKeeper:
    """Keeps the show's OBS state in the store and restores it when OBS is back. ``start()`` once; the
    returned function stops it."""

    def __init__(self, ctx: Studio, flow: ShowFlow, on_report: Callable[[Restored], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.ctx = ctx
        self.flow = flow
        self.on_report = on_report
        self.clock = clock
        self._lock = threading.Lock()
        self._connected: bool | None = None  # None: nothing seen yet (a fresh panel checks at once)
        self._restoring = False
        self._saved: tuple[str | None, tuple[tuple[str, bool], ...]] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.last: Restored | None = None

    @property
    def session_id(self) -> str:
        return self.flow.plan.session_id

    def start(self) -> Callable[[], None]:
        obs = self.ctx.obs
        self._unsubscribe = obs.add_listener(self)
        self._on_snapshot(obs.snapshot)  # connected already: compare now (the panel restarted after a crash)
        return self.stop

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    # -- listener (the supervisor's dispatcher thread: quick, never blocks) ---------------------------------
    def __call__(self, event: Any) -> None:
        snapshot = getattr(event, "snapshot", None)
        if snapshot is not None:
            self._on_snapshot(snapshot)

    def _on_snapshot(self, snap: Any) -> None:
        from studio.obs.state import Connection

        connected = snap.connection is Connection.CONNECTED
        with self._lock:
            back = connected and self._connected is not True
            self._connected = connected
            if back:
                self._restoring = True
            restoring = self._restoring
        if back:
            threading.Thread(target=self._restore_safely, name="show-keeper", daemon=True).start()
        elif connected and not restoring:
            self._save(snap)

    def _save(self, snap: Any) -> None:
        """OBS's scene and mutes, into the store, while the show runs (and only when they changed)."""
        try:
            st = self.flow.state
            if st.step not in _SCENE_STEPS or not snap.program_scene:
                return
            mutes = tuple(sorted((name, bool(info.muted)) for name, info in snap.inputs.items()))
            now = (snap.program_scene, mutes)
            if now == self._saved:
                return
            repo.save_obs_state(self.ctx.store, self.session_id, snap.program_scene, dict(mutes))
            self._saved = now
        except Exception as exc:  # the store closing at shutdown: nothing to keep any more
            log.debug("show state not saved: %s", exc)

    # -- restoring (its own thread) --------------------------------------------------------------------------
    def _restore_safely(self) -> None:
        try:
            result = self.restore()
        except Exception as exc:  # never let the keeper's thread die silently: say it on the panel
            result = Restored(problems=(f"herstellen mislukt: {exc}",))
        finally:
            with self._lock:
                self._restoring = False
        self.last = result
        if result.anything:
            self.ctx.store.audit("show.obs_restored", {"session": self.session_id, "summary": result.summary()},
                                 "ok" if not result.problems else "deels")
            self.on_report(result)
        if not result.problems:  # what OBS shows now is the show again: keep noting it
            self._save(self.ctx.obs.snapshot)

    def restore(self) -> Restored:
        """Compare OBS with what the session's step expects and put back what is missing.

        The scene and the mutes are only put back when OBS evidently lost the show (a crash: the recording the
        step expects is gone). When it still records, it was the panel (or only the connection) that restarted:
        OBS shows what the officer or the technician chose since, which the store may not have noted before the
        old panel died; that choice stands and is noted now. A stream that dropped is started again either way.
        """
        started = self.clock()
        st = self.flow.state
        want = expected(st, self.flow.log())
        if not (want.scene or want.recording or want.streaming):
            return Restored()
        obs = self.ctx.obs
        snap = obs.snapshot
        # A crash always ends OBS's recording; one that still runs means OBS kept the show (and its scene).
        kept_show = want.recording and snap.recording
        problems: list[str] = []
        scene: str | None = None
        muted: list[str] = []
        unmuted: list[str] = []
        saved = repo.obs_state(self.ctx.store, self.session_id)
        if want.scene and saved is not None and not kept_show:
            wanted_scene, mutes = saved
            try:
                if wanted_scene and snap.program_scene != wanted_scene:
                    if not self._has_scene(wanted_scene):  # the scene collection lost it: make the show again
                        from studio.usecases.scenes import apply_show

                        apply_show(self.ctx)
                    obs.switch_scene(wanted_scene)
                    scene = wanted_scene
                self._wait_inputs(set(mutes))  # OBS may still be loading its sources when it answers
                current = obs.snapshot.inputs
                for name, mute in mutes.items():
                    info = current.get(name)
                    now = info.muted if info is not None else (self._muted(name) if mute else None)
                    if now is not None and now != mute:
                        obs.set_input_mute(name, mute)
                        (muted if mute else unmuted).append(name)
            except StudioError as exc:
                problems.append(f"scène/geluid: {exc.message}")
        jobs: dict[str, concurrent.futures.Future[Any]] = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            if want.recording and not snap.recording:
                jobs["record"] = pool.submit(self._restart_recording)
            if want.streaming and not snap.streaming and st.broadcast_id:
                jobs["stream"] = pool.submit(self._restart_stream, st.broadcast_id)
        part: int | None = None
        streaming = False
        for what, job in jobs.items():
            try:
                value = job.result()
            except StudioError as exc:
                problems.append(f"{'opname' if what == 'record' else 'stream'}: {exc.message}")
                continue
            if what == "record":
                part = int(value)
            else:
                streaming = True
        if part or streaming:
            from studio.store import archive as archive_repo

            archive_repo.add_mark(self.ctx.store, self.session_id, time.time(), "incident",
                                  "OBS hersteld na een storing",
                                  ("opname deel " + str(part) if part else "") + (" + stream" if streaming else ""))
        return Restored(scene, tuple(unmuted), tuple(muted), part, streaming, self.clock() - started,
                        tuple(problems))

    def _has_scene(self, name: str, wait: float = 3.0) -> bool:
        """OBS that just started answers before its scene collection is loaded: give it a moment."""
        deadline = self.clock() + wait
        while True:
            if name in self.ctx.obs.snapshot.scenes:
                return True
            if self.clock() >= deadline:
                return False
            time.sleep(0.05)

    def _wait_inputs(self, names: set[str], wait: float = 3.0) -> None:
        deadline = self.clock() + wait
        while not names <= set(self.ctx.obs.snapshot.inputs) and self.clock() < deadline:
            time.sleep(0.05)

    def _muted(self, name: str) -> bool | None:
        """The input's mute as OBS says now; None when OBS has no such input."""
        try:
            return self.ctx.obs.input_muted(name)
        except StudioError:
            return None

    def _restart_recording(self) -> int:
        """Part 1 (the file OBS was writing when it died) noted, then recording again into our folder."""
        ctx, sid = self.ctx, self.session_id
        folder = ctx.settings.recordings_dir
        parts = repo.record_parts(ctx.store, sid)
        open_part = next((p for p in parts if p["path"] is None), None)
        row = repo.get_session(ctx.store, sid)
        since = open_part["started_at"] if open_part else (row or {}).get("record_started_at")
        known = {p["path"] for p in parts if p["path"]}
        found = newest_recording(folder, since, exclude=known)
        if found is not None:
            repo.finish_record_part(ctx.store, sid, str(found))
        else:
            log.warning("part %s of %s not found in %s (since %s)", open_part and open_part["seq"], sid, folder,
                        since)
        obs = ctx.obs
        obs.set_record_directory(folder)
        obs.start_record()
        return repo.start_record_part(ctx.store, sid, time.time())

    def _restart_stream(self, broadcast_id: str) -> bool:
        yt = self.ctx.youtube
        yt.broadcasts.prepare(broadcast_id)  # the broadcast's ingest into OBS again (idempotent)
        self.ctx.obs.start_stream()
        return True


def newest_recording(folder: Path, started_at: float | None, exclude: set[str] | frozenset[str] = frozenset()
                     ) -> Path | None:
    """The newest video file in ``folder`` written since ``started_at`` (what OBS recorded), not in ``exclude``."""
    if not folder.is_dir():
        return None
    candidates = []
    for p in folder.iterdir():
        try:
            if p.suffix.lower() in (".mkv", ".mp4", ".mov", ".flv") and str(p) not in exclude:
                st = p.stat()
                if st.st_size > 0 and (started_at is None or st.st_mtime >= started_at - 5):
                    candidates.append((st.st_mtime, p))
        except OSError:
            continue
    return max(candidates)[1] if candidates else None
