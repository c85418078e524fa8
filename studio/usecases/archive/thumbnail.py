"""Thumbnail for the published video: a sharp frame of the officer on camera, with title and date.

Where to look comes from the show itself: the session's scene marks say when the officer's scene was on air
(``officer_windows``), minus the time any question card was on air, a margin in from every switch. Frames are
sampled evenly over those stretches, so no question card, no starting or end slate is ever the picture, and
the title band at the bottom covers no on-air text (the officer's scene has none). A recording without marks
(added by hand, no session) is sampled evenly, skipping the first and last 5% where slates live.
Frames are judged with the camera check's own frame statistics (studio.media.camera): too dark, too bright
or flat (a slate, a black frame) is out; of the rest the sharpest (variance of the Laplacian) wins. The
overlay renderer adds the title band (Arabic shaped, right to left, for Arabic sessions) and encodes a
1280x720 JPEG under 2 MB, written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from studio.domain import show_timeline
from studio.domain.scenes import SCENE_GUEST, SCENE_OFFICER
from studio.files import write_atomic
from studio.media import camera
from studio.store import Store
from studio.store import archive as repo
from studio.usecases.archive.catalog import ArchiveError

WIDTH, HEIGHT = 1280, 720
SAMPLES = 16


@dataclass(frozen=True)
class FrameScore:
    at: float
    sharpness: float  # variance of the Laplacian
    brightness: float  # mean luma 0..255
    contrast: float  # luma standard deviation

    @property
    def usable(self) -> bool:
        return 35 <= self.brightness <= 225 and self.contrast >= 12


def officer_windows(store: Store, entry: repo.Entry, offset: float = 0.0,
                    length: float | None = None) -> list[tuple[float, float]]:
    """Where the officer's scene was on air with no question card, in seconds of a video that starts
    ``offset`` seconds into the recording and lasts ``length`` (the processed file: offset = trim_start).

    The officer alone first; when that never happened, the officer with a guest. Empty without marks.
    """
    from studio.usecases.archive.processing import scene_stretches

    parts = scene_stretches(store, entry)
    if not parts or entry.record_started_at is None:
        return []
    end = offset + (length if length is not None and length > 0 else entry.duration)
    cards = _cards_on_air(store, entry.record_started_at, entry.duration)
    for scenes in ((SCENE_OFFICER,), (SCENE_OFFICER, SCENE_GUEST)):
        windows = show_timeline.clean_windows(parts, scenes, exclude=cards, within=(offset, end))
        if windows:
            return [(a - offset, b - offset) for a, b in windows]
    return []


def _cards_on_air(store: Store, record_started_at: float, duration: float) -> list[tuple[float, float]]:
    """Every question card's time on air, in seconds of the recording (a card still on air: to the end)."""
    try:
        from studio.store.questions import QuestionBook

        airings = QuestionBook(store).airings(record_started_at - 3600)
    except Exception:  # the questions tables may be absent in an old database: the scene marks suffice
        return []
    return [(a.started_at - record_started_at,
             (a.ended_at if a.ended_at is not None else record_started_at + duration) - record_started_at)
            for a in airings]


def pick_frame(video: str | Path, duration: float, samples: int = SAMPLES,
               windows: list[tuple[float, float]] | None = None) -> tuple[Any, FrameScore]:
    """The best frame as a BGR array (1280x720) and its score. ArchiveError if no frame decodes.

    ``windows``: where to look (seconds of the video, see ``officer_windows``); without them the whole video
    but its first and last 5%.
    """
    from studio.media.ffmpeg import probe

    if duration <= 0:
        duration = probe(video).duration or 1.0
    n = max(1, samples)
    chosen = _best(video, show_timeline.spread(windows, n)) if windows else None
    if chosen is None:
        lo, hi = duration * 0.05, duration * 0.95
        chosen = _best(video, [lo + (hi - lo) * (i + 0.5) / n for i in range(n)])
    if chosen is None:
        raise ArchiveError(f"geen beeld te lezen uit {Path(video).name} voor de miniatuur")
    return chosen


def _best(video: str | Path, times: list[float]) -> tuple[Any, FrameScore] | None:
    """The sharpest usable frame at ``times``; else the brightest; None when none decodes."""
    best: tuple[Any, FrameScore] | None = None
    fallback: tuple[Any, FrameScore] | None = None
    for at, frame in camera.frames_at(video, times, WIDTH, HEIGHT):
        stats = camera.analyse_frame(frame)
        score = FrameScore(at, stats.blur, stats.mean, stats.std)
        if score.usable and (best is None or score.sharpness > best[1].sharpness):
            best = (frame, score)
        if fallback is None or score.brightness > fallback[1].brightness:
            fallback = (frame, score)
    return best or fallback


def make_thumbnail(video: str | Path, out: str | Path, title: str, day: date | None, lang: str,
                   duration: float = 0.0, windows: list[tuple[float, float]] | None = None,
                   ) -> tuple[Path, FrameScore]:
    """Write the thumbnail JPEG for ``video`` to ``out``; return its path and the chosen frame's score."""
    from studio.overlay.render import thumbnail_jpeg

    frame, score = pick_frame(video, duration, windows=windows)
    try:
        data = thumbnail_jpeg(frame, title, day, lang, (WIDTH, HEIGHT))
    except Exception as exc:
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        raise ArchiveError(f"kan de titel niet op de miniatuur zetten: {message}") from None
    return write_atomic(out, data), score


def for_entry(store: Store, entry: repo.Entry, topic: str | None = None) -> tuple[Path, FrameScore]:
    """Make the entry's thumbnail from its processed file (else the original); returns it and the frame's score
    (``score.at``: seconds into that file). ``topic``: the title's topic as it may be shown (scrubbed)."""
    video = entry.processed_path if entry.processed_path and Path(entry.processed_path).is_file() else None
    if video is None:
        video = entry.sources[0].path if entry.original_pruned_at is None else None
    if video is None or not Path(video).is_file():
        raise ArchiveError("geen video om een miniatuur van te maken")
    processed = video == entry.processed_path
    length = (entry.processed_duration if processed else entry.duration) or entry.duration
    # The officer's scene with no card on air, in the chosen file's seconds (the processed one is trimmed).
    windows = officer_windows(store, entry, (entry.trim_start or 0.0) if processed else 0.0, length)
    title = thumbnail_title(entry.topic if topic is None else topic, entry.lang)
    return make_thumbnail(video, thumbnail_path_for(video), title,
                          date.fromisoformat(entry.session_date), entry.lang, length, windows=windows)


def thumbnail_title(topic: str, lang: str) -> str:
    from studio.domain.broadcast_texts import topic_label
    from studio.domain.texts import PROGRAMME_NAME

    label = topic_label(topic, lang) if topic else ""
    name = PROGRAMME_NAME.get(lang, PROGRAMME_NAME["nl"])
    return f"{name}: {label}" if label else name


def thumbnail_path_for(video: str | Path) -> Path:
    p = Path(video)
    stem = p.name.split(".")[0] if p.name.endswith(".verwerkt.mp4") else p.stem
    return p.with_name(stem + ".miniatuur.jpg")
