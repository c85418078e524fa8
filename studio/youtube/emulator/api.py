"""The JSON methods: one function per discovery method name, called with validated parameters and body.

Every handler runs under the world lock and returns (HTTP status, JSON body or None). Responses carry only
the parts that were asked for (plus kind, etag and id), as YouTube's do. List methods page with
``maxResults`` (YouTube's defaults: 5 for most, at most 50) and an opaque ``nextPageToken``.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable, Iterable
from typing import Any

from studio.youtube.emulator import broadcasts, captions, chat, streams, videos
from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.state import World, etag

Result = tuple[int, dict[str, Any] | None]
Handler = Callable[[World, dict[str, Any], Any], Result]
HANDLERS: dict[str, Handler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


def only_parts(resource: dict[str, Any], parts: Iterable[str]) -> dict[str, Any]:
    wanted = set(parts) | {"kind", "etag", "id"}
    return {k: copy.deepcopy(v) for k, v in resource.items() if k in wanted}


def page(
    kind: str, items: list[dict[str, Any]], params: dict[str, Any], default: int = 5, most: int = 50
) -> dict[str, Any]:
    size = params.get("maxResults", default)
    if not 0 <= size <= most:
        raise ApiError(
            400, "invalidValue", f"Invalid value for maxResults: {size} (0 to {most}).", "youtube.parameter"
        )
    start = 0
    if params.get("pageToken"):
        try:
            start = int(base64.urlsafe_b64decode(params["pageToken"] + "==").decode().removeprefix("CA"))
        except ValueError:
            raise ApiError(
                400, "invalidPageToken", "The request specifies an invalid page token.", "youtube.parameter"
            ) from None
    chosen = items[start : start + size]
    response: dict[str, Any] = {
        "kind": kind,
        "etag": etag(),
        "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
        "items": [only_parts(item, params["part"]) for item in chosen],
    }
    if start + size < len(items):
        response["nextPageToken"] = (
            base64.urlsafe_b64encode(f"CA{start + size}".encode()).decode().rstrip("=")
        )
    if start > 0:
        response["prevPageToken"] = (
            base64.urlsafe_b64encode(f"CA{max(start - size, 0)}".encode()).decode().rstrip("=")
        )
    return response


def _ids(params: dict[str, Any]) -> list[str] | None:
    raw = params.get("id")
    if raw is None:
        return None
    return [i for value in raw for i in value.split(",") if i]


# --- liveBroadcasts --------------------------------------------------------------------------------------


@handles("liveBroadcasts.list")
def _broadcasts_list(world: World, params: dict[str, Any], body: Any) -> Result:
    filters = [name for name in ("id", "mine", "broadcastStatus") if name in params]
    if not filters:
        raise ApiError(
            400,
            "missingRequiredParameter",
            "No filter selected. Expected one of: id, mine, broadcastStatus.",
            "youtube.parameter",
        )
    if len(filters) > 1:  # YouTube: specify exactly one of id, mine, broadcastStatus
        raise ApiError(
            400,
            "incompatibleParameters",
            f"Incompatible parameters specified in the request: {', '.join(filters)}.",
            "youtube.parameter",
        )
    ids = _ids(params)
    items = list(world.broadcasts.values())
    if ids is not None:
        items = [world.broadcasts[i] for i in ids if i in world.broadcasts]
    status = params.get("broadcastStatus", "all")
    groups = {
        "active": ("testStarting", "testing", "liveStarting", "live"),
        "upcoming": ("created", "ready"),
        "completed": ("complete", "revoked"),
    }
    if status in groups:
        items = [b for b in items if b["status"]["lifeCycleStatus"] in groups[status]]
    items.sort(key=lambda b: b["snippet"]["scheduledStartTime"], reverse=status == "completed")
    return 200, page("youtube#liveBroadcastListResponse", items, params)


@handles("liveBroadcasts.insert")
def _broadcasts_insert(world: World, params: dict[str, Any], body: Any) -> Result:
    return 200, only_parts(broadcasts.insert_broadcast(world, params["part"], body), params["part"])


@handles("liveBroadcasts.update")
def _broadcasts_update(world: World, params: dict[str, Any], body: Any) -> Result:
    return 200, only_parts(broadcasts.update_broadcast(world, params["part"], body), params["part"])


@handles("liveBroadcasts.delete")
def _broadcasts_delete(world: World, params: dict[str, Any], body: Any) -> Result:
    broadcasts.delete_broadcast(world, params["id"])
    return 204, None


@handles("liveBroadcasts.bind")
def _broadcasts_bind(world: World, params: dict[str, Any], body: Any) -> Result:
    broadcast = broadcasts.bind(world, params["id"], params.get("streamId"))
    return 200, only_parts(broadcast, params["part"])


@handles("liveBroadcasts.transition")
def _broadcasts_transition(world: World, params: dict[str, Any], body: Any) -> Result:
    broadcast = broadcasts.transition(world, params["id"], params["broadcastStatus"])
    return 200, only_parts(broadcast, params["part"])


# --- liveStreams -------------------------------------------------------------------------------------------


@handles("liveStreams.list")
def _streams_list(world: World, params: dict[str, Any], body: Any) -> Result:
    if "id" not in params and "mine" not in params:
        raise ApiError(
            400,
            "missingRequiredParameter",
            "No filter selected. Expected one of: id, mine.",
            "youtube.parameter",
        )
    ids = _ids(params)
    items = (
        list(world.streams.values()) if ids is None else [world.streams[i] for i in ids if i in world.streams]
    )
    for stream in items:
        world.refresh_health(stream)
    return 200, page("youtube#liveStreamListResponse", items, params)


@handles("liveStreams.insert")
def _streams_insert(world: World, params: dict[str, Any], body: Any) -> Result:
    return 200, only_parts(streams.insert_stream(world, params["part"], body), params["part"])


# --- liveChatMessages ------------------------------------------------------------------------------------


@handles("liveChatMessages.list")
def _chat_list(world: World, params: dict[str, Any], body: Any) -> Result:
    response = chat.list_messages(
        world, params["liveChatId"], params.get("pageToken"), params.get("maxResults")
    )
    response["items"] = [only_parts(m, params["part"]) for m in response["items"]]
    return 200, response


@handles("liveChatMessages.insert")
def _chat_insert(world: World, params: dict[str, Any], body: Any) -> Result:
    snippet = body.get("snippet", {})
    if not snippet.get("liveChatId"):
        raise ApiError(400, "liveChatIdRequired", "The request does not specify a liveChatId.", chat.DOMAIN)
    if snippet.get("type", "textMessageEvent") != "textMessageEvent":
        raise ApiError(400, "invalidValue", "Only textMessageEvent messages can be inserted.", chat.DOMAIN)
    text = (snippet.get("textMessageDetails") or {}).get("messageText", "")
    if not text:
        raise ApiError(400, "messageTextRequired", "The message text is required.", chat.DOMAIN)
    if len(text) > chat.MAX_TEXT:
        raise ApiError(400, "messageTooLong", "The message text is longer than 200 characters.", chat.DOMAIN)
    target = chat.get_chat(world, snippet["liveChatId"])
    message = chat.post_text(
        world, target, text, world.config.channel_title, world.config.channel_id, owner=True
    )
    return 200, only_parts(message, params["part"])


@handles("liveChatMessages.delete")
def _chat_delete(world: World, params: dict[str, Any], body: Any) -> Result:
    chat.delete_message(world, params["id"])
    return 204, None


# --- videos, playlists -------------------------------------------------------------------------------------


@handles("videos.list")
def _videos_list(world: World, params: dict[str, Any], body: Any) -> Result:
    ids = _ids(params)
    if ids is None:
        raise ApiError(
            400, "missingRequiredParameter", "No filter selected. Expected: id.", "youtube.parameter"
        )
    items = [world.videos[i] for i in ids if i in world.videos]
    return 200, page("youtube#videoListResponse", items, params, default=50)


@handles("videos.update")
def _videos_update(world: World, params: dict[str, Any], body: Any) -> Result:
    return 200, only_parts(videos.update_video(world, params["part"], body), params["part"])


@handles("thumbnails.set")
def _thumbnails_set(world: World, params: dict[str, Any], body: Any) -> Result:
    return 200, videos.set_thumbnail(
        world, params["videoId"], body if isinstance(body, bytes) else (body or {}).get("media", b"")
    )


@handles("playlists.list")
def _playlists_list(world: World, params: dict[str, Any], body: Any) -> Result:
    ids = _ids(params)
    if ids is None and not params.get("mine") and params.get("channelId") != world.config.channel_id:
        raise ApiError(
            400,
            "missingRequiredParameter",
            "No filter selected. Expected one of: id, mine, channelId.",
            "youtube.parameter",
        )
    items = (
        list(world.playlists.values())
        if ids is None
        else [world.playlists[i] for i in ids if i in world.playlists]
    )
    return 200, page("youtube#playlistListResponse", items, params)


@handles("playlists.insert")
def _playlists_insert(world: World, params: dict[str, Any], body: Any) -> Result:
    snippet = body.get("snippet", {})
    if not snippet.get("title"):
        raise ApiError(
            400, "playlistTitleRequired", "The request must specify a playlist title.", "youtube.playlist"
        )
    playlist = world.add_playlist(snippet["title"], body.get("status", {}).get("privacyStatus", "public"))
    playlist["snippet"]["description"] = snippet.get("description", "")
    return 200, only_parts(playlist, params["part"])


@handles("playlistItems.insert")
def _playlist_items_insert(world: World, params: dict[str, Any], body: Any) -> Result:
    return 200, only_parts(videos.insert_playlist_item(world, body), params["part"])


@handles("playlistItems.list")
def _playlist_items_list(world: World, params: dict[str, Any], body: Any) -> Result:
    ids = _ids(params)
    if ids is None and not params.get("playlistId"):
        raise ApiError(
            400,
            "missingRequiredParameter",
            "No filter selected. Expected one of: id, playlistId.",
            "youtube.parameter",
        )
    items = [
        i for i in world.playlist_items.values()
        if (ids is None or i["id"] in ids) and (not params.get("playlistId") or i["snippet"]["playlistId"] == params["playlistId"])
        and (not params.get("videoId") or i["snippet"]["resourceId"]["videoId"] == params["videoId"])
    ]  # fmt: skip
    if params.get("playlistId") and params["playlistId"] not in world.playlists:
        raise ApiError(
            404,
            "playlistNotFound",
            "The playlist identified with the request's playlistId parameter cannot be found.",
            "youtube.playlistItem",
        )
    return 200, page("youtube#playlistItemListResponse", items, params)


# --- captions ------------------------------------------------------------------------------------------------


@handles("captions.list")
def _captions_list(world: World, params: dict[str, Any], body: Any) -> Result:
    items = captions.list_tracks(world, params["videoId"], _ids(params))  # not paged on YouTube either
    return 200, {"kind": "youtube#captionListResponse", "etag": etag(),
                 "items": [only_parts(item, params["part"]) for item in items]}


@handles("captions.insert")
def _captions_insert(world: World, params: dict[str, Any], body: Any) -> Result:
    return 200, only_parts(captions.insert(world, body), params["part"])


@handles("captions.update")
def _captions_update(world: World, params: dict[str, Any], body: Any) -> Result:
    return 200, only_parts(captions.update(world, body), params["part"])


@handles("captions.delete")
def _captions_delete(world: World, params: dict[str, Any], body: Any) -> Result:
    captions.delete(world, params["id"])
    return 204, None
