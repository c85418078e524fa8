"""A broadcast as YouTube reports it, and the marks a session leaves on it (its key, its tag).

Pure helpers for studio.youtube.broadcast (kept apart so that module stays about the lifecycle).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from studio.domain.labels import YOUTUBE_LIFECYCLE
from studio.youtube.streams import StreamHealth, health_of

ACTIVE_STATES = ("testStarting", "testing", "liveStarting", "live")
LIFECYCLE_NL = YOUTUBE_LIFECYCLE


@dataclass(frozen=True)
class BroadcastStatus:
    """A broadcast as YouTube reports it, plus the health of its stream when bound."""

    broadcast_id: str
    title: str
    lifecycle: str
    privacy: str
    scheduled_start: str
    bound_stream_id: str
    live_chat_id: str
    stream: StreamHealth | None = None
    actual_start: str = ""  # snippet.actualStartTime: when YouTube says it went live ('' before that)

    @property
    def label(self) -> str:
        return LIFECYCLE_NL.get(self.lifecycle, self.lifecycle)

    @property
    def url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.broadcast_id}"


def status_of(b: dict[str, Any], stream: dict[str, Any] | None = None) -> BroadcastStatus:
    snippet, status, details = b.get("snippet") or {}, b.get("status") or {}, b.get("contentDetails") or {}
    return BroadcastStatus(
        broadcast_id=str(b.get("id", "")), title=str(snippet.get("title", "")),
        lifecycle=str(status.get("lifeCycleStatus", "")), privacy=str(status.get("privacyStatus", "")),
        scheduled_start=str(snippet.get("scheduledStartTime", "")),
        bound_stream_id=str(details.get("boundStreamId", "")), live_chat_id=str(snippet.get("liveChatId", "")),
        stream=health_of(stream) if stream else None,
        actual_start=str(snippet.get("actualStartTime", "")),
    )


def session_key_for(start: datetime, lang: str, timezone: str = "Europe/Amsterdam") -> str:
    return f"{start.astimezone(ZoneInfo(timezone)).date().isoformat()}-{lang}"


def session_tag(session_key: str) -> str:
    """The line in a broadcast's description that says which session made it (found again after a lost answer)."""
    return f"wijkspreekuur-sessie {session_key}"


def with_tag(description: str, tag: str, limit: int = 5000) -> str:
    room = limit - len(tag.encode("utf-8")) - 2
    body = description.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return f"{body}\n\n{tag}"


def iso_utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def same_instant(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a.replace("Z", "+00:00")) == datetime.fromisoformat(b.replace("Z", "+00:00"))
    except ValueError:
        return False
