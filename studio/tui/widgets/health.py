"""The stream's and OBS's health in figures, with units, and a warning line per problem (worst first).

Figures come from OBS's own counters through ``studio.domain.stream_health`` (bitrate over OBS's output clock,
frames dropped by the network, frames skipped by OBS's renderer and encoder, congestion); the levels follow OBS's
own statistics window (over 1% lost: warning, over 5%: error), on the total and on the last seconds.
Drawn once a second at most, and only when the text changed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from studio.domain.stream_health import FrameFigure, Health, Level

_STYLE = {Level.OK: "", Level.WARNING: "bold yellow", Level.ERROR: "bold white on red"}
_MARK = {Level.OK: "  ", Level.WARNING: "⚠ ", Level.ERROR: "✖ "}
LABEL_CELLS = 20


def count(n: int) -> str:
    """A frame count with a space between thousands (no '.' or ',' that would read as a decimal sign)."""
    return f"{n:,}".replace(",", " ")


def bitrate(kbps: float | None) -> str:
    if kbps is None:
        return "–"
    return f"{kbps / 1000:.1f} Mbit/s" if kbps >= 1000 else f"{kbps:.0f} kbit/s"


def frames(f: FrameFigure, what: str) -> Text:
    now = f"  · laatste seconden {f.recent_percent:.1f}%" if f.recent_percent is not None else ""
    return Text.assemble((f"{count(f.lost)} van {count(f.total)} beelden {what} ({f.percent:.1f}%)", _STYLE[f.level]),
                         (now, "dim"))


class StreamHealth(Static):
    """Stream: bitrate, dropped frames, network; OBS: render and encoder skips, CPU; then the warnings."""

    DEFAULT_CSS = """
    StreamHealth { height: auto; min-height: 7; width: 1fr; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(Text("Nog geen cijfers van OBS", style="dim"), **kw)
        self._shown = ""

    def show(self, health: Health | None, cpu_percent: float | None) -> None:
        text = self.render_text(health, cpu_percent)
        if text.plain != self._shown:
            self._shown = text.plain
            self.update(text)

    @staticmethod
    def render_text(health: Health | None, cpu_percent: float | None) -> Text:
        if health is None:
            return Text("Geen cijfers: OBS is niet verbonden", style="dim")
        lines: list[Text] = []

        def line(label: str, value: Text | str) -> None:
            lines.append(Text.assemble((label.ljust(LABEL_CELLS), "bold"), value))

        if health.streaming:
            network = f"  · netwerkdruk {health.congestion * 100:.0f}%" if health.congestion is not None else ""
            line("Stream", Text.assemble((bitrate(health.bitrate_kbps), "bold"), (network, "")))
            if health.dropped is not None:
                line("  weggevallen", frames(health.dropped, "niet verstuurd"))
        else:
            line("Stream", Text("niet actief", style="dim"))
        line("OBS render", frames(health.render, "overgeslagen"))
        line("OBS encoder", frames(health.encoder, "overgeslagen"))
        if cpu_percent is not None:
            line("OBS processor", f"{cpu_percent:.1f}% van de processor")
        for level, message in health.warnings:
            lines.append(Text.assemble((_MARK[level] + message, _STYLE[level])))
        if not health.warnings:
            lines.append(Text("✓ Geen problemen met beeld en stream", style="green"))
        return Text("\n").join(lines)
