"""The OBS checks and `studio doctor` against a real headless OBS, a real PulseAudio and generated videos.

A working studio: camera and microphone inputs are ffmpeg_sources playing the tone video in the program scene,
PyAudio hears a sine through the PulseAudio null sink, the camera file is a sharp test pattern: doctor passes.
A broken studio: the microphone muted in OBS, a black camera, silence on the PyAudio input: doctor fails, with
each broken part named.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import pytest

from studio.usecases import preflight
from studio.usecases.context import Studio
from tests.fixtures.pulse import sine

pytestmark = [pytest.mark.obs]


@pytest.fixture
def studio_settings(obs_settings):
    """Input names unique per test: OBS frees a removed input's name asynchronously after the reset."""
    tag = uuid.uuid4().hex[:6]
    obs_settings.show.camera_input = f"Camera {tag}"
    obs_settings.show.microphone_input = f"Microfoon {tag}"
    return obs_settings


def _build_studio(obs, settings, camera_file, mic_file, *, mic_muted: bool = False) -> None:
    cam, mic = settings.show.camera_input, settings.show.microphone_input
    client = obs.client()
    try:
        for name, path in ((cam, camera_file), (mic, mic_file)):
            client.create_input("Scene", name, "ffmpeg_source",
                                {"local_file": str(path), "looping": True, "is_local_file": True}, True)
        if mic_muted:
            client.set_input_mute(mic, True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # ffmpeg_source needs a moment before it renders
            if client.get_source_active(cam).video_active:
                break
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        client.disconnect()


def _run(settings, groups=None, ids=None) -> preflight.Checklist:
    ctx = Studio(settings)
    try:
        return preflight.doctor(ctx, groups=groups, ids=ids)
    finally:
        ctx.close()


def _by_id(checklist: preflight.Checklist) -> dict[str, preflight.CheckResult]:
    return {r.id: r for r in checklist.results}


def test_obs_checks_pass_on_a_working_studio(studio_settings, obs, tone_video, tone_audio):
    _build_studio(obs, studio_settings, tone_video, tone_audio)
    res = _by_id(_run(studio_settings, groups=["obs"]))
    for cid in ("obs.connection", "obs.camera_input", "obs.mic_input", "obs.mic_meter", "obs.other_audio",
                "obs.program"):
        assert res[cid].status == "ok", res[cid]
    assert res["obs.mic_meter"].value > -60
    assert res["obs.program"].value == "Scene"


def test_obs_checks_fail_on_a_broken_studio(studio_settings, obs, camera_videos, tone_audio):
    _build_studio(obs, studio_settings, camera_videos["black"], tone_audio, mic_muted=True)
    res = _by_id(_run(studio_settings, groups=["obs"]))
    assert res["obs.connection"].status == "ok"
    assert res["obs.mic_input"].status == "fail" and "gedempt" in res["obs.mic_input"].advice
    assert res["obs.mic_meter"].status == "fail"
    assert res["obs.program"].status == "fail" and "zwart" in res["obs.program"].advice


def test_other_sound_that_viewers_would_hear_is_a_warning(studio_settings, obs, tone_video, tone_audio):
    """Found on a rehearsal evening: OBS's own "Desktop Audio" went on air beside the microphone (the PC's
    notification sounds, and there the voice twice). Any sound viewers hear besides the show's microphone and
    camera is named, as a warning (a jingle may be meant); muted or monitor-only sound is not."""
    _build_studio(obs, studio_settings, tone_video, tone_audio)
    extra = f"Muziek {uuid.uuid4().hex[:6]}"
    client = obs.client()
    try:
        client.create_input("Scene", extra, "ffmpeg_source",
                            {"local_file": str(tone_audio), "looping": True, "is_local_file": True}, True)
        time.sleep(0.5)
        res = _by_id(_run(studio_settings, ids=["obs.other_audio"]))["obs.other_audio"]
        assert res.status == "warning" and f"'{extra}'" in res.advice and "F2" in res.advice, res
        assert studio_settings.show.microphone_input not in res.advice
        client.set_input_mute(extra, True)
        assert _by_id(_run(studio_settings, ids=["obs.other_audio"]))["obs.other_audio"].status == "ok"
        client.set_input_mute(extra, False)
        client.set_input_audio_monitor_type(extra, "OBS_MONITORING_TYPE_MONITOR_ONLY")  # the technician only
        assert _by_id(_run(studio_settings, ids=["obs.other_audio"]))["obs.other_audio"].status == "ok"
    finally:
        client.disconnect()


def test_missing_inputs_are_named(studio_settings, obs):
    res = _by_id(_run(studio_settings, groups=["obs"]))
    assert res["obs.camera_input"].status == "fail"
    assert f"'{studio_settings.show.camera_input}' bestaat niet" in res["obs.camera_input"].advice
    assert f"'{studio_settings.show.microphone_input}' bestaat niet" in res["obs.mic_input"].advice


def test_frozen_program_output_fails(studio_settings, obs, camera_videos, tone_audio):
    _build_studio(obs, studio_settings, camera_videos["frozen"], tone_audio)
    res = _by_id(_run(studio_settings, ids=["obs.program"]))
    assert res["obs.program"].status == "fail" and "staat stil" in res["obs.program"].advice


def test_obs_unreachable_is_one_clear_line_per_check(settings):
    settings.obs.port = 1  # nothing listens there
    settings.obs.connect_timeout = 1.0
    res = _by_id(_run(settings, groups=["obs"]))
    assert res["obs.connection"].status == "fail"
    assert "OBS" in res["obs.connection"].advice
    assert all(r.status == "fail" and "zie 'OBS bereikbaar'" in r.advice
               for cid, r in res.items() if cid != "obs.connection")


def _doctor_cli(obs, settings, pulse, camera_file) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_") or k == "STUDIO_REQUIRE_OBS"}
    env.update(pulse.env())
    env.update(
        STUDIO_DATA_DIR=str(settings.data_dir),
        STUDIO_CONFIG=str(settings.data_dir / "none.toml"),
        STUDIO_OBS_HOST=obs.host, STUDIO_OBS_PORT=str(obs.port), STUDIO_OBS_PASSWORD=obs.password,
        STUDIO_PREFLIGHT_CAMERA_FILE=str(camera_file), STUDIO_PREFLIGHT_AUDIO_SECONDS="1.5",
        STUDIO_YOUTUBE_REHEARSAL="yes",
        STUDIO_SHOW_CAMERA_INPUT=settings.show.camera_input,
        STUDIO_SHOW_MICROPHONE_INPUT=settings.show.microphone_input,
    )
    (settings.data_dir / "none.toml").parent.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "none.toml").write_text("", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "studio", "doctor", "--json"], capture_output=True, text=True,
                          timeout=60, env=env)


@pytest.mark.pulse
def test_doctor_passes_on_a_working_studio(studio_settings, obs, tone_video, tone_audio, pulse, camera_videos):
    _build_studio(obs, studio_settings, tone_video, tone_audio)
    pulse.play(sine(440, 20, -17.0))
    out = _doctor_cli(obs, studio_settings, pulse, camera_videos["good"])
    doc = json.loads(out.stdout)
    statuses = {c["id"]: c["status"] for c in doc["checks"]}
    assert out.returncode == 0, (statuses, out.stderr)
    assert doc["passed"] is True
    assert set(statuses) == set(preflight.REGISTRY)
    assert all(set(c) >= {"id", "status", "value", "advice", "blocking"} for c in doc["checks"])
    assert statuses["audio.microphone"] == "ok" and statuses["camera.device"] == "ok"
    assert "Traceback" not in out.stderr


@pytest.mark.pulse
def test_doctor_fails_on_a_broken_studio(studio_settings, obs, tone_audio, pulse, camera_videos):
    _build_studio(obs, studio_settings, camera_videos["black"], tone_audio, mic_muted=True)
    pulse.play(sine(440, 20, -200.0))  # the microphone delivers silence
    out = _doctor_cli(obs, studio_settings, pulse, camera_videos["black"])
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    statuses = {c["id"]: c["status"] for c in doc["checks"]}
    assert doc["passed"] is False
    for cid in ("audio.microphone", "camera.device", "obs.mic_input", "obs.mic_meter", "obs.program"):
        assert statuses[cid] == "fail", (cid, statuses)
    assert statuses["obs.connection"] == "ok"
