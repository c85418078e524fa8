"""liveStreams: insert with YouTube's cdn rules; the ingest address points at the emulator's RTMP ingest.

The stream key (``cdn.ingestionInfo.streamName``) is a secret on YouTube: the emulator never prints it and
leaves it out of ``control.state()``. ``streamStatus`` starts ``ready``, turns ``active`` when the RTMP ingest
receives media for the key and ``inactive`` when the publisher leaves (see state.World.rtmp_*).
"""

from __future__ import annotations

from typing import Any

from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.state import World, etag, new_id, now_iso

STREAM = "youtube.liveStream"
RESOLUTIONS = ("240p", "360p", "480p", "720p", "1080p", "1440p", "2160p", "variable")
FRAME_RATES = ("30fps", "60fps", "variable")


def _err(code: int, reason: str, message: str, domain: str = STREAM) -> ApiError:
    return ApiError(code, reason, message, domain)


def insert_stream(world: World, parts: list[str], body: dict[str, Any]) -> dict[str, Any]:
    snippet = body.get("snippet", {}) if "snippet" in parts else {}
    cdn = body.get("cdn") if "cdn" in parts else None
    if not snippet.get("title"):
        raise _err(
            400, "titleRequired", "The liveStream resource must specify the snippet.title property.", STREAM
        )
    if not cdn:
        raise _err(400, "cdnRequired", "The liveStream resource must specify the cdn property.", STREAM)
    if not cdn.get("ingestionType"):
        raise _err(
            400,
            "ingestionTypeRequired",
            "The liveStream resource must specify a value for the cdn.ingestionType property.",
            STREAM,
        )
    if cdn["ingestionType"] not in ("rtmp", "dash", "webrtc", "hls"):
        raise _err(400, "invalidIngestionType", "Invalid cdn.ingestionType.", STREAM)
    resolution, frame_rate = cdn.get("resolution"), cdn.get("frameRate")
    if not cdn.get("format"):
        if not resolution:
            raise _err(400, "resolutionRequired", "Specify cdn.resolution (or cdn.format).", STREAM)
        if not frame_rate:
            raise _err(
                400, "frameRateRequired", "Specify cdn.frameRate together with cdn.resolution.", STREAM
            )
    if resolution and resolution not in RESOLUTIONS:
        raise _err(400, "invalidResolution", "Invalid cdn.resolution.", STREAM)
    if frame_rate and frame_rate not in FRAME_RATES:
        raise _err(400, "invalidFrameRate", "Invalid cdn.frameRate.", STREAM)
    stream_id = world.config.channel_id[2:] + new_id(16)
    key = "-".join(new_id(4).lower().replace("_", "x").replace("-", "y") for _ in range(5))
    address = world.rtmp_address
    stream: dict[str, Any] = {
        "kind": "youtube#liveStream",
        "etag": etag(),
        "id": stream_id,
        "snippet": {
            "publishedAt": now_iso(),
            "channelId": world.config.channel_id,
            "title": snippet["title"],
            "description": snippet.get("description", ""),
            "isDefaultStream": False,
        },
        "cdn": {
            "ingestionType": cdn["ingestionType"],
            "ingestionInfo": {
                "streamName": key,
                "ingestionAddress": address,
                "backupIngestionAddress": address + "?backup=1",
                "rtmpsIngestionAddress": address,
                "rtmpsBackupIngestionAddress": address + "?backup=1",
            },
            "resolution": resolution or "variable",
            "frameRate": frame_rate or "variable",
        },
        "status": {"streamStatus": "ready"},
        "contentDetails": {
            "closedCaptionsIngestionUrl": f"http://upload.youtube.com/closedcaption?cid={key}",
            "isReusable": bool(body.get("contentDetails", {}).get("isReusable", True)),
        },
    }
    world.streams[stream_id] = stream
    world.stream_keys[key] = stream_id
    world.refresh_health(stream)
    return stream
