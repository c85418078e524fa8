"""The mixer's meters as numbers: one channel's level, peak hold and clip latch (``ChannelMeter``), an input's
channels (``StripMeter``), and the texts beside a strip (level, fader, where it goes). Plain values and rules;
the drawing is studio.tui.widgets.mixer."""

from __future__ import annotations

import math
from dataclasses import dataclass

from studio.obs.state import AudioRoute, ChannelLevel

FLOOR_DBFS = -60.0
PEAK_HOLD_SECONDS = 1.5
PEAK_FALL_DB_PER_SECOND = 20.0
CLIP_DBFS = -1.0
CLIP_SHOW_SECONDS = 2.0
YELLOW_FROM_DBFS = -20.0
RED_FROM_DBFS = -9.0

def clamp_db(value: float) -> float:
    if math.isnan(value) or value < FLOOR_DBFS:
        return FLOOR_DBFS
    return min(value, 0.0)


@dataclass
class ChannelMeter:
    """One channel's display state: level, peak hold that falls after PEAK_HOLD_SECONDS, clip latch."""

    level: float = FLOOR_DBFS
    peak: float = FLOOR_DBFS
    held: float = FLOOR_DBFS
    held_at: float = -math.inf
    clip_until: float = -math.inf

    def hold(self, now: float) -> float:
        """The peak-hold mark now: the highest recent peak, falling after the hold time."""
        falling = max(0.0, now - self.held_at - PEAK_HOLD_SECONDS) * PEAK_FALL_DB_PER_SECOND
        return max(self.peak, self.held - falling, FLOOR_DBFS)

    def update(self, level: ChannelLevel | None, now: float) -> None:
        self.level = clamp_db(level.magnitude_dbfs) if level else FLOOR_DBFS
        raw_peak = level.peak_dbfs if level else -math.inf
        self.peak = clamp_db(raw_peak)
        if self.peak >= self.hold(now):
            self.held, self.held_at = self.peak, now
        if raw_peak >= CLIP_DBFS:
            self.clip_until = now + CLIP_SHOW_SECONDS

    def clipping(self, now: float) -> bool:
        return now < self.clip_until


FADER_OFF_DB = -100.0  # OBS's fader all the way down


def format_db(db: float) -> str:
    return "   -∞ dB" if db <= FLOOR_DBFS else f"{db:5.1f} dB"


def format_fader(db: float | None) -> str:
    """The fader as OBS reports it: 'niv  -3 dB' (whole dB, '-∞' all the way down, '?' before OBS said)."""
    if db is None:
        return "niv    ? dB"
    if db <= FADER_OFF_DB:
        return "niv   -∞ dB"
    whole = round(db)
    return f"niv {f'{whole:+d}' if whole else '0':>4} dB"


def route_text(route: AudioRoute | None, muted: bool = False) -> str:
    if route is None:
        return ""
    if muted:
        return "✕ stil: niet te horen"
    if route.heard_by_viewers:
        return "● in uitzending"
    if route.in_program:
        return "✕ alleen meeluisteren"
    return "✕ niet in uitzending"


class StripMeter:
    """One input's meter state: a ChannelMeter per channel."""

    def __init__(self, channels: int = 2) -> None:
        self.channels = [ChannelMeter() for _ in range(max(1, channels))]

    def update(self, levels: tuple[ChannelLevel, ...] | None, now: float) -> bool:
        """Apply one update; True when the number of channels changed (the mixer's height changes)."""
        resized = bool(levels) and len(levels or ()) != len(self.channels)
        if resized:
            self.channels = [ChannelMeter() for _ in levels or ()]
        for i, ch in enumerate(self.channels):
            ch.update(levels[i] if levels and i < len(levels) else None, now)
        return resized

    def peak_hold(self, now: float) -> float:
        return max(c.hold(now) for c in self.channels)

    def clipping(self, now: float) -> bool:
        return any(c.clipping(now) for c in self.channels)

    def active(self, now: float) -> bool:
        """Something is still moving (a level above the floor, a falling peak mark, a CLIP still shown)."""
        return self.clipping(now) or any(c.level > FLOOR_DBFS or c.hold(now) > FLOOR_DBFS for c in self.channels)
