"""Messages that carry OBS's news from the supervisor's threads into the panel.

The app is the single listener on ``ctx.obs``. Its listener runs in a supervisor thread and only ever calls
``post_message`` (thread-safe in Textual) with one of these; handlers then run on the app's event loop, where
touching widgets is allowed. Screens do not handle these messages themselves: they watch the app's reactives
(``obs_snapshot``, ``obs_meters``, ``obs_stats``) or subscribe to ``app.obs_event_signal`` for raw OBS events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.message import Message

from studio.obs.state import ChannelLevel, ObsEvent, ObsSnapshot, OutputStatus, Stats
from studio.usecases.privacy import FilterStatus


@dataclass
class ObsStateReceived(Message):
    """The supervisor published a new snapshot (connection, scenes, inputs, record/stream state)."""

    snapshot: ObsSnapshot


@dataclass
class ObsMetersReceived(Message):
    """InputVolumeMeters, 20 times a second. A newer one replaces a pending older one, so the queue never floods."""

    levels: Mapping[str, tuple[ChannelLevel, ...]]

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ObsMetersReceived)


@dataclass
class ObsEventReceived(Message):
    """Any other OBS event (RecordStateChanged, StreamStateChanged...), passed on to screens by a signal."""

    event: ObsEvent


@dataclass(frozen=True)
class StatsView:
    """One poll of OBS's own figures: GetStats plus the record and stream timecodes while they run, and the
    stream's whole status (bytes, dropped frames, congestion) for the technician's view."""

    stats: Stats
    record_timecode: str = ""
    stream_timecode: str = ""
    stream: OutputStatus | None = None


@dataclass
class ObsStatsPolled(Message):
    """The stats poll finished (``view`` is None when OBS could not answer); the next poll is armed on receipt."""

    view: StatsView | None


@dataclass
class PrivacyFilterChanged(Message):
    """The privacy filter is loading, ready or failed (``app.privacy_status``): until it is ready the
    Questions screen previews nothing and nothing goes on air."""

    status: FilterStatus
