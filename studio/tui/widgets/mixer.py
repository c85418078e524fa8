"""The audio mixer: one strip per audio input with a live dBFS meter, peak hold, clip warning and mute.

Levels come from OBS's InputVolumeMeters (20 Hz) through ``app.obs_meters``; mute state only from OBS's
InputMuteStateChanged (``snapshot.inputs[name].muted``): clicking or pressing the key asks OBS, the strip
changes when OBS says so.

Cost matters at 20 Hz: the meter draws its own lines (``render_line``) and refreshes only when what it shows
changed at the resolution of one terminal cell, so a steady tone costs almost nothing.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Label, Static

from studio.obs.state import ChannelLevel, InputInfo

FLOOR_DBFS = -60.0
PEAK_HOLD_SECONDS = 1.5
PEAK_FALL_DB_PER_SECOND = 20.0
CLIP_DBFS = -1.0
CLIP_SHOW_SECONDS = 2.0
YELLOW_FROM_DBFS = -20.0
RED_FROM_DBFS = -9.0

# Input kinds that carry audio (OBS only sends meters for active inputs, so a strip may be silent).
AUDIO_KIND_PREFIXES = (
    "pulse_",
    "alsa_",
    "jack_",
    "wasapi_",
    "coreaudio_",
    "ffmpeg_source",
    "vlc_source",
    "dshow_input",
    "sck_audio_capture",
    "av_capture_input",
    "macos-avcapture",
)


def is_audio_kind(kind: str) -> bool:
    return kind.startswith(AUDIO_KIND_PREFIXES)


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


def _cell(db: float, width: int) -> int:
    """How many of ``width`` cells a level fills."""
    return round((clamp_db(db) - FLOOR_DBFS) / -FLOOR_DBFS * width)


_GREEN = Style(color="green")
_YELLOW = Style(color="yellow")
_RED = Style(color="red", bold=True)
_EMPTY = Style(color="grey30")
_HOLD = Style(color="bright_white", bold=True)
_MUTED = Style(color="grey42")


class AudioMeter(Widget):
    """Horizontal bar per channel, -60..0 dBFS, coloured green / yellow / red, with a peak-hold mark."""

    DEFAULT_CSS = """
    AudioMeter { height: 2; width: 1fr; }
    """

    def __init__(self, channels: int = 2, clock: Callable[[], float] = time.monotonic, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.clock = clock
        self.channels = [ChannelMeter() for _ in range(max(1, channels))]
        self.muted = False
        self._drawn: tuple[object, ...] = ()

    def set_levels(self, levels: tuple[ChannelLevel, ...] | None) -> None:
        now = self.clock()
        if levels and len(levels) != len(self.channels):
            self.channels = [ChannelMeter() for _ in levels]
            self.styles.height = len(levels)
        for i, ch in enumerate(self.channels):
            ch.update(levels[i] if levels and i < len(levels) else None, now)
        key = self._display_key(now)
        if key != self._drawn:
            self.refresh()

    def _display_key(self, now: float) -> tuple[object, ...]:
        width = max(1, self.size.width)
        return (
            width,
            self.muted,
            *((_cell(c.level, width), _cell(c.hold(now), width)) for c in self.channels),
        )

    def active(self, now: float) -> bool:
        """Something is still moving (a level above the floor or a falling peak mark)."""
        return any(c.level > FLOOR_DBFS or c.hold(now) > FLOOR_DBFS for c in self.channels)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self.channels) or width <= 0:
            return Strip.blank(width)
        now = self.clock()
        if y == 0:
            self._drawn = self._display_key(now)
        ch = self.channels[y]
        filled = _cell(ch.level, width)
        hold = _cell(ch.hold(now), width) - 1
        yellow_at = _cell(YELLOW_FROM_DBFS, width)
        red_at = _cell(RED_FROM_DBFS, width)
        segments: list[Segment] = []
        if self.muted:
            segments.append(Segment("█" * filled, _MUTED))
        else:
            for start, end, style in ((0, yellow_at, _GREEN), (yellow_at, red_at, _YELLOW), (red_at, width, _RED)):
                n = max(0, min(end, filled) - start)
                if n:
                    segments.append(Segment("█" * n, style))
        rest = width - filled
        if rest > 0:
            if filled <= hold < width and ch.hold(now) > FLOOR_DBFS:
                before = hold - filled
                segments += [Segment("─" * before, _EMPTY), Segment("▌", _HOLD), Segment("─" * (rest - before - 1), _EMPTY)]
            else:
                segments.append(Segment("─" * rest, _EMPTY))
        return Strip(segments, width)


def format_db(db: float) -> str:
    return "  -∞ dB" if db <= FLOOR_DBFS else f"{db:5.1f} dB"


class MixerStrip(Widget):
    """Name, mute toggle, meter, peak readout and clip warning for one input."""

    class MuteClicked(Message):
        def __init__(self, input_name: str) -> None:
            super().__init__()
            self.input_name = input_name

    class Selected(Message):
        def __init__(self, input_name: str) -> None:
            super().__init__()
            self.input_name = input_name

    def __init__(self, info: InputInfo, clock: Callable[[], float] = time.monotonic, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.info = info
        self.clock = clock
        self._readout = format_db(FLOOR_DBFS)
        self._clip = False
        # Kept as attributes, not queried: set_levels runs 20 times a second.
        self.meter = AudioMeter(clock=clock)
        self.mute_label = Static("", classes="strip-mute")
        self.readout_label = Static(self._readout, classes="strip-readout")
        self.clip_label = Static("", classes="strip-clip")

    def compose(self) -> ComposeResult:
        yield Label(self.info.name, classes="strip-name", markup=False)
        yield self.mute_label
        yield self.meter
        yield self.readout_label
        yield self.clip_label

    def on_mount(self) -> None:
        self.set_muted(self.info.muted)

    def set_muted(self, muted: bool) -> None:
        self.info = InputInfo(self.info.name, self.info.kind, muted)
        self.set_class(muted, "-muted")
        self.mute_label.update(Text("[ STIL ]" if muted else "[ aan  ]"))
        self.meter.muted = muted
        self.meter.refresh()

    def set_levels(self, levels: tuple[ChannelLevel, ...] | None) -> None:
        meter = self.meter
        meter.set_levels(levels)
        now = self.clock()
        peak = max(c.hold(now) for c in meter.channels)
        readout = format_db(peak)
        if readout != self._readout:
            self._readout = readout
            self.readout_label.update(readout)
        clip = any(c.clipping(now) for c in meter.channels)
        if clip != self._clip:
            self._clip = clip
            self.set_class(clip, "-clip")
            self.clip_label.update("CLIP" if clip else "")

    def on_click(self, event: object) -> None:
        widget = getattr(event, "widget", None)
        if widget is self.mute_label:
            self.post_message(self.MuteClicked(self.info.name))
        else:
            self.post_message(self.Selected(self.info.name))


class AudioMixer(Vertical):
    """All audio inputs, microphone first; ``selected`` is the strip the mute key acts on."""

    def __init__(self, first: Iterable[str] = (), clock: Callable[[], float] = time.monotonic, **kw: object):
        super().__init__(**kw)  # type: ignore[arg-type]
        self.first = tuple(first)
        self.clock = clock
        self.strips: dict[str, MixerStrip] = {}
        self.selected: str | None = None
        self._idle_timer: Timer | None = None
        self._decaying = False
        self._levels_at = -math.inf

    def compose(self) -> ComposeResult:
        yield Static("Geen audiobronnen in OBS", id="mixer-empty")

    def order(self, inputs: Mapping[str, InputInfo]) -> list[str]:
        names = [n for n, info in inputs.items() if is_audio_kind(info.kind)]
        return [n for n in self.first if n in names] + [n for n in names if n not in self.first]

    def show_inputs(self, inputs: Mapping[str, InputInfo]) -> None:
        wanted = self.order(inputs)
        if list(self.strips) != wanted:
            for strip in self.strips.values():
                strip.remove()
            self.strips = {n: MixerStrip(inputs[n], clock=self.clock) for n in wanted}
            if self.strips:
                self.mount_all(self.strips.values())
            if self.selected not in self.strips:
                self.selected = wanted[0] if wanted else None
            self.query_one("#mixer-empty").display = not self.strips
            self._mark_selected()
        else:
            for name, strip in self.strips.items():
                if strip.info.muted != inputs[name].muted and strip.is_mounted:
                    strip.set_muted(inputs[name].muted)

    def on_mount(self) -> None:
        self._idle_timer = self.set_interval(0.25, self._decay_when_idle, pause=True)

    def show_levels(self, levels: Mapping[str, tuple[ChannelLevel, ...]]) -> None:
        self._levels_at = self.clock()
        for name, strip in self.strips.items():
            if strip.is_mounted:
                strip.set_levels(levels.get(name))
        if not self._decaying and self._idle_timer is not None:
            self._decaying = True
            self._idle_timer.resume()

    def _decay_when_idle(self) -> None:
        """If meters stop arriving (OBS gone, input inactive) let the bars and peak marks fall anyway."""
        now = self.clock()
        if now - self._levels_at < 0.4:
            return
        if any(s.is_mounted and s.meter.active(now) for s in self.strips.values()):
            for strip in self.strips.values():
                if strip.is_mounted:
                    strip.set_levels(None)
        elif self._idle_timer is not None:
            self._decaying = False
            self._idle_timer.pause()

    def select(self, name: str) -> None:
        if name in self.strips:
            self.selected = name
            self._mark_selected()

    def move_selection(self, step: int) -> None:
        names = list(self.strips)
        if not names:
            return
        i = names.index(self.selected) if self.selected in names else 0
        self.select(names[(i + step) % len(names)])

    def _mark_selected(self) -> None:
        for name, strip in self.strips.items():
            strip.set_class(name == self.selected, "-selected")

    def on_mixer_strip_selected(self, message: MixerStrip.Selected) -> None:
        self.select(message.input_name)
