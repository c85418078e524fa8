"""The camera: open a device by index or a video file with OpenCV, grab a second of frames, judge the picture.

The analysis works on frames scaled to a fixed width (``ANALYSIS_WIDTH``), which makes the blur score (the
variance of the Laplacian) comparable between a 720p webcam and a 1080p camera, and keeps a 1080p frame
well under the 15 ms budget. The same code judges OBS's program output (screenshots) in the preflight.

Opening and reading run in a daemon thread bounded by a timeout: a V4L2 device that hangs, a network
stream that never answers or a corrupt file gives a 'fail' verdict, never a hang or a traceback.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from studio.errors import StudioError
from studio.media import bounded

Frame = npt.NDArray[np.uint8]
T = TypeVar("T")

ANALYSIS_WIDTH = 640
BLACK_MEAN = 12.0  # mean luma (0..255) below which, with almost no contrast, the picture is black
BLACK_STD = 6.0
FROZEN_DIFF = 0.3  # mean absolute difference between frames (luma levels): below it nothing moves at all
BLUR_FAIL = 15.0  # variance of the Laplacian at ANALYSIS_WIDTH
BLUR_WARN = 60.0
CLIP_HIGH = 250  # a colour channel at or above this is clipped
BRIGHT_LUMA = 200
CLIP_LOW = 16  # luma at or below this is crushed black
OVER_RATIO = 0.4  # share of blown-out pixels that makes the picture overexposed
UNDER_RATIO = 0.5  # share of crushed-black pixels that makes it underexposed
OVER_MEDIAN = 220
UNDER_MEDIAN = 60
UNDER_P95 = 120
MIN_WIDTH, MIN_HEIGHT = 1280, 720
MIN_FPS = 20.0


class CameraError(StudioError):
    """The camera or video could not be opened or read."""


class CameraTimeout(CameraError):
    pass


@dataclass(frozen=True)
class FrameStats:
    mean: float
    std: float
    blur: float
    clipped_high: float
    clipped_low: float
    median: float = 0.0
    p95: float = 0.0


@dataclass(frozen=True)
class CameraReport:
    verdict: str  # ok | warning | fail
    width: int
    height: int
    fps: float
    black: bool
    frozen: bool
    blur_score: float
    exposure: str  # ok | over | under | unknown
    advice: str
    frames: int = 0
    source: str = ""
    problems: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["problems"] = list(self.problems)
        return d


def failed_report(message: str, source: str = "") -> CameraReport:
    return CameraReport(verdict="fail", width=0, height=0, fps=0.0, black=False, frozen=False, blur_score=0.0,
                        exposure="unknown", advice=message, source=source, problems=(message,))


def _small(frame: Frame) -> tuple[Frame, Frame | None]:
    """The frame at ANALYSIS_WIDTH as (gray, colour); colour is None for a gray input.

    Gray is area-averaged (what the blur score needs); the colour copy is only for the clipped-channel count,
    so nearest-neighbour sampling is enough and costs a fraction of a filtered resize.
    """
    import cv2

    if frame.ndim == 3 and frame.shape[2] == 4:
        frame = frame[:, :, :3]
    h, w = frame.shape[:2]
    colour: Frame | None = frame if frame.ndim == 3 else None
    gray = np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if colour is not None else frame, dtype=np.uint8)
    if w > ANALYSIS_WIDTH:
        size = (ANALYSIS_WIDTH, max(1, round(h * ANALYSIS_WIDTH / w)))
        gray = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        if colour is not None:
            colour = np.asarray(cv2.resize(colour, size, interpolation=cv2.INTER_NEAREST), dtype=np.uint8)
    return np.ascontiguousarray(gray), colour


def frame_stats(gray: Frame, colour: Frame | None = None) -> FrameStats:
    import cv2

    mean, std = cv2.meanStdDev(gray)
    lap = cv2.Laplacian(gray, cv2.CV_32F)
    _, lap_std = cv2.meanStdDev(lap)
    hist = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel()
    cdf = np.cumsum(hist) / float(gray.size)
    # Blown highlights: bright AND a channel at the top (a saturated red alone is not overexposure).
    bright = gray >= BRIGHT_LUMA
    if colour is not None:
        b, g, r = cv2.split(np.ascontiguousarray(colour))
        bright &= cv2.max(cv2.max(b, g), r) >= CLIP_HIGH
    else:
        bright = gray >= CLIP_HIGH
    return FrameStats(
        mean=float(mean[0][0]),
        std=float(std[0][0]),
        blur=float(lap_std[0][0]) ** 2,
        clipped_high=float(np.count_nonzero(bright)) / gray.size,
        clipped_low=float(cdf[CLIP_LOW]),
        median=float(np.searchsorted(cdf, 0.5)),
        p95=float(np.searchsorted(cdf, 0.95)),
    )


def fit(frame: Frame, width: int, height: int) -> Frame:
    """A BGR frame scaled to fit ``width`` x ``height``, centred on black (the aspect ratio is kept)."""
    import cv2

    h, w = frame.shape[:2]
    k = min(width / w, height / h)
    nw, nh = max(1, round(w * k)), max(1, round(h * k))
    scaled = cv2.resize(frame, (nw, nh), interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC)
    top, left = (height - nh) // 2, (width - nw) // 2
    return np.asarray(cv2.copyMakeBorder(scaled, top, height - nh - top, left, width - nw - left,
                                         cv2.BORDER_CONSTANT, value=(0, 0, 0)), dtype=np.uint8)


def frames_at(video: str | Path, times: Sequence[float], width: int = 1280,
              height: int = 720) -> list[tuple[float, Frame]]:
    """One BGR frame of a video file at each time, fitted into ``width`` x ``height``.

    OpenCV seeks; where it cannot (a truncated Matroska from an OBS that was killed) ffmpeg decodes instead.
    Times that cannot be read are left out.
    """
    import cv2

    from studio.media.ffmpeg import extract_frames

    _quiet_opencv()
    cap = cv2.VideoCapture(str(video))
    out: list[tuple[float, Frame]] = []
    try:
        if cap.isOpened():
            for at in times:
                cap.set(cv2.CAP_PROP_POS_MSEC, at * 1000.0)
                ok, frame = cap.read()
                if ok and frame is not None and frame.ndim == 3:
                    out.append((at, fit(np.asarray(frame, dtype=np.uint8), width, height)))
    finally:
        cap.release()
    if len(out) >= max(1, len(times) // 2):
        return out
    return [(at, np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3))
            for at, raw in extract_frames(video, times, width, height)]


def analyse_frame(frame: Frame) -> FrameStats:
    """Statistics of one BGR (or gray) frame; what the benchmark times per 1080p frame."""
    return frame_stats(*_small(frame))


def analyse_frames(
    frames: Sequence[Frame], fps: float = 0.0, *, source: str = "", check_format: bool = True
) -> CameraReport:
    """Judge a short sequence of frames (at least two for the frozen test) from one source."""
    if not frames:
        return failed_report("geen beeld ontvangen", source)
    h, w = frames[0].shape[:2]
    small = [_small(f) for f in frames]
    grays = [g for g, _ in small]
    stats = [frame_stats(g, c) for g, c in small]
    mean = float(np.mean([s.mean for s in stats]))
    std = float(np.mean([s.std for s in stats]))
    blur = float(np.median([s.blur for s in stats]))
    high = float(np.mean([s.clipped_high for s in stats]))
    low = float(np.mean([s.clipped_low for s in stats]))
    median = float(np.median([s.median for s in stats]))
    p95 = float(np.median([s.p95 for s in stats]))
    black = mean < BLACK_MEAN and std < BLACK_STD
    diffs = [
        float(np.mean(np.abs(a.astype(np.int16) - b.astype(np.int16))))
        for a, b in itertools.pairwise(grays)
        if a.shape == b.shape
    ]
    frozen = bool(diffs) and max(diffs) < FROZEN_DIFF and not black
    if black:
        exposure = "unknown"
    elif high >= OVER_RATIO or median > OVER_MEDIAN:
        exposure = "over"
    elif low >= UNDER_RATIO or (median < UNDER_MEDIAN and p95 < UNDER_P95):
        exposure = "under"
    else:
        exposure = "ok"

    fails: list[str] = []
    warns: list[str] = []
    if black:
        fails.append("camerabeeld is zwart: lenskap eraf, camera aan, juiste ingang gekozen?")
    if frozen:
        fails.append("camerabeeld staat stil (bevroren): camera opnieuw aansluiten of de bron herstarten")
    if not black:
        if blur < BLUR_FAIL:
            fails.append(f"camerabeeld erg onscherp (scherpte {blur:.0f}): stel scherp of maak de lens schoon")
        elif blur < BLUR_WARN:
            warns.append(f"camerabeeld wat onscherp (scherpte {blur:.0f}): controleer de scherpstelling")
        if exposure == "over":
            warns.append(f"overbelicht ({high:.0%} wit): minder licht of lagere belichting op de camera")
        elif exposure == "under":
            warns.append("onderbelicht: meer licht op het gezicht of hogere belichting op de camera")
    if check_format:
        if w < MIN_WIDTH or h < MIN_HEIGHT:
            warns.append(f"lage resolutie ({w}x{h}): kies minstens 1280x720 voor de uitzending")
        if 0 < fps < MIN_FPS:
            warns.append(f"lage beeldsnelheid ({fps:.0f} fps): minder licht of een lagere resolutie helpt")
    problems = tuple(fails + warns)
    return CameraReport(
        verdict="fail" if fails else "warning" if warns else "ok",
        width=int(w), height=int(h), fps=round(float(fps), 1), black=black, frozen=frozen,
        blur_score=round(blur, 1), exposure=exposure, advice=problems[0] if problems else "",
        frames=len(frames), source=source, problems=problems,
    )


# --- opening cameras and files ---------------------------------------------------------------------
_quiet_done = False


def _quiet_opencv() -> None:
    global _quiet_done
    if not _quiet_done:
        # FFmpeg inside OpenCV prints "moov atom not found" and the like straight to stderr.
        os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
        import cv2

        with contextlib.suppress(Exception):
            cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
        _quiet_done = True


def run_bounded(fn: Callable[[], T], timeout: float, what: str) -> T:
    """``fn`` with a deadline: CameraTimeout when the camera does not answer in time."""
    return bounded.run_bounded(fn, timeout, f"camera:{what}", lambda: CameraTimeout(f"{what}: geen beeld binnen {timeout:.0f} s", "is de camera vastgelopen of bezet?"))


@dataclass(frozen=True)
class Grab:
    frames: list[Frame]
    fps: float
    source: str


def grab(source: int | str | Path, *, seconds: float = 1.0, max_frames: int = 30) -> Grab:
    """Read up to ``seconds`` (cameras) or ``max_frames`` frames; fps measured from the frames themselves."""
    import cv2

    _quiet_opencv()
    is_file = not isinstance(source, int)
    label = f"camera {source}" if isinstance(source, int) else f"videobestand {Path(source).name}"
    if not isinstance(source, int):
        p = Path(source)
        if not p.exists():
            raise CameraError(f"{label} bestaat niet")
        if p.is_dir():
            raise CameraError(f"{p} is een map, geen videobestand")
        if p.stat().st_size == 0:
            raise CameraError(f"{label} is leeg (0 bytes)", "neem opnieuw op")
        cap = cv2.VideoCapture(str(p))
    else:
        if source < 0:  # OpenCV takes -1 as "any camera" and crashes the process when there is none
            raise CameraError(f"{label} bestaat niet", "een camera-index is 0 of hoger (zie [preflight] camera_device)")
        cap = cv2.VideoCapture(source)
    try:
        if not cap.isOpened():
            if is_file:
                raise CameraError(f"{label} is geen leesbare video (beschadigd of onbekend formaat)")
            raise CameraError(f"{label} niet gevonden of bezet",
                              "is de camera aangesloten en niet in gebruik door een ander programma (OBS)?")
        frames: list[Frame] = []
        stamps: list[float] = []
        start = time.monotonic()
        while len(frames) < max_frames:
            ok, frame = cap.read()
            if not ok or frame is None:
                break
            frames.append(np.asarray(frame, dtype=np.uint8))
            stamps.append(cap.get(cv2.CAP_PROP_POS_MSEC) / 1000.0 if is_file else time.monotonic())
            if not is_file and time.monotonic() - start >= seconds:
                break
        if not frames:
            raise CameraError(f"{label} geeft geen beeld" + (" (beschadigd bestand?)" if is_file else ""),
                              None if is_file else "controleer de kabel en of OBS de camera al gebruikt")
        fps = 0.0
        # A camera's first frame comes after its start-up; measure between the frames that followed.
        span = stamps[-1] - stamps[0 if is_file else 1] if len(stamps) > 2 else 0.0
        if span > 0:
            fps = (len(stamps) - (1 if is_file else 2)) / span
        elif is_file:
            fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        return Grab(frames, fps, label)
    finally:
        cap.release()


def check_camera(source: int | str | Path, *, seconds: float = 1.0, timeout: float = 8.0) -> CameraReport:
    """Grab and judge; every problem becomes a 'fail' report, never an exception."""
    label = str(source)
    try:
        g = run_bounded(lambda: grab(source, seconds=seconds), timeout, f"camera {label}")
    except CameraError as exc:
        return failed_report(str(exc), label)
    except Exception as exc:  # OpenCV raises cv2.error on some broken inputs
        return failed_report(f"camera {label}: {type(exc).__name__}: {exc}".strip(), label)
    return analyse_frames(g.frames, g.fps, source=g.source)


def decode_image(data: bytes) -> Frame:
    """PNG/JPEG bytes (an OBS screenshot) as a BGR frame; raises CameraError when it does not decode."""
    import cv2

    arr = np.frombuffer(data, np.uint8)
    img = cv2.imdecode(arr, cv2.IMREAD_COLOR) if arr.size else None
    if img is None:
        raise CameraError("schermafbeelding van OBS is geen leesbare afbeelding")
    return np.asarray(img, dtype=np.uint8)
