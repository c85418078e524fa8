"""captions (list, insert, update, delete): caption tracks of a video, with the caption file as media upload.

What YouTube checks, as its reference documents them: insert needs ``snippet.videoId``, ``language`` and
``name`` (400 ``invalidMetadata``), the file itself (400 ``contentRequired``), an existing video (404
``videoNotFound``) and a name not already used for that language on that video (409 ``captionExists``);
update and delete need a known track (404 ``captionNotFound``).

The file: YouTube reports a track it cannot use through ``snippet.status = failed`` and
``snippet.failureReason`` (``unknownFormat``, ``unsupportedFormat``, ``processingFailed``: the enum in the
discovery document). The emulator refuses such a file at once, with that failure reason as the error's
reason, so a test sees the refusal without polling: a file that is not WebVTT or SRT is ``unknownFormat``;
an empty cue, a cue that ends before it starts or cues that overlap are ``processingFailed``. The
uploaded bytes and the cues read from them are kept, for tests to read back (``Control.captions``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.state import World, etag, new_id, now_iso

DOMAIN = "youtube.caption"
MAX_NAME = 150


@dataclass
class Track:
    resource: dict[str, Any]
    data: bytes = b""
    kind: str = ""  # vtt or srt
    cues: list[dict[str, Any]] = field(default_factory=list)


def _tracks(world: World) -> dict[str, Track]:
    return world.captions


def read_file(data: bytes) -> tuple[str, list[dict[str, Any]]]:
    """The cues of an uploaded caption file, or the refusal YouTube would give it."""
    from studio.domain.captions import strip_marks
    from studio.subtitles import SubtitleFormatError, parse_subtitles

    if not data:
        raise ApiError(400, "contentRequired", "The request does not contain the caption track contents.", DOMAIN)
    try:
        kind, cues = parse_subtitles(data)
    except SubtitleFormatError as exc:
        raise ApiError(400, "unknownFormat", f"The caption file could not be read: {exc.message}", DOMAIN) from None
    previous_end = 0.0
    for cue in cues:
        if not strip_marks(cue.text).strip():
            raise ApiError(400, "processingFailed", f"Caption {cue.index} has no text.", DOMAIN)
        if cue.end <= cue.start:
            raise ApiError(400, "processingFailed", f"Caption {cue.index} ends before it starts.", DOMAIN)
        if cue.start < previous_end:
            raise ApiError(400, "processingFailed", f"Caption {cue.index} overlaps the caption before it.", DOMAIN)
        previous_end = cue.end
    return kind, [{"start": c.start, "end": c.end, "text": c.text} for c in cues]


def _split(body: Any) -> tuple[dict[str, Any], bytes | None]:
    """(metadata, media or None) from a JSON body or a multipart/media upload."""
    if isinstance(body, dict) and "media" in body:
        return dict(body.get("metadata") or {}), bytes(body["media"])
    if isinstance(body, bytes | bytearray):
        return {}, bytes(body)
    return dict(body or {}), None


def _get(world: World, caption_id: str) -> Track:
    track = _tracks(world).get(caption_id)
    if track is None:
        raise ApiError(404, "captionNotFound", "The caption track could not be found. Check the value of the "
                       "request's id parameter to ensure that it is correct.", DOMAIN)
    return track


def _video(world: World, video_id: str) -> dict[str, Any]:
    video = world.videos.get(video_id)
    if video is None:
        raise ApiError(404, "videoNotFound", "The video identified by the videoId parameter could not be found.",
                       "youtube.video")
    return video


def _refresh_video(world: World, video_id: str) -> None:
    video = world.videos.get(video_id)
    if video is not None:
        has = any(t.resource["snippet"]["videoId"] == video_id for t in _tracks(world).values())
        video.setdefault("contentDetails", {})["caption"] = "true" if has else "false"


def insert(world: World, body: Any) -> dict[str, Any]:
    metadata, media = _split(body)
    snippet = dict(metadata.get("snippet") or {})
    if not snippet.get("videoId") or not snippet.get("language") or "name" not in snippet:
        raise ApiError(400, "invalidMetadata", "The request contains invalid metadata values, which prevent the "
                       "track from being created. Specify snippet.videoId, snippet.language and snippet.name.",
                       DOMAIN)
    if len(str(snippet["name"])) > MAX_NAME:
        raise ApiError(400, "nameTooLong", f"The snippet.name is longer than {MAX_NAME} characters.", DOMAIN)
    _video(world, snippet["videoId"])
    for track in _tracks(world).values():
        s = track.resource["snippet"]
        if (s["videoId"], s["language"], s["name"]) == (snippet["videoId"], snippet["language"], snippet["name"]):
            raise ApiError(409, "captionExists", "The specified video already has a caption track with the given "
                           "snippet.language and snippet.name.", DOMAIN)
    kind, cues = read_file(media or b"")
    caption_id = "AUieDa" + new_id(38)
    resource = {
        "kind": "youtube#caption", "etag": etag(), "id": caption_id,
        "snippet": {
            "videoId": snippet["videoId"], "lastUpdated": now_iso(fraction=True), "trackKind": "standard",
            "language": snippet["language"], "name": snippet["name"], "audioTrackType": "unknown",
            "isCC": bool(snippet.get("isCC", False)), "isLarge": False, "isEasyReader": False,
            "isDraft": bool(snippet.get("isDraft", False)), "isAutoSynced": False, "status": "serving",
        },
    }
    _tracks(world)[caption_id] = Track(resource, media or b"", kind, cues)
    _refresh_video(world, snippet["videoId"])
    return copy.deepcopy(resource)


def update(world: World, body: Any) -> dict[str, Any]:
    metadata, media = _split(body)
    if not metadata.get("id"):
        raise ApiError(400, "invalidMetadata", "The caption resource must specify an id.", DOMAIN)
    track = _get(world, str(metadata["id"]))
    if media is not None:
        track.kind, track.cues = read_file(media)
        track.data = media
    snippet = metadata.get("snippet") or {}
    if "isDraft" in snippet:  # the only snippet property update changes
        track.resource["snippet"]["isDraft"] = bool(snippet["isDraft"])
    track.resource["snippet"]["lastUpdated"] = now_iso(fraction=True)
    track.resource["etag"] = etag()
    return copy.deepcopy(track.resource)


def list_tracks(world: World, video_id: str, ids: list[str] | None) -> list[dict[str, Any]]:
    _video(world, video_id)
    found = [t.resource for t in _tracks(world).values() if t.resource["snippet"]["videoId"] == video_id]
    if ids is not None:
        found = [r for r in found if r["id"] in ids]
    return found


def delete(world: World, caption_id: str) -> None:
    track = _get(world, caption_id)
    del _tracks(world)[caption_id]
    _refresh_video(world, track.resource["snippet"]["videoId"])


def stored(world: World, video_id: str | None = None) -> list[dict[str, Any]]:
    """What tests read back: each track's metadata, its file as text and the cues read from it."""
    return [
        {"id": cid, **{k: t.resource["snippet"][k] for k in ("videoId", "language", "name", "isDraft")},
         "format": t.kind, "text": t.data.decode("utf-8", "replace"), "cues": copy.deepcopy(t.cues)}
        for cid, t in _tracks(world).items()
        if video_id is None or t.resource["snippet"]["videoId"] == video_id
    ]
