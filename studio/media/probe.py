"""ffprobe and ffmpeg: probe a recording, find keyframes, remux and trim by stream copy, detect silence.

This module owns every quirk of the two programs. Callers get dataclasses and ``MediaError`` subclasses with
one Dutch line; a raw ffmpeg log never reaches the user (the last meaningful line is kept for the audit).

Quirks handled here:
- A Matroska file from an OBS that was killed has no (or a wrong) duration in its header: the readable part
  is measured by reading the packets (``readable_duration``) and the remux simply stops where the data ends.
- ``-progress pipe:1`` prints ``key=value`` blocks ending in ``progress=continue|end``; ``out_time_us`` is the
  position written so far (it can be ``N/A`` at the start).
- ENOSPC shows up only as text in ffmpeg's log ("No space left on device"): it is turned into ``DiskFull``.
"""

from __future__ import annotations

import json
import math
import os
import re
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


SILENCE_DB = -50.0  # a track whose loudest sample is at or below this is silent (a dead microphone)


@dataclass(frozen=True)
class AudioLevels:
    max_volume_db: float  # -inf (math.inf negative) for digital silence
    mean_volume_db: float
    silences: tuple[tuple[float, float], ...]  # (start, end) of stretches below the threshold
    complete: bool = True  # False: ``audio_peak`` stopped at the first loud sample; levels of the part read

    def is_silent(self, threshold_db: float = SILENCE_DB) -> bool:
        return self.max_volume_db <= threshold_db


@dataclass(frozen=True)
class RemuxResult:
    path: Path
    duration: float  # seconds written (from ffmpeg's progress)
    audio: AudioLevels | None  # when measured in the same pass


def _tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise MediaToolMissing(f"{name} is niet gevonden", "installeer ffmpeg (apt install ffmpeg)")
    return exe


def _float(value: Any, default: float = 0.0) -> float:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return default
    return f if math.isfinite(f) else default


def _last_error_line(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    return lines[-1][:300] if lines else "onbekende fout"


def probe(path: str | Path, timeout: float = 60.0) -> ProbeResult:
    """Container and stream facts of a media file. Raises NotAVideo for anything that is not a video."""
    p = Path(path)
    if not p.is_file():
        raise MediaError(f"bestand {p} bestaat niet")
    if p.stat().st_size == 0:
        raise NotAVideo(f"{p.name} is leeg (0 bytes)", "is de opname wel afgerond?")
    cmd = [_tool("ffprobe"), "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(p)]
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
            sample_rate=int(_float(s.get("sample_rate"))),
            channels=int(s.get("channels") or 0),
        )
        for i, s in enumerate(data.get("streams") or [])
    )
    result = ProbeResult(
        path=p,
        format_name=str(fmt.get("format_name", "")),
        duration=_float(fmt.get("duration")),
        size=int(_float(fmt.get("size"), p.stat().st_size)),
        start_time=_float(fmt.get("start_time")),
        streams=streams,
    )
    if result.video is None or result.format_name in {"image2", "png_pipe", "jpeg_pipe", "tty"}:
        raise NotAVideo(f"{p.name} bevat geen videobeeld", "kies een opnamebestand (MKV of MP4)")
    return result


def keyframes(path: str | Path, start: float = 0.0, length: float | None = None, timeout: float = 120.0) -> list[float]:
    """Times (s) of the video keyframes in [start, start+length], read from the packet index (no decoding)."""
    interval = f"{max(0.0, start)}%" + (f"+{length}" if length is not None else "")
    cmd = [
        _tool("ffprobe"), "-v", "error", "-select_streams", "v:0", "-read_intervals", interval,
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
            t = _float(parts[0], -1.0)
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


_VOL_RE = re.compile(r"(max|mean)_volume:\s*(-?inf|-?[\d.]+)\s*dB")
_SIL_START = re.compile(r"silence_start:\s*(-?[\d.]+)")
_SIL_END = re.compile(r"silence_end:\s*(-?[\d.]+)")


def parse_audio_levels(stderr: str) -> AudioLevels | None:
    vols = {m.group(1): (-math.inf if "inf" in m.group(2) else float(m.group(2))) for m in _VOL_RE.finditer(stderr)}
    if "max" not in vols:
        return None
    silences: list[tuple[float, float]] = []
    start: float | None = None
    for line in stderr.splitlines():
        if (m := _SIL_START.search(line)) is not None:
            start = max(0.0, float(m.group(1)))
        elif (m := _SIL_END.search(line)) is not None and start is not None:
            silences.append((start, float(m.group(1))))
            start = None
    if start is not None:
        silences.append((start, math.inf))
    return AudioLevels(vols["max"], vols.get("mean", vols["max"]), tuple(silences))


def _audio_filter(noise_db: float, min_silence: float) -> str:
    return f"silencedetect=n={noise_db}dB:d={min_silence},volumedetect"


def _run_ffmpeg(
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
    cmd = [_tool("ffmpeg"), "-nostdin", "-hide_banner", "-v", "error", "-progress", "pipe:1", "-nostats",
           "-i", str(path), "-map", "0", "-c", "copy", "-f", "null", "-"]
    _rc, out_time, _err = _run_ffmpeg(cmd, expected=0, progress=None, cancel=None, timeout=timeout)
    return out_time


def audio_levels(
    path: str | Path, noise_db: float = -50.0, min_silence: float = 5.0, timeout: float = 600.0,
    start: float | None = None, end: float | None = None,
) -> AudioLevels | None:
    """Loudness and silent stretches of the first audio track, optionally of [start, end] only (None: no audio)."""
    cmd = [_tool("ffmpeg"), "-nostdin", "-hide_banner", "-nostats"]
    if start:
        cmd += ["-ss", f"{start:.6f}"]
    cmd += ["-i", str(path)]
    if end is not None:
        cmd += ["-t", f"{end - (start or 0.0):.6f}"]
    cmd += ["-map", "0:a:0?", "-vn", "-sn", "-dn", "-af", _audio_filter(noise_db, min_silence), "-f", "null", "-"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, errors="replace")
    except subprocess.TimeoutExpired:
        raise MediaError(f"het meten van het geluid in {Path(path).name} duurde te lang") from None
    return parse_audio_levels(proc.stderr)


def audio_peak(path: str | Path, stop_above_db: float = SILENCE_DB, timeout: float = 600.0,
               chunk: int = 1 << 20) -> AudioLevels | None:
    """Is the first audio track silent? Decodes to 16-bit PCM (as ``volumedetect`` measures) and stops at the
    first sample above ``stop_above_db``: that alone proves "not silent", so a normal recording costs a
    fraction of a second where measuring every sample costs a decode of the whole track. A silent track is
    read to its end, so ``is_silent(stop_above_db)`` answers exactly as ``audio_levels`` would.
    None when the file has no audio track (or ffmpeg could not decode it).
    """
    import numpy as np

    cmd = [_tool("ffmpeg"), "-nostdin", "-hide_banner", "-v", "error", "-i", str(path), "-map", "0:a:0",
           "-vn", "-sn", "-dn", "-c:a", "pcm_s16le", "-f", "s16le", "-"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
    timer = threading.Timer(timeout, proc.kill)
    timer.daemon = True
    timer.start()
    limit = 32768.0 * 10 ** (stop_above_db / 20)
    peak, squares, samples, rest = 0, 0.0, 0, b""
    stopped = False
    try:
        assert proc.stdout is not None
        while block := proc.stdout.read(chunk):  # unbuffered: what the pipe holds, at once
            data = rest + block
            even = len(data) - len(data) % 2
            rest = data[even:]
            pcm = np.frombuffer(data[:even], dtype="<i2").astype(np.int64)
            if pcm.size == 0:
                continue
            peak = max(peak, int(np.abs(pcm).max()))
            squares += float(np.dot(pcm, pcm))  # int64: a chunk of squares cannot overflow
            samples += int(pcm.size)
            if peak > limit:
                stopped = True
                break
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
        rc = proc.wait()
    if samples == 0:
        return None

    def db(v: float) -> float:
        return 20 * math.log10(v / 32768) if v > 0 else -math.inf

    return AudioLevels(db(peak), db(math.sqrt(squares / samples)), (), complete=not stopped and rc == 0)


def _is_disk_full(stderr: str, dst: Path) -> bool:
    if "No space left on device" in stderr or "Disk quota exceeded" in stderr:
        return True
    try:
        return shutil.disk_usage(dst.parent).free < 1024 * 1024
    except OSError:
        return False


def remux(
    sources: Sequence[str | Path],
    dst: str | Path,
    *,
    start: float | None = None,
    end: float | None = None,
    expected_duration: float = 0.0,
    measure_audio: bool = True,
    noise_db: float = -50.0,
    min_silence: float = 5.0,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    timeout: float | None = None,
) -> RemuxResult:
    """Copy the streams of ``sources`` (joined in order) into the MP4 ``dst``, from ``start`` to ``end``.

    Stream copy: no re-encoding. Give ``start`` on a keyframe (``keyframe_at_or_before``) so the output begins
    with a full picture. With ``measure_audio`` the same pass measures loudness and silence. On failure the
    partial ``dst`` is removed and a MediaError (DiskFull for ENOSPC) is raised; the sources are only read.
    """
    srcs = [Path(s) for s in sources]
    if not srcs:
        raise MediaError("geen bronbestanden om te verwerken")
    out = Path(dst)
    cmd: list[str] = [_tool("ffmpeg"), "-nostdin", "-hide_banner", "-y", "-progress", "pipe:1", "-nostats"]
    list_file: Path | None = None
    if start is not None and start > 0:
        cmd += ["-ss", f"{start:.6f}"]
    if len(srcs) == 1:
        cmd += ["-i", str(srcs[0])]
    else:
        list_file = out.with_name(out.name + ".concat.txt")
        list_file.write_text(
            "ffconcat version 1.0\n" + "".join(f"file '{_concat_quote(s)}'\n" for s in srcs), encoding="utf-8"
        )
        cmd += ["-f", "concat", "-safe", "0", "-i", str(list_file)]
    limit: list[str] = []
    if end is not None:
        length = end - (start or 0.0)
        if length <= 0:
            raise MediaError("het eind van het fragment ligt vóór het begin")
        limit = ["-t", f"{length:.6f}"]  # an output option: needed on both outputs
    # A normal (not fragmented) MP4 with the moov index at the end, deliberately without +faststart: that
    # flag rewrites the whole file a second time to move the index to the front, which only helps playback
    # that starts before the download ends. YouTube takes the upload whole, and players and browsers
    # reading a local or range-served file find the index at the end.
    cmd += [*limit, "-map", "0:v:0", "-map", "0:a?", "-c", "copy", "-avoid_negative_ts", "make_zero",
            "-f", "mp4", str(out)]
    if measure_audio:
        cmd += [*limit, "-map", "0:a:0?", "-vn", "-af", _audio_filter(noise_db, min_silence), "-f", "null", "-"]
    try:
        rc, out_time, stderr = _run_ffmpeg(
            cmd, expected=expected_duration, progress=progress, cancel=cancel, timeout=timeout
        )
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    finally:
        if list_file is not None:
            list_file.unlink(missing_ok=True)
    if cancel is not None and cancel.is_set():
        out.unlink(missing_ok=True)
        raise MediaError("verwerken afgebroken", "het origineel is onaangeroerd")
    if rc != 0 or not out.exists() or out.stat().st_size == 0:
        full = _is_disk_full(stderr, out)
        out.unlink(missing_ok=True)
        if full:
            raise DiskFull(
                f"de schijf is vol geraakt tijdens het verwerken ({out.parent})",
                "maak ruimte vrij en probeer opnieuw; het origineel is onaangeroerd",
            )
        raise MediaError(f"ffmpeg kon {srcs[0].name} niet verwerken: {_last_error_line(stderr)}",
                         "het origineel is onaangeroerd")
    if progress is not None:
        progress(1.0)
    return RemuxResult(out, out_time, parse_audio_levels(stderr) if measure_audio else None)


def _concat_quote(p: Path) -> str:
    return str(p.resolve()).replace("'", "'\\''")


def extract_frames(path: str | Path, times: Sequence[float], width: int = 1280, height: int = 720,
                   timeout: float = 60.0) -> list[tuple[float, bytes]]:
    """Decode one frame at each time as raw BGR24 (width x height), scaled to fit with black bars."""
    frames: list[tuple[float, bytes]] = []
    vf = (f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
          f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2")
    for t in times:
        cmd = [_tool("ffmpeg"), "-nostdin", "-v", "error", "-ss", f"{max(0.0, t):.3f}", "-i", str(path),
               "-frames:v", "1", "-vf", vf, "-f", "rawvideo", "-pix_fmt", "bgr24", "-"]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            continue
        if proc.returncode == 0 and len(proc.stdout) == width * height * 3:
            frames.append((t, proc.stdout))
    return frames


def free_bytes(folder: str | Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0


def fsync_file(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
