"""The audio mixer: one strip per audio input with a live dBFS meter, peak hold, clip warning, mute, its
level (OBS's fader, SetInputVolume) and whether viewers hear it at all.

Levels come from OBS's InputVolumeMeters (20 Hz) through ``app.obs_meters``; mute state only from OBS's
InputMuteStateChanged (``snapshot.inputs[name].muted``): clicking or pressing the key asks OBS, the strip
changes when OBS says so. Whether an input is heard comes from OBS too (``show_routes``: in the program
output, not monitor only), polled by the screen: a meter moves whenever the input has sound, also when the
program scene does not contain it, so the strip says "niet in uitzending" and greys its bar then. For the
microphone (``must_hear``) in a scene where the officer speaks (``speaking``) that is an alarm in red.

Cost matters at 20 Hz: the whole mixer is ONE widget drawing its own lines (``render_line``); Textual then
composites a single widget per frame instead of a dozen nested ones. It refreshes only the lines of a strip
whose picture changed at the resolution of one terminal cell, so a steady tone costs almost nothing.
The app hands it at most one update per ~90 ms, with the peaks of skipped updates merged in.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from studio.obs.state import AudioRoute, ChannelLevel, InputInfo, is_audio_kind
from studio.tui.widgets.meters import (
    FLOOR_DBFS,
    RED_FROM_DBFS,
    YELLOW_FROM_DBFS,
    ChannelMeter,
    StripMeter,
    clamp_db,
    format_db,
    format_fader,
    route_text,
)


def _cell(db: float, width: int) -> int:
    """How many of ``width`` cells a level fills."""
    return round((clamp_db(db) - FLOOR_DBFS) / -FLOOR_DBFS * width)


_GREEN = Style(color="green")
_YELLOW = Style(color="yellow")
_RED = Style(color="red", bold=True)
_EMPTY = Style(color="grey35")
_HOLD = Style(color="bright_white", bold=True)
_MUTED_BAR = Style(color="grey42")
_NAME = Style(bold=True)
_NAME_SELECTED = Style(bold=True, reverse=True)
_ON = Style(color="green")
_OFF = Style(color="white", bgcolor="red", bold=True)
_TEXT = Style()
_CLIP = Style(color="white", bgcolor="red", bold=True)
_HINT = Style(dim=True)

NAME_CELLS = 24
MUTE_CELLS = 10
FADER_CELLS = 12  # "niv  -12 dB "
TEXT_CELLS = 15  # " -12.5 dB CLIP "

_HEARD = Style(color="green")
_NOT_HEARD = Style(color="yellow")
_NOT_HEARD_ALARM = Style(color="white", bgcolor="red", bold=True)


@dataclass
class MixerStrip:
    """One row group of the mixer: the input as OBS reported it, and its meter."""

    info: InputInfo
    meter: StripMeter
    top: int = 0  # first line in the mixer
    drawn: tuple[object, ...] = ()
    rows: int = 1  # lines it takes in the mixer (set by the layout)
    route: AudioRoute | None = None  # None until OBS has said where it goes
    volume_db: float | None = None

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def muted(self) -> bool:
        return self.info.muted

    @property
    def height(self) -> int:
        return len(self.meter.channels)

    @property
    def heard(self) -> bool:
        """Viewers hear it (as far as OBS has said: unknown counts as heard, no false alarm)."""
        return not self.muted and (self.route is None or self.route.heard_by_viewers)


class AudioMixer(Widget):
    """All audio inputs, microphone first; ``selected`` is the strip the mute key acts on.

    Click a strip's ``[ aan ]`` / ``[ STIL ]`` to ask OBS to toggle its mute; click elsewhere on it to select it.
    """

    DEFAULT_CSS = """
    AudioMixer { height: 1; width: 1fr; }
    """

    class MuteClicked(Message):
        def __init__(self, input_name: str) -> None:
            super().__init__()
            self.input_name = input_name

    def __init__(self, first: Iterable[str] = (), clock: Callable[[], float] = time.monotonic,
                 must_hear: Iterable[str] = (), controls: bool = False, **kw: object):
        """``controls``: the technician's mixer, with each input's level and whether viewers hear it
        (``show_routes``); without, meters and mute only (the Spreekuur screen)."""
        super().__init__(**kw)  # type: ignore[arg-type]
        self.first = tuple(first)
        self.must_hear = frozenset(must_hear)
        self.controls = controls
        self.clock = clock
        self.strips: dict[str, MixerStrip] = {}
        self._rows: list[tuple[MixerStrip, int] | None] = []  # line -> (strip, channel) or a spacer
        self.selected: str | None = None
        self._idle_timer: Timer | None = None
        self._decaying = False
        self._levels_at = -math.inf
        self.speaking = False  # the program scene is one where the officer speaks: an input not heard is an alarm

    def on_mount(self) -> None:
        self._idle_timer = self.set_interval(0.25, self._decay_when_idle, pause=True)

    # --- what OBS says --------------------------------------------------------------------------------
    def order(self, inputs: Mapping[str, InputInfo]) -> list[str]:
        names = [n for n, info in inputs.items() if is_audio_kind(info.kind)]
        return [n for n in self.first if n in names] + [n for n in names if n not in self.first]

    def show_inputs(self, inputs: Mapping[str, InputInfo]) -> None:
        wanted = self.order(inputs)
        if list(self.strips) != wanted:
            old = self.strips
            self.strips = {n: MixerStrip(inputs[n], old[n].meter, route=old[n].route, volume_db=old[n].volume_db)
                           if n in old else MixerStrip(inputs[n], StripMeter()) for n in wanted}
            if self.selected not in self.strips:
                self.selected = wanted[0] if wanted else None
            self._relayout()
        else:
            for name, strip in self.strips.items():
                if strip.info != inputs[name]:
                    strip.info = inputs[name]
                    self._refresh_strip(strip)

    def show_routes(self, routes: Mapping[str, AudioRoute], speaking: bool) -> None:
        """Where each input goes and its fader, as OBS reported (inputs OBS did not report keep theirs)."""
        changed = speaking != self.speaking
        self.speaking = speaking
        for name, strip in self.strips.items():
            route = routes.get(name)
            if route is not None and route != strip.route:
                strip.route, strip.volume_db = route, route.volume_db
                self._refresh_strip(strip)
            elif changed:
                self._refresh_strip(strip)

    def set_volume(self, name: str, db: float) -> None:
        """OBS reported a new fader level (InputVolumeChanged, or read back after a step)."""
        strip = self.strips.get(name)
        if strip is not None and strip.volume_db != db:
            strip.volume_db = db
            self._refresh_strip(strip)

    def show_levels(self, levels: Mapping[str, tuple[ChannelLevel, ...]]) -> None:
        now = self._levels_at = self.clock()
        resized = False
        for name, strip in self.strips.items():
            resized |= strip.meter.update(levels.get(name), now)
        if resized:
            self._relayout()
        else:
            for strip in self.strips.values():
                if self._display_key(strip, now) != strip.drawn:
                    self._refresh_strip(strip)
        if not self._decaying and self._idle_timer is not None:
            self._decaying = True
            self._idle_timer.resume()

    def _decay_when_idle(self) -> None:
        """If meters stop arriving (OBS gone, input inactive) let the bars and peak marks fall anyway."""
        now = self.clock()
        if now - self._levels_at < 0.4:
            return
        if any(s.meter.active(now) for s in self.strips.values()):
            for strip in self.strips.values():
                strip.meter.update(None, now)
                if self._display_key(strip, now) != strip.drawn:
                    self._refresh_strip(strip)
        elif self._idle_timer is not None:
            self._decaying = False
            self._idle_timer.pause()

    # --- selection and clicks -------------------------------------------------------------------------
    def select(self, name: str) -> None:
        if name in self.strips and name != self.selected:
            previous = self.strips.get(self.selected or "")
            self.selected = name
            if previous is not None:
                self._refresh_strip(previous)
            self._refresh_strip(self.strips[name])

    def move_selection(self, step: int) -> None:
        names = list(self.strips)
        if names:
            i = names.index(self.selected) if self.selected in names else 0
            self.select(names[(i + step) % len(names)])

    def strip_at(self, y: int) -> MixerStrip | None:
        row = self._rows[y] if 0 <= y < len(self._rows) else None
        return row[0] if row else None

    def mute_offset(self, name: str) -> tuple[int, int]:
        """Where to click to toggle ``name`` (x, y inside the mixer)."""
        return NAME_CELLS + 2, self.strips[name].top

    def on_click(self, event: events.Click) -> None:
        strip = self.strip_at(event.y)
        if strip is None:
            return
        event.stop()
        self.select(strip.name)
        if NAME_CELLS <= event.x < NAME_CELLS + MUTE_CELLS:
            self.post_message(self.MuteClicked(strip.name))

    # --- drawing --------------------------------------------------------------------------------------
    def _relayout(self) -> None:
        self._rows = []
        for i, strip in enumerate(self.strips.values()):
            if i:
                self._rows.append(None)
            strip.top = len(self._rows)
            strip.drawn = ()
            # the technician's mixer: a second line at least, which says whether viewers hear the input
            strip.rows = max(2, strip.height) if self.controls else strip.height
            self._rows += [(strip, ch) for ch in range(strip.rows)]
        self.styles.height = max(1, len(self._rows))
        self.refresh(layout=True)

    def _refresh_strip(self, strip: MixerStrip) -> None:
        self.refresh(Region(0, strip.top, self.size.width, strip.rows))

    @property
    def bar_width(self) -> int:
        fader = FADER_CELLS if self.controls else 0
        return max(1, self.size.width - NAME_CELLS - MUTE_CELLS - fader - TEXT_CELLS)

    def _display_key(self, strip: MixerStrip, now: float) -> tuple[object, ...]:
        width = self.bar_width
        m = strip.meter
        return (
            self.size.width,
            strip.info,
            strip.route,
            strip.volume_db,
            self.speaking,
            strip.name == self.selected,
            format_db(m.peak_hold(now)),
            m.clipping(now),
            *((_cell(c.level, width), _cell(c.hold(now), width)) for c in m.channels),
        )

    def render_line(self, y: int) -> Strip:
        full = self.size.width
        if not self.strips:
            return Strip([Segment("Geen audiobronnen in OBS", _HINT)]).crop_extend(0, full, None)
        row = self._rows[y] if 0 <= y < len(self._rows) else None
        if row is None:
            return Strip.blank(full)
        strip, channel = row
        now = self.clock()
        if channel == 0:
            strip.drawn = self._display_key(strip, now)
        segments: list[Segment] = []
        if channel == 0:
            name_style = _NAME_SELECTED if strip.name == self.selected else _NAME
            segments.append(Segment(f" {strip.name}"[: NAME_CELLS - 1].ljust(NAME_CELLS - 1), name_style))
            segments.append(Segment(" "))
            segments.append(Segment("[ STIL ]" if strip.muted else "[ aan  ]", _OFF if strip.muted else _ON))
            segments.append(Segment(" " * (MUTE_CELLS - 8)))
            if self.controls:
                segments.append(Segment(format_fader(strip.volume_db).ljust(FADER_CELLS), _TEXT))
        elif channel == 1 and self.controls:
            segments.append(self._route_segment(strip))
            segments.append(Segment(" " * (MUTE_CELLS + FADER_CELLS)))
        else:
            segments.append(Segment(" " * (NAME_CELLS + MUTE_CELLS + (FADER_CELLS if self.controls else 0))))
        if channel < len(strip.meter.channels):
            segments += self._bar(strip.meter.channels[channel], not strip.heard, now)
        if channel == 0:
            segments.append(Segment(" " + format_db(strip.meter.peak_hold(now)) + " ", _TEXT))
            segments.append(Segment("CLIP", _CLIP) if strip.meter.clipping(now) else Segment("    "))
        return Strip(segments).crop_extend(0, full, None)

    def _route_segment(self, strip: MixerStrip) -> Segment:
        text = f" {route_text(strip.route, strip.muted)}"[: NAME_CELLS - 1].ljust(NAME_CELLS)
        if strip.route is None:
            return Segment(text, _HINT)
        if strip.heard:
            return Segment(text, _HEARD)
        if strip.muted or not (self.speaking and strip.name in self.must_hear):
            return Segment(text, _NOT_HEARD)
        return Segment(text, _NOT_HEARD_ALARM)

    def _bar(self, ch: ChannelMeter, muted: bool, now: float) -> list[Segment]:
        width = self.bar_width
        filled = _cell(ch.level, width)
        hold_db = ch.hold(now)
        hold = _cell(hold_db, width) - 1
        yellow_at = _cell(YELLOW_FROM_DBFS, width)
        red_at = _cell(RED_FROM_DBFS, width)
        segments: list[Segment] = []
        if muted:
            segments.append(Segment("█" * filled, _MUTED_BAR))
        else:
            for start, end, style in ((0, yellow_at, _GREEN), (yellow_at, red_at, _YELLOW), (red_at, width, _RED)):
                n = max(0, min(end, filled) - start)
                if n:
                    segments.append(Segment("█" * n, style))
        rest = width - filled
        if rest > 0:
            if filled <= hold < width and hold_db > FLOOR_DBFS:
                before = hold - filled
                segments += [Segment("─" * before, _EMPTY), Segment("▌", _HOLD),
                             Segment("─" * (rest - before - 1), _EMPTY)]
            else:
                segments.append(Segment("─" * rest, _EMPTY))
        return segments
