"""How loud a recording is, measured by ffmpeg (volumedetect, silencedetect): is the microphone in it at all?

``audio_peak`` stops at the first loud sample (a whole hour need not be read to know there is sound);
``audio_levels`` reads everything and also finds the silences.
"""

from __future__ import annotations

import math
import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from studio.media.ffmpeg import MediaError, tool

SILENCE_DB = -50.0  # a track whose loudest sample is at or below this is silent (a dead microphone)


@dataclass(frozen=True)
class AudioLevels:
    max_volume_db: float  # -inf (math.inf negative) for digital silence
    mean_volume_db: float
    silences: tuple[tuple[float, float], ...]  # (start, end) of stretches below the threshold
    complete: bool = True  # False: ``audio_peak`` stopped at the first loud sample; levels of the part read

    def is_silent(self, threshold_db: float = SILENCE_DB) -> bool:
        return self.max_volume_db <= threshold_db


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


def audio_filter(noise_db: float, min_silence: float) -> str:
    return f"silencedetect=n={noise_db}dB:d={min_silence},volumedetect"


def audio_levels(
    path: str | Path, noise_db: float = -50.0, min_silence: float = 5.0, timeout: float = 600.0,
    start: float | None = None, end: float | None = None,
) -> AudioLevels | None:
    """Loudness and silent stretches of the first audio track, optionally of [start, end] only (None: no audio)."""
    cmd = [tool("ffmpeg"), "-nostdin", "-hide_banner", "-nostats"]
    if start:
        cmd += ["-ss", f"{start:.6f}"]
    cmd += ["-i", str(path)]
    if end is not None:
        cmd += ["-t", f"{end - (start or 0.0):.6f}"]
    cmd += ["-map", "0:a:0?", "-vn", "-sn", "-dn", "-af", audio_filter(noise_db, min_silence), "-f", "null", "-"]
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

    cmd = [tool("ffmpeg"), "-nostdin", "-hide_banner", "-v", "error", "-i", str(path), "-map", "0:a:0",
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
