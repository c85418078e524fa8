"""The technician's control screen: scenes with number keys, the audio mixer, start/stop recording.

Everything shown comes from OBS (``app.obs_snapshot``, ``app.obs_meters``); keys only ask OBS to act,
in thread workers. Errors surface through the app's worker-error handler as a calm Dutch notification.
Keys come from the panel's key table (studio.tui.keymap): the show's scenes 1-6 in running order, the same as on
the Spreekuur screen (1 Starten and 6 Einde ask first while live); ``g`` geluid uit/aan; ``r`` opname.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static

from studio.obs.state import ChannelLevel, Connection, ObsSnapshot
from studio.tui import keymap
from studio.tui.screens.base import StudioBaseScreen
from studio.tui.widgets.confirm import ConfirmScreen
from studio.tui.widgets.mixer import AudioMixer
from studio.tui.widgets.scenes import SceneButtons, order_scenes
from studio.usecases import studio_control

if TYPE_CHECKING:
    from collections.abc import Mapping

    from studio.tui.app import StudioApp


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
            yield Static("Scènes  (toets 1-6 in de volgorde van de show; oplichtend = wat OBS uitzendt)",
                         classes="section-title")
            yield SceneButtons(id="scenes")
            yield Static("Geluid  (g = geluid uit/aan, ↑↓ = kies bron)", classes="section-title")
            yield AudioMixer(first=(show.microphone_input, show.camera_input), clock=self.app.clock, id="mixer")

    def on_mount(self) -> None:
        self._show_order = show_scene_names()
        self.watch(self.app, "obs_snapshot", self._show_snapshot)
        self.watch(self.app, "obs_meters", self._show_meters)

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

    def _show_meters(self, levels: Mapping[str, tuple[ChannelLevel, ...]]) -> None:
        self.mixer.show_levels(levels)

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
