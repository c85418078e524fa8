"""The help overlay (``?`` / F1): the panel's key map (``studio.tui.keymap``) seen from the screen underneath.

Three parts: the keys of this screen; the keys that change what viewers see or hear, which mean the same on every
screen (with the screens where they work); and the keys of the whole panel. The status bar stays on top, so
LIVE and REC remain in sight while the help is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from studio.tui import keymap
from studio.tui.widgets.dialog import Dialog

if TYPE_CHECKING:
    from studio.tui.keymap import HelpSection


def sections_for(screen: Screen, mode: str, label: str) -> list[HelpSection]:
    """The help of ``screen`` (the mode it belongs to and its label), from the key table."""
    entries = getattr(screen.app, "screen_entries", ())
    screens = [(e.key, e.mode, e.label) for e in entries]
    return keymap.help_sections(mode, label, screens, lambda action: hasattr(screen, f"action_{action}"))


class HelpScreen(Dialog[None]):
    """Lists the keys; any of Esc, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Sluiten"),
    ]

    def __init__(self, under: Screen, mode: str, title: str) -> None:
        super().__init__()
        self.sections = sections_for(under, mode, title)
        self.title_text = title

    @property
    def rows(self) -> list[tuple[str, str]]:
        """(key, what it does) of the screen underneath: the first section."""
        return [(r.key, r.text) for r in self.sections[0].rows] if self.sections else []

    def compose_dialog(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(f"Toetsen: {self.title_text}", id="help-title", markup=False)
            for i, section in enumerate(self.sections):
                yield Static(section.title, classes="help-section", markup=False)
                table: DataTable[Text] = DataTable(id=f"help-table-{i}", classes="help-table", show_cursor=False,
                                                   zebra_stripes=True)
                table.can_focus = False
                yield table
            yield Static("Esc, q of ? sluit deze hulp", id="help-footer")

    def on_mount(self) -> None:
        for i, section in enumerate(self.sections):
            table: DataTable[Text] = self.query_one(f"#help-table-{i}", DataTable)
            where = any(r.where for r in section.rows)
            table.add_column("Toets", width=8)
            table.add_column("Wat het doet", width=72 if where else 96)
            if where:
                table.add_column("Werkt op", width=22)
            for r in section.rows:
                cells = [Text(r.key, style="bold"), Text(r.text, overflow="fold")]
                if where:
                    cells.append(Text(r.where))
                table.add_row(*cells, height=None)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
