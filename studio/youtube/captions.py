"""Caption tracks on a published video: one per language, inserted once and updated on a rerun.

Names are what viewers pick in the player: "Nederlands" for nl, "العربية" for ar. Costs come from the one
cost table (studio.youtube.quota): captions.list 50, insert 400, update 450, delete 50.

An insert is never sent twice blindly. When it times out or YouTube answers 5xx, the track may exist all
the same (or appear a moment later, while YouTube finishes the request); the video's tracks are listed a
few times over some seconds (``ADOPT_WAITS``) and a track with this language and name is adopted as the
one the first attempt made. Only when none shows up is the error raised; should the track appear later
still, the next run's insert gets 409 ``captionExists`` and adopts it then, and replaces its file.
Updates replace the file of an existing track: sending one again is harmless, so they are retried.

Upload URLs: googleapiclient keeps ``https`` for media uploads even for an ``http://`` endpoint (the
emulator); ``upload_base`` says which scheme the endpoint in use has, as for studio.youtube.publish.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from studio.youtube.api import YouTubeApi
from studio.youtube.errors import OutcomeUnknown, YouTubeError, YouTubeRefused
from studio.youtube.quota import cost_of

TRACK_NAMES = {"nl": "Nederlands", "ar": "العربية"}
DEFAULT_UPLOAD_BASE = "https://www.googleapis.com/"
MIME_TYPE = "application/octet-stream"  # one of the types captions.insert accepts; the file says its format
ADOPT_WAITS = (0.0, 1.5, 4.0)  # seconds before each look for the track an unanswered insert made


@dataclass(frozen=True)
class CaptionTrackRef:
    caption_id: str
    video_id: str
    language: str
    name: str
    is_draft: bool = False


@dataclass(frozen=True)
class CaptionPublish:
    track: CaptionTrackRef
    action: str  # "inserted", "updated" or "adopted" (an insert that timed out had made it)


def track_name(language: str) -> str:
    return TRACK_NAMES.get(language, language)


def publish_cost(existing: bool) -> int:
    """Quota units ``publish_track`` uses: a list, then an update (existing track) or an insert."""
    return cost_of("captions.list") + cost_of("captions.update" if existing else "captions.insert")


def _ref(item: dict[str, Any]) -> CaptionTrackRef:
    s = item.get("snippet") or {}
    return CaptionTrackRef(str(item["id"]), str(s.get("videoId", "")), str(s.get("language", "")),
                           str(s.get("name", "")), bool(s.get("isDraft", False)))


def _media_request(request: Any, upload_base: str) -> Any:
    if upload_base.startswith("http://") and str(request.uri).startswith("https://"):
        request.uri = "http://" + str(request.uri).removeprefix("https://")
    return request


def _media(data: bytes) -> Any:
    from googleapiclient.http import MediaInMemoryUpload

    return MediaInMemoryUpload(data, mimetype=MIME_TYPE, resumable=False)


def list_tracks(api: YouTubeApi, video_id: str) -> list[CaptionTrackRef]:
    found = api.execute(api.service.captions().list(part="id,snippet", videoId=video_id), "ondertitels opvragen")
    return [_ref(item) for item in found.get("items") or []]


def find_track(api: YouTubeApi, video_id: str, language: str, name: str | None = None) -> CaptionTrackRef | None:
    wanted = name or track_name(language)
    return next((t for t in list_tracks(api, video_id) if t.language == language and t.name == wanted), None)


def _await_track(api: YouTubeApi, video_id: str, language: str, name: str, waits: Sequence[float],
                 sleep: Callable[[float], None]) -> CaptionTrackRef | None:
    for wait in waits:
        if wait:
            sleep(wait)
        found = find_track(api, video_id, language, name)
        if found is not None:
            return found
    return None


def insert_track(api: YouTubeApi, video_id: str, language: str, data: bytes, *, name: str | None = None,
                 draft: bool = False, upload_base: str = DEFAULT_UPLOAD_BASE,
                 adopt_waits: Sequence[float] = ADOPT_WAITS,
                 sleep: Callable[[float], None] = time.sleep) -> CaptionPublish:
    """Add a caption track (``data``: the WebVTT or SRT file). Never sent twice: see the module docstring."""
    name = name or track_name(language)
    body = {"snippet": {"videoId": video_id, "language": language, "name": name, "isDraft": draft}}
    request = _media_request(api.service.captions().insert(part="id,snippet", body=body, media_body=_media(data)),
                             upload_base)
    try:
        created = api.execute(request, "ondertitels toevoegen")  # a create: sent once (studio.youtube.api)
    except OutcomeUnknown:
        made = _await_track(api, video_id, language, name, adopt_waits, sleep)
        if made is None:
            raise  # nothing was created (as far as YouTube shows): a rerun may insert
        return CaptionPublish(made, "adopted")
    except YouTubeRefused as exc:
        if exc.reason != "captionExists":
            raise
        made = find_track(api, video_id, language, name)
        if made is None:
            raise
        return CaptionPublish(update_track(api, made, data, upload_base=upload_base).track, "adopted")
    return CaptionPublish(_ref(created), "inserted")


def update_track(api: YouTubeApi, track: CaptionTrackRef, data: bytes, *, draft: bool | None = None,
                 upload_base: str = DEFAULT_UPLOAD_BASE) -> CaptionPublish:
    """Replace the file of an existing track (and its draft state when ``draft`` is given)."""
    body: dict[str, Any] = {"id": track.caption_id}
    if draft is not None:
        body["snippet"] = {"isDraft": draft}
    request = _media_request(
        api.service.captions().update(part="id,snippet", body=body, media_body=_media(data)), upload_base)
    updated = api.execute(request, "ondertitels bijwerken")
    return CaptionPublish(_ref(updated) if updated.get("snippet") else track, "updated")


def publish_track(api: YouTubeApi, video_id: str, language: str, data: bytes, *,
                  upload_base: str = DEFAULT_UPLOAD_BASE) -> CaptionPublish:
    """The video's track for ``language`` with this file: updated when it exists, else inserted."""
    if not data:
        raise YouTubeError("het ondertitelbestand is leeg", "maak de ondertitels opnieuw")
    existing = find_track(api, video_id, language)
    if existing is not None:
        return update_track(api, existing, data, upload_base=upload_base)
    return insert_track(api, video_id, language, data, upload_base=upload_base)


def delete_track(api: YouTubeApi, track: CaptionTrackRef) -> None:
    api.execute(api.service.captions().delete(id=track.caption_id), "ondertitels verwijderen")
