"""Thumbnail for the published video: a sharp, non-black frame of the recording with title and date.

Frames are sampled evenly (skipping the first and last 5%, where slates and fades live) and judged with the
camera check's own frame statistics (studio.media.camera): too dark, too bright or flat (a slate, a black
frame) is out; of the rest the sharpest (variance of the Laplacian) wins. The overlay renderer adds the title
band (Arabic shaped, right to left, for Arabic sessions) and encodes a 1280x720 JPEG under 2 MB, written
atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from studio.files import write_atomic
from studio.media import camera
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


def pick_frame(video: str | Path, duration: float, samples: int = SAMPLES) -> tuple[Any, FrameScore]:
    """The best frame as a BGR array (1280x720) and its score. ArchiveError if no frame decodes."""
    from studio.media.ffmpeg import probe

    if duration <= 0:
        duration = probe(video).duration or 1.0
    lo, hi = duration * 0.05, duration * 0.95
    n = max(1, samples)
    times = [lo + (hi - lo) * (i + 0.5) / n for i in range(n)]
    best: tuple[Any, FrameScore] | None = None
    fallback: tuple[Any, FrameScore] | None = None
    for at, frame in camera.frames_at(video, times, WIDTH, HEIGHT):
        stats = camera.analyse_frame(frame)
        score = FrameScore(at, stats.blur, stats.mean, stats.std)
        if score.usable and (best is None or score.sharpness > best[1].sharpness):
            best = (frame, score)
        if fallback is None or score.brightness > fallback[1].brightness:
            fallback = (frame, score)
    chosen = best or fallback
    if chosen is None:
        raise ArchiveError(f"geen beeld te lezen uit {Path(video).name} voor de miniatuur")
    return chosen


def make_thumbnail(video: str | Path, out: str | Path, title: str, day: date | None, lang: str,
                   duration: float = 0.0) -> tuple[Path, FrameScore]:
    """Write the thumbnail JPEG for ``video`` to ``out``; return its path and the chosen frame's score."""
    from studio.overlay.render import thumbnail_jpeg

    frame, score = pick_frame(video, duration)
    try:
        data = thumbnail_jpeg(frame, title, day, lang, (WIDTH, HEIGHT))
    except Exception as exc:
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        raise ArchiveError(f"kan de titel niet op de miniatuur zetten: {message}") from None
    return write_atomic(out, data), score


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
