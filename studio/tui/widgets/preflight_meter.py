"""The Preflight screen's live microphone level: a one-line bar fed by PyAudio at ~20 Hz.

It only draws; the screen's thread worker reads the microphone (studio.usecases.preflight.devices.level_meter) and posts
``MicLevel`` messages that replace their pending predecessor, so a busy event loop never builds a queue.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

FLOOR_DBFS = -60.0
TARGET_LOW, TARGET_HIGH = -30.0, -8.0  # where speech RMS should sit (green)


class MicLevel(Message):
    """One block's level from the microphone worker; replaces an unprocessed predecessor."""

    def __init__(self, rms_dbfs: float, peak_dbfs: float, device: str = "", error: str = "") -> None:
        super().__init__()
        self.rms_dbfs = rms_dbfs
        self.peak_dbfs = peak_dbfs
        self.device = device
        self.error = error

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, MicLevel) and not message.error


class PreflightMicMeter(Widget):
    DEFAULT_CSS = """
    PreflightMicMeter { height: 1; width: 1fr; }
    """

    rms_dbfs: reactive[float] = reactive(-math.inf)
    peak_dbfs: reactive[float] = reactive(-math.inf)
    device: reactive[str] = reactive("")
    note: reactive[str] = reactive("microfoonmeter staat uit")

    def show(self, level: MicLevel) -> None:
        if level.error:
            self.note = level.error
            self.rms_dbfs = self.peak_dbfs = -math.inf
            return
        self.note = ""
        self.device = level.device
        self.rms_dbfs = level.rms_dbfs
        self.peak_dbfs = level.peak_dbfs

    def stopped(self, why: str) -> None:
        self.note = why
        self.rms_dbfs = self.peak_dbfs = -math.inf

    def render(self) -> Text:
        if self.note:
            return Text(f"Microfoon: {self.note}", style="dim")
        width = max(10, self.size.width - 34)
        rms = max(FLOOR_DBFS, self.rms_dbfs)
        filled = round((rms - FLOOR_DBFS) / -FLOOR_DBFS * width)
        peak_at = round((max(FLOOR_DBFS, self.peak_dbfs) - FLOOR_DBFS) / -FLOOR_DBFS * width)
        style = "green" if TARGET_LOW <= rms <= TARGET_HIGH else "yellow" if rms < TARGET_LOW else "red"
        bar = Text("█" * filled, style=style)
        rest = [" "] * (width - filled)
        if filled <= peak_at < width:
            rest[peak_at - filled] = "|"
        bar.append("".join(rest), style="dim")
        label = f"{self.rms_dbfs:6.1f} dBFS" if self.rms_dbfs > -math.inf else "  stil     "
        return Text.assemble("Microfoon ", ("[", "dim"), bar, ("]", "dim"), f" {label}  piek {self.peak_dbfs:5.0f}"
                             if self.peak_dbfs > -math.inf else f" {label}")
