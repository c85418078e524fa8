"""The home screen: tonight's session(s) and one obvious next step at a time, from preflight to archive.

The officer sees tonight's session (topic, language, start time, countdown, the broadcast it uses), the
steps of the evening with where we are, and ONE big line saying what to do next and which key does it.
Everything that blocks (OBS, YouTube, ffmpeg) runs in thread workers through `studio.usecases.show.ShowFlow`,
which records every step before taking it: if the panel or the PC restarts, this screen reopens on the right
step of the right session.

Keys (from the panel's one key table, studio.tui.keymap): s start, l live, e einde, x stoppen (each asks first,
naming the session's date), r opnieuw, o overslaan, n next session; while live the show's scenes 1-6 in running
order (1 Starten and 6 Einde ask first), b next chosen question in beeld, u uit beeld, k beantwoord. Every
on-air change gets a line (a notification); timed steps count down. The LIVE time shown here is the one air
state of the app (YouTube's actualStartTime), the same the status bar shows.

Why this file is longer than 400 lines: it is the one screen the officer uses all evening, with a key for each
step and each live action, each asking first where it matters. Every sentence it shows is built in
show_view.py (pure, tested on its own) and all the work is in the use cases (studio.usecases.evening,
onair, moderation, studio_control); what remains here is the keys, the workers and the redraw.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from studio.domain.air_status import YouTubeReport
from studio.errors import StudioError
from studio.obs.state import Connection
from studio.tui import keymap
from studio.tui.screens.base import StudioBaseScreen
from studio.tui.screens.show_view import EveningView, facts_line, live_warnings, quote, session_line
from studio.tui.widgets.caption_queue import CaptionQueueLine
from studio.tui.widgets.confirm import ConfirmScreen
from studio.tui.widgets.mixer import AudioMixer
from studio.usecases import evening, moderation, onair, rehearse_now, studio_control
from studio.usecases.evening import LiveFacts
from studio.usecases.show import STEPS, FlowState, SessionPlan, ShowFlow, still_streaming

if TYPE_CHECKING:
    from studio.tui.app import StudioApp

MIC_SILENT_SECONDS = 10.0
MIC_SIGNAL_DBFS = -50.0
HEALTH_INTERVAL = 10.0
_FLOW_ACTIONS = frozenset({"start", "go_live", "end", "retry", "skip", "stop", "next_session", "scene",
                           "on_air", "off_air", "answered"})
QUOTE = 60  # characters of a question quoted in a notification


@dataclass
class FlowChanged(Message):
    state: FlowState


@dataclass
class EveningLoaded(Message):
    plans: list[SessionPlan]
    current: SessionPlan | None
    state: FlowState | None
    error: str = ""
    resume: bool = False  # a step was under way when the panel stopped: carry on with it


@dataclass
class ObsRestored(Message):
    """OBS came back after a crash and the show was put back (or not all of it): one line for the officer."""

    line: str
    ok: bool


@dataclass
class QuestionsRead(Message):
    """The session's first open questions, read in a worker (never on the event loop: 10,000 may wait)."""

    questions: list[Any]
    last_change: int


@dataclass
class ShowFacts(Message):
    """Slow facts polled in a worker: stream health, quota, disk."""

    facts: LiveFacts


class ShowScreen(StudioBaseScreen):
    DEFAULT_CSS = """
    ShowScreen #show-body { padding: 0 1; }
    ShowScreen #show-banner { display: none; height: auto; padding: 0 1; background: $warning 30%;
                              color: $text; text-style: bold; }
    ShowScreen #show-banner.-visible { display: block; }
    ShowScreen #show-tonight { height: auto; border: round $primary; padding: 0 1; }
    ShowScreen #show-next { height: auto; min-height: 3; border: heavy $accent; padding: 0 1;
                            text-style: bold; }
    ShowScreen #show-next.-failed { border: heavy $error; }
    ShowScreen #show-next.-live { border: heavy red; }
    ShowScreen #show-next.-unended { border: heavy red; color: red; }
    ShowScreen #show-columns { height: 1fr; }
    ShowScreen #show-steps { width: 40; height: auto; border: round $panel-lighten-2; padding: 0 1; }
    ShowScreen #show-live { width: 1fr; height: auto; }
    ShowScreen #show-clock { height: auto; padding: 0 1; text-style: bold; }
    ShowScreen #show-questions { height: auto; max-height: 12; border: round $panel-lighten-2; padding: 0 1; }
    ShowScreen #show-facts { height: auto; padding: 0 1; color: $text-muted; }
    ShowScreen AudioMixer { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("show")

    app: StudioApp

    def __init__(self, now: Any = None, wall: Any = None, **kw: Any) -> None:
        super().__init__(**kw)
        self._now = now or (lambda: datetime.now().astimezone())
        self._wall = wall or time.time
        self.plans: list[SessionPlan] = []
        self.plan: SessionPlan | None = None
        self.flow: ShowFlow | None = None
        self.state: FlowState | None = None
        self.busy = False
        self.facts = LiveFacts()
        self._mic_heard_at = time.monotonic()
        self._auto_live_done: set[str] = set()
        self._last_slate_minute = -1
        self._load_error = ""
        self._preflight_reason = ""  # an override typed on the Controle screen, for this start only
        self.is_loaded = False  # tonight's plans and the flow have been loaded once
        self._stop_keeping: Any = None  # stops the ShowKeeper of the session on screen
        self._top_questions: list[Any] | None = []  # the short list, as last read (None: not readable)
        self._questions_seen = -1  # the queue's last change the short list reflects
        self._reading_questions = False
        self._keys_shown: tuple[bool | None, ...] = ()

    # --- layout ---------------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield Static("", id="show-banner")
        with Vertical(id="show-body"):
            yield Static("Vanavond wordt geladen…", id="show-tonight")
            yield Static("", id="show-next")
            yield CaptionQueueLine(id="show-captions")  # the background captions, with progress and ETA
            with Horizontal(id="show-columns"):
                yield Static("", id="show-steps")
                with Vertical(id="show-live"):
                    yield Static("", id="show-clock")
                    yield Static("", id="show-questions")
                    yield Static("", id="show-facts")
                    show = self.app.ctx.settings.show
                    yield AudioMixer(first=(show.microphone_input, show.camera_input), clock=self.app.clock,
                                     id="show-mixer")

    def on_mount(self) -> None:
        self.watch(self.app, "obs_snapshot", self._on_snapshot)
        self.watch(self.app, "obs_meters", self._on_meters)
        self.watch(self.app, "air", self._on_air_changed, init=False)  # the same LIVE moment as the status bar
        self.load_evening()
        self.set_interval(1.0, self._tick)
        self.set_interval(HEALTH_INTERVAL, self._poll_facts)

    # --- loading and resuming ------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="show-load", exit_on_error=False)
    def load_evening(self) -> None:
        ctx = self.app.ctx
        try:
            plans = evening.tonight(ctx, self._now()) or evening.next_evening(ctx, self._now())
            current = evening.session_to_open(ctx, plans)
            state, resume = None, False
            if current is not None:
                self.flow = evening.make_flow(ctx, current, on_change=self._flow_changed_from_thread)
                state, resume = self.flow.state, self.flow.needs_resume()
                self._keep(self.flow)
            self.post_message(EveningLoaded(plans, current, state, resume=resume))
        except StudioError as exc:
            self.post_message(EveningLoaded([], None, None, str(exc)))

    def _keep(self, flow: ShowFlow) -> None:
        """(Worker thread.) OBS crash recovery for this session: the previous session's keeper stops."""
        if self._stop_keeping is not None:
            self._stop_keeping()
        try:
            self._stop_keeping = evening.keep_show(self.app.ctx, flow, self._obs_restored_from_thread)
        except StudioError as exc:  # OBS not configured: the status bar says so; nothing to keep
            self._stop_keeping = None
            self.notify(f"OBS-herstel staat uit: {exc}", severity="warning", markup=False)

    def _obs_restored_from_thread(self, line: str, ok: bool) -> None:
        self.post_message(ObsRestored(line, ok))

    def on_obs_restored(self, message: ObsRestored) -> None:
        self.notify(message.line, title="OBS hersteld" if message.ok else "OBS deels hersteld",
                    severity="information" if message.ok else "error", timeout=20, markup=False)

    def on_unmount(self) -> None:
        if self._stop_keeping is not None:
            self._stop_keeping()
            self._stop_keeping = None

    def on_evening_loaded(self, message: EveningLoaded) -> None:
        self.plans, self.plan, self.state = message.plans, message.current, message.state
        self._note_lifecycle(self.state)
        self._load_error = message.error
        self.is_loaded = True
        if message.resume and self.state is not None and not self.busy:
            # The panel stopped in the middle of a step (killed, a power cut): finish it now. Every step is
            # safe to run again; one interrupted too often comes back as failed with r / o / x.
            self.notify(f"Het paneel stopte tijdens '{self.state.spec.label}': die stap wordt nu afgemaakt",
                        timeout=8, markup=False)
            self.busy = True  # until the worker runs: no key starts a second step meanwhile
            self.run_flow("resume")
        elif self.state and self.state.step == "on_air":
            self.resume_live_services()
        self.refresh_view()
        self.consume_start_request()

    def _flow_changed_from_thread(self, state: FlowState) -> None:
        self.post_message(FlowChanged(state))

    def on_flow_changed(self, message: FlowChanged) -> None:
        went_live = message.state.step == "on_air" and (self.state is None or self.state.step != "on_air")
        self.state = message.state
        if went_live:
            self._poll_facts()  # YouTube's actualStartTime for the LIVE clock now, not in HEALTH_INTERVAL
        self._note_lifecycle(message.state)
        st = message.state
        if st.step == "preflight" and st.status == "failed" and self._preflight_reason and not self.busy:
            # overridden on the Controle screen just before: the same reason, logged again for this session
            reason, self._preflight_reason = self._preflight_reason, ""
            self.run_flow("skip", f"{reason} (opgegeven bij Controle)")
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.consume_start_request()

    def consume_start_request(self) -> None:
        """Arrived from the Controle screen's "Start de uitzending": start the session as 's' would."""
        request = getattr(self.app, "pending_show_start", None)
        if request is None or not self.is_loaded:
            return  # tonight is still being loaded: on_evening_loaded comes back here
        self.app.pending_show_start = None
        st = self.state
        if st is None or self.busy or not (st.step == STEPS[0].id and st.status == "pending"):
            self.notify("Het spreekuur is al gestart: volg hier de stappen", severity="information")
            return
        overridden, reason = request
        self._preflight_reason = reason if overridden else ""
        self.run_flow("advance")

    def _note_lifecycle(self, st: FlowState | None) -> None:
        """The status bar follows this session's broadcast; what the flow recorded of YouTube's answers counts.

        A step is done only after YouTube answered: 'stream' done = YouTube said testing, 'live' done = live,
        'end_broadcast' done after live = complete. The LIVE clock itself comes from YouTube's actualStartTime
        (the facts poll); the studio ending the broadcast (end slate, end) is never "LIVE ZONDER BEELD".
        """
        if st is None or not st.broadcast_id:
            return
        done = {e["step"] for e in self._log() if e["status"] == "done"}
        ending = not st.finished and st.step in ("end_slate", "end_broadcast")
        self.app.follow_broadcast(st.broadcast_id, ending=ending)
        said = ("complete" if "end_broadcast" in done and "live" in done else "live" if "live" in done
                else "testing" if "stream" in done else "")
        if said:
            # After a restart the LIVE clock goes on from when the flow saw the broadcast go live (kept in the
            # store) until YouTube's own actualStartTime arrives with the next facts poll; never from zero.
            known = self.app.air_tracker.state.live_since is not None
            started = st.live_since if said == "live" and not known else None
            self.app.youtube_reported(YouTubeReport(st.broadcast_id, said, self._wall(), started))

    @work(thread=True, exclusive=True, group="show-resume", exit_on_error=False)
    def resume_live_services(self) -> None:
        """After a restart while live: chat intake and scene marks run again (nothing else restarts)."""
        if self.flow is not None:
            evening.resume_live_services(self.flow)

    # --- the one next step (texts in show_view.py) ---------------------------------------------------------
    def view(self) -> EveningView:
        settings = self.app.ctx.settings
        return EveningView(tuple(self.plans), self.plan, self.state, self.busy, self._load_error,
                           tuple(self._log()) if self.state else (), now=self._wall(),
                           end_slate_seconds=float(settings.show.end_slate_seconds),
                           golive_timeout=float(settings.youtube.golive_timeout),
                           test_picture=rehearse_now.uses_test_picture(settings))

    def next_step_text(self) -> tuple[str, str]:
        return self.view().next_step()

    def _next_plan(self) -> SessionPlan | None:
        return self.view().next_plan()

    def refresh_view(self) -> None:
        if not self.is_mounted:
            return
        now = self._now()
        view = self.view()
        self.query_one("#show-tonight", Static).update(view.tonight(now))
        text, cls = view.next_step()
        nxt = self.query_one("#show-next", Static)
        nxt.update(Text(text))
        nxt.set_classes(cls)
        self.query_one("#show-steps", Static).update(view.steps())
        self.query_one("#show-clock", Static).update(self._clock_text())
        questions = self.query_one("#show-questions", Static)
        self._read_questions_soon()  # only reads when the queue changed; redraws when it arrives
        questions.update(self._questions_text())
        questions.display = bool(self.state and self.state.step == "on_air")
        self.query_one("#show-facts", Static).update(self._facts_text())
        banner = self.warnings()
        b = self.query_one("#show-banner", Static)
        b.update(Text("  ·  ".join(banner)))
        b.set_class(bool(banner), "-visible")
        # The footer is recomposed on every refresh_bindings (tens of ms on the event loop): only when a key
        # comes or goes, not on every tick and every OBS report.
        keys = tuple(self.check_action(a, ()) for a in sorted(_FLOW_ACTIONS))
        if keys != self._keys_shown:
            self._keys_shown = keys
            self.refresh_bindings()

    def _session_id(self) -> str | None:
        """The session on air: its questions are the ones the officer picks from."""
        return self.plan.session_id if self.plan is not None else None

    def _read_questions_soon(self) -> None:
        if self.state and self.state.step == "on_air" and not self._reading_questions:
            self._reading_questions = True
            self.read_questions(self._session_id(), self._questions_seen)

    @work(thread=True, group="show-questions", exit_on_error=False)
    def read_questions(self, session_id: str | None, seen: int) -> None:
        """The short list again, only when the queue changed (an indexed read of 8 rows, never the queue)."""
        ctx = self.app.ctx
        try:
            last = moderation.last_change(ctx)
            top = moderation.top_questions(ctx, session_id, 8) if last != seen else None
        except StudioError:
            last, top = -1, None
        self.post_message(QuestionsRead(top if top is not None else [], last if top is not None else seen))

    def on_questions_read(self, message: QuestionsRead) -> None:
        self._reading_questions = False
        if message.last_change != self._questions_seen:
            self._questions_seen = message.last_change
            self._top_questions = message.questions if message.last_change >= 0 else None
            self.refresh_view()

    def _log(self) -> list[dict[str, Any]]:
        return self.flow.log() if self.flow else []

    def _clock_text(self) -> Text:
        """The program scene, and since when YouTube says we are live: the running clock is the status bar's
        (one clock, one source: never a second count that could disagree with it)."""
        scene = self.app.obs_snapshot.program_scene or "–"
        air = self.app.air
        if air.live and air.live_since is not None and air.broadcast_id == (self.state.broadcast_id if self.state
                                                                            else None):
            since = datetime.fromtimestamp(air.live_since, tz=self._now().tzinfo)
            return Text(f"● LIVE sinds {since:%H:%M:%S}   scène: {scene}", style="bold red")
        return Text(f"scène: {scene}")

    def _questions_text(self) -> Text:
        if not (self.state and self.state.step == "on_air"):
            return Text("")
        from studio.domain.questions import State

        queue = self._top_questions
        if queue is None:
            return Text("vragen: niet beschikbaar")
        t = Text("Vragen (F4 voor de hele lijst)\n", style="bold")
        for q in queue[:8]:
            flag = "! " if q.urgent else "· "
            style = "bold red" if q.state is State.ON_AIR else ("bold" if q.urgent else "")
            # chat text is shown literally: a rich Text never interprets markup
            t.append(f"{flag}{q.state.label:<10} {q.display_text[:70]}\n", style=style)
        if not queue:
            t.append("nog geen vragen binnen\n", style="dim")
        return t

    def _facts_text(self) -> Text:
        return Text(facts_line(self.facts))

    def warnings(self) -> list[str]:
        live = bool(self.state and self.state.step == "on_air")
        mic_silent = time.monotonic() - self._mic_heard_at if live else 0.0
        return live_warnings(self.facts, self.app.ctx.settings.youtube.quota_warn_ratio, mic_silent,
                             MIC_SILENT_SECONDS)

    # --- timers and OBS --------------------------------------------------------------------------------
    def _on_snapshot(self, snap: Any) -> None:
        connected = snap.connection is Connection.CONNECTED
        self.query_one(AudioMixer).show_inputs(snap.inputs if connected else {})
        self.refresh_view()

    def _on_air_changed(self, _air: Any) -> None:
        if self.is_mounted and self.is_loaded:
            self.query_one("#show-clock", Static).update(self._clock_text())

    def _on_meters(self, levels: Any) -> None:
        self.query_one(AudioMixer).show_levels(levels)
        mic = levels.get(self.app.ctx.settings.show.microphone_input)
        if mic and any(c.magnitude_dbfs > MIC_SIGNAL_DBFS for c in mic):
            self._mic_heard_at = time.monotonic()

    def _tick(self) -> None:
        st, plan = self.state, self.plan
        if st and plan and not self.busy and st.step == "live" and st.status == "waiting":
            now = self._now()
            start = datetime.fromisoformat(plan.starts_at)
            if not plan.rehearsal and now >= start and plan.session_id not in self._auto_live_done:
                self._auto_live_done.add(plan.session_id)
                self.notify("Het is tijd: de uitzending gaat live", timeout=5)
                self.run_flow("go_live")
            minute = int(now.timestamp() // 60)
            if minute != self._last_slate_minute:
                self._last_slate_minute = minute
                self.refresh_slate()
        if st and st.step != "on_air":
            self._mic_heard_at = time.monotonic()
        self.refresh_view()

    @work(thread=True, exclusive=True, group="show-slate", exit_on_error=False)
    def refresh_slate(self) -> None:
        flow, plan = self.flow, self.plan
        if flow is not None and plan is not None:
            # the countdown on the slate is a nicety; the step itself already showed the slate
            with contextlib.suppress(StudioError):
                evening.refresh_slate(flow)

    def _poll_facts(self) -> None:
        self.poll_facts()

    @work(thread=True, exclusive=True, group="show-facts", exit_on_error=False)
    def poll_facts(self) -> None:
        self.post_message(ShowFacts(evening.live_facts(self.app.ctx, self.state)))

    def on_show_facts(self, message: ShowFacts) -> None:
        self.facts = message.facts
        self.app.youtube_reported(message.facts.report)  # None when YouTube was not asked or did not answer
        self.refresh_view()

    # --- which keys apply now (the footer shows only those: one obvious next step) -------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        st = self.state
        if action not in _FLOW_ACTIONS:
            return super().check_action(action, parameters)
        if st is None:
            return False
        failed = st.status == "failed"
        on_air = st.step == "on_air" and not self.busy
        allowed = {
            "start": st.step == STEPS[0].id and st.status == "pending" and not self.busy,
            "go_live": st.step == "live" and st.status == "waiting" and not self.busy,
            "end": on_air,
            "retry": failed,
            "skip": failed and (st.spec.skippable or st.step == "preflight"),
            "stop": failed or st.step in ("live", "on_air"),
            "next_session": st.finished and self._next_plan() is not None,
            "scene": on_air,
            "on_air": on_air,
            "off_air": on_air,
            "answered": on_air,
        }
        return allowed[action]

    # --- actions -----------------------------------------------------------------------------------------
    def _confirm(self, question: str, yes: str, then: str) -> None:
        def answered(ok: bool | None) -> None:
            if ok:
                self.run_flow(then)

        self.app.push_screen(ConfirmScreen(question, yes=yes, no="Nee"), answered)

    def action_start(self) -> None:
        st = self.state
        if st is None or self.flow is None:
            self.notify("Er is geen sessie om te starten", severity="warning")
        elif self.busy:
            self.notify("Even geduld: er loopt nog een stap", severity="warning")
        elif st.step == STEPS[0].id and st.status == "pending":
            self._confirm(f"Spreekuur '{self.plan.topic if self.plan else ''}' starten?\n{self._session_line()}\n"
                          "De controle, scènes, opname en stream worden nu klaargezet (nog niet live).",
                          "Start", "advance")
        else:
            self.notify("Het spreekuur is al gestart", severity="information")

    def action_go_live(self) -> None:
        st = self.state
        if st and st.step == "live" and st.status == "waiting" and not self.busy:
            self._confirm(f"Nu LIVE gaan?\n{self._session_line()}\n"
                          "Kijkers zien en horen de studio vanaf dit moment.", "Live", "go_live")
        else:
            self.notify("Live gaan kan pas als alles klaarstaat", severity="warning")

    def action_end(self) -> None:
        st = self.state
        if st and st.step == "on_air" and not self.busy:
            seconds = self.app.ctx.settings.show.end_slate_seconds
            self._confirm(f"Spreekuur afsluiten met e (Einde)?\n{self._session_line()}\n"
                          f"Het eindbeeld met 112 en 0900-8844 staat {seconds} s in beeld, daarna stopt de "
                          "uitzending netjes en wordt de opname bewaard en gearchiveerd.\n"
                          "(x = Stoppen is de noodstop: direct uit de lucht, zonder eindbeeld.)", "Einde", "end")
        else:
            self.notify("Einde kan alleen tijdens de uitzending", severity="warning")

    def action_retry(self) -> None:
        if self.state and self.state.status == "failed" and not self.busy:
            self.run_flow("retry")

    def action_skip(self) -> None:
        st = self.state
        if not (st and st.status == "failed") or self.busy:
            return
        if st.step == "preflight":
            from studio.tui.widgets.preflight_override import PreflightOverrideScreen

            def with_reason(reason: str | None) -> None:
                if reason:
                    self.run_flow("skip", reason)

            self.app.push_screen(PreflightOverrideScreen(st.detail), with_reason)
        elif st.spec.skippable:
            self._confirm(f"'{st.spec.label}' overslaan?", "Overslaan", "skip")
        else:
            self.notify(f"'{st.spec.label}' kan niet worden overgeslagen: probeer opnieuw of stop",
                        severity="warning")

    def action_stop(self) -> None:
        st = self.state
        if st is None or st.finished or (self.busy and st.status != "failed"):
            return
        if st.step == "on_air":
            text = ("Noodstop met x (Stoppen)? De uitzending gaat direct uit de lucht, ZONDER eindbeeld "
                    "(kijkers zien 112 en 0900-8844 dan niet). De opname wordt bewaard.\n"
                    "Gewoon afsluiten, met eindbeeld: kies Nee en druk e (Einde).")
        elif st.status == "failed" and still_streaming(self._log()):
            text = ("Uitzending nu beëindigen met x (Stoppen)? Ze is nog niet beëindigd: de stream stopt, YouTube "
                    "sluit de uitzending af en de opname wordt bewaard.")
        elif st.step in ("stream", "live"):
            text = ("Sessie stoppen met x (Stoppen)? Er is nog niets live: de teststream stopt, de uitzending "
                    "wordt afgesloten en de opname bewaard.")
        else:
            text = "Sessie stoppen met x (Stoppen)? Er is nog niets live."
        self._confirm(f"{text}\n{self._session_line()}", "Stoppen", "stop")

    def action_next_session(self) -> None:
        nxt = self._next_plan()
        if not (self.state and self.state.finished and nxt):
            self.notify("Er is (nog) geen volgende sessie", severity="warning")
            return
        self.open_session(nxt)

    @work(thread=True, exclusive=True, group="show-load", exit_on_error=False)
    def open_session(self, plan: SessionPlan) -> None:
        self.flow = evening.make_flow(self.app.ctx, plan, on_change=self._flow_changed_from_thread)
        self._keep(self.flow)
        self.post_message(EveningLoaded(self.plans, plan, self.flow.state, resume=self.flow.needs_resume()))

    @work(thread=True, exclusive=True, group="show-flow", exit_on_error=False)
    def run_flow(self, method: str, *args: Any) -> None:
        flow = self.flow
        if flow is None:
            return
        self.busy = True
        try:
            self.post_message(FlowChanged(flow.state))
            getattr(flow, method)(*args)
        except StudioError as exc:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
        finally:
            self.busy = False
            self.post_message(FlowChanged(flow.state))

    # --- live keys --------------------------------------------------------------------------------------
    def _live(self) -> bool:
        if self.state and self.state.step == "on_air":
            return True
        self.notify("Dit kan alleen tijdens de uitzending", severity="warning")
        return False

    def _session_line(self) -> str:
        """Which session a confirmation is about: language, date and time (and a warning when not today)."""
        return session_line(self.plan, self._now()) if self.plan else ""

    def action_scene(self, number: int) -> None:
        if not self._live():
            return
        scene = keymap.scene_for_key(int(number))
        if scene is None:
            self.notify(f"Geen scène onder toets {number}", severity="warning")
            return

        def answered(ok: bool | None) -> None:
            if ok:
                self.switch_scene(scene)

        question = keymap.slate_question(scene, self.app.air.live or self.app.obs_snapshot.streaming)
        if question:
            self.app.push_screen(ConfirmScreen(question, yes="In beeld", no="Nee"), answered)
        else:
            self.switch_scene(scene)

    @work(thread=True, exclusive=True, group="obs-scene", exit_on_error=False)
    def switch_scene(self, scene: str) -> None:
        self.app.audited("scene.switch", {"scene": scene},
                         lambda: studio_control.switch_scene(self.app.ctx, scene))

    def action_on_air(self) -> None:
        if self._live():
            self.next_question_on_air()

    @work(thread=True, exclusive=True, group="show-question", exit_on_error=False)
    def next_question_on_air(self) -> None:

        ctx = self.app.ctx
        session_id = self._session_id()
        if moderation.on_air_question(ctx) is not None:
            self.notify("Er staat al een vraag in beeld: eerst k (beantwoord) of u (uit beeld)", severity="warning")
            return
        ready = moderation.next_ready(ctx, session_id)
        if ready is None:
            self.notify("Geen gekozen vragen: kies vragen in het Vragen-scherm (F4)", severity="warning")
            return
        aired = self.app.audited("question.on_air", {"question": ready.id},
                                 lambda: onair.put_on_air(ctx, ready.id))
        self.notify(f"In beeld: vraag «{quote(aired.aired)}»", title="Vraag in beeld", markup=False, timeout=5)
        if self.state:
            self.post_message(FlowChanged(self.state))

    def action_answered(self) -> None:
        if self._live():
            self.question_off_air(answered=True)

    def action_off_air(self) -> None:
        if self._live():
            self.question_off_air(answered=False)

    @work(thread=True, exclusive=True, group="show-question", exit_on_error=False)
    def question_off_air(self, answered: bool) -> None:
        ctx = self.app.ctx
        done = self.app.audited("question.answered" if answered else "question.take_off_air", {},
                                lambda: onair.take_off_air(ctx, answered=answered))
        if done is None:
            self.notify("Er stond geen vraag in beeld", timeout=4)
        else:
            what = "Beantwoord en uit beeld" if answered else "Uit beeld (terug bij de gekozen vragen)"
            self.notify(f"{what}: «{quote(done.display_text)}»", title="Vraag uit beeld", markup=False, timeout=5)
        if self.state:
            self.post_message(FlowChanged(self.state))
