"""Thumbnail for the published video: a sharp, non-black frame of the recording with title and date.

Frames are sampled evenly (skipping the first and last 5%, where slates and fades live), scored with OpenCV:
too dark, too bright or flat (a slate, a black frame) is out; of the rest the sharpest (variance of the
Laplacian) wins. The overlay renderer adds the title band (Arabic shaped, right to left, for Arabic
sessions). The result is a 1280x720 JPEG under 2 MB, written atomically.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from studio.archive.catalog import ArchiveError
from studio.files import write_atomic
from studio.media import probe as media

WIDTH, HEIGHT = 1280, 720
MAX_BYTES = 2 * 1024 * 1024
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


def score_frame(bgr: Any) -> tuple[float, float, float]:
    import cv2

    gray = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    small = cv2.resize(gray, (640, 360), interpolation=cv2.INTER_AREA)
    sharp = float(cv2.Laplacian(small, cv2.CV_64F).var())
    mean, std = cv2.meanStdDev(small)
    return sharp, float(mean[0][0]), float(std[0][0])


def pick_frame(video: str | Path, duration: float, samples: int = SAMPLES) -> tuple[Any, FrameScore]:
    """The best frame as a BGR numpy array (1280x720) and its score. ArchiveError if no frame decodes."""
    import numpy as np

    if duration <= 0:
        duration = media.probe(video).duration or 1.0
    lo, hi = duration * 0.05, duration * 0.95
    n = max(1, samples)
    times = [lo + (hi - lo) * (i + 0.5) / n for i in range(n)]
    best: tuple[Any, FrameScore] | None = None
    fallback: tuple[Any, FrameScore] | None = None
    frames = _frames_opencv(video, times)
    if not frames:  # OpenCV could not seek in this file (e.g. a truncated Matroska): ffmpeg can
        frames = [(at, np.frombuffer(raw, dtype=np.uint8).reshape(HEIGHT, WIDTH, 3))
                  for at, raw in media.extract_frames(video, times, WIDTH, HEIGHT)]
    for at, frame in frames:
        sharp, bright, contrast = score_frame(frame)
        score = FrameScore(at, sharp, bright, contrast)
        if score.usable and (best is None or sharp > best[1].sharpness):
            best = (frame, score)
        if fallback is None or bright > fallback[1].brightness:
            fallback = (frame, score)
    chosen = best or fallback
    if chosen is None:
        raise ArchiveError(f"geen beeld te lezen uit {Path(video).name} voor de miniatuur")
    return chosen


def fit_1280x720(frame: Any) -> Any:
    """Scale a BGR frame to fit 1280x720, centred on black (the aspect ratio is kept)."""
    import cv2

    h, w = frame.shape[:2]
    k = min(WIDTH / w, HEIGHT / h)
    nw, nh = max(1, round(w * k)), max(1, round(h * k))
    scaled = cv2.resize(frame, (nw, nh), interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC)
    top, left = (HEIGHT - nh) // 2, (WIDTH - nw) // 2
    return cv2.copyMakeBorder(scaled, top, HEIGHT - nh - top, left, WIDTH - nw - left, cv2.BORDER_CONSTANT,
                              value=(0, 0, 0))


def _frames_opencv(video: str | Path, times: list[float]) -> list[tuple[float, Any]]:
    import cv2

    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # libav's "File ended prematurely" is expected noise
    cap = cv2.VideoCapture(str(video))
    out: list[tuple[float, Any]] = []
    try:
        if not cap.isOpened():
            return []
        for at in times:
            cap.set(cv2.CAP_PROP_POS_MSEC, at * 1000.0)
            ok, frame = cap.read()
            if ok and frame is not None and frame.ndim == 3:
                out.append((at, fit_1280x720(frame)))
    finally:
        cap.release()
    return out if len(out) >= max(1, len(times) // 2) else []


def encode_jpeg(img: Any, max_bytes: int = MAX_BYTES) -> bytes:
    """JPEG of a PIL image, lowering the quality until it fits in ``max_bytes``."""
    for quality in (90, 85, 78, 70, 60, 50, 40):
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=quality, optimize=True, progressive=True)
        if buf.tell() <= max_bytes:
            return buf.getvalue()
    raise ArchiveError("de miniatuur blijft groter dan 2 MB")


def make_thumbnail(video: str | Path, out: str | Path, title: str, day: date | None, lang: str,
                   duration: float = 0.0) -> tuple[Path, FrameScore]:
    """Write the thumbnail JPEG for ``video`` to ``out``; return its path and the chosen frame's score."""
    from PIL import Image

    from studio.overlay.render import render_title

    frame, score = pick_frame(video, duration)
    image = Image.fromarray(frame[:, :, ::-1].copy(), "RGB")
    try:
        titled = render_title(image, title, day, lang)
    except Exception as exc:
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        raise ArchiveError(f"kan de titel niet op de miniatuur zetten: {message}") from None
    if titled.size != (WIDTH, HEIGHT):
        titled = titled.resize((WIDTH, HEIGHT))
    target = Path(out)
    write_atomic(target, encode_jpeg(titled.convert("RGB")))
    return target, score


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
