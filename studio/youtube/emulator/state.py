"""The emulator's world: one channel with its broadcasts, streams, chats, videos and playlists.

Everything is guarded by one re-entrant lock; the HTTP threads, the RTMP ingest thread and the control API all
go through it. Timed phases (testStarting, liveStarting) advance lazily: every access first calls ``tick()``,
so no timer threads are needed and a test that waits sees the state YouTube would show at that moment.
"""

from __future__ import annotations

import copy
import datetime as dt
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from studio.youtube.emulator.errors import ApiError

ID_ALPHABET = string.ascii_letters + string.digits + "-_"
CHUNK_GRANULARITY = 256 * 1024


def cost_of(method: str) -> tuple[int, str]:
    """Units a call costs and the bucket it counts in: the project's one cost table (Google's quota
    calculator), so the emulator's count and the studio's ledger agree call for call."""
    from studio.youtube.quota import cost

    found = cost(method)
    return found.units, found.bucket


def bucket_limit(bucket: str, quota_limit: int) -> int:
    from studio.youtube.quota import BUCKETS

    spec = BUCKETS.get(bucket)
    return quota_limit if spec is None or spec.daily_limit is None else spec.daily_limit


def new_id(length: int = 11) -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(length))


def now_iso(fraction: bool = False) -> str:
    stamp = dt.datetime.now(dt.UTC)
    if fraction:
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else None


def etag() -> str:
    return new_id(27)


@dataclass
class EmulatorConfig:
    quota_limit: int = 10_000
    polling_interval_ms: int = 2000
    start_delay: float = 0.3  # seconds testStarting / liveStarting last
    stream_lifetime: float | None = None  # seconds a chat stream stays open (None: until the chat ends)
    channel_id: str = "UC" + "wijkspreekuurEmulat0r0"[:22]
    channel_title: str = "Politie Heerlen (oefenomgeving)"
    playlists: tuple[str, ...] = ("Digitaal wijkspreekuur",)


@dataclass
class Fault:
    method: str  # "liveBroadcasts.transition", "upload.chunk" or "*"
    status: int | None
    reason: str | None
    times: int
    delay: float
    complete: bool = False  # the method is carried out first, then the error is answered (as YouTube can)


@dataclass
class Chat:
    id: str
    broadcast_id: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    deleted: set[str] = field(default_factory=set)
    ended_at: str | None = None
    stream_lifetime: float | None = None  # overrides EmulatorConfig.stream_lifetime for this chat
    lifetime_set: bool = False


@dataclass
class Upload:
    id: str
    total: int | None
    content_type: str
    metadata: dict[str, Any]
    parts: list[str]
    data: bytearray = field(default_factory=bytearray)
    video_id: str | None = None


class World:
    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)  # notified when chat messages are appended
        self.stopping = threading.Event()  # set when the emulator stops: open chat streams end
        self.rtmp_address = "rtmp://127.0.0.1:1935/live2"
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.broadcasts: dict[str, dict[str, Any]] = {}
            self.streams: dict[str, dict[str, Any]] = {}
            self.stream_keys: dict[str, str] = {}  # stream key -> stream id
            self.publishing: dict[str, int] = {}  # stream id -> live RTMP publishers
            self.health_override: dict[str, tuple[str, list[dict[str, Any]]]] = {}
            self.videos: dict[str, dict[str, Any]] = {}
            self.thumbnails: dict[str, bytes] = {}
            self.playlists: dict[str, dict[str, Any]] = {}
            self.playlist_items: dict[str, dict[str, Any]] = {}
            self.chats: dict[str, Chat] = {}
            self.uploads: dict[str, Upload] = {}
            self.phase_due: dict[str, tuple[float, str]] = {}
            self.video_due: dict[str, float] = {}  # uploaded video id -> when its processing finishes
            self.faults: list[Fault] = []
            self.revoked_tokens: set[str] = set()
            self.upload_parts: dict[str, list[str]] = {}
            self.captions: dict[str, Any] = {}  # caption id -> captions.Track
            self.quota_used = 0  # the project's daily quota (the default bucket)
            self.bucket_used: dict[str, int] = {}  # the other buckets (videos.insert, search.list)
            self.calls: list[tuple[str, int, int]] = []  # (method, http status, cost)
            for title in self.config.playlists:
                self.add_playlist(title)

    # --- quota and faults -----------------------------------------------------------------------------

    def used_in(self, bucket: str) -> int:
        return self.quota_used if bucket == "default" else self.bucket_used.get(bucket, 0)

    def reserve_quota(self, cost: int, bucket: str = "default") -> None:
        with self.lock:
            if self.used_in(bucket) + cost > bucket_limit(bucket, self.config.quota_limit):
                raise ApiError(
                    403,
                    "quotaExceeded",
                    "The request cannot be completed because you have exceeded your "
                    '<a href="/youtube/v3/getting-started#quota">quota</a>.',
                    "youtube.quota",
                )

    def record_call(self, method: str, status: int, cost: int, bucket: str = "default") -> None:
        with self.lock:
            if bucket == "default":
                self.quota_used += cost
            else:
                self.bucket_used[bucket] = self.bucket_used.get(bucket, 0) + cost
            self.calls.append((method, status, cost))

    def take_fault(self, method: str) -> Fault | None:
        """The first armed fault for this method (or '*'), consuming one of its times."""
        with self.lock:
            for fault in self.faults:
                if fault.method in (method, "*") and fault.times != 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self.faults.remove(fault)
                    return fault
        return None

    # --- timed phases ----------------------------------------------------------------------------------

    def tick(self) -> None:
        with self.lock:
            now = time.monotonic()
            for broadcast_id, (due, target) in list(self.phase_due.items()):
                if now >= due:
                    del self.phase_due[broadcast_id]
                    self._enter(self.broadcasts[broadcast_id], target)
            for video_id, due in list(self.video_due.items()):
                if now >= due:
                    del self.video_due[video_id]
                    video = self.videos.get(video_id)
                    if video:
                        video["status"]["uploadStatus"] = "processed"
                        video["processingDetails"]["processingStatus"] = "succeeded"

    def _enter(self, broadcast: dict[str, Any], target: str) -> None:
        broadcast["status"]["lifeCycleStatus"] = target
        broadcast["etag"] = etag()
        video = self.videos.get(broadcast["id"])
        if target == "live":
            broadcast["snippet"]["actualStartTime"] = now_iso()
            broadcast["status"]["recordingStatus"] = "recording"
            if video:
                video["snippet"]["liveBroadcastContent"] = "live"
                video["liveStreamingDetails"]["actualStartTime"] = broadcast["snippet"]["actualStartTime"]
                video["liveStreamingDetails"]["activeLiveChatId"] = broadcast["snippet"].get("liveChatId")

    def schedule_phase(self, broadcast: dict[str, Any], interim: str, target: str) -> None:
        self._enter(broadcast, interim)
        self.phase_due[broadcast["id"]] = (time.monotonic() + self.config.start_delay, target)

    # --- streams and the RTMP ingest -------------------------------------------------------------------

    def stream_by_key(self, key: str) -> dict[str, Any] | None:
        stream_id = self.stream_keys.get(key)
        return self.streams.get(stream_id) if stream_id else None

    def rtmp_publish(self, app: str, key: str) -> bool:
        """The ingest asks whether a publisher may use this app and key."""
        with self.lock:
            return app == "live2" and self.stream_by_key(key) is not None

    def rtmp_media(self, key: str) -> None:
        """First audio/video message for this key: the stream is active."""
        with self.lock:
            stream = self.stream_by_key(key)
            if stream is None:
                return
            self.publishing[stream["id"]] = self.publishing.get(stream["id"], 0) + 1
            self._set_stream_status(stream, "active")

    def rtmp_closed(self, key: str, had_media: bool) -> None:
        with self.lock:
            stream = self.stream_by_key(key)
            if stream is None or not had_media:
                return
            left = self.publishing.get(stream["id"], 1) - 1
            self.publishing[stream["id"]] = max(left, 0)
            if left <= 0:
                self._set_stream_status(stream, "inactive")

    def _set_stream_status(self, stream: dict[str, Any], status: str) -> None:
        stream["status"]["streamStatus"] = status
        stream["etag"] = etag()
        self.refresh_health(stream)

    def refresh_health(self, stream: dict[str, Any]) -> None:
        active = stream["status"]["streamStatus"] == "active"
        status, issues = self.health_override.get(stream["id"], ("good", []))
        stream["status"]["healthStatus"] = {
            "status": status if active else "noData",
            "lastUpdateTimeSeconds": str(int(time.time())),
            "configurationIssues": copy.deepcopy(issues) if active else [],
        }

    def stream_is_active(self, stream_id: str | None) -> bool:
        stream = self.streams.get(stream_id or "")
        return bool(stream and stream["status"]["streamStatus"] == "active")

    # --- playlists ---------------------------------------------------------------------------------------

    def add_playlist(self, title: str, privacy: str = "public") -> dict[str, Any]:
        with self.lock:
            playlist_id = "PL" + new_id(32)
            self.playlists[playlist_id] = {
                "kind": "youtube#playlist",
                "etag": etag(),
                "id": playlist_id,
                "snippet": {
                    "publishedAt": now_iso(),
                    "channelId": self.config.channel_id,
                    "title": title,
                    "description": "",
                    "channelTitle": self.config.channel_title,
                    "thumbnails": {},
                    "localized": {"title": title, "description": ""},
                },
                "status": {"privacyStatus": privacy},
                "contentDetails": {"itemCount": 0},
            }
            return self.playlists[playlist_id]

    # --- a summary for the control API ------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        with self.lock:
            self.tick()
            return {
                "quota_used": self.quota_used,
                "quota_limit": self.config.quota_limit,
                "bucket_used": dict(self.bucket_used),
                "calls": [list(call) for call in self.calls],
                "broadcasts": {
                    bid: {
                        "title": b["snippet"]["title"],
                        "lifeCycleStatus": b["status"]["lifeCycleStatus"],
                        "boundStreamId": b["contentDetails"].get("boundStreamId"),
                        "liveChatId": b["snippet"].get("liveChatId"),
                    }
                    for bid, b in self.broadcasts.items()
                },
                "streams": {
                    sid: {
                        "title": s["snippet"]["title"],
                        "streamStatus": s["status"]["streamStatus"],
                        "healthStatus": s["status"]["healthStatus"]["status"],
                    }
                    for sid, s in self.streams.items()
                },
                "chats": {
                    cid: {
                        "messages": len(c.messages),
                        "deleted": len(c.deleted),
                        "ended": c.ended_at is not None,
                    }
                    for cid, c in self.chats.items()
                },
                "videos": {
                    vid: {
                        "title": v["snippet"]["title"],
                        "privacyStatus": v["status"]["privacyStatus"],
                        "uploadStatus": v["status"]["uploadStatus"],
                        "thumbnail": vid in self.thumbnails,
                    }
                    for vid, v in self.videos.items()
                },
                "playlists": {
                    pid: {"title": p["snippet"]["title"], "items": p["contentDetails"]["itemCount"]}
                    for pid, p in self.playlists.items()
                },
                "uploads": {
                    uid: {"received": len(u.data), "total": u.total, "video_id": u.video_id}
                    for uid, u in self.uploads.items()
                },
                "captions": {cid: {"videoId": t.resource["snippet"]["videoId"],
                                   "language": t.resource["snippet"]["language"], "cues": len(t.cues)}
                             for cid, t in self.captions.items()},
                "faults": [vars(f).copy() for f in self.faults],
            }
