"""The checklist table of the Preflight screen: one row per check, filled in as results arrive."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

if TYPE_CHECKING:
    from studio.usecases.preflight import CheckResult, CheckSpec

STATUS_STYLE = {"ok": ("✔", "green"), "warning": ("!", "yellow"), "fail": ("✘", "bold red"),
                "unavailable": ("–", "dim"), "running": ("…", "dim")}


class PreflightChecklist(DataTable[Text]):
    DEFAULT_CSS = """
    PreflightChecklist { height: auto; max-height: 18; }
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_column("", key="status", width=1)
        self.add_column("Controle", key="label", width=34)
        self.add_column("Waarde", key="value", width=30)
        self.add_column("Advies", key="advice")

    def start(self, specs: list[CheckSpec]) -> None:
        """Every check as 'running' (…), in registry order."""
        self.clear()
        for s in specs:
            sym, style = STATUS_STYLE["running"]
            label = s.label + ("" if s.blocking else " (niet blokkerend)")
            self.add_row(Text(sym, style=style), Text(label), Text(""), Text("bezig…", style="dim"), key=s.id)

    def show_result(self, r: CheckResult) -> None:
        if r.id not in self.rows:
            return
        sym, style = STATUS_STYLE[r.status]
        self.update_cell(r.id, "status", Text(sym, style=style))
        self.update_cell(r.id, "value", Text(r.value_text))  # with its unit; OBS's input kinds in words
        self.update_cell(r.id, "advice", Text(r.advice, style=style if r.status == "fail" else ""),
                         update_width=True)
