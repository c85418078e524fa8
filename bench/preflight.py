"""Preflight figures: `studio doctor` wall time with every check, audio analysis per second of audio, camera
analysis per 1080p frame; each against a baseline measured in the same run.

- doctor_wall: every registered check against a real headless OBS (camera and microphone inputs are
  ffmpeg_sources), a real PulseAudio null sink playing a tone into PyAudio, a generated camera video;
  3 s of audio capture. Baseline: the 3 s capture alone (the floor no checklist can beat). Target <= 8 s.
- audio_analysis_per_s: ``audio_analysis.analyse`` on 3 s of int16 speech-like signal, per second of audio.
  Baseline: numpy reading the same buffer (frombuffer -> float32 -> RMS). Target <= 5 ms.
- camera_analysis_1080p: ``camera.analyse_frame`` on a 1080p BGR frame. Baseline: cv2.cvtColor of the frame
  to gray. Target <= 15 ms.
Without OBS or PulseAudio the doctor figure prints "skipped" and the other two still run.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np


def best_of(fn: Callable[[], object], n: int, warmup: int = 3) -> tuple[float, float]:
    """Median and minimum in ms of ``n`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000.0)
    return statistics.median(times), min(times)


def emit(**obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def bench_audio() -> None:
    from studio.media import audio_analysis

    rate, seconds = 48000, 3
    t = np.arange(rate * seconds) / rate
    rng = np.random.default_rng(1)
    signal = 0.1 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t)) + 0.01 * rng.normal(size=t.size)
    buf = (np.clip(signal, -1, 1) * 32767).astype("<i2").tobytes()

    def analysis() -> object:
        return audio_analysis.analyse(np.frombuffer(buf, "<i2"), rate, full_scale=32768.0)

    def baseline() -> object:
        x = np.frombuffer(buf, "<i2").astype(np.float32) / 32768.0
        return float(np.sqrt(np.mean(x * x)))

    value, _ = best_of(analysis, 30)
    base, _ = best_of(baseline, 30)
    emit(bench="audio_analysis_per_s", value_ms=round(value / seconds, 3), baseline_ms=round(base / seconds, 3),
         ratio=round(value / base, 1), target="<=5 ms per second of audio")


def bench_camera() -> None:
    import cv2

    from studio.media import camera

    # A 1080p frame with real structure: the ffmpeg test pattern when available, else noise and gradients.
    frame = None
    if shutil.which("ffmpeg"):
        png = subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1920x1080",
                              "-frames:v", "1", "-f", "image2pipe", "-vcodec", "png", "-"],
                             capture_output=True, timeout=60).stdout
        if png:
            frame = camera.decode_image(png)
    if frame is None:
        rng = np.random.default_rng(2)
        frame = rng.integers(0, 255, (1080, 1920, 3), dtype=np.uint8)
    value, _ = best_of(lambda: camera.analyse_frame(frame), 40)
    base, _ = best_of(lambda: cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), 40)
    emit(bench="camera_analysis_1080p", value_ms=round(value, 3), baseline_ms=round(base, 3),
         ratio=round(value / base, 1), target="<=15 ms per 1080p frame")


def _studio(obs, camera_file: Path, tone: Path) -> None:
    client = obs.client()
    try:
        for name, path in (("Camera", camera_file), ("Microfoon", tone)):
            client.create_input("Scene", name, "ffmpeg_source",
                                {"local_file": str(path), "looping": True, "is_local_file": True}, True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not client.get_source_active("Camera").video_active:
            time.sleep(0.1)
        time.sleep(1.0)
    finally:
        client.disconnect()


def bench_doctor() -> None:
    import os

    from studio.config import load_settings
    from studio.media import microphone
    from studio.usecases import preflight
    from studio.usecases.context import Studio
    from tests.fixtures._obs_process import ObsProcess, Xvfb, obs_available
    from tests.fixtures.camera_videos import make_video
    from tests.fixtures.pulse import PulseServer, sine

    reason = obs_available()
    if reason or not shutil.which("pulseaudio") or not shutil.which("ffmpeg"):
        emit(bench="doctor_wall", skipped=reason or "pulseaudio/ffmpeg ontbreken")
        return
    root = Path(tempfile.mkdtemp(prefix="bench-preflight-"))
    pulse = PulseServer(root / "pulse")
    xvfb = Xvfb()
    obs = ObsProcess(xvfb.display)
    try:
        pulse.start()
        os.environ["PULSE_SERVER"] = pulse.server
        obs.start()
        video = make_video(root / "good.mp4", "good")
        tone = root / "tone.wav"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                        "-t", "10", str(tone)], check=True, timeout=60)
        _studio(obs, video, tone)
        (root / "studio.toml").write_text("", encoding="utf-8")
        settings = load_settings(env={"STUDIO_DATA_DIR": str(root / "data"), "STUDIO_CONFIG": str(root / "studio.toml"),
                                      "STUDIO_YOUTUBE_REHEARSAL": "yes"})
        settings.obs.host, settings.obs.port, settings.obs.password = obs.host, obs.port, obs.password
        settings.preflight.camera_file = str(video)
        settings.preflight.audio_seconds = 3.0
        walls, floors, statuses = [], [], {}
        for _ in range(3):
            pulse.play(sine(440, 12, -17.0))
            t = time.perf_counter()
            microphone.check_microphone(None, 3.0)
            floors.append(time.perf_counter() - t)
            ctx = Studio(settings)
            t = time.perf_counter()
            cl = preflight.doctor(ctx)
            walls.append(time.perf_counter() - t)
            ctx.close()
            statuses = {r.id: r.status for r in cl.results}
            pulse.stop_players()
        value, base = statistics.median(walls), statistics.median(floors)
        emit(bench="doctor_wall", value_s=round(value, 2), baseline_s=round(base, 2), ratio=round(value / base, 2),
             checks=len(statuses), failed=[k for k, v in statuses.items() if v == "fail"], target="<=8 s")
    finally:
        pulse.stop()
        obs.stop()
        obs.kill()
        xvfb.stop()
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    bench_audio()
    bench_camera()
    bench_doctor()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
