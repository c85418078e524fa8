"""A recording's sound as 16 kHz mono float32 samples, decoded by ffmpeg (what speech recognition reads).

ffmpeg already reads every recording in this studio (studio.media.ffmpeg), knows every container OBS
writes, and reads a truncated Matroska file up to where its data ends. The samples arrive through a pipe
into one growing buffer (an hour is about 230 MB); ``cancel`` stops ffmpeg at once.
"""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.media.ffmpeg import MediaError, tool

SAMPLE_RATE = 16_000


class NoAudioTrack(MediaError):
    """The file has no sound track at all."""


@dataclass(frozen=True)
class SpeechAudio:
    samples: npt.NDArray[np.float32]  # mono, SAMPLE_RATE per second, -1..1
    complete: bool  # False: ffmpeg stopped at damage (a truncated recording); the samples are what was readable

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def decode_speech_audio(path: str | Path, *, cancel: threading.Event | None = None,
                        timeout: float | None = None, chunk: int = 1 << 20) -> SpeechAudio:
    """The first audio track of ``path`` as 16 kHz mono float32. Raises MediaError with one Dutch line."""
    p = Path(path)
    if not p.is_file():
        raise MediaError(f"bestand {p} bestaat niet")
    exe = tool("ffmpeg")  # MediaToolMissing with how to install it
    cmd = [exe, "-nostdin", "-hide_banner", "-v", "error", "-i", str(p), "-map", "0:a:0", "-vn", "-sn", "-dn",
           "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_f32le", "-f", "f32le", "-"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    errors: list[bytes] = []
    drain = threading.Thread(target=lambda: errors.append(proc.stderr.read() if proc.stderr else b""), daemon=True)
    drain.start()
    timer = threading.Timer(timeout, proc.kill) if timeout else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    data = bytearray()
    try:
        assert proc.stdout is not None
        while block := proc.stdout.read(chunk):
            data += block
            if cancel is not None and cancel.is_set():
                proc.kill()
                break
    finally:
        if timer is not None:
            timer.cancel()
        if proc.poll() is None:
            proc.kill()
        rc = proc.wait()
        drain.join(timeout=5)
    if cancel is not None and cancel.is_set():
        raise MediaError("geluid lezen afgebroken", "de opname is onaangeroerd")
    stderr = b"".join(errors).decode("utf-8", "replace")
    usable = len(data) - len(data) % 4
    if usable == 0:
        if "matches no streams" in stderr or "Stream map" in stderr:
            raise NoAudioTrack(f"{p.name} heeft geen geluidsspoor", "controleer in OBS dat er geluid wordt opgenomen")
        raise MediaError(f"het geluid van {p.name} is niet te lezen (het bestand is beschadigd of afgebroken)",
                         "controleer de opname met 'studio archive verify'; de opname is onaangeroerd")
    samples = np.frombuffer(memoryview(data)[:usable], dtype="<f4")
    return SpeechAudio(samples, complete=rc == 0)


def decode_speech_parts(paths: list[Path], *, cancel: threading.Event | None = None) -> SpeechAudio:
    """The sound of a recording split over several files (OBS's split recording), joined in order: the
    recording's clock runs on through the parts as the processed file's does (studio.media.remux)."""
    parts = [decode_speech_audio(p, cancel=cancel) for p in paths]
    if len(parts) == 1:
        return parts[0]
    return SpeechAudio(np.concatenate([p.samples for p in parts]), complete=all(p.complete for p in parts))
