"""The Textual panel: ``studio`` without arguments.

``StudioApp`` is the single listener on the OBS supervisor (``ctx.obs``). The listener runs in supervisor
threads and only posts messages (``studio.tui.messages``); on the event loop they become the app's reactives:

* ``obs_snapshot`` (ObsSnapshot): connection, scenes, program scene, inputs and mute, record/stream state.
  Screens and widgets ``self.watch(self.app, "obs_snapshot", ...)``.
* ``obs_meters`` (input -> channel levels, 20 Hz; the message replaces its pending predecessor).
* ``obs_stats`` (StatsView | None): GetStats plus record/stream timecodes, polled in a thread worker that is
  re-armed only after the previous poll finished (no overlapping polls).
* ``obs_event_signal``: every other OBS event (RecordStateChanged...), for screens that need one.
* ``privacy_status`` (FilterStatus): the privacy filter loading / ready / failed. The app starts the filter
  when it mounts (it loads in its own thread, about a second warm) and reports each change as a message.

Navigation: each entry of ``studio.tui.screens.SCREENS`` is a Textual mode with its own screen stack, reached
by its function key from anywhere; the first entry is the home screen. F1 or ``?`` shows every key of the
current screen. Blocking work runs in thread workers; a StudioError escaping one becomes a calm notification
(``report_worker_failure``; ``StudioBaseScreen`` forwards its workers' failures there), never a crash.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from studio.domain.air_status import AirState, AirTracker, YouTubeReport, parse_timecode
from studio.errors import StudioError
from studio.obs.state import (
    ChannelLevel,
    Connection,
    Event,
    MetersUpdated,
    ObsEvent,
    ObsSnapshot,
    StateChanged,
)
from studio.tui import keymap
from studio.tui.messages import (
    ObsEventReceived,
    ObsMetersReceived,
    ObsStateReceived,
    ObsStatsPolled,
    PrivacyFilterChanged,
    StatsView,
)
from studio.tui.obs_feed import merge_levels, on_air_lines
from studio.tui.screens import SCREENS, ScreenEntry
from studio.usecases import privacy
from studio.usecases.rehearsal import rehearsal_mode

if TYPE_CHECKING:
    from studio.config import Settings
    from studio.obs.commands import Obs
    from studio.usecases.context import Studio

T = TypeVar("T")

STATS_INTERVAL = 1.0
# OBS sends meters every 50 ms. The panel draws them at most every 90 ms (so about 10 times a second) with
# the peaks of the skipped update merged in: peak hold and CLIP never miss a peak, and the drawing, which
# is most of the panel's CPU cost, halves.
METER_INTERVAL = 0.09


class StudioApp(App[int]):
    CSS_PATH = Path(__file__).with_name("studio.tcss")  # absolute: subclasses live elsewhere (bench, tests)
    TITLE = "Wijkspreekuur Studio"
    ENABLE_COMMAND_PALETTE = False
    # From the panel's one key table (studio.tui.keymap); Ctrl+Q is in the help, the footer is full.
    BINDINGS: ClassVar[list[BindingType]] = [*keymap.global_bindings()]

    # ``var``, not ``reactive``: a change must reach the watchers without repainting the whole screen
    # (20 times a second for the meters); each widget refreshes only what it shows.
    obs_snapshot: var[ObsSnapshot] = var(ObsSnapshot())
    obs_meters: var[Mapping[str, tuple[ChannelLevel, ...]]] = var(MappingProxyType({}))
    obs_stats: var[StatsView | None] = var(None)
    privacy_status: var[privacy.FilterStatus] = var(privacy.FilterStatus(privacy.LOADING,
                                                                         "privacyfilter wordt geladen"))
    # On air or not, for the whole panel (studio.domain.air_status): YouTube decides LIVE (only reports about the
    # followed broadcast count, debounced), OBS's events say whether it streams. OBS streaming alone is TEST or
    # STREAM, never LIVE (rule 4: never guess). Fed through ``youtube_reported`` and ``follow_broadcast``.
    air: var[AirState] = var(AirState())

    def __init__(
        self,
        ctx: Studio,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        stats_interval: float = STATS_INTERVAL,
        meter_interval: float = METER_INTERVAL,
        debug: bool = False,
        screens: Sequence[ScreenEntry] = SCREENS,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.clock = clock
        self.wall = wall  # unix time, for the LIVE/TEST clocks (tests freeze it)
        self.air_tracker = AirTracker()
        self.stats_interval = stats_interval
        self.meter_interval = meter_interval
        self._meter_lock = threading.Lock()
        self._meter_pending: Mapping[str, tuple[ChannelLevel, ...]] | None = None
        self._meter_posted_at = -math.inf
        self.debug_mode = debug
        self.rehearsal = rehearsal_mode(ctx.settings)
        self.obs_event_signal: Signal[ObsEvent] = Signal(self, "obs-event")
        # (overridden, reason) from the Controle screen's start button, for the Spreekuur screen to act on
        self.pending_show_start: tuple[bool, str] | None = None
        self.fatal_error: BaseException | None = None
        self._obs: Obs | None = None
        self._unsubscribe: Callable[[], Any] | None = None
        self.screen_entries = tuple(screens)
        # Which picture protocol the terminal speaks (F2's program picture): asked now, in the background,
        # answered before Textual takes the terminal (on_load).
        from studio.tui import graphics

        graphics.start_detection()
        for entry in self.screen_entries:
            self.add_mode(entry.mode, entry.load_screen)
        for entry in sorted(self.screen_entries, key=lambda e: (len(e.key), e.key)):  # footer: F2, F3, ...
            self.bind(entry.key, f"switch_mode({entry.mode!r})", description=entry.label)

    # --- start and stop ---------------------------------------------------------------------------------
    def on_load(self) -> None:
        """Before Textual takes the terminal: the last moment the terminal can be asked about pictures."""
        from studio.tui import graphics

        graphics.wait_detection()

    def on_mount(self) -> None:
        self.start_privacy_filter()  # first: it must be ready before anyone looks at a question
        self.switch_mode(self.screen_entries[0].mode)
        self.set_timer(self.stats_interval, self._poll_stats)

    @work(thread=True, group="privacy-filter", exit_on_error=False)
    def start_privacy_filter(self) -> None:
        """Start the filter loading (in its own thread) and report each change of its state until it settles."""
        status = privacy.start(self.ctx)
        self.post_message(PrivacyFilterChanged(status))
        while status.state == privacy.LOADING and self.is_running:
            now = privacy.wait(self.ctx, 0.25)
            if now != status:
                self.post_message(PrivacyFilterChanged(now))
            status = now

    def on_privacy_filter_changed(self, message: PrivacyFilterChanged) -> None:
        self.privacy_status = message.status

    def on_ready(self) -> None:
        # After the first frame: importing obsws-python and starting the supervisor's threads would
        # otherwise compete with the first paint for the interpreter.
        self.attach_obs()
        self.start_captions()

    def start_captions(self) -> None:
        """The background captions (ctx.captions): they run whenever no session is on air."""
        from studio.usecases.archive import start_caption_queue

        start_caption_queue(self.ctx)

    @work(thread=True, group="obs-attach", exit_on_error=False)
    def attach_obs(self) -> None:
        """Create (and start) the supervisor off the event loop, then listen; the first screen is already up."""
        try:
            obs = self.ctx.obs
        except StudioError as exc:
            self.post_message(ObsStateReceived(ObsSnapshot(connection=Connection.LOST, reason=str(exc))))
            return
        self._unsubscribe = obs.add_listener(self._from_obs)
        self._obs = obs
        self.post_message(ObsStateReceived(obs.snapshot))

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _from_obs(self, event: Event) -> None:
        """Called in a supervisor thread: post, never touch widgets."""
        if isinstance(event, MetersUpdated):
            self._forward_meters(event.levels)
        elif isinstance(event, StateChanged):
            self.post_message(ObsStateReceived(event.snapshot))
        else:
            self.post_message(ObsEventReceived(event))

    def _forward_meters(self, levels: Mapping[str, tuple[ChannelLevel, ...]]) -> None:
        """Supervisor thread: merge updates that come sooner than ``meter_interval`` after the last post."""
        now = time.monotonic()
        with self._meter_lock:
            pending = levels if self._meter_pending is None else merge_levels(self._meter_pending, levels)
            if now - self._meter_posted_at < self.meter_interval:
                self._meter_pending = pending
                return
            self._meter_pending, self._meter_posted_at = None, now
        self.post_message(ObsMetersReceived(pending))

    # --- OBS news on the event loop ---------------------------------------------------------------------
    def on_obs_state_received(self, message: ObsStateReceived) -> None:
        snap = message.snapshot
        before = self.obs_snapshot
        self.obs_snapshot = snap
        connected = snap.connection is Connection.CONNECTED
        if not connected:
            self.obs_meters = MappingProxyType({})
        if self.air_tracker.obs(connected=connected, streaming=snap.streaming, at=self.wall()):
            self.air = self.air_tracker.state
        for line in on_air_lines(before, snap):
            # a line for every change of what viewers see or hear, whoever made it (a key, OBS itself, the flow)
            self.notify(line, timeout=4, markup=False)

    # --- YouTube's word on the broadcast (from the screens' workers' results, on the event loop) --------------
    def youtube_reported(self, report: YouTubeReport | None) -> None:
        """A good answer of YouTube about a broadcast; None (a read that failed) changes nothing."""
        if report is not None and self.air_tracker.youtube(report):
            self.air = self.air_tracker.state

    def follow_broadcast(self, broadcast_id: str | None, *, ending: bool | None = None) -> None:
        """The broadcast the status follows (tonight's session's), and whether the studio is ending it."""
        if self.air_tracker.follow(broadcast_id, ending=ending):
            self.air = self.air_tracker.state

    def on_obs_meters_received(self, message: ObsMetersReceived) -> None:
        self.obs_meters = message.levels

    def on_obs_event_received(self, message: ObsEventReceived) -> None:
        self.obs_event_signal.publish(message.event)

    # --- stats poll (dolphie style: the next poll is armed when the previous one has answered) -----------
    def _poll_stats(self) -> None:
        self.poll_stats()

    @work(thread=True, exclusive=True, group="obs-stats", exit_on_error=False)
    def poll_stats(self) -> None:
        view: StatsView | None = None
        try:
            obs = self._obs
            if obs is not None and obs.snapshot.connection is Connection.CONNECTED:
                stats = obs.get_stats()
                snap = obs.snapshot
                record_tc = obs.record_status().timecode if snap.recording else ""
                stream = obs.stream_status() if snap.streaming else None
                view = StatsView(stats, record_tc, stream.timecode if stream else "", stream)
        except StudioError:
            view = None  # the connection state in the status bar says why
        finally:
            self.post_message(ObsStatsPolled(view))

    def on_obs_stats_polled(self, message: ObsStatsPolled) -> None:
        self.obs_stats = message.view
        view, snap = message.view, self.obs_snapshot
        if view is not None and view.stream_timecode and snap.connection is Connection.CONNECTED:
            seconds = parse_timecode(view.stream_timecode)
            if self.air_tracker.obs(connected=True, streaming=snap.streaming, at=self.wall(), stream_seconds=seconds):
                self.air = self.air_tracker.state
        self.set_timer(self.stats_interval, self._poll_stats)

    # --- actions shared by every screen -----------------------------------------------------------------
    def audited(self, action: str, params: Mapping[str, Any], do: Callable[[], T]) -> T:
        """Run a control action (in a worker thread) and write it, with its result, to the audit log."""
        from studio.usecases.audit import audited

        def audit_failed(exc: Exception) -> None:  # the show goes on; say it once
            self.notify(f"auditlog niet bijgewerkt: {exc}", severity="warning", markup=False)

        return audited(self.ctx, action, params, do, audit_failed)

    def get_key_display(self, binding: Binding) -> str:
        text = super().get_key_display(binding)
        return text.upper() if text[:1] == "f" and text[1:].isdigit() else text

    def on_preflight_passed(self, message: Any) -> None:
        """"Start de uitzending" on the Controle screen (F5): the Spreekuur screen starts the session, and
        an override typed there is used if the session's own preflight step fails the same way."""
        if not any(e.mode == "show" for e in self.screen_entries):
            return
        self.pending_show_start = (bool(message.overridden), str(message.reason))
        if self.current_mode == "show":
            self.screen.consume_start_request()  # type: ignore[attr-defined]
        else:
            self.switch_mode("show")  # its screen takes the request when it is shown

    def action_help(self) -> None:
        from textual.screen import ModalScreen

        from studio.tui.widgets.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        # the keys of the screen itself, also when a dialog is open on top of it
        under = next((s for s in reversed(self.screen_stack) if not isinstance(s, ModalScreen)), self.screen)
        label = next((e.label for e in self.screen_entries if e.mode == self.current_mode), under.__class__.__name__)
        mode = getattr(under, "KEY_MODE", None) or self.current_mode  # a screen opened from another has its own keys
        if mode != self.current_mode:
            label = f"{label}: {getattr(under, 'KEY_LABEL', mode)}"
        self.push_screen(HelpScreen(under, mode, label))

    def action_help_quit(self) -> None:
        """Ctrl+C copies text in Textual; say how to leave, in Dutch."""
        self.notify("Afsluiten: Ctrl+Q", timeout=3)

    async def action_quit(self) -> None:
        snap = self.obs_snapshot
        if snap.connection is Connection.CONNECTED and (snap.recording or snap.streaming):
            from studio.tui.widgets.confirm import ConfirmScreen

            what = "live en neemt op" if snap.recording and snap.streaming else (
                "live" if snap.streaming else "neemt op")
            self.push_screen(
                ConfirmScreen(f"OBS is {what}. Paneel sluiten? OBS gaat gewoon door.", yes="Sluiten", no="Blijven"),
                lambda yes: self.exit(0) if yes else None,
            )
        else:
            self.exit(0)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.report_worker_failure(event.worker)

    def report_worker_failure(self, worker: Worker[Any]) -> None:
        """One place for every worker's failure: a calm notification instead of a crash.

        Worker.StateChanged does not bubble, so screens forward theirs here (StudioBaseScreen does it).
        """
        error = worker.error
        if isinstance(error, StudioError):
            text = str(error)
        else:
            text = f"onverwachte fout: {type(error).__name__}: {error}"
            if self.debug_mode:
                self.log.error(error)
        self.notify(text, title="Niet gelukt", severity="error", markup=False, timeout=8)

    # --- errors: one line unless --debug ----------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        self.fatal_error = error
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        if self.debug_mode or self.fatal_error is None:
            super()._print_error_renderables()
            return
        error, self.fatal_error = self.fatal_error, None
        print(
            f"onverwachte fout in het paneel: {type(error).__name__}: {error} "
            "(start opnieuw met --debug voor details)",
            file=sys.stderr,
        )
        self._exit_renderables.clear()


def run_panel(settings: Settings, debug: bool = False, *, audience_speed: float | None = None) -> int:
    """Run the panel until the user quits; close OBS connection and store afterwards.

    ``audience_speed`` (`studio rehearse`): a scripted audience asks questions in the emulator's chat.
    """
    from studio.usecases import moderation, rehearsal
    from studio.usecases.context import Studio
    from studio.usecases.evening import hold_panel_lock

    lock = hold_panel_lock(settings)  # one panel per studio; `studio show status` sees it running
    ctx = Studio(settings)
    app = StudioApp(ctx, debug=debug)
    audience: rehearsal.ScriptedAudience | None = None
    try:
        moderation.purge_at_start(ctx)  # chat text past [chat] retention_days goes before anything is shown
        if audience_speed is not None:
            audience = rehearsal.start_audience(ctx, speed=audience_speed)
        result = app.run()
        rehearsal.release_emulator(ctx)
    finally:
        if audience is not None:
            audience.close()
        ctx.close()
        lock.release()
    if app.return_code:
        return app.return_code
    return int(result or 0)
