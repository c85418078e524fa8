"""videos (list, update, insert by upload), thumbnails.set, playlists and playlistItems.

Resumable uploads follow Google's protocol: the start request answers 200 with a session URI in ``Location``;
chunks are PUT with ``Content-Range: bytes a-b/total`` and answered 308 with ``Range: bytes=0-N`` (no Range
header while nothing arrived) until the last one, which answers 200 with the video resource. Every chunk but
the last must be a multiple of 256 KiB. ``Content-Range: bytes */total`` with an empty body asks how much
arrived. An unknown session is 404 (the client must start over).
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.state import CHUNK_GRANULARITY, Upload, World, etag, new_id, now_iso

VIDEO = "youtube.video"
PRIVACY = ("public", "unlisted", "private")
MAX_THUMBNAIL = 2 * 1024 * 1024


def get_video(world: World, video_id: str) -> dict[str, Any]:
    video = world.videos.get(video_id)
    if video is None:
        raise ApiError(404, "videoNotFound", "The video that you are trying to use cannot be found.", VIDEO)
    return video


def _check_text(snippet: dict[str, Any]) -> None:
    title = snippet.get("title", "")
    if not title or len(title) > 100 or "<" in title or ">" in title:
        raise ApiError(
            400, "invalidTitle", "The request metadata specifies an invalid or empty video title.", VIDEO
        )
    description = snippet.get("description", "")
    if len(description.encode()) > 5000 or "<" in description or ">" in description:
        raise ApiError(
            400, "invalidDescription", "The request metadata specifies an invalid video description.", VIDEO
        )
    if len(",".join(snippet.get("tags", []))) > 500:
        raise ApiError(400, "invalidTags", "The request metadata specifies invalid video keywords.", VIDEO)


def _check_status(status: dict[str, Any]) -> None:
    if "privacyStatus" in status and status["privacyStatus"] not in PRIVACY:
        raise ApiError(400, "invalidVideoMetadata", "The request metadata is invalid (privacyStatus).", VIDEO)


def update_video(world: World, parts: list[str], body: dict[str, Any]) -> dict[str, Any]:
    if not body.get("id"):
        raise ApiError(400, "videoIdRequired", "The video resource must specify an id.", VIDEO)
    video = get_video(world, body["id"])
    if "snippet" in parts:
        snippet = body.get("snippet", {})
        _check_text(snippet)
        if not snippet.get("categoryId"):
            raise ApiError(
                400,
                "invalidCategoryId",
                "The snippet.categoryId property specifies an invalid category ID.",
                VIDEO,
            )
        # videos.update replaces every mutable field of the part: what is left out is cleared
        target = video["snippet"]
        target.update(
            title=snippet["title"],
            description=snippet.get("description", ""),
            categoryId=snippet["categoryId"],
        )
        for key in ("tags", "defaultLanguage", "defaultAudioLanguage"):
            if key in snippet:
                target[key] = snippet[key]
            else:
                target.pop(key, None)
        target["localized"] = {"title": target["title"], "description": target["description"]}
    if "status" in parts:
        status = body.get("status", {})
        _check_status(status)
        for key in (
            "privacyStatus",
            "embeddable",
            "license",
            "publicStatsViewable",
            "publishAt",
            "selfDeclaredMadeForKids",
        ):
            if key in status:
                video["status"][key] = status[key]
    video["etag"] = etag()
    broadcast = world.broadcasts.get(video["id"])
    if broadcast is not None:  # the broadcast and its video are one thing on YouTube
        broadcast["snippet"]["title"] = video["snippet"]["title"]
        broadcast["snippet"]["description"] = video["snippet"]["description"]
        broadcast["status"]["privacyStatus"] = video["status"]["privacyStatus"]
    return video


def new_upload(
    world: World, parts: list[str], metadata: dict[str, Any], total: int | None, content_type: str
) -> Upload:
    snippet = metadata.get("snippet", {}) if "snippet" in parts else {}
    snippet.setdefault("title", "video")
    _check_text(snippet)
    _check_status(metadata.get("status", {}))
    upload = Upload(id=new_id(32), total=total, content_type=content_type, metadata=metadata, parts=parts)
    world.uploads[upload.id] = upload
    return upload


RANGE = re.compile(r"bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)$")


def put_chunk(
    world: World, upload_id: str, content_range: str | None, data: bytes
) -> tuple[int, dict[str, Any] | None, dict[str, str]]:
    """Take one PUT; returns (HTTP status, body, headers)."""
    upload = world.uploads.get(upload_id)
    if upload is None:
        raise ApiError(404, "notFound", "The upload session does not exist or has expired.", "global")
    if upload.video_id:  # already complete: YouTube answers with the video again
        return 200, world.videos[upload.video_id], {}
    match = RANGE.match(content_range or "")
    if content_range is None and not data:
        match = RANGE.match(f"bytes */{upload.total or '*'}")
    if match is None:
        raise ApiError(400, "badRequest", f"Invalid Content-Range header: {content_range!r}", "global")
    first, last, total_text = match.groups()
    total = None if total_text == "*" else int(total_text)
    if total is not None:
        if upload.total is not None and total != upload.total:
            raise ApiError(
                400, "badRequest", "The total size differs from X-Upload-Content-Length.", "global"
            )
        upload.total = total
    if first is not None:
        start, end = int(first), int(last)
        if start != len(upload.data) or end - start + 1 != len(data):
            raise ApiError(
                400,
                "badRequest",
                f"Content-Range {start}-{end} does not continue at byte {len(upload.data)}.",
                "global",
            )
        is_last = upload.total is not None and end + 1 == upload.total
        if not is_last and len(data) % CHUNK_GRANULARITY:
            raise ApiError(
                400,
                "badRequest",
                "Chunk size must be a multiple of 262144 bytes, except the last chunk.",
                "global",
            )
        upload.data.extend(data)
    if upload.total is not None and len(upload.data) == upload.total:
        return 200, _finish(world, upload), {}
    headers = {"Range": f"bytes=0-{len(upload.data) - 1}"} if upload.data else {}
    return 308, None, headers


def keep_partial(world: World, upload_id: str, data: bytes) -> None:
    """A connection dropped mid-chunk: keep what arrived, in whole 256 KiB units, as the upload server does."""
    upload = world.uploads.get(upload_id)
    if upload is not None and not upload.video_id:
        upload.data.extend(data[: len(data) - len(data) % CHUNK_GRANULARITY])


def _finish(world: World, upload: Upload) -> dict[str, Any]:
    video_id = new_id()
    snippet = upload.metadata.get("snippet", {})
    status = upload.metadata.get("status", {})
    video: dict[str, Any] = {
        "kind": "youtube#video",
        "etag": etag(),
        "id": video_id,
        "snippet": {
            "publishedAt": now_iso(),
            "channelId": world.config.channel_id,
            "title": snippet.get("title", "video"),
            "description": snippet.get("description", ""),
            "thumbnails": {},
            "channelTitle": world.config.channel_title,
            "categoryId": snippet.get("categoryId", "22"),
            "liveBroadcastContent": "none",
            "localized": {
                "title": snippet.get("title", "video"),
                "description": snippet.get("description", ""),
            },
        },
        "status": {
            "uploadStatus": "uploaded",
            "privacyStatus": status.get("privacyStatus", "public"),
            "license": status.get("license", "youtube"),
            "embeddable": status.get("embeddable", True),
            "publicStatsViewable": status.get("publicStatsViewable", True),
            "madeForKids": bool(status.get("selfDeclaredMadeForKids", False)),
            "selfDeclaredMadeForKids": bool(status.get("selfDeclaredMadeForKids", False)),
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
        "fileDetails": {
            "fileSize": str(len(upload.data)),
            "fileType": "video",
            "container": upload.content_type,
        },
        "statistics": {"viewCount": "0", "likeCount": "0", "favoriteCount": "0", "commentCount": "0"},
    }
    if "tags" in snippet:
        video["snippet"]["tags"] = snippet["tags"]
    world.videos[video_id] = video
    world.video_due[video_id] = time.monotonic() + world.config.start_delay
    upload.video_id = video_id
    return video


def set_thumbnail(world: World, video_id: str, image: bytes) -> dict[str, Any]:
    video = get_video(world, video_id)
    if not image:
        raise ApiError(400, "mediaBodyRequired", "The request does not include the image content.", VIDEO)
    if len(image) > MAX_THUMBNAIL:
        raise ApiError(400, "mediaBodyTooBig", "The thumbnail image is larger than 2 MB.", VIDEO)
    if not (image.startswith(b"\x89PNG\r\n\x1a\n") or image.startswith(b"\xff\xd8\xff")):
        raise ApiError(
            400, "invalidImage", "The provided image content is invalid (JPEG or PNG expected).", VIDEO
        )
    world.thumbnails[video_id] = image
    sizes = {
        "default": (120, 90),
        "medium": (320, 180),
        "high": (480, 360),
        "standard": (640, 480),
        "maxres": (1280, 720),
    }
    names = {
        "default": "default",
        "medium": "mqdefault",
        "high": "hqdefault",
        "standard": "sddefault",
        "maxres": "maxresdefault",
    }
    version = new_id(6)
    thumbs = {
        k: {"url": f"https://i.ytimg.com/vi/{video_id}/{names[k]}.jpg?v={version}", "width": w, "height": h}
        for k, (w, h) in sizes.items()
    }
    video["snippet"]["thumbnails"] = thumbs
    return {"kind": "youtube#thumbnailSetResponse", "etag": etag(), "items": [copy.deepcopy(thumbs)]}


def insert_playlist_item(world: World, body: dict[str, Any]) -> dict[str, Any]:
    snippet = body.get("snippet", {})
    playlist = world.playlists.get(snippet.get("playlistId", ""))
    if not snippet.get("playlistId"):
        raise ApiError(
            400, "playlistIdRequired", "The request does not specify a playlist ID.", "youtube.playlistItem"
        )
    if playlist is None:
        raise ApiError(
            404,
            "playlistNotFound",
            "The playlist identified with the request's playlistId parameter cannot be found.",
            "youtube.playlistItem",
        )
    resource = snippet.get("resourceId") or {}
    if resource.get("kind") != "youtube#video" or not resource.get("videoId"):
        raise ApiError(
            400,
            "invalidResourceType",
            "The type specified for the resource ID is not supported for this operation.",
            "youtube.playlistItem",
        )
    video = get_video(world, resource["videoId"])
    items = [i for i in world.playlist_items.values() if i["snippet"]["playlistId"] == playlist["id"]]
    position = snippet.get("position", len(items))
    item_id = new_id(40)
    item = {
        "kind": "youtube#playlistItem",
        "etag": etag(),
        "id": item_id,
        "snippet": {
            "publishedAt": now_iso(),
            "channelId": world.config.channel_id,
            "title": video["snippet"]["title"],
            "description": video["snippet"]["description"],
            "thumbnails": copy.deepcopy(video["snippet"]["thumbnails"]),
            "channelTitle": world.config.channel_title,
            "playlistId": playlist["id"],
            "position": position,
            "resourceId": {"kind": "youtube#video", "videoId": video["id"]},
            "videoOwnerChannelTitle": world.config.channel_title,
            "videoOwnerChannelId": world.config.channel_id,
        },
        "contentDetails": {"videoId": video["id"], "videoPublishedAt": video["snippet"]["publishedAt"]},
        "status": {"privacyStatus": video["status"]["privacyStatus"]},
    }
    world.playlist_items[item_id] = item
    playlist["contentDetails"]["itemCount"] = len(items) + 1
    return item
