"""Remux and trim a recording by stream copy (no re-encoding): the archive's processed MP4.

Cuts fall on keyframes (found by studio.media.ffmpeg); split files are joined with the concat demuxer; the
sound of what is written is measured in the same pass when asked. A truncated Matroska from an OBS that was
killed is simply copied up to where its data ends. ENOSPC shows up only as text in ffmpeg's log ("No space
left on device"): it is turned into ``DiskFull``.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studio.media.ffmpeg import DiskFull, MediaError, ProgressFn, last_error_line, run_ffmpeg, tool
from studio.media.levels import AudioLevels, audio_filter, parse_audio_levels


@dataclass(frozen=True)
class RemuxResult:
    path: Path
    duration: float  # seconds written (from ffmpeg's progress)
    audio: AudioLevels | None  # when measured in the same pass


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
    cmd: list[str] = [tool("ffmpeg"), "-nostdin", "-hide_banner", "-y", "-progress", "pipe:1", "-nostats"]
    list_file: Path | None = None
    if start is not None and start > 0:
        cmd += ["-ss", f"{start:.6f}"]
    if len(srcs) == 1:
        cmd += ["-i", str(srcs[0])]
    else:
        list_file = out.with_name(out.name + ".concat.txt")
        # surrogateescape: a source whose name is not UTF-8 goes to ffmpeg as the bytes the file system has
        list_file.write_bytes(
            ("ffconcat version 1.0\n" + "".join(f"file '{_concat_quote(s)}'\n" for s in srcs))
            .encode("utf-8", "surrogateescape")
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
        cmd += [*limit, "-map", "0:a:0?", "-vn", "-af", audio_filter(noise_db, min_silence), "-f", "null", "-"]
    try:
        rc, out_time, stderr = run_ffmpeg(
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
        raise MediaError(f"ffmpeg kon {srcs[0].name} niet verwerken: {last_error_line(stderr)}",
                         "het origineel is onaangeroerd")
    if progress is not None:
        progress(1.0)
    return RemuxResult(out, out_time, parse_audio_levels(stderr) if measure_audio else None)


def _concat_quote(p: Path) -> str:
    return str(p.resolve()).replace("'", "'\\''")
