"""Scene buttons; the show's scenes carry their number key (the key table's, in the show's running order), other
OBS scenes get a button but no key. The highlight is OBS's program scene, never the key just pressed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static


def order_scenes(obs_scenes: Sequence[str], show_scenes: Sequence[str]) -> list[str]:
    """The show's own scenes first, in the show's order, then OBS's other scenes in OBS's order."""
    present = set(obs_scenes)
    own = [s for s in show_scenes if s in present]
    return own + [s for s in obs_scenes if s not in own]


class SceneButton(Button):
    def __init__(self, scene: str, number: int | None) -> None:
        super().__init__(self._label(scene, number, False), classes="scene-button")
        self.scene = scene
        self.number = number
        self.can_focus = False

    @staticmethod
    def _label(scene: str, number: int | None, program: bool) -> Text:
        key = f"{number}  " if number else ""
        return Text(f"{key}▶ {scene}" if program else f"{key}{scene}")

    def set_program(self, program: bool) -> None:
        if self.has_class("-program") != program or not self.is_mounted:
            self.set_class(program, "-program")
            self.label = self._label(self.scene, self.number, program)


class SceneButtons(Horizontal):
    """A row of buttons; pressing one (or its number) asks for a switch, OBS's answer moves the highlight."""

    class SwitchRequested(Message):
        def __init__(self, scene: str) -> None:
            super().__init__()
            self.scene = scene

    def __init__(self, key_for: Callable[[str], int | None] | None = None, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        from studio.tui.keymap import key_for_scene

        self.key_for = key_for or key_for_scene
        self.scenes: list[str] = []
        self.program: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("Geen scènes (nog geen verbinding met OBS)", id="scenes-empty")

    def show(self, scenes: Sequence[str], program: str | None) -> None:
        scenes = list(scenes)
        if scenes != self.scenes:
            self.scenes = scenes
            self.query(SceneButton).remove()
            self.mount_all(SceneButton(s, self.key_for(s)) for s in scenes)
            self.query_one("#scenes-empty").display = not scenes
        self.program = program
        for button in self.query(SceneButton):
            button.set_program(button.scene == program)

    def scene_for_key(self, number: int) -> str | None:
        """The scene behind a number key, when OBS has it (None: no such show scene in OBS)."""
        return next((s for s in self.scenes if self.key_for(s) == number), None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, SceneButton):
            event.stop()
            self.post_message(self.SwitchRequested(event.button.scene))
