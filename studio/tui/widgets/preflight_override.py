"""The modal that asks why the show starts although a blocking check failed; the reason goes to the audit log."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from studio.tui.widgets.dialog import Dialog

MIN_REASON = 5


class PreflightOverrideScreen(Dialog[str | None]):
    """Returns the typed reason (stripped, at least MIN_REASON characters) or None when cancelled."""

    DEFAULT_CSS = """
    PreflightOverrideScreen { align: center middle; }
    PreflightOverrideScreen > #override-box {
        width: 80; height: auto; padding: 1 2; border: thick $warning; background: $panel;
    }
    PreflightOverrideScreen #override-problems { color: $error; margin: 1 0; }
    PreflightOverrideScreen Horizontal { height: auto; margin-top: 1; }
    PreflightOverrideScreen Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]

    def __init__(self, problems: str) -> None:
        super().__init__()
        self.problems = problems

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="override-box"):
            yield Label("Toch starten terwijl een blokkerende controle faalt?")
            yield Static(self.problems, id="override-problems", markup=False)
            yield Label("Reden (komt in het logboek):")
            yield Input(placeholder="bijv. camera vervangen door reservecamera, getest", id="override-reason")
            with Horizontal():
                yield Button("Toch starten", id="override-ok", variant="warning", disabled=True)
                yield Button("Annuleren", id="override-cancel")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#override-ok", Button).disabled = len(event.value.strip()) < MIN_REASON

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if len(event.value.strip()) >= MIN_REASON:
            self.dismiss(event.value.strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "override-ok":
            self.dismiss(self.query_one("#override-reason", Input).value.strip())
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
