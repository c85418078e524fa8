"""Publishing as a use case: prepare title, description with chapters and thumbnail, then run the steps.

Chapters come from the show itself: the first switch away from the starting scene, a switch to the guest
scene, each question's time on air (``question_airings``) and the switch to the end scene. Their times
are converted to the published video's clock:
- upload mode: the processed file starts ``trim_start`` seconds into the recording;
- update mode: YouTube's recording of the broadcast starts when the broadcast went live (``live_since``).

Everything published passes the privacy filter as text for publication (``scrub``, a
studio.usecases.privacy.PublicationScrub): the title, the topic in the description and on the thumbnail,
and each chapter title. A chapter title is the text that aired, scrubbed again (an airing stored before the
filter knew names, or a finding the moderator let through on air, does not go into an archive that stays
public for years), then cut on a word boundary outside a marker.

The caption tracks (``with_captions``) go on the same clock; publishing them waits for the review unless
``unreviewed`` (studio.usecases.archive.captions.publish_gate).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.config import Settings
from studio.domain import show_timeline
from studio.domain.chapters import Chapter, Mark, build_chapters, compose_description
from studio.domain.redaction_view import shorten
from studio.store import Store
from studio.store import archive as repo
from studio.usecases.archive import catalog, processing, thumbnail
from studio.usecases.archive.catalog import ArchiveError

if TYPE_CHECKING:
    from studio.usecases.privacy import TextScrub

ProgressFn = Callable[[float, str], None]

QUESTION_PREFIX = {"nl": "Vraag: ", "ar": "سؤال: "}
SCENE_CHAPTERS = {
    "nl": {"guest": "Met gast", "end": "Afsluiting", "officer": "Wijkagent"},
    "ar": {"guest": "مع ضيف", "end": "الختام", "officer": "شرطي الحي"},
}
INTRO = {"nl": "Welkom", "ar": "مرحبًا"}
CHAPTER_HEADING = {"nl": "Hoofdstukken:", "ar": "الفصول:"}
QUESTION_TITLE_CHARS = 70  # of the question, after the prefix (YouTube shows about that much)


@dataclass(frozen=True)
class Timebase:
    """Unix time of 0:00 in the published video, and the video's length."""

    zero: float
    duration: float


def session_row(store: Store, session_id: str | None) -> dict[str, Any] | None:
    if not session_id:
        return None
    from studio.store import session as sessions

    try:
        return sessions.get_session(store, session_id)
    except Exception:  # no show tables in this database
        return None


def timebase(store: Store, entry: repo.Entry, mode: str) -> Timebase | None:
    if entry.record_started_at is None:
        return None
    if mode == "upload":
        start = entry.trim_start or 0.0
        dur = entry.processed_duration or ((entry.trim_end or entry.duration) - start)
        return Timebase(entry.record_started_at + start, dur)
    row = session_row(store, entry.session_id) or {}
    live = row.get("live_since")
    if live is None:
        return None
    return Timebase(float(live), max(0.0, entry.duration - (float(live) - entry.record_started_at)))


def chapter_marks(store: Store, entry: repo.Entry, base: Timebase, scrub: TextScrub) -> list[Mark]:
    from studio.domain import scenes

    lang = entry.lang if entry.lang in SCENE_CHAPTERS else "nl"
    names = SCENE_CHAPTERS[lang]
    out: list[Mark] = []
    if entry.session_id:
        previous = None
        switches = [(m["at"] - base.zero, str(m["name"])) for m in repo.marks(store, entry.session_id, "scene")]
        for at, name in switches:
            if name == scenes.SCENE_GUEST and previous != scenes.SCENE_GUEST:
                out.append(Mark(at, names["guest"]))
            previous = name if name != scenes.SCENE_QUESTION else previous
        starting, ending = processing.slate_scene_names()
        closing = show_timeline.closing_start(show_timeline.stretches(switches, base.duration),
                                              starting=starting, ending=ending)
        if closing is not None:  # once, at the end slate the show ended with (not a mistaken switch mid-show)
            out.append(Mark(closing, names["end"]))
    end_unix = base.zero + base.duration
    for a in _airings(store, base.zero, end_unix):
        title = shorten(scrub(str(a["aired_text"]), lang), QUESTION_TITLE_CHARS)
        out.append(Mark(a["started_at"] - base.zero, QUESTION_PREFIX[lang] + title))
    return out


def _airings(store: Store, since: float, until: float) -> list[dict[str, Any]]:
    try:
        from studio.store.questions import QuestionBook

        return [a.__dict__ for a in QuestionBook(store).airings(since) if a.started_at <= until]
    except Exception:  # the questions tables may be absent in an old database
        return []


def description_for(store: Store, entry: repo.Entry, mode: str, scrub: TextScrub) -> tuple[str, list[Chapter]]:
    from studio.domain.broadcast_texts import broadcast_description

    row = session_row(store, entry.session_id) or {}
    try:
        when = datetime.fromisoformat(str(row.get("starts_at") or entry.session_date))
    except ValueError:
        when = datetime.fromisoformat(entry.session_date)
    lang = entry.lang if entry.lang in INTRO else "nl"
    intro = broadcast_description(scrub(entry.topic, lang) if entry.topic else "wijkspreekuur", when, lang)
    base = timebase(store, entry, mode)
    chapters = build_chapters(chapter_marks(store, entry, base, scrub), base.duration, INTRO[lang]) if base else []
    text = intro if not chapters else intro + "\n\n" + CHAPTER_HEADING[lang]
    return compose_description(text, chapters), chapters


def ensure_thumbnail(store: Store, entry: repo.Entry, scrub: TextScrub) -> Path:
    """The entry's thumbnail, made from the processed file (else the original) when missing."""
    if entry.thumbnail_path and Path(entry.thumbnail_path).is_file():
        return Path(entry.thumbnail_path)
    topic = scrub(entry.topic, entry.lang) if entry.topic else entry.topic
    path, _score = thumbnail.for_entry(store, entry, topic)
    catalog.update(store, entry.id, thumbnail_path=str(path))
    return path


def caption_files(store: Store, entry: repo.Entry, mode: str, unreviewed: bool = False) -> tuple[Any, ...]:
    """The caption tracks to send (studio.youtube.publish.CaptionFile): on the video's clock, only those new or
    changed since they were sent to this video. Raises ArchiveError while the review is not done."""
    from studio.store import captions as stored
    from studio.usecases.archive import captions
    from studio.youtube.publish import CaptionFile

    captions.publish_gate(store, entry, unreviewed)
    base = timebase(store, entry, mode)
    same_video = not entry.publish_mode or entry.publish_mode == mode  # another mode: another video
    out = []
    for u in captions.uploads(store, entry, mode, base.zero if base else None, base.duration if base else None):
        sent = stored.published(store, entry.id, u.lang) if same_video else None
        if sent is not None and sent.sha256 == u.sha256 and sent.reviewed == u.reviewed:
            continue
        out.append(CaptionFile(u.lang, u.data, u.sha256, u.reviewed, known=sent is not None))
    return tuple(out)


def prepare(store: Store, settings: Settings, entry_id: int, mode: str | None = None, *, scrub: TextScrub,
            with_captions: bool = False, unreviewed: bool = False) -> Any:
    """The Publication for an entry (studio.youtube.publish.Publication); ``with_captions``: with its caption
    tracks, which must be reviewed unless ``unreviewed``."""
    from studio.youtube.publish import MODES, Publication

    entry = catalog.get(store, entry_id)
    mode = mode or (entry.publish_mode or settings.youtube.publish_mode)
    if mode not in MODES:
        raise ArchiveError(f"onbekende publicatiewijze {mode!r}", "kies update of upload")
    video_id = None
    file = None
    if mode == "update":
        row = session_row(store, entry.session_id) or {}
        video_id = row.get("broadcast_id") or (entry.video_id if entry.publish_mode == "update" else None)
        if not video_id:
            raise ArchiveError(f"archiefnummer {entry_id} hoort bij geen uitzending",
                               "publiceer het verwerkte bestand met --mode upload")
    else:
        if entry.state not in ("processed", "publishing", "published") or not entry.processed_path:
            raise ArchiveError(f"archiefnummer {entry_id} is nog niet verwerkt",
                               f"voer eerst 'studio archive process {entry_id}' uit")
        file = Path(entry.processed_path)
    tracks = caption_files(store, entry, mode, unreviewed) if with_captions else ()
    from studio.store import captions as stored

    missing = with_captions and not stored.tracks(store, entry.id)
    description, _chapters = description_for(store, entry, mode, scrub)
    thumb = ensure_thumbnail(store, entry, scrub)
    return Publication(
        entry_id=entry.id, mode=mode, title=scrub(entry.title, entry.lang), description=description,
        privacy=settings.youtube.privacy, category_id=settings.archive.category_id,
        playlist_title=settings.youtube.playlist_title, thumbnail=thumb, video_id=video_id, file=file,
        file_sha256=entry.processed_sha256 or "", language=entry.lang, captions=tracks, captions_missing=missing,
    )


def upload_base(settings: Settings, endpoint: str | None = None) -> str:
    """Where uploads go: the endpoint in use (the panel's own rehearsal emulator), else the configured one."""
    return endpoint or settings.youtube.endpoint or "https://www.googleapis.com/"


def publish(store: Store, settings: Settings, api: Any, entry_id: int, mode: str | None = None, *,
            scrub: TextScrub, progress: ProgressFn | None = None, cancel: threading.Event | None = None,
            confirm: Callable[[Any], bool] | None = None, sleep: Callable[[float], None] | None = None,
            endpoint: str | None = None, with_captions: bool = False, unreviewed: bool = False) -> Any:
    """Prepare, show the plan (``confirm(plan)`` may refuse), run the remaining steps; return PublishResult."""
    from studio.youtube import publish as yt

    pub = prepare(store, settings, entry_id, mode, scrub=scrub, with_captions=with_captions, unreviewed=unreviewed)
    entry = catalog.get(store, entry_id)
    if (pub.mode == "upload" and pub.file is not None and entry.processed_sha256
            and catalog.sha256_file(pub.file) != entry.processed_sha256):
        raise ArchiveError("het verwerkte bestand is veranderd sinds het verwerken",
                           f"verwerk opnieuw: 'studio archive process {entry_id}'")
    if entry.publish_mode and entry.publish_mode != pub.mode and repo.publish_steps(store, entry_id):
        # Another way of publishing means another video: the steps done for the first one do not count.
        repo.clear_steps(store, entry_id)
        store.audit("publish.mode_changed", {"entry": entry_id, "from": entry.publish_mode, "to": pub.mode})
    the_plan = yt.plan(store, api, pub)
    if confirm is not None and not confirm(the_plan):
        raise ArchiveError("publiceren niet gestart")
    catalog.update(store, entry_id, state="publishing", publish_mode=pub.mode, error="")
    publisher = yt.Publisher(store, api, upload_base=upload_base(settings, endpoint),
                             chunk_size=settings.archive.upload_chunk_kib * 1024, sleep=sleep)
    try:
        result = publisher.publish(pub, progress, cancel)
    except BaseException as exc:
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        catalog.update(store, entry_id, state="publishing", error=str(message))
        raise
    import time

    catalog.update(store, entry_id, state="published", video_id=result.video_id, published_at=time.time(), error="")
    return result
