"""A rehearsal without studio hardware: is there a camera at all, and a moving test picture to use instead.

``camera_present`` answers without taking the camera from OBS: on Linux it looks for the V4L2 device node
(``/dev/videoN``; opening a device that OBS streams from would fail and look like "no camera"); elsewhere it
opens the device briefly with OpenCV, bounded by a timeout.

``make_test_picture`` has ffmpeg render its own moving test pattern (``testsrc2``: colour bars, a moving
gradient and a running counter) to a short silent H.264 file that OBS loops as the camera: it is sharp, well
exposed and never still, so the preflight's camera and program checks judge it as they would a camera.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from studio.media.ffmpeg import MediaError, last_error_line, tool

TEST_PICTURE_SIZE = "1280x720"
TEST_PICTURE_RATE = 30
TEST_PICTURE_SECONDS = 10


def camera_present(device: int, *, timeout: float = 5.0) -> bool:
    """Whether camera ``device`` exists (-1, "not checked directly": whether any camera exists)."""
    if sys.platform.startswith("linux"):
        nodes = sorted(Path("/dev").glob("video*"))
        if device < 0:
            return bool(nodes)
        return Path(f"/dev/video{device}").exists()
    from studio.media import camera

    try:
        got = camera.run_bounded(lambda: camera.grab(max(device, 0), seconds=0.2, max_frames=1), timeout,
                                 "camera zoeken")
    except camera.CameraError:
        return False
    return bool(got.frames)


def make_test_picture(out: Path, *, seconds: int = TEST_PICTURE_SECONDS) -> Path:
    """The moving test picture at ``out`` (made once; a file that is already there is kept)."""
    if out.exists() and out.stat().st_size > 0:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    cmd = [tool("ffmpeg"), "-v", "error", "-y", "-f", "lavfi",
           "-i", f"testsrc2=size={TEST_PICTURE_SIZE}:rate={TEST_PICTURE_RATE}", "-t", str(seconds), "-an",
           "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", tmp]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=120)
        if done.returncode != 0:
            raise MediaError(f"het testbeeld kon niet worden gemaakt: {last_error_line(done.stderr)}",
                             "controleer dat ffmpeg met libx264 is geïnstalleerd")
        os.replace(tmp, out)  # whole or not at all: OBS may already be looking for it
    except subprocess.TimeoutExpired:
        raise MediaError("het testbeeld maken duurde te lang", "probeer het opnieuw") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out
