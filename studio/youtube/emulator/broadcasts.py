"""liveBroadcasts: insert, update, bind, transition, delete, with YouTube's state rules.

Lifecycle: created -> ready (bound) -> testStarting -> testing -> liveStarting -> live -> complete.
testStarting and liveStarting last ``start_delay`` seconds and then advance by themselves. testing and live
need the bound stream to be ``active`` (its RTMP ingest receives media); otherwise 403 errorStreamInactive.
A transition to where the broadcast already is or is heading is 403 redundantTransition, any other
transition from the wrong state 403 invalidTransition.
"""

from __future__ import annotations

import copy
from typing import Any

from studio.youtube.emulator import chat as chats
from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.state import World, etag, new_id, now_iso, parse_time

BROADCAST = "youtube.liveBroadcast"
STREAM = "youtube.liveStream"
PRIVACY = ("public", "unlisted", "private")


def _err(code: int, reason: str, message: str, domain: str = BROADCAST) -> ApiError:
    return ApiError(code, reason, message, domain)


def get_broadcast(world: World, broadcast_id: str) -> dict[str, Any]:
    broadcast = world.broadcasts.get(broadcast_id)
    if broadcast is None:
        raise _err(404, "liveBroadcastNotFound", "Broadcast not found")
    return broadcast


def _check_snippet(snippet: dict[str, Any]) -> None:
    title = snippet.get("title")
    if not title:
        raise _err(
            400, "titleRequired", "The liveBroadcast resource must specify the snippet.title property."
        )
    if len(title) > 100 or "<" in title or ">" in title:
        raise _err(
            400, "invalidTitle", "The snippet.title property is invalid (at most 100 characters, no < or >)."
        )
    if len(snippet.get("description", "").encode()) > 5000:
        raise _err(400, "invalidDescription", "The snippet.description property is longer than 5000 bytes.")
    start = snippet.get("scheduledStartTime")
    if not start:
        raise _err(
            400,
            "scheduledStartTimeRequired",
            "The liveBroadcast resource must specify the snippet.scheduledStartTime property.",
        )
    if parse_time(start) is None:
        raise _err(400, "invalidScheduledStartTime", "Invalid value for snippet.scheduledStartTime.")
    end = snippet.get("scheduledEndTime")
    if end and (parse_time(end) is None or parse_time(end) <= parse_time(start)):  # type: ignore[operator]
        raise _err(400, "invalidScheduledEndTime", "Invalid value for snippet.scheduledEndTime.")


def _check_status(status: dict[str, Any]) -> None:
    privacy = status.get("privacyStatus")
    if not privacy:
        raise _err(400, "privacyStatusRequired", "The liveBroadcast resource must specify a privacy status.")
    if privacy not in PRIVACY:
        raise _err(400, "invalidPrivacyStatus", "Invalid privacy status.")


def insert_broadcast(world: World, parts: list[str], body: dict[str, Any]) -> dict[str, Any]:
    snippet = body.get("snippet", {}) if "snippet" in parts else {}
    status = body.get("status", {}) if "status" in parts else {}
    details = body.get("contentDetails", {}) if "contentDetails" in parts else {}
    _check_snippet(snippet)
    _check_status(status)
    if details.get("latencyPreference", "normal") not in ("normal", "low", "ultraLow"):
        raise _err(400, "invalidLatencyPreferenceOptions", "Invalid latency preference.")
    broadcast_id = new_id()
    kids = bool(status.get("selfDeclaredMadeForKids", False))
    monitor = details.get("monitorStream", {})
    broadcast: dict[str, Any] = {
        "kind": "youtube#liveBroadcast",
        "etag": etag(),
        "id": broadcast_id,
        "snippet": {
            "publishedAt": now_iso(),
            "channelId": world.config.channel_id,
            "title": snippet["title"],
            "description": snippet.get("description", ""),
            "thumbnails": _thumbnails(broadcast_id),
            "scheduledStartTime": snippet["scheduledStartTime"],
            "isDefaultBroadcast": False,
        },
        "status": {
            "lifeCycleStatus": "created",
            "privacyStatus": status["privacyStatus"],
            "recordingStatus": "notRecording",
            "madeForKids": kids,
            "selfDeclaredMadeForKids": kids,
        },
        "contentDetails": {
            "monitorStream": {
                "enableMonitorStream": bool(monitor.get("enableMonitorStream", True)),
                "broadcastStreamDelayMs": int(monitor.get("broadcastStreamDelayMs", 0)),
                "embedHtml": f'<iframe width="425" height="344" src="https://www.youtube.com/embed/{broadcast_id}?autoplay=1&livemonitor=1"></iframe>',
            },
            "enableEmbed": bool(details.get("enableEmbed", True)),
            "enableDvr": bool(details.get("enableDvr", True)),
            "enableContentEncryption": False,
            "startWithSlate": False,
            "recordFromStart": bool(details.get("recordFromStart", True)),
            "enableClosedCaptions": bool(details.get("enableClosedCaptions", False)),
            "closedCaptionsType": details.get("closedCaptionsType", "closedCaptionsDisabled"),
            "enableLowLatency": bool(details.get("enableLowLatency", False)),
            "latencyPreference": details.get("latencyPreference", "normal"),
            "projection": details.get("projection", "rectangular"),
            "enableAutoStart": bool(details.get("enableAutoStart", False)),
            "enableAutoStop": bool(details.get("enableAutoStop", False)),
        },
    }
    if snippet.get("scheduledEndTime"):
        broadcast["snippet"]["scheduledEndTime"] = snippet["scheduledEndTime"]
    if not kids:  # made-for-kids broadcasts have live chat disabled
        broadcast["snippet"]["liveChatId"] = chats.create_chat(world, broadcast_id).id
    world.broadcasts[broadcast_id] = broadcast
    world.videos[broadcast_id] = _video_for(world, broadcast)
    return broadcast


def update_broadcast(world: World, parts: list[str], body: dict[str, Any]) -> dict[str, Any]:
    if not body.get("id"):
        raise _err(400, "idRequired", "The liveBroadcast resource must specify an id.")
    broadcast = get_broadcast(world, body["id"])
    state = broadcast["status"]["lifeCycleStatus"]
    if "snippet" in parts:
        snippet = body.get("snippet", {})
        _check_snippet(snippet)
        # an update replaces every mutable field of the part: what is left out is cleared
        broadcast["snippet"].update(
            title=snippet["title"],
            description=snippet.get("description", ""),
            scheduledStartTime=snippet["scheduledStartTime"],
        )
        if snippet.get("scheduledEndTime"):
            broadcast["snippet"]["scheduledEndTime"] = snippet["scheduledEndTime"]
        else:
            broadcast["snippet"].pop("scheduledEndTime", None)
    if "status" in parts:
        status = body.get("status", {})
        _check_status(status)
        broadcast["status"]["privacyStatus"] = status["privacyStatus"]
        if "selfDeclaredMadeForKids" in status:
            kids = bool(status["selfDeclaredMadeForKids"])
            broadcast["status"]["selfDeclaredMadeForKids"] = broadcast["status"]["madeForKids"] = kids
    if "contentDetails" in parts:
        details = body.get("contentDetails", {})
        current = broadcast["contentDetails"]
        monitor = details.get("monitorStream", {})
        if (
            "enableMonitorStream" in monitor
            and state in ("testStarting", "testing", "liveStarting", "live")
            and bool(monitor["enableMonitorStream"]) != current["monitorStream"]["enableMonitorStream"]
        ):
            raise _err(
                400,
                "invalidEnableMonitorStream",
                "enableMonitorStream cannot change once the broadcast is testing or live.",
            )
        if "enableMonitorStream" in monitor:
            current["monitorStream"]["enableMonitorStream"] = bool(monitor["enableMonitorStream"])
        if "broadcastStreamDelayMs" in monitor:
            current["monitorStream"]["broadcastStreamDelayMs"] = int(monitor["broadcastStreamDelayMs"])
        for key in (
            "enableEmbed",
            "enableDvr",
            "recordFromStart",
            "enableClosedCaptions",
            "enableAutoStart",
            "enableAutoStop",
            "enableLowLatency",
        ):
            if key in details:
                current[key] = bool(details[key])
        for key in ("latencyPreference", "closedCaptionsType", "projection"):
            if key in details:
                current[key] = details[key]
    broadcast["etag"] = etag()
    _sync_video(world, broadcast)
    return broadcast


def delete_broadcast(world: World, broadcast_id: str) -> None:
    broadcast = get_broadcast(world, broadcast_id)
    if broadcast["status"]["lifeCycleStatus"] in ("testStarting", "testing", "liveStarting", "live"):
        raise _err(
            403,
            "liveBroadcastDeletionNotAllowed",
            "The current status of the live broadcast does not allow it to be deleted.",
        )
    del world.broadcasts[broadcast_id]
    world.videos.pop(broadcast_id, None)
    world.phase_due.pop(broadcast_id, None)


def bind(world: World, broadcast_id: str, stream_id: str | None) -> dict[str, Any]:
    broadcast = get_broadcast(world, broadcast_id)
    if broadcast["status"]["lifeCycleStatus"] not in ("created", "ready"):
        raise _err(
            403,
            "liveBroadcastBindingNotAllowed",
            "The current status of the live broadcast does not allow it to be bound to a stream.",
        )
    details = broadcast["contentDetails"]
    if stream_id:
        if stream_id not in world.streams:
            raise _err(404, "liveStreamNotFound", "Stream not found", STREAM)
        details["boundStreamId"] = stream_id
        broadcast["status"]["lifeCycleStatus"] = "ready"
    else:
        details.pop("boundStreamId", None)
        broadcast["status"]["lifeCycleStatus"] = "created"
    details["boundStreamLastUpdateTimeMs"] = now_iso()
    broadcast["etag"] = etag()
    return broadcast


def transition(world: World, broadcast_id: str, target: str) -> dict[str, Any]:
    broadcast = get_broadcast(world, broadcast_id)
    state = broadcast["status"]["lifeCycleStatus"]
    monitor = broadcast["contentDetails"]["monitorStream"]["enableMonitorStream"]
    redundant = {
        "testing": ("testStarting", "testing"),
        "live": ("liveStarting", "live"),
        "complete": ("complete",),
    }
    allowed = {
        "testing": ("ready",) if monitor else (),
        "live": ("testing",) if monitor else ("ready", "testing"),
        "complete": ("live",),
    }
    if target not in allowed:
        raise ApiError(400, "invalidValue", f"Invalid value for broadcastStatus: {target}", BROADCAST)
    if state in redundant[target]:
        raise _err(403, "redundantTransition", f"The broadcast is already {state}.")
    if state not in allowed[target]:
        if target == "testing" and not monitor and state == "ready":
            message = "The monitor stream is disabled: the broadcast cannot go to testing."
        else:
            message = f"Invalid transition from {state} to {target}."
        raise _err(403, "invalidTransition", message)
    if target in ("testing", "live") and not world.stream_is_active(
        broadcast["contentDetails"].get("boundStreamId")
    ):
        raise _err(403, "errorStreamInactive", "The bound stream is not active: start streaming first.")
    if target == "testing":
        world.schedule_phase(broadcast, "testStarting", "testing")
    elif target == "live":
        world.schedule_phase(broadcast, "liveStarting", "live")
    else:
        _complete(world, broadcast)
    return broadcast


def _complete(world: World, broadcast: dict[str, Any]) -> None:
    broadcast["status"]["lifeCycleStatus"] = "complete"
    broadcast["status"]["recordingStatus"] = "recorded"
    broadcast["snippet"]["actualEndTime"] = now_iso()
    broadcast["etag"] = etag()
    chat_id = broadcast["snippet"].get("liveChatId")
    if chat_id and chat_id in world.chats:
        chats.end_chat(world, world.chats[chat_id])
    video = world.videos.get(broadcast["id"])
    if video:
        video["snippet"]["liveBroadcastContent"] = "none"
        video["liveStreamingDetails"]["actualEndTime"] = broadcast["snippet"]["actualEndTime"]
        video["liveStreamingDetails"].pop("activeLiveChatId", None)
        video["status"]["uploadStatus"] = "processed"
        video["processingDetails"] = {
            "processingStatus": "succeeded",
            "fileDetailsAvailability": "available",
            "processingIssuesAvailability": "available",
            "tagSuggestionsAvailability": "available",
            "editorSuggestionsAvailability": "available",
            "thumbnailsAvailability": "available",
        }
        video["contentDetails"]["duration"] = _duration(broadcast)


def _duration(broadcast: dict[str, Any]) -> str:
    start = parse_time(broadcast["snippet"].get("actualStartTime", ""))
    end = parse_time(broadcast["snippet"].get("actualEndTime", ""))
    seconds = int((end - start).total_seconds()) if start and end else 0
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"


def _thumbnails(video_id: str) -> dict[str, Any]:
    sizes = {"default": (120, 90), "medium": (320, 180), "high": (480, 360)}
    names = {"default": "default", "medium": "mqdefault", "high": "hqdefault"}
    return {
        k: {"url": f"https://i.ytimg.com/vi/{video_id}/{names[k]}.jpg", "width": w, "height": h}
        for k, (w, h) in sizes.items()
    }


def _video_for(world: World, broadcast: dict[str, Any]) -> dict[str, Any]:
    """The video YouTube keeps for a broadcast: the same id; after complete, the recording."""
    snippet = broadcast["snippet"]
    return {
        "kind": "youtube#video",
        "etag": etag(),
        "id": broadcast["id"],
        "snippet": {
            "publishedAt": snippet["publishedAt"],
            "channelId": world.config.channel_id,
            "title": snippet["title"],
            "description": snippet.get("description", ""),
            "thumbnails": copy.deepcopy(snippet["thumbnails"]),
            "channelTitle": world.config.channel_title,
            "categoryId": "25",
            "liveBroadcastContent": "upcoming",
            "localized": {"title": snippet["title"], "description": snippet.get("description", "")},
        },
        "status": {
            "uploadStatus": "uploaded",
            "privacyStatus": broadcast["status"]["privacyStatus"],
            "license": "youtube",
            "embeddable": True,
            "publicStatsViewable": True,
            "madeForKids": broadcast["status"]["madeForKids"],
            "selfDeclaredMadeForKids": broadcast["status"]["selfDeclaredMadeForKids"],
        },
        "contentDetails": {
            "duration": "P0D",
            "dimension": "2d",
            "definition": "hd",
            "caption": "false",
            "licensedContent": False,
            "projection": "rectangular",
        },
        "processingDetails": {"processingStatus": "processing"},
        "liveStreamingDetails": {"scheduledStartTime": snippet["scheduledStartTime"]},
        "statistics": {"viewCount": "0", "likeCount": "0", "favoriteCount": "0", "commentCount": "0"},
    }


def _sync_video(world: World, broadcast: dict[str, Any]) -> None:
    video = world.videos.get(broadcast["id"])
    if video is None:
        return
    video["snippet"]["title"] = broadcast["snippet"]["title"]
    video["snippet"]["description"] = broadcast["snippet"].get("description", "")
    video["status"]["privacyStatus"] = broadcast["status"]["privacyStatus"]
    video["liveStreamingDetails"]["scheduledStartTime"] = broadcast["snippet"]["scheduledStartTime"]
