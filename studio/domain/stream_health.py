"""How the stream and OBS are doing, from OBS's own counters: bitrate, dropped and skipped frames (pure rules).

OBS reports running totals (GetStreamStatus: bytes sent, frames dropped by the network of frames sent,
congestion; GetStats: frames skipped by the renderer and by the encoder of frames made). A total alone hides a
problem that is happening now (4,656 skipped render frames of a long evening) or shouts about one long gone;
the technician needs both: OBS's totals, and what happened in the last seconds.

The levels follow OBS's own statistics window: more than 1% of frames lost is a warning, more than 5% an
error; here the worse of the share since the start and the share in the last ``window`` seconds counts.
Bitrate: bytes over OBS's own output clock (outputDuration) in the last few seconds; with a single sample,
the average since the stream started.

Pure: the standard library only; the panel feeds it what OBS reported, one sample per poll.
"""

from __future__ import annotations

import enum
from collections import deque
from dataclasses import dataclass

WARNING_PERCENT = 1.0
ERROR_PERCENT = 5.0
CONGESTION_WARNING = 0.5  # OBS's congestion figure, 0..1
LOW_BITRATE_KBPS = 100.0  # streaming but (almost) nothing leaves: YouTube shows no picture


class Level(enum.IntEnum):
    OK = 0
    WARNING = 1
    ERROR = 2


def level_for(percent: float | None) -> Level:
    if percent is None:
        return Level.OK
    if percent > ERROR_PERCENT:
        return Level.ERROR
    if percent > WARNING_PERCENT:
        return Level.WARNING
    return Level.OK


@dataclass(frozen=True)
class StreamCounters:
    """GetStreamStatus as numbers."""

    active: bool
    duration_ms: int = 0
    bytes: int = 0
    dropped: int = 0  # outputSkippedFrames: frames the network could not take
    total: int = 0  # outputTotalFrames
    congestion: float = 0.0
    reconnecting: bool = False


@dataclass(frozen=True)
class FrameCounters:
    """GetStats' frame totals."""

    render_skipped: int = 0
    render_total: int = 0
    encoder_skipped: int = 0
    encoder_total: int = 0


@dataclass(frozen=True)
class FrameFigure:
    """Frames lost of frames made: OBS's totals and the share in the last seconds."""

    lost: int
    total: int
    recent_percent: float | None  # None until two samples span some time

    @property
    def percent(self) -> float:
        return 100.0 * self.lost / self.total if self.total > 0 else 0.0

    @property
    def level(self) -> Level:
        return max(level_for(self.percent if self.total >= 100 else None), level_for(self.recent_percent))


@dataclass(frozen=True)
class Health:
    render: FrameFigure
    encoder: FrameFigure
    streaming: bool = False
    bitrate_kbps: float | None = None
    dropped: FrameFigure | None = None
    congestion: float | None = None
    reconnecting: bool = False

    @property
    def warnings(self) -> tuple[tuple[Level, str], ...]:
        """What the technician should know, worst first, one Dutch line each with what to do."""
        out: list[tuple[Level, str]] = []
        if self.reconnecting:
            out.append((Level.ERROR, "De stream is weggevallen: OBS verbindt opnieuw (controleer de internetverbinding)"))
        if self.streaming and self.bitrate_kbps is not None and self.bitrate_kbps < LOW_BITRATE_KBPS \
                and not self.reconnecting:
            out.append((Level.ERROR, "Er gaat (bijna) niets naar YouTube: controleer de internetverbinding"))
        if self.dropped is not None and self.dropped.level:
            out.append((self.dropped.level, f"Het netwerk laat beelden vallen ({_share(self.dropped)}): "
                                            "controleer de internetverbinding of verlaag de bitrate"))
        if self.congestion is not None and self.congestion >= CONGESTION_WARNING and not self.reconnecting:
            out.append((Level.WARNING, f"Het netwerk is druk ({self.congestion * 100:.0f}%): de stream kan haperen"))
        if self.render.level:
            out.append((self.render.level, f"OBS slaat beelden over bij het renderen ({_share(self.render)}): "
                                           "sluit andere programma's of verlaag resolutie of beeldsnelheid"))
        if self.encoder.level:
            out.append((self.encoder.level, f"De encoder van OBS loopt achter ({_share(self.encoder)}): "
                                            "kies een snellere encoder-instelling of een lagere resolutie"))
        return tuple(sorted(out, key=lambda w: -w[0]))

    @property
    def level(self) -> Level:
        return max((lvl for lvl, _ in self.warnings), default=Level.OK)


def _share(f: FrameFigure) -> str:
    now = f" ({f.recent_percent:.1f}% nu)" if f.recent_percent is not None and f.recent_percent > WARNING_PERCENT \
        else ""
    return f"{f.percent:.1f}%{now}"


class HealthTracker:
    """Feed it one sample per poll (``now`` in seconds, any monotonic clock); it keeps ``window`` seconds."""

    def __init__(self, window: float = 10.0, bitrate_window: float = 5.0) -> None:
        self.window = window
        self.bitrate_window = bitrate_window
        self._frames: deque[tuple[float, FrameCounters]] = deque()
        self._stream: deque[StreamCounters] = deque()

    def update(self, now: float, frames: FrameCounters, stream: StreamCounters | None) -> Health:
        if self._frames and (frames.render_total < self._frames[-1][1].render_total
                             or frames.encoder_total < self._frames[-1][1].encoder_total):
            self._frames.clear()  # OBS restarted (or its counters did): a new history
        self._frames.append((now, frames))
        while len(self._frames) > 2 and now - self._frames[1][0] >= self.window:
            self._frames.popleft()
        first = self._frames[0][1]
        span = now - self._frames[0][0]
        recent = span >= min(self.window, 2.0)
        render = FrameFigure(frames.render_skipped, frames.render_total,
                             _recent(frames.render_skipped - first.render_skipped,
                                     frames.render_total - first.render_total) if recent else None)
        encoder = FrameFigure(frames.encoder_skipped, frames.encoder_total,
                              _recent(frames.encoder_skipped - first.encoder_skipped,
                                      frames.encoder_total - first.encoder_total) if recent else None)
        if stream is None or not stream.active:
            self._stream.clear()
            return Health(render, encoder)
        return Health(render, encoder, True, self._bitrate(stream), self._dropped(stream),
                      stream.congestion, stream.reconnecting)

    def _bitrate(self, s: StreamCounters) -> float | None:
        history = self._stream
        if history and (s.duration_ms < history[-1].duration_ms or s.bytes < history[-1].bytes):
            history.clear()  # a new stream
        if not history or s.duration_ms > history[-1].duration_ms:
            history.append(s)
        while len(history) > 2 and s.duration_ms - history[1].duration_ms >= self.bitrate_window * 1000:
            history.popleft()
        first = history[0]
        if len(history) >= 2 and s.duration_ms > first.duration_ms:
            return (s.bytes - first.bytes) * 8 / (s.duration_ms - first.duration_ms)  # bytes/ms * 8 = kbit/s
        return s.bytes * 8 / s.duration_ms if s.duration_ms > 0 else None

    def _dropped(self, s: StreamCounters) -> FrameFigure:
        history = self._stream
        first = history[0] if history else s
        span = s.duration_ms - first.duration_ms
        recent = _recent(s.dropped - first.dropped, s.total - first.total) if span >= 2000 else None
        return FrameFigure(s.dropped, s.total, recent)


def _recent(lost: int, made: int) -> float | None:
    return 100.0 * lost / made if made > 0 else None
