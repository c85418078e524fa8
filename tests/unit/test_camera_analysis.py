"""Camera verdicts on synthetic frames (numpy) and on generated videos (ffmpeg + OpenCV)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from studio.media import camera


def pattern(w: int = 1280, h: int = 720, seed: int = 0) -> np.ndarray:
    """A sharp, mid-grey-ish picture with detail everywhere (checkerboard plus noise)."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    board = ((x // 16 + y // 16) % 2 * 120 + 60).astype(np.float32)
    img = board + rng.normal(0, 4, (h, w))
    return np.repeat(np.clip(img, 0, 255).astype(np.uint8)[:, :, None], 3, axis=2)


def test_sharp_moving_picture_is_ok():
    r = camera.analyse_frames([pattern(seed=1), pattern(seed=2)], 30.0)
    assert r.verdict == "ok", r
    assert (r.width, r.height, r.exposure, r.black, r.frozen) == (1280, 720, "ok", False, False)


def test_black_picture_fails():
    black = np.zeros((720, 1280, 3), np.uint8)
    r = camera.analyse_frames([black, black], 30.0)
    assert r.verdict == "fail" and r.black and not r.frozen and "zwart" in r.advice


def test_identical_frames_are_frozen():
    f = pattern()
    r = camera.analyse_frames([f, f.copy(), f.copy()], 30.0)
    assert r.verdict == "fail" and r.frozen and "stil" in r.advice


def test_blur_is_measured_at_one_analysis_width():
    sharp = pattern()
    blurred = cv2.GaussianBlur(sharp, (0, 0), 12)
    assert camera.analyse_frame(blurred).blur < camera.BLUR_FAIL < camera.BLUR_WARN < camera.analyse_frame(sharp).blur
    # the same scene at 1080p scores like at 720p (normalised for resolution)
    big = cv2.resize(sharp, (1920, 1080), interpolation=cv2.INTER_NEAREST)
    a, b = camera.analyse_frame(sharp).blur, camera.analyse_frame(big).blur
    assert 0.5 < a / b < 2.0


def test_overexposed_and_underexposed():
    f = pattern().astype(np.int16)
    over = np.clip(f * 3, 0, 255).astype(np.uint8)
    under = (f * 0.2).astype(np.uint8)
    assert camera.analyse_frames([over, over[::-1].copy()], 30).exposure == "over"
    assert camera.analyse_frames([under, under[::-1].copy()], 30).exposure == "under"


def test_low_resolution_and_fps_warn():
    r = camera.analyse_frames([pattern(640, 360, 1), pattern(640, 360, 2)], 12.0)
    assert r.verdict == "warning"
    assert any("resolutie" in p for p in r.problems) and any("beeldsnelheid" in p for p in r.problems)


def test_no_frames_fails():
    assert camera.analyse_frames([]).verdict == "fail"


def test_decode_image_rejects_garbage():
    with pytest.raises(camera.CameraError):
        camera.decode_image(b"not a png")
    _, png = cv2.imencode(".png", pattern(64, 48))
    assert camera.decode_image(png.tobytes()).shape == (48, 64, 3)


@pytest.mark.parametrize(
    ("name", "verdict", "field", "value"),
    [
        ("good", "ok", "exposure", "ok"),
        ("black", "fail", "black", True),
        ("frozen", "fail", "frozen", True),
        ("blurred", "fail", "exposure", "ok"),
        ("overexposed", "warning", "exposure", "over"),
        ("underexposed", "warning", "exposure", "under"),
        ("small", "warning", "width", 320),
    ],
)
def test_generated_videos(camera_videos, name, verdict, field, value):
    r = camera.check_camera(camera_videos[name])
    assert r.verdict == verdict, r
    assert getattr(r, field) == value
    assert r.fps == pytest.approx(25, abs=1)
    if name == "blurred":
        assert r.blur_score < camera.BLUR_FAIL and "onscherp" in r.advice


@pytest.mark.parametrize(("name", "expected"), [("empty", "leeg"), ("corrupt", "geen leesbare video")])
def test_broken_video_files(camera_videos, name, expected):
    r = camera.check_camera(camera_videos[name])
    assert r.verdict == "fail" and expected in r.advice


def test_absent_camera_index_is_a_clear_fail():
    r = camera.check_camera(47, timeout=8)
    assert r.verdict == "fail" and "camera 47" in r.advice


def test_a_hanging_camera_times_out(monkeypatch):
    import threading

    never = threading.Event()
    monkeypatch.setattr(camera, "grab", lambda *a, **k: never.wait(5))
    r = camera.check_camera(0, timeout=0.3)
    never.set()
    assert r.verdict == "fail" and "geen beeld binnen" in r.advice


def test_cli_check_camera_json(camera_videos):
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "studio", "check", "camera", "--file", str(camera_videos["black"]),
                          "--json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    d = json.loads(out.stdout)
    assert {"verdict", "width", "height", "fps", "black", "frozen", "blur_score", "exposure", "advice"} <= set(d)
    assert d["black"] is True and out.stderr == ""


@pytest.mark.parametrize("index", [-1, -5])
def test_negative_camera_index_is_a_verdict_not_a_crash(index):
    # OpenCV's VideoCapture(-1) segfaulted the whole process (`studio check camera --device -1`, exit 139);
    # run it in a child so that a crash fails this test instead of killing pytest.
    import subprocess
    import sys

    code = (f"from studio.media import camera; r = camera.check_camera({index}); "
            "print(r.verdict); print(r.advice)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out
    verdict, advice = out.stdout.splitlines()[:2]
    assert verdict == "fail" and "0 of hoger" in advice
