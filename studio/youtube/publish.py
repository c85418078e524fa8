"""Publish a recording on YouTube, step by step, so that a rerun finishes what an error interrupted.

Two ways, staff choose (default ``[youtube] publish_mode``):
- ``update``: the broadcast's own recording (the broadcast id is its video id) gets the title, the
  description with chapters, the thumbnail and the playlist.
- ``upload``: the processed file is uploaded with a resumable upload (see studio.youtube.upload), first as
  private, then gets the thumbnail and the playlist.

Nothing is half-published: every step is written to the store when it is done (``archive_publish_steps``),
a rerun skips what is done, and the privacy that makes the video visible is set LAST, after the title,
description, thumbnail and playlist are in place. videos.update replaces every mutable field of a part,
so each update reads the video first and sends the whole part back (snippet needs ``categoryId``).

Captions (``captions`` step, before the privacy): one track per language through captions.insert, or
captions.update when the video has that track already (studio.youtube.captions.publish_track). The files
come prepared from the archive on the published video's clock; only the ones that changed since they were
last sent are in the Publication, so a rerun after an edit updates, and a rerun without one sends nothing.

Creates are never sent twice blindly (studio.youtube.reconcile): after a timeout or 5xx the playlist, the
playlist entry or the new thumbnail is looked for first. The upload itself reconciles through its session
(studio.youtube.upload asks the session what arrived and gets the video back when it is complete).

Why this file is a little over 400 lines: the plan (what is left, what it costs) and the steps that carry it
out read the same stored steps and the same Publication; apart they would each need the other's rules.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.store import Store
from studio.store import archive as repo
from studio.youtube.api import YouTubeApi
from studio.youtube.errors import YouTubeError
from studio.youtube.quota import DEFAULT_BUCKET, CostSheet, price
from studio.youtube.reconcile import DEFAULT_WINDOW, create_once
from studio.youtube.upload import ResumableUploader, UploadOutcome, UploadSessionExpired

ProgressFn = Callable[[float, str], None]

STEP_LABELS = {
    "upload": "video uploaden",
    "metadata": "titel en beschrijving",
    "thumbnail": "miniatuur",
    "playlist": "afspeellijst",
    "captions": "ondertitels",
    "privacy": "zichtbaarheid",
}
MODES = ("update", "upload")


class PublishError(YouTubeError):
    """Publishing cannot go on (one Dutch line)."""


@dataclass(frozen=True)
class CaptionFile:
    """One language's caption track to send (WebVTT on the published video's clock)."""

    lang: str
    data: bytes
    sha256: str
    reviewed: bool = True  # False: sent with --unreviewed (stored, the session report says so)
    known: bool = False  # the video has this track from an earlier run: an update


@dataclass(frozen=True)
class Publication:
    """Everything YouTube gets, prepared by the archive (studio.usecases.archive.publishing)."""

    entry_id: int
    mode: str
    title: str
    description: str
    privacy: str  # public, unlisted, private
    category_id: str
    playlist_title: str
    thumbnail: Path | None
    video_id: str | None = None  # update mode: the broadcast's id
    file: Path | None = None  # upload mode: the processed file
    file_sha256: str = ""
    language: str = "nl"
    captions: tuple[CaptionFile, ...] = ()  # tracks new or changed since they were last sent
    captions_missing: bool = False  # published without any caption track (--unreviewed before they existed)


@dataclass(frozen=True)
class PublishPlan:
    """What is left and what it costs. ``cost``/``used_today``/``limit`` are the daily quota; ``sheet`` has
    every call with its bucket (an upload counts in the videos.insert bucket), ``usage`` today's buckets."""

    mode: str
    todo: tuple[str, ...]
    done: tuple[str, ...]
    cost: int  # daily-quota units the remaining steps use
    used_today: int
    limit: int
    sheet: CostSheet = field(default_factory=lambda: price({}))
    usage: Any = None  # studio.youtube.quota.QuotaUsage
    captions: tuple[str, ...] = ()  # languages whose track is sent in this run
    unreviewed: bool = False  # one of them is sent without review (--unreviewed)
    captions_missing: bool = False  # the video goes out without captions (--unreviewed before there were any)

    @property
    def fits(self) -> bool:
        if self.usage is None:
            return self.limit <= 0 or self.used_today + self.cost <= self.limit
        for name, units in self.sheet.by_bucket.items():
            b = self.usage.bucket(name)
            if b.limit > 0 and b.used + units > b.limit:
                return False
        return True


@dataclass
class PublishResult:
    video_id: str
    steps_done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    upload: UploadOutcome | None = None


def steps_for(mode: str) -> tuple[str, ...]:
    if mode == "update":
        return ("metadata", "thumbnail", "playlist", "captions", "privacy")
    if mode == "upload":
        return ("upload", "thumbnail", "playlist", "captions", "privacy")
    raise PublishError(f"onbekende publicatiewijze {mode!r}", "kies update of upload")


def _steps(pub: Publication) -> list[str]:
    """This publication's steps: no thumbnail step without a picture, no captions step without a track."""
    return [s for s in steps_for(pub.mode)
            if not (s == "thumbnail" and pub.thumbnail is None) and not (s == "captions" and not pub.captions)]


def _left(step: str, done: dict[str, Any], pub: Publication) -> bool:
    # captions are done per file: a track in the Publication has changed since it was sent, so it is left
    return step not in done or step == "captions"


STEP_CALLS: dict[str, dict[str, int]] = {
    "upload": {"videos.insert": 1},
    "metadata": {"videos.list": 1, "videos.update": 1},
    "thumbnail": {"videos.list": 1, "thumbnails.set": 1},  # the read tells a lost answer from a refusal
    "playlist": {"playlists.list": 1, "playlistItems.list": 1, "playlistItems.insert": 1},
    "privacy": {"videos.list": 1, "videos.update": 1},
    "captions": {},  # per track: caption_calls()
}


def caption_calls(files: tuple[CaptionFile, ...] | list[CaptionFile]) -> dict[str, int]:
    """Per track a captions.list (is it there?), then captions.update (it is) or captions.insert."""
    calls = {"captions.list": len(files), "captions.update": sum(1 for f in files if f.known),
             "captions.insert": sum(1 for f in files if not f.known)}
    return {m: n for m, n in calls.items() if n}


def step_sheet(step: str, captions: tuple[CaptionFile, ...] = ()) -> CostSheet:
    return price(caption_calls(captions) if step == "captions" else STEP_CALLS[step])


def step_cost(step: str, mode: str) -> int:
    """Daily-quota units of one step (an upload's own bucket is not in it)."""
    return step_sheet(step).units


def publish_sheet(steps: tuple[str, ...] | list[str], captions: tuple[CaptionFile, ...] = ()) -> CostSheet:
    """The calls of these steps, priced per bucket with the one cost table (what the confirmation shows)."""
    calls: dict[str, int] = {}
    for step in steps:
        for method, n in (caption_calls(captions) if step == "captions" else STEP_CALLS[step]).items():
            calls[method] = calls.get(method, 0) + n
    return price(calls)


def plan(store: Store, api: YouTubeApi, pub: Publication) -> PublishPlan:
    """What is left to do and what it costs in quota, per bucket: shown before anything starts."""
    done = repo.publish_steps(store, pub.entry_id)
    steps = _steps(pub)
    todo = tuple(s for s in steps if _left(s, done, pub))
    usage = api.ledger.usage()
    sheet = publish_sheet(todo, pub.captions)
    sent = pub.captions if "captions" in todo else ()
    return PublishPlan(pub.mode, todo, tuple(s for s in steps if s not in todo),
                       sheet.by_bucket.get(DEFAULT_BUCKET, 0), usage.used, usage.limit, sheet, usage,
                       captions=tuple(f.lang for f in sent), unreviewed=any(not f.reviewed for f in sent),
                       captions_missing=pub.captions_missing)


class Publisher:
    def __init__(self, store: Store, api: YouTubeApi, *, upload_base: str = "https://www.googleapis.com/",
                 chunk_size: int = 8 * 1024 * 1024, sleep: Callable[[float], None] | None = None,
                 token: Callable[[], str] | None = None, reconcile_window: float = DEFAULT_WINDOW) -> None:
        self.store = store
        self.api = api
        self.reconcile_window = reconcile_window
        self.upload_base = upload_base
        self.chunk_size = chunk_size
        self._sleep = sleep
        self._token = token or self._access_token

    # -- helpers -----------------------------------------------------------------------------------
    def _access_token(self) -> str:
        creds = self.api.credentials
        if not getattr(creds, "valid", True) and self.api.token_file is not None:
            from studio.youtube import auth

            auth.refresh_if_needed(creds, self.api.token_file)
        return str(getattr(creds, "token", "") or "")

    def _media_uri(self, request: Any) -> Any:
        """googleapiclient keeps https for media URLs even for an http endpoint: follow the endpoint's scheme."""
        if self.upload_base.startswith("http://") and request.uri.startswith("https://"):
            request.uri = "http://" + request.uri.removeprefix("https://")
        return request

    def _get_video(self, video_id: str) -> dict[str, Any]:
        items = self.api.execute(self.api.service.videos().list(part="snippet,status", id=video_id),
                                 "video opvragen").get("items") or []
        if not items:
            raise PublishError(f"YouTube kent video {video_id} niet (meer)",
                               "is de opname van de uitzending verwijderd? publiceer dan met --mode upload")
        return dict(items[0])

    # -- the steps ---------------------------------------------------------------------------------
    def _metadata(self, pub: Publication, video_id: str) -> dict[str, Any]:
        video = self._get_video(video_id)
        snippet = dict(video.get("snippet") or {})
        snippet.update(title=pub.title, description=pub.description,
                       categoryId=snippet.get("categoryId") or pub.category_id)
        snippet.setdefault("defaultLanguage", pub.language)
        for key in ("thumbnails", "channelId", "channelTitle", "publishedAt", "liveBroadcastContent", "localized"):
            snippet.pop(key, None)  # read-only fields
        self.api.execute(self.api.service.videos().update(part="snippet", body={"id": video_id, "snippet": snippet}),
                         "titel en beschrijving bijwerken")
        return {"title": pub.title}

    def _privacy(self, pub: Publication, video_id: str) -> dict[str, Any]:
        video = self._get_video(video_id)
        status = {k: v for k, v in (video.get("status") or {}).items()
                  if k in ("privacyStatus", "embeddable", "license", "publicStatsViewable", "publishAt",
                           "selfDeclaredMadeForKids")}
        status["privacyStatus"] = pub.privacy
        status.pop("publishAt", None)
        self.api.execute(self.api.service.videos().update(part="status", body={"id": video_id, "status": status}),
                         "zichtbaarheid instellen")
        return {"privacy": pub.privacy}

    def _create(self, insert: Callable[[], Any], find: Callable[[], Any], what: str) -> Any:
        return create_once(insert, find, what=what, window=self.reconcile_window,
                           sleep=self._sleep or time.sleep)

    def _thumbnail(self, pub: Publication, video_id: str) -> dict[str, Any]:
        from googleapiclient.http import MediaInMemoryUpload

        assert pub.thumbnail is not None
        data = Path(pub.thumbnail).read_bytes()
        # thumbnails.set replaces the picture, so a second call would do no harm but cost 50 units: after a
        # lost answer, a changed set of thumbnail URLs shows the first call went through.
        before = (self._get_video(video_id).get("snippet") or {}).get("thumbnails")

        def send() -> dict[str, Any]:
            media = MediaInMemoryUpload(data, mimetype="image/jpeg", resumable=False)
            request = self._media_uri(self.api.service.thumbnails().set(videoId=video_id, media_body=media))
            return self.api.execute(request, "miniatuur instellen")

        def changed() -> dict[str, Any] | None:
            now = (self._get_video(video_id).get("snippet") or {}).get("thumbnails")
            return {"adopted": True} if now and now != before else None

        outcome = self._create(send, changed, "miniatuur instellen")
        return {"bytes": len(data), **({"adopted": True} if outcome.get("adopted") else {})}

    def _playlist_id(self, title: str) -> str:
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"part": "snippet", "mine": True, "maxResults": 50}
            if token:
                kwargs["pageToken"] = token
            page = self.api.execute(self.api.service.playlists().list(**kwargs), "afspeellijsten opvragen")
            for item in page.get("items") or []:
                if (item.get("snippet") or {}).get("title", "").strip().casefold() == title.strip().casefold():
                    return str(item["id"])
            token = page.get("nextPageToken")
            if not token:
                break
        created = self._create(
            lambda: self.api.execute(self.api.service.playlists().insert(
                part="snippet,status", body={"snippet": {"title": title}, "status": {"privacyStatus": "public"}}),
                "afspeellijst aanmaken"),
            lambda: self._find_playlist(title), "afspeellijst aanmaken")
        return str(created["id"])

    def _find_playlist(self, title: str) -> dict[str, Any] | None:
        page = self.api.execute(self.api.service.playlists().list(part="snippet", mine=True, maxResults=50),
                                "afspeellijsten opvragen")
        for item in page.get("items") or []:
            if (item.get("snippet") or {}).get("title", "").strip().casefold() == title.strip().casefold():
                return dict(item)
        return None

    def _playlist_item(self, playlist_id: str, video_id: str) -> dict[str, Any] | None:
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"part": "snippet", "playlistId": playlist_id, "maxResults": 50}
            if token:
                kwargs["pageToken"] = token
            page = self.api.execute(self.api.service.playlistItems().list(**kwargs), "afspeellijst opvragen")
            for item in page.get("items") or []:
                if ((item.get("snippet") or {}).get("resourceId") or {}).get("videoId") == video_id:
                    return dict(item)
            token = page.get("nextPageToken")
            if not token:
                return None

    def _playlist(self, pub: Publication, video_id: str) -> dict[str, Any]:
        playlist_id = self._playlist_id(pub.playlist_title)
        if self._playlist_item(playlist_id, video_id) is not None:  # a rerun after a lost answer: not twice
            return {"playlist_id": playlist_id, "already": True}
        body = {"snippet": {"playlistId": playlist_id, "resourceId": {"kind": "youtube#video", "videoId": video_id}}}
        self._create(lambda: self.api.execute(self.api.service.playlistItems().insert(part="snippet", body=body),
                                              "aan de afspeellijst toevoegen"),
                     lambda: self._playlist_item(playlist_id, video_id), "aan de afspeellijst toevoegen")
        return {"playlist_id": playlist_id}

    def _captions(self, pub: Publication, video_id: str) -> dict[str, Any]:
        from studio.store import captions as stored
        from studio.youtube.captions import publish_track

        sent = []
        for f in pub.captions:
            result = publish_track(self.api, video_id, f.lang, f.data, upload_base=self.upload_base)
            stored.mark_published(self.store, pub.entry_id, f.lang, result.track.caption_id, f.sha256, f.reviewed)
            sent.append({"lang": f.lang, "action": result.action, "reviewed": f.reviewed})
        return {"tracks": sent}

    def _upload(self, pub: Publication, progress: ProgressFn, cancel: threading.Event | None) -> UploadOutcome:
        if pub.file is None or not pub.file.is_file():
            raise PublishError("het verwerkte bestand ontbreekt", "verwerk de opname eerst ('studio archive process')")
        size = pub.file.stat().st_size
        kwargs: dict[str, Any] = {"chunk_size": self.chunk_size}
        if self._sleep is not None:
            kwargs["sleep"] = self._sleep
        uploader = ResumableUploader(self.upload_base, self._token, **kwargs)
        try:
            for _attempt in range(2):  # a second time only when the saved session had expired
                saved = repo.get_upload(self.store, pub.entry_id)
                if saved is not None and (saved.file_sha256 != pub.file_sha256 or saved.file_size != size):
                    saved = None  # another file now: a new session
                if saved is None:
                    metadata = {
                        "snippet": {"title": pub.title, "description": pub.description,
                                    "categoryId": pub.category_id, "defaultLanguage": pub.language},
                        "status": {"privacyStatus": "private", "selfDeclaredMadeForKids": False},
                    }
                    uri = uploader.start(metadata, size)
                    self.api.ledger.record("videos.insert", ok=True)
                    repo.save_upload(self.store, pub.entry_id, str(pub.file), size, pub.file_sha256, uri)
                    offset: int | None = 0
                else:
                    uri, offset = saved.session_uri, None  # ask YouTube how much it has: never trust our count

                def on_progress(confirmed: int) -> None:
                    repo.set_upload_progress(self.store, pub.entry_id, confirmed)
                    progress(confirmed / size if size else 1.0, f"uploaden {confirmed >> 20}/{size >> 20} MB")

                try:
                    outcome = uploader.send(uri, pub.file, size, offset=offset, on_progress=on_progress,
                                            cancel=cancel)
                except UploadSessionExpired:
                    repo.drop_upload(self.store, pub.entry_id)
                    continue
                video_id = str(outcome.video.get("id") or "")
                if not video_id:
                    raise PublishError("YouTube gaf na de upload geen video-id terug", "probeer opnieuw")
                repo.set_upload_progress(self.store, pub.entry_id, size, video_id)
                return outcome
            raise PublishError("de upload kon niet opnieuw beginnen", "probeer het later opnieuw")
        finally:
            uploader.close()

    # -- the whole job -----------------------------------------------------------------------------
    def publish(self, pub: Publication, progress: ProgressFn | None = None,
                cancel: threading.Event | None = None) -> PublishResult:
        report = progress or (lambda _f, _l: None)
        done = repo.publish_steps(self.store, pub.entry_id)
        video_id = pub.video_id or str((done.get("upload") or {}).get("video_id") or "")
        steps = _steps(pub)
        result = PublishResult(video_id)
        weight_upload = 0.85 if pub.mode == "upload" and "upload" not in done else 0.0
        rest = [s for s in steps if s != "upload"]
        for step in steps:
            if not _left(step, done, pub):
                result.skipped.append(step)
                continue
            if cancel is not None and cancel.is_set():
                raise PublishError("publiceren onderbroken", "start opnieuw om af te maken")
            base = weight_upload + (1 - weight_upload) * (rest.index(step) / len(rest)) if step != "upload" else 0.0
            report(base, STEP_LABELS[step])
            if step == "upload":
                outcome = self._upload(pub, lambda f, label: report(weight_upload * f, label), cancel)
                result.upload = outcome
                video_id = str(outcome.video["id"])
                detail: dict[str, Any] = {"video_id": video_id}
            else:
                if not video_id:
                    raise PublishError("geen video-id bekend om te publiceren",
                                       "is de uitzending bekend bij deze sessie? anders --mode upload")
                detail = getattr(self, f"_{step}")(pub, video_id)
            repo.mark_step_done(self.store, pub.entry_id, step, detail)
            self.store.audit(f"publish.{step}", {"entry": pub.entry_id, "video": video_id})
            result.steps_done.append(step)
        result.video_id = video_id
        report(1.0, "gepubliceerd")
        return result
