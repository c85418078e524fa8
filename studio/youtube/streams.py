"""The one reusable liveStream: created once, remembered in the store, found again by title if forgotten.

The stream key (``cdn.ingestionInfo.streamName``) is a secret: it is read from YouTube when OBS needs it,
handed to OBS, and never stored, logged or shown (``mask_secret`` when it must be referred to).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studio.domain.labels import ISSUE_SEVERITY
from studio.store import Store
from studio.store import youtube as repo
from studio.youtube.api import YouTubeApi
from studio.youtube.errors import mask_secret
from studio.youtube.reconcile import DEFAULT_WINDOW, create_once

STREAM_TITLE = "Wijkspreekuur Studio (herbruikbaar)"


@dataclass(frozen=True)
class StreamHealth:
    stream_id: str
    stream_status: str  # created, ready, active, inactive, error
    health: str  # good, ok, bad, noData ('' when YouTube gives none)
    issues: tuple[str, ...] = field(default_factory=tuple)  # "severity: description" lines

    @property
    def active(self) -> bool:
        return self.stream_status == "active"


@dataclass(frozen=True)
class Ingest:
    server: str
    key: str = field(repr=False)

    def __str__(self) -> str:
        return f"{self.server} (sleutel {mask_secret(self.key)})"


def health_of(stream: dict[str, Any]) -> StreamHealth:
    status = stream.get("status") or {}
    health = status.get("healthStatus") or {}
    issues = tuple(
        f"{ISSUE_SEVERITY.get(str(i.get('severity', '')), '?')}: "
        f"{i.get('description') or i.get('reason') or i.get('type', '')}"
        for i in health.get("configurationIssues") or []
    )
    return StreamHealth(str(stream.get("id", "")), str(status.get("streamStatus", "")), str(health.get("status", "")),
                        issues)


def ingest_of(stream: dict[str, Any]) -> Ingest:
    info = (stream.get("cdn") or {}).get("ingestionInfo") or {}
    return Ingest(str(info.get("ingestionAddress", "")), str(info.get("streamName", "")))


class StreamRegistry:
    def __init__(self, api: YouTubeApi, store: Store, target: str, *, resolution: str = "1080p",
                 frame_rate: str = "30fps", sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic, reconcile_window: float = DEFAULT_WINDOW) -> None:
        self.api = api
        self._sleep = sleep
        self._clock = clock
        self.reconcile_window = reconcile_window
        self.store = store
        self.target = target
        self.resolution = resolution
        self.frame_rate = frame_rate

    def ensure(self) -> dict[str, Any]:
        """The reusable stream: the remembered one, else one found by title, else a new one.

        A new one is made at most once: when the insert's outcome is unknown (timeout, 5xx), the stream is
        looked for by title before any second insert."""
        known = repo.stream_id(self.store, self.target)
        if known:
            stream = self.api.get_stream(known)
            if stream:
                return stream
        found = self._find()
        if found is not None:
            repo.set_stream_id(self.store, self.target, found["id"])
            return found
        body = {
            "snippet": {"title": STREAM_TITLE,
                        "description": "Eén stream voor alle uitzendingen van het wijkspreekuur (OBS)."},
            "cdn": {"ingestionType": "rtmp", "resolution": self.resolution, "frameRate": self.frame_rate},
            "contentDetails": {"isReusable": True},
        }
        stream = create_once(lambda: self.api.insert_stream(body), self._find, what="stream aanmaken",
                             window=self.reconcile_window, sleep=self._sleep, clock=self._clock)
        repo.set_stream_id(self.store, self.target, stream["id"])
        self.store.audit("youtube.stream.insert", {"stream_id": stream["id"]})
        return stream

    def _find(self) -> dict[str, Any] | None:
        for stream in self.api.list_streams().get("items") or []:
            if (stream.get("snippet") or {}).get("title") == STREAM_TITLE and \
                    (stream.get("contentDetails") or {}).get("isReusable", True):
                return stream
        return None

    def get(self, stream_id: str) -> dict[str, Any] | None:
        return self.api.get_stream(stream_id)

    def health(self, stream_id: str) -> StreamHealth | None:
        stream = self.api.get_stream(stream_id)
        return health_of(stream) if stream else None
