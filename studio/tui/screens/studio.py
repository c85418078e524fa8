"""The technician's control screen (F2): what is on air as a picture, the stream's and OBS's health in
figures, scenes with number keys, the audio mixer (meters, mute, level, whether viewers hear each input),
start/stop recording.

Everything shown comes from OBS (``app.obs_snapshot``, ``app.obs_meters``, ``app.obs_stats``, and this
screen's own polls below); keys only ask OBS to act, in thread workers. Errors surface through the app's
worker-error handler as a calm Dutch notification.

Polls of this screen, each in a thread worker, the next one armed only when the previous one has answered
(never two at once, never piling up), and only while the screen is shown:
- the program picture (OBS's screenshot of the program scene), every PREVIEW_INTERVAL seconds; off with ``p``;
- where each audio input goes and its level (Obs.audio_route), every ROUTES_INTERVAL seconds and at once
  after the program scene changed.
Keys come from the panel's key table (studio.tui.keymap): the show's scenes 1-6 in running order, the same as on
the Spreekuur screen (1 Starten and 6 Einde ask first while live); ``g`` geluid uit/aan, ``+``/``-`` harder/zachter;
``r`` opname; ``p`` beeld aan/uit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from studio.domain.scenes import SCENES_WITH_MICROPHONE
from studio.domain.stream_health import FrameCounters, HealthTracker, StreamCounters
from studio.errors import StudioError
from studio.obs.state import AudioRoute, ChannelLevel, Connection, ObsEvent, ObsSnapshot
from studio.tui import keymap
from studio.tui.messages import StatsView
from studio.tui.screens.base import StudioBaseScreen
from studio.tui.widgets.confirm import ConfirmScreen
from studio.tui.widgets.health import StreamHealth
from studio.tui.widgets.mixer import AudioMixer
from studio.tui.widgets.preview import ProgramPreview
from studio.tui.widgets.scenes import SceneButtons, order_scenes
from studio.usecases import studio_control

if TYPE_CHECKING:
    from collections.abc import Mapping

    from studio.tui.app import StudioApp

# s between one picture's arrival and the next request: about one picture a second. Two a second cost the panel
# 5.6% of a core with the meters running (bench/panel_technician.py), over the 5% it may take.
PREVIEW_INTERVAL = 1.0
PREVIEW_RETRY = 2.0  # s after OBS could not make a picture
ROUTES_INTERVAL = 1.0


@dataclass
class PreviewGrabbed(Message):
    """A picture of the program (PNG), or why there is none."""

    png: bytes | None
    note: str = ""


@dataclass
class RoutesPolled(Message):
    routes: dict[str, AudioRoute]


@dataclass
class VolumeRead(Message):
    input_name: str
    db: float


def show_scene_names() -> tuple[str, ...]:
    """The show's scenes in running order (the show's vocabulary, studio.domain.scenes)."""
    from studio.domain.scenes import SHOW_SCENES

    return tuple(SHOW_SCENES)


class StudioScreen(StudioBaseScreen):
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("studio")

    app: StudioApp

    def compose_body(self) -> ComposeResult:
        show = self.app.ctx.settings.show
        with Vertical(id="studio-body"):
            with Horizontal(id="studio-top"):
                with Vertical(id="preview-box"):
                    yield Static("In beeld  (p = beeld aan/uit)", classes="section-title")
                    yield ProgramPreview(id="preview")
                with Vertical(id="health-box"):
                    yield Static("Uitzendkwaliteit  (cijfers van OBS)", classes="section-title")
                    yield StreamHealth(id="health")
            yield Static("Scènes  (toets 1-6 in de volgorde van de show; oplichtend = wat OBS uitzendt)", classes="section-title")
            yield SceneButtons(id="scenes")
            yield Static("Geluid  (g = geluid uit/aan, + - = harder/zachter, ↑↓ = kies bron)", classes="section-title")
            yield AudioMixer(first=(show.microphone_input, show.camera_input), clock=self.app.clock,
                             must_hear=(show.microphone_input,), controls=True, id="mixer")

    def on_mount(self) -> None:
        self._show_order = show_scene_names()
        self._health = HealthTracker()
        self._shown = False  # on screen now (polls run only then)
        self.preview_on = True
        self._preview_busy = self._routes_busy = False
        self._routes_again = False
        self._program: str | None = None
        self._connected: bool | None = None
        self._preview_timer: Timer | None = None
        self._routes_timer: Timer | None = None
        self.watch(self.app, "obs_snapshot", self._show_snapshot)
        self.watch(self.app, "obs_meters", self._show_meters)
        self.watch(self.app, "obs_stats", self._show_stats)
        self.app.obs_event_signal.subscribe(self, self._on_obs_event)

    # --- shown or not: the polls run only while the technician can see them ----------------------------
    def on_screen_resume(self) -> None:
        self._shown = True
        self._next_preview(0.0)
        self._next_routes(0.0)

    def on_screen_suspend(self) -> None:
        self._shown = False

    @property
    def preview(self) -> ProgramPreview:
        return self.query_one(ProgramPreview)

    @property
    def health(self) -> StreamHealth:
        return self.query_one(StreamHealth)

    @property
    def scene_buttons(self) -> SceneButtons:
        return self.query_one(SceneButtons)

    @property
    def mixer(self) -> AudioMixer:
        return self.query_one(AudioMixer)

    def _show_snapshot(self, snap: ObsSnapshot) -> None:
        connected = snap.connection is Connection.CONNECTED
        scenes = order_scenes(snap.scenes, self._show_order) if connected else []
        self.scene_buttons.show(scenes, snap.program_scene if connected else None)
        self.mixer.show_inputs(snap.inputs if connected else {})
        program = snap.program_scene if connected else None
        if program != self._program:  # another scene on air: where the sound goes changed now, not in 1 s
            self._program = program
            self._next_routes(0.0)
        if connected != self._connected:
            self._connected = connected
            if connected:  # (again): the picture at once, not after the retry pause
                self.preview.show_note("Beeld laden…")
                self._next_preview(0.0)
            else:
                self.preview.show_note("Geen beeld: geen verbinding met OBS")
                self.health.show(None, None)

    def _show_meters(self, levels: Mapping[str, tuple[ChannelLevel, ...]]) -> None:
        self.mixer.show_levels(levels)

    def _show_stats(self, view: StatsView | None) -> None:
        if view is None or self.app.obs_snapshot.connection is not Connection.CONNECTED:
            self.health.show(None, None)
            return
        s, st = view.stats, view.stream
        stream = StreamCounters(st.active, st.duration_ms, st.bytes, st.skipped_frames, st.total_frames,
                                st.congestion, st.reconnecting) if st is not None else None
        health = self._health.update(self.app.clock(), FrameCounters(
            s.render_skipped_frames, s.render_total_frames, s.output_skipped_frames, s.output_total_frames), stream)
        self.health.show(health, s.cpu_usage)

    def _on_obs_event(self, event: ObsEvent) -> None:
        if event.name == "InputVolumeChanged":
            db = event.data.get("inputVolumeDb")
            if isinstance(db, int | float):
                self.mixer.set_volume(str(event.data.get("inputName", "")), float(db))

    # --- the program picture ----------------------------------------------------------------------------
    def _next_preview(self, delay: float) -> None:
        """One chain of picture requests: a new schedule replaces a pending one."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if delay <= 0:
            self._grab_preview()
        else:
            self._preview_timer = self.set_timer(delay, self._grab_preview)

    def _grab_preview(self) -> None:
        self._preview_timer = None
        if not (self._shown and self.preview_on) or self._preview_busy:
            return  # hidden, off, or a request under way (its answer schedules the next)
        if self.app.obs_snapshot.connection is not Connection.CONNECTED:
            self._next_preview(PREVIEW_RETRY)
            return
        self._preview_busy = True
        width, height = self.preview.request_size()
        self.grab_preview(width, height)

    @work(thread=True, group="obs-preview", exit_on_error=False)
    def grab_preview(self, width: int, height: int) -> None:
        try:
            png = studio_control.program_preview(self.app.ctx, width, height)
        except StudioError as exc:
            self.post_message(PreviewGrabbed(None, f"Geen beeld: {exc}"))
        else:
            self.post_message(PreviewGrabbed(png, "" if png else "Geen beeld: OBS zendt geen scène uit"))

    def on_preview_grabbed(self, message: PreviewGrabbed) -> None:
        self._preview_busy = False
        if not self.preview_on:
            return
        if message.png:
            self.preview.show_png(message.png)
        else:
            self.preview.show_note(message.note)
        self._next_preview(PREVIEW_INTERVAL if message.png else PREVIEW_RETRY)

    def action_toggle_preview(self) -> None:
        self.preview_on = not self.preview_on
        if self.preview_on:
            self.preview.show_note("Beeld laden…")
            self._next_preview(0.0)
        else:
            self.preview.show_note("Beeld uit (p = aan)")

    # --- where the sound goes ---------------------------------------------------------------------------
    def _next_routes(self, delay: float) -> None:
        if self._routes_timer is not None:
            self._routes_timer.stop()
            self._routes_timer = None
        if delay <= 0:
            self._poll_routes()
        else:
            self._routes_timer = self.set_timer(delay, self._poll_routes)

    def _poll_routes(self) -> None:
        self._routes_timer = None
        if not self._shown:
            return
        if self._routes_busy:
            self._routes_again = True  # asked again meanwhile (the scene changed): once more when it answers
            return
        names = list(self.mixer.strips)
        if not names or self.app.obs_snapshot.connection is not Connection.CONNECTED:
            self._next_routes(ROUTES_INTERVAL)
            return
        self._routes_busy = True
        self.poll_routes(names)

    @work(thread=True, group="obs-routes", exit_on_error=False)
    def poll_routes(self, names: list[str]) -> None:
        try:
            routes = studio_control.audio_routes(self.app.ctx, names)
        except StudioError:
            routes = {}  # the connection state says why; the strips keep what OBS said last
        self.post_message(RoutesPolled(routes))

    def on_routes_polled(self, message: RoutesPolled) -> None:
        self._routes_busy = False
        self.mixer.show_routes(message.routes, self._program in SCENES_WITH_MICROPHONE)
        again, self._routes_again = self._routes_again, False
        self._next_routes(0.0 if again else ROUTES_INTERVAL)

    # --- scenes -----------------------------------------------------------------------------------------
    def action_scene(self, number: int) -> None:
        scene = self.scene_buttons.scene_for_key(number)
        if scene is None:
            wanted = keymap.scene_for_key(number)
            self.notify(f"Scène '{wanted}' bestaat niet in OBS: zet de scènes klaar (studio scenes apply)"
                        if wanted else f"Geen scène onder toets {number}", severity="warning", markup=False)
        else:
            self.ask_then_switch(scene)

    def on_scene_buttons_switch_requested(self, message: SceneButtons.SwitchRequested) -> None:
        self.ask_then_switch(message.scene)

    def ask_then_switch(self, scene: str) -> None:
        """A slate while live asks first (the key table says which); every other scene switches at once."""
        question = keymap.slate_question(scene, self.app.air.live or self.app.obs_snapshot.streaming)
        if question is None:
            self.switch_scene(scene)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.switch_scene(scene)

        self.app.push_screen(ConfirmScreen(question, yes="In beeld", no="Nee"), answered)

    @work(thread=True, exclusive=True, group="obs-scene", exit_on_error=False)
    def switch_scene(self, scene: str) -> None:
        # The highlight moves when OBS's CurrentProgramSceneChanged arrives, not here.
        self.app.audited("scene.switch", {"scene": scene},
                         lambda: studio_control.switch_scene(self.app.ctx, scene))

    # --- audio ------------------------------------------------------------------------------------------
    def action_select_input(self, step: int) -> None:
        self.mixer.move_selection(step)

    def action_volume(self, steps: int) -> None:
        if self.mixer.selected is None:
            self.notify("Geen geluidsbron om harder of zachter te zetten", severity="warning")
        else:
            self.step_volume(self.mixer.selected, steps * studio_control.VOLUME_STEP_DB)

    @work(thread=True, group="obs-volume", exit_on_error=False)
    def step_volume(self, input_name: str, step_db: float) -> None:
        # Not exclusive: each press is one step; the use case serialises them so none is lost.
        db = self.app.audited("input.volume", {"input": input_name, "step_db": step_db},
                              lambda: studio_control.step_volume(self.app.ctx, input_name, step_db))
        self.post_message(VolumeRead(input_name, db))

    def on_volume_read(self, message: VolumeRead) -> None:
        self.mixer.set_volume(message.input_name, message.db)

    def action_toggle_mute(self) -> None:
        if self.mixer.selected is None:
            self.notify("Geen geluidsbron om stil te zetten", severity="warning")
        else:
            self.toggle_mute(self.mixer.selected)

    def on_audio_mixer_mute_clicked(self, message: AudioMixer.MuteClicked) -> None:
        self.mixer.select(message.input_name)
        self.toggle_mute(message.input_name)

    @work(thread=True, exclusive=True, group="obs-mute", exit_on_error=False)
    def toggle_mute(self, input_name: str) -> None:
        self.app.audited("input.toggle_mute", {"input": input_name},
                         lambda: studio_control.toggle_mute(self.app.ctx, input_name))

    # --- recording --------------------------------------------------------------------------------------
    def action_record(self) -> None:
        snap = self.app.obs_snapshot
        if snap.connection is not Connection.CONNECTED:
            self.notify("Geen verbinding met OBS: opnemen kan nu niet", severity="warning")
        elif snap.recording:
            self.app.push_screen(
                ConfirmScreen("Opname stoppen? OBS sluit het bestand af.", yes="Stoppen", no="Doorgaan"),
                self._confirmed_stop,
            )
        else:
            self.start_record()

    def _confirmed_stop(self, yes: bool | None) -> None:
        if yes:
            self.stop_record()

    @work(thread=True, exclusive=True, group="obs-record", exit_on_error=False)
    def start_record(self) -> None:
        self.notify("Opname starten…", timeout=3)
        self.app.audited("record.start", {}, lambda: studio_control.start_record(self.app.ctx))
        # "Opname loopt" comes from OBS's own report (the app's line for every on-air change)

    @work(thread=True, exclusive=True, group="obs-record", exit_on_error=False)
    def stop_record(self) -> None:
        self.notify("Opname stoppen… (OBS sluit het bestand af)", timeout=3)
        path: Any = self.app.audited("record.stop", {}, lambda: studio_control.stop_record(self.app.ctx))
        self.notify(f"Opname opgeslagen: {path}", markup=False, timeout=10)
