"""The help overlay (``?`` / F1): every key of the screen underneath, generated from its bindings."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

# Textual's own bindings, in the panel's language.
BUILTIN_ACTIONS = {
    "app.focus_next": "Naar de volgende knop of het volgende veld",
    "app.focus_previous": "Naar de vorige knop of het vorige veld",
    "focus_next": "Naar de volgende knop of het volgende veld",
    "focus_previous": "Naar de vorige knop of het vorige veld",
    "screen.copy_text": "Geselecteerde tekst kopiëren",
    "copy_text": "Geselecteerde tekst kopiëren",
}


def describe_bindings(screen: Screen) -> list[tuple[str, str]]:
    """(key as shown, what it does) for every enabled binding active on ``screen``, screen's own first.

    A screen may offer ``describe_key(binding) -> str | None`` to give a dynamic description
    (the Studio screen names the scene behind each number key).
    """
    app = screen.app
    describe = getattr(screen, "describe_key", None)
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if not active.enabled or key in seen:
            continue
        seen.add(key)
        text = describe(binding) if describe else None
        text = text or BUILTIN_ACTIONS.get(binding.action) or binding.description or binding.action
        # The key itself, not a grouped display such as "1-9": each key gets its own line.
        rows.append((app.get_key_display(dataclasses.replace(binding, key_display=None)), text))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys; any of escape, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Sluiten"),
    ]

    def __init__(self, under: Screen, title: str) -> None:
        super().__init__()
        self.rows = describe_bindings(under)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(f"Toetsen: {self.title_text}", id="help-title", markup=False)
            table: DataTable[str] = DataTable(id="help-table", show_cursor=False, zebra_stripes=True)
            table.can_focus = False
            yield table
            yield Static("Esc, q of ? sluit deze hulp", id="help-footer")

    def on_mount(self) -> None:
        table: DataTable[str] = self.query_one(DataTable)
        table.add_columns("Toets", "Wat het doet")
        for key, text in self.rows:
            table.add_row(key, text)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
