"""Captions of an archived recording: heard, laid out, marked for review, stored and written beside it.

The job (``make``): decode the recording's sound (studio.media.pcm: every part of a split recording, in
order; the processed file when the original was pruned, placed ``trim_start`` into the recording), hear
it in the session's language with a model of its own (studio.speech.open_model: the fixed seed holds and
its memory goes back to OBS afterwards), lay the words out as cues (studio.domain.captions), mark what to
check first (studio.domain.caption_track, with the privacy scrubber as the finder of personal details),
write WebVTT, SRT and the transcript beside the recording, all or nothing, and only then store the track.

Every cue time here is on the RECORDING's clock (0:00 = the first frame of the original). The files beside
the processed file and the track sent to YouTube are shifted to their own clocks (``shift_for``).

Bad input never touches the recording and never leaves half a result: the speech adapter's checks (no
sound, only music, another language, no or a broken model) and the media adapter's (truncated, unreadable)
raise before anything is written; a full disk while writing leaves the previous files (studio.subtitles).

A track someone already reviewed or corrected is not replaced unless asked (``again``): that work is worth
more than a new run of the model.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.config import Settings
from studio.domain import labels
from studio.domain.caption_track import CaptionTrack, PersonalDataFinder, make_track
from studio.domain.captions import layout_cues
from studio.store import Store
from studio.store import archive as repo
from studio.store import caption_jobs as jobs
from studio.store import captions as tracks_repo
from studio.usecases.archive import catalog
from studio.usecases.archive.catalog import ArchiveError

if TYPE_CHECKING:
    from studio.deid import Scrubber
    from studio.speech.transcribe import Progress, Segment, SpeechModel
    from studio.subtitles import CaptionFiles

log = logging.getLogger(__name__)

ProgressFn = Callable[[float, str], None]  # fraction 0..1, a Dutch line (with the time left)
SCRUBBER_WAIT = 120.0  # seconds to wait for the privacy filter to load before a track is marked
LANGUAGES = ("nl", "ar")


@dataclass(frozen=True)
class Made:
    """What a captions job made."""

    entry_id: int
    lang: str
    cues: int
    to_check: int
    files: tuple[Path, ...]
    duration: float  # seconds of sound heard
    elapsed: float  # seconds the hearing took
    model: str
    complete: bool  # False: a truncated recording, captions of the readable part

    @property
    def real_time_factor(self) -> float:
        return self.elapsed / self.duration if self.duration > 0 else 0.0


def summary(m: Made) -> str:
    """One Dutch line for the CLI and the panel."""
    check = f"{m.to_check} om eerst na te kijken" if m.to_check else "niets opvallends om na te kijken"
    part = " (afgebroken opname: alleen het leesbare deel)" if not m.complete else ""
    return (f"#{m.entry_id} ondertiteld ({m.lang}): {m.cues} ondertitels, {check}; "
            f"{labels.duration(m.duration)} geluid in {labels.duration(m.elapsed)}{part}")


def language_of(entry: repo.Entry) -> str:
    return entry.lang if entry.lang in LANGUAGES else "nl"


# --- the privacy filter as the finder of personal details ----------------------------------------------------
def privacy_finder(scrubber: Scrubber, lang: str, wait: float = SCRUBBER_WAIT) -> PersonalDataFinder:
    """The parts of a cue's text the scrubber finds (certain or not: both are worth a look)."""
    status = scrubber.wait(wait)
    if not status.ready:
        raise ArchiveError(f"{status.message}: zonder privacyfilter worden geen ondertitels gemaakt",
                           "de persoonsgegevens in wat er gezegd is moeten gemarkeerd kunnen worden; "
                           "voer 'scripts/bootstrap.sh' opnieuw uit en probeer het opnieuw")

    def find(text: str) -> Iterable[str]:
        return [text[f.start:f.end] for f in scrubber.scrub(text, lang).findings]

    return find


# --- where the sound is, and the clocks ------------------------------------------------------------------------
@dataclass(frozen=True)
class Sound:
    paths: tuple[Path, ...]
    offset: float  # seconds into the recording where the first path starts
    key: str  # identifies these files (a checkpoint only fits the sound it was made of)


def sound_of(entry: repo.Entry) -> Sound:
    """The files to hear: the original parts, or the processed file when the originals are gone."""
    originals = tuple(Path(s.path) for s in entry.sources)
    if entry.original_pruned_at is None and originals and all(p.is_file() for p in originals):
        return Sound(originals, 0.0, ",".join(s.sha256 for s in entry.sources))
    if entry.processed_path and Path(entry.processed_path).is_file():
        return Sound((Path(entry.processed_path),), float(entry.trim_start or 0.0), entry.processed_sha256 or "")
    missing = next((p for p in originals if not p.is_file()), Path(entry.original_path))
    raise ArchiveError(f"de opname van #{entry.id} ontbreekt ({missing})",
                       "zet het bestand terug op zijn plek; ondertitels worden van de opname zelf gemaakt")


def decode(sound: Sound, cancel: threading.Event | None = None) -> tuple[Any, bool]:
    """(16 kHz mono samples of all parts in order, whether every part was read to its end)."""
    from studio.media.pcm import decode_speech_parts

    audio = decode_speech_parts(list(sound.paths), cancel=cancel)
    return audio.samples, audio.complete


def processed_shift(entry: repo.Entry) -> tuple[float, float | None] | None:
    """(seconds to add, end) to put recording times on the processed file's clock; None without one."""
    if not entry.processed_path:
        return None
    return -float(entry.trim_start or 0.0), entry.processed_duration


# --- files -------------------------------------------------------------------------------------------------------
def files_for(entry: repo.Entry, lang: str) -> list[CaptionFiles]:
    from studio.subtitles import caption_paths

    out = [caption_paths(entry.original_path, lang)]
    if entry.processed_path:
        out.append(caption_paths(entry.processed_path, lang))
    return out


def write_files(entry: repo.Entry, track: CaptionTrack) -> tuple[Path, ...]:
    """VTT, SRT and transcript beside the recording (its clock) and beside the processed file (its own),
    all six or none."""
    from studio.subtitles import to_srt, to_transcript, to_webvtt
    from studio.subtitles.files import write_texts

    lang = track.language
    where = files_for(entry, lang)
    texts: list[tuple[Path, str]] = []
    for i, paths in enumerate(where):
        shown = track
        if i == 1:
            shift = processed_shift(entry)
            assert shift is not None
            shown = track.shifted(shift[0], shift[1])
        cues = shown.as_cues()
        texts += [(paths.vtt, to_webvtt(cues, lang)), (paths.srt, to_srt(cues, lang)),
                  (paths.transcript, to_transcript(cues, lang))]
    write_texts(texts)
    return tuple(p for p, _t in texts)


def rewrite_files(store: Store, entry_id: int) -> None:
    """The caption files of every stored track again (after processing: the processed file gets its own)."""
    entry = catalog.get(store, entry_id)
    for track in tracks_repo.tracks(store, entry_id):
        write_files(entry, track)


# --- the job -----------------------------------------------------------------------------------------------------
def guard_reviewed_work(store: Store, entry_id: int, lang: str, again: bool) -> None:
    existing = tracks_repo.get_track(store, entry_id, lang)
    if existing is not None and not again and (existing.reviewed or any(c.edited for c in existing.cues)):
        raise ArchiveError(f"#{entry_id} heeft al nagekeken of verbeterde ondertitels",
                           "maak ze toch opnieuw met --opnieuw (het nakijkwerk gaat dan verloren)")


def time_left(seconds: float | None) -> str:
    """The ETA as a person says it: 'nog ca. 6 min', 'nog ca. 1 u 20 min', 'bijna klaar'."""
    if seconds is None:
        return "tijd over wordt berekend"
    minutes = round(seconds / 60)
    if minutes < 1:
        return "bijna klaar"
    if minutes < 60:
        return f"nog ca. {minutes} min"
    return f"nog ca. {minutes // 60} u {minutes % 60} min"


def progress_line(p: Progress) -> str:
    return f"ondertitelen: {labels.duration(p.position)} van {labels.duration(p.duration)} · {time_left(p.eta)}"


def make(store: Store, settings: Settings, entry_id: int, *, finder_for: Callable[[str], PersonalDataFinder],
         progress: ProgressFn | None = None, on_progress: Callable[[Progress], None] | None = None,
         cancel: threading.Event | None = None, check_language: bool = True, again: bool = False,
         threads: int = 0, model: SpeechModel | None = None) -> Made:
    """Make the captions of one archive entry in its session's language (see the module docstring).

    Resumes from the job's checkpoint when there is one for the same sound. ``finder_for(lang)`` gives the
    privacy finder (asked only after the hearing, so the filter has loaded meanwhile). Raises StudioError
    subclasses with one Dutch line; the recording is only read.
    """
    from studio.speech.models import models_dir
    from studio.speech.transcribe import open_model, segments_from_data, segments_to_data

    entry = catalog.get(store, entry_id)
    lang = language_of(entry)
    guard_reviewed_work(store, entry_id, lang, again)
    sound = sound_of(entry)
    speech = model or open_model(settings.captions.model, models_dir(settings.data_dir), threads=threads)
    samples, complete = decode(sound, cancel)
    count = len(samples)
    saved = jobs.checkpoint(store, entry_id, lang) or {}
    fits = saved.get("key") == sound.key and saved.get("samples") == count
    resume_from = float(saved["until"]) if fits else 0.0
    done: tuple[Segment, ...] = segments_from_data(saved["segments"]) if fits else ()
    started = time.monotonic()

    def piece_done(until: float, segments: tuple[Segment, ...]) -> None:
        jobs.save_checkpoint(store, entry_id, lang, {"key": sound.key, "samples": count, "until": until,
                                                     "segments": segments_to_data(segments)})

    def heard(p: Progress) -> None:
        if on_progress is not None:
            on_progress(p)
        if progress is not None:
            progress(p.fraction, progress_line(p))

    transcript = speech.transcribe(samples, lang, progress=heard, cancel=cancel,
                                   check_language=check_language and not fits, resume_from=resume_from,
                                   done=done, on_piece=piece_done)
    del samples  # an hour is 230 MB: not kept while the rest is done
    if progress is not None:
        progress(1.0, "ondertitels opmaken en nakijken op persoonsgegevens")
    cues = layout_cues(transcript.words(), lang, end_of_media=transcript.duration)
    track = make_track(cues, lang, model=transcript.model, finder=finder_for(lang))
    if sound.offset:
        track = track.shifted(sound.offset)
    entry = catalog.get(store, entry_id)  # processed meanwhile? its files get the captions too
    written = write_files(entry, track)
    tracks_repo.save_track(store, entry_id, track)
    store.audit("captions.made", {"entry": entry_id, "lang": lang, "cues": len(track.cues),
                                  "to_check": len(track.to_check()), "model": transcript.model})
    return Made(entry_id, lang, len(track.cues), len(track.to_check()), written, transcript.duration,
                time.monotonic() - started, transcript.model, complete and not entry.truncated)


# --- review --------------------------------------------------------------------------------------------------
def get_track(store: Store, entry_id: int, lang: str | None = None) -> CaptionTrack | None:
    entry = catalog.get(store, entry_id)
    return tracks_repo.get_track(store, entry_id, lang or language_of(entry))


def change(store: Store, entry_id: int, lang: str | None, how: Callable[[CaptionTrack], CaptionTrack],
           what: str) -> CaptionTrack:
    """Apply a review change (edit, remove, reviewed), write the files again, then store it."""
    entry = catalog.get(store, entry_id)
    lang = lang or language_of(entry)
    track = tracks_repo.get_track(store, entry_id, lang)
    if track is None:
        raise ArchiveError(f"#{entry_id} heeft nog geen ondertitels", f"maak ze met 'studio archive caption {entry_id}'")
    from studio.domain.caption_track import CaptionEditError

    try:
        changed = how(track)
    except CaptionEditError as exc:
        raise ArchiveError(str(exc)) from None
    write_files(entry, changed)
    tracks_repo.save_track(store, entry_id, changed)
    store.audit(f"captions.{what}", {"entry": entry_id, "lang": lang})  # never the text: it may be personal
    return changed


# --- YouTube -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Upload:
    """One language's track as YouTube gets it: on the published video's clock, WebVTT."""

    lang: str
    data: bytes
    sha256: str
    reviewed: bool
    cues: int


def shift_for(entry: repo.Entry, mode: str, zero: float | None, duration: float | None) -> tuple[float, float | None]:
    """(seconds to add to recording times, end of the video) for the published video.

    upload: the processed file starts ``trim_start`` into the recording; update: YouTube's recording of the
    broadcast starts when it went live (``zero``: unix time of its 0:00, from publishing.timebase)."""
    if mode == "upload":
        return -float(entry.trim_start or 0.0), entry.processed_duration or duration
    if zero is None or entry.record_started_at is None:
        raise ArchiveError("onbekend wanneer de uitzending live ging: de ondertitels passen niet op de video",
                           "publiceer het verwerkte bestand met --mode upload")
    return entry.record_started_at - zero, duration


def uploads(store: Store, entry: repo.Entry, mode: str, zero: float | None, duration: float | None) -> list[Upload]:
    """Every stored track of the entry as it would be sent now."""
    from studio.subtitles import to_webvtt

    out = []
    for track in tracks_repo.tracks(store, entry.id):
        seconds, end = shift_for(entry, mode, zero, duration)
        shown = track.shifted(seconds, end)
        if not shown.cues:
            continue
        data = to_webvtt(shown.as_cues(), track.language).encode("utf-8")
        out.append(Upload(track.language, data, hashlib.sha256(data).hexdigest(), track.reviewed, len(shown.cues)))
    return out


def publish_gate(store: Store, entry: repo.Entry, unreviewed: bool) -> None:
    """Publishing waits for reviewed captions (the video must have them, and they must be right); a person
    can decide otherwise with ``--unreviewed``."""
    if unreviewed:
        return
    hint = ("kijk ze na in het paneel (Archief, o; akkoord met a), of publiceer toch met --unreviewed "
            "(het verslag vermeldt dat)")
    lang = language_of(entry)
    track = tracks_repo.get_track(store, entry.id, lang)
    if track is None:
        job = jobs.get(store, entry.id, lang)
        if job is not None and job.state in ("queued", "running"):
            raise ArchiveError(f"de ondertitels van #{entry.id} worden nog gemaakt ({job.progress:.0%})", hint)
        if job is not None and job.state == "failed":
            raise ArchiveError(f"de ondertitels van #{entry.id} zijn niet gelukt: {job.detail}", hint)
        raise ArchiveError(f"#{entry.id} heeft nog geen ondertitels (een video die online blijft moet ze hebben)",
                           f"maak ze met 'studio archive caption {entry.id}', of publiceer toch met --unreviewed")
    if not track.reviewed:
        raise ArchiveError(f"de ondertitels van #{entry.id} zijn nog niet nagekeken "
                           f"({len(track.to_check())} om eerst na te kijken)", hint)
