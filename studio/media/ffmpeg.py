"""ffprobe and ffmpeg: probe a recording, find keyframes, extract frames, and run ffmpeg with its progress.

This module owns every quirk of the two programs; the remux (studio.media.remux) and the level analysis
(studio.media.levels) run ffmpeg through ``run_ffmpeg`` here. Callers get dataclasses and ``MediaError``
subclasses with one Dutch line; a raw ffmpeg log never reaches the user (the last meaningful line is kept for
the audit).

Quirks handled here:
- A Matroska file from an OBS that was killed has no (or a wrong) duration in its header: the readable part
  is measured by reading the packets (``readable_duration``).
- ``-progress pipe:1`` prints ``key=value`` blocks ending in ``progress=continue|end``; ``out_time_us`` is the
  position written so far (it can be ``N/A`` at the start).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from studio.errors import StudioError

ProgressFn = Callable[[float], None]  # fraction 0.0..1.0


class MediaError(StudioError):
    """ffmpeg or ffprobe could not do what was asked."""


class NotAVideo(MediaError):
    """The file is not a recording ffprobe can read (or has no video)."""


class DiskFull(MediaError):
    """The disk filled up while writing."""


class MediaToolMissing(MediaError):
    exit_code = 2


@dataclass(frozen=True)
class StreamInfo:
    index: int
    kind: str  # video, audio, ...
    codec: str
    width: int = 0
    height: int = 0
    sample_rate: int = 0
    channels: int = 0


@dataclass(frozen=True)
class ProbeResult:
    path: Path
    format_name: str
    duration: float  # seconds, from the container (may be 0 or wrong for a truncated file)
    size: int
    start_time: float
    streams: tuple[StreamInfo, ...] = field(default_factory=tuple)

    @property
    def video(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "video"), None)

    @property
    def audio(self) -> StreamInfo | None:
        return next((s for s in self.streams if s.kind == "audio"), None)


def tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise MediaToolMissing(f"{name} is niet gevonden", "installeer ffmpeg (apt install ffmpeg)")
    return exe


def as_float(value: Any, default: float = 0.0) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return default
    return f if math.isfinite(f) else default


def last_error_line(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "onbekende fout"


def probe(path: str | Path, timeout: float = 60.0) -> ProbeResult:
    """Container and stream facts of a media file. Raises NotAVideo for anything that is not a video."""
    p = Path(path)
    if not p.is_file():
        raise MediaError(f"bestand {p} bestaat niet")
    if p.stat().st_size == 0:
        raise NotAVideo(f"{p.name} is leeg (0 bytes)", "is de opname wel afgerond?")
    cmd = [tool("ffprobe"), "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(p)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise MediaError(f"ffprobe gaf binnen {timeout:.0f} s geen antwoord over {p.name}") from None
    try:
        data = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        data = {}
    fmt = data.get("format") or {}
    if proc.returncode != 0 or not fmt:
        raise NotAVideo(f"{p.name} is geen video die ffprobe kan lezen", "kies een opnamebestand (MKV of MP4)")
    streams = tuple(
        StreamInfo(
            index=int(s.get("index", i)),
            kind=str(s.get("codec_type", "")),
            codec=str(s.get("codec_name", "")),
            width=int(s.get("width") or 0),
            height=int(s.get("height") or 0),
            sample_rate=int(as_float(s.get("sample_rate"))),
            channels=int(s.get("channels") or 0),
        )
        for i, s in enumerate(data.get("streams") or [])
    )
    result = ProbeResult(
        path=p,
        format_name=str(fmt.get("format_name", "")),
        duration=as_float(fmt.get("duration")),
        size=int(as_float(fmt.get("size"), p.stat().st_size)),
        start_time=as_float(fmt.get("start_time")),
        streams=streams,
    )
    if result.video is None or result.format_name in {"image2", "png_pipe", "jpeg_pipe", "tty"}:
        raise NotAVideo(f"{p.name} bevat geen videobeeld", "kies een opnamebestand (MKV of MP4)")
    return result


def keyframes(path: str | Path, start: float = 0.0, length: float | None = None, timeout: float = 120.0) -> list[float]:
    """Times (s) of the video keyframes in [start, start+length], read from the packet index (no decoding)."""
    interval = f"{max(0.0, start)}%" + (f"+{length}" if length is not None else "")
    cmd = [
        tool("ffprobe"), "-v", "error", "-select_streams", "v:0", "-read_intervals", interval,
        "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", str(path),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise MediaError(f"het zoeken naar sleutelbeelden in {Path(path).name} duurde te lang") from None
    out: list[float] = []
    for line in proc.stdout.splitlines():
        parts = line.strip().split(",")
        if len(parts) >= 2 and "K" in parts[1]:
            t = as_float(parts[0], -1.0)
            if t >= 0:
                out.append(t)
    return sorted(set(out))


def keyframe_at_or_before(path: str | Path, t: float, window: float = 30.0) -> float:
    """The last keyframe at or before ``t`` (0.0 when there is none): a cut there loses nothing after t."""
    if t <= 0:
        return 0.0
    kfs = [k for k in keyframes(path, max(0.0, t - window), window + 0.001) if k <= t + 1e-6]
    if not kfs and t - window > 0:
        kfs = [k for k in keyframes(path, 0.0, t + 0.001) if k <= t + 1e-6]
    return kfs[-1] if kfs else 0.0


def keyframe_at_or_after(path: str | Path, t: float, window: float = 30.0) -> float | None:
    """The first keyframe at or after ``t``; None when the file ends before one."""
    kfs = [k for k in keyframes(path, t, window) if k >= t - 1e-6]
    return kfs[0] if kfs else None


class ProgressParser:
    """Feed it the lines of ``ffmpeg -progress pipe:1``; it calls ``on_time(seconds)`` for each block."""

    def __init__(self, on_time: Callable[[float], None] | None = None) -> None:
        self.on_time = on_time
        self.out_time = 0.0
        self.ended = False
        self.values: dict[str, str] = {}

    def feed(self, line: str) -> None:
        key, sep, value = line.strip().partition("=")
        if not sep:
            return
        self.values[key] = value
        if key == "out_time_us" and value.lstrip("-").isdigit():
            self.out_time = max(self.out_time, int(value) / 1_000_000)
        elif key == "progress":
            self.ended = value == "end"
            if self.on_time is not None:
                self.on_time(self.out_time)

    def feed_all(self, lines: Iterable[str]) -> float:
        for ln in lines:
            self.feed(ln)
        return self.out_time


def run_ffmpeg(
    cmd: Sequence[str],
    *,
    expected: float,
    progress: ProgressFn | None,
    cancel: threading.Event | None,
    timeout: float | None,
) -> tuple[int, float, str]:
    """Run ffmpeg with -progress pipe:1; return (returncode, out_time, stderr)."""
    proc = subprocess.Popen(
        list(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        errors="replace",
    )
    err_chunks: list[str] = []

    def drain(stream: IO[str]) -> None:
        for chunk in iter(lambda: stream.read(65536), ""):
            err_chunks.append(chunk)

    t = threading.Thread(target=drain, args=(proc.stderr,), daemon=True)
    t.start()

    def on_time(seconds: float) -> None:
        if progress is not None and expected > 0:
            progress(min(1.0, seconds / expected))
        if cancel is not None and cancel.is_set() and proc.poll() is None:
            proc.kill()

    parser = ProgressParser(on_time)
    assert proc.stdout is not None
    timer = threading.Timer(timeout, proc.kill) if timeout else None
    if timer:
        timer.daemon = True
        timer.start()
    try:
        parser.feed_all(proc.stdout)
        rc = proc.wait()
    finally:
        if timer:
            timer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        t.join(timeout=5)
    return rc, parser.out_time, "".join(err_chunks)


def readable_duration(path: str | Path, timeout: float = 600.0) -> float:
    """Seconds of media that can actually be read (packets only, no decoding): the truth for a truncated file."""
    cmd = [tool("ffmpeg"), "-nostdin", "-hide_banner", "-v", "error", "-progress", "pipe:1", "-nostats",
           "-i", str(path), "-map", "0", "-c", "copy", "-f", "null", "-"]
    _rc, out_time, _err = run_ffmpeg(cmd, expected=0, progress=None, cancel=None, timeout=timeout)
    return out_time


def extract_frames(path: str | Path, times: Sequence[float], width: int = 1280, height: int = 720,
                   timeout: float = 60.0) -> list[tuple[float, bytes]]:
    """Decode one frame at each time as raw BGR24 (width x height), scaled to fit with black bars."""
    frames: list[tuple[float, bytes]] = []
    vf = (f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
          f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2")
    for t in times:
        cmd = [tool("ffmpeg"), "-nostdin", "-v", "error", "-ss", f"{max(0.0, t):.3f}", "-i", str(path),
               "-frames:v", "1", "-vf", vf, "-f", "rawvideo", "-pix_fmt", "bgr24", "-"]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            continue
        if proc.returncode == 0 and len(proc.stdout) == width * height * 3:
            frames.append((t, proc.stdout))
    return frames
