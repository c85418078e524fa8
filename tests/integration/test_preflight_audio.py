"""PyAudio capturing from a real PulseAudio null sink into which the test plays generated signals."""

from __future__ import annotations

import json
import subprocess
import wave

import pytest

from studio.media import audio_analysis, microphone
from tests.fixtures.pulse import clipped_sine, hum, sine, speech_wav

pytestmark = pytest.mark.pulse


def _check(seconds: float = 1.0) -> audio_analysis.AudioReport:
    return microphone.check_microphone(None, seconds, timeout=10)


def test_default_input_is_listed(pulse):
    devices = microphone.list_input_devices()
    assert any(d.is_default for d in devices), devices
    assert all(d.channels > 0 for d in devices)


def test_sine_at_speech_level_is_ok(pulse):
    pulse.play(sine(440, 4, -17.0))
    r = _check()
    assert r.verdict == "ok", r
    assert -22 < r.rms_dbfs < -18
    assert r.clipped_ratio == 0 and not r.silent


def test_silence_fails(pulse):
    pulse.play(sine(440, 4, -200.0))
    r = _check()
    assert r.verdict == "fail" and r.silent
    assert "geen signaal" in r.advice


def test_quiet_microphone_says_how_many_db(pulse):
    pulse.play(sine(1000, 4, -35.0))  # RMS about -38 dBFS: needs about +18 dB
    r = _check()
    assert r.verdict == "warning", r
    assert "te zacht" in r.advice and "+18 dB" in r.advice


def test_clipped_sine_fails(pulse):
    pulse.play(clipped_sine(440, 4))
    r = _check()
    assert r.verdict == "fail", r
    assert r.clipped_ratio > 0.1
    assert "overstuurd" in r.advice


def test_mains_hum_fails(pulse):
    pulse.play(hum(4))
    r = _check(2.0)
    assert r.verdict == "fail", r
    assert r.hum_ratio > 0.9
    assert "netbrom" in r.advice


def test_speech_is_ok(pulse, tmp_path):
    wav = speech_wav(tmp_path)
    if wav is None:
        pytest.skip("espeak-ng ontbreekt")
    pulse.play_file(wav)
    r = _check(2.0)
    assert r.verdict in ("ok", "warning"), r
    assert r.hum_ratio < audio_analysis.HUM_WARN_RATIO
    assert not r.silent and r.clipped_ratio < audio_analysis.CLIP_WARN_RATIO


def test_no_audio_server_is_a_clear_fail(monkeypatch, tmp_path):
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/nothing-here")
    r = _check()
    assert r.verdict == "fail"
    assert r.advice  # one Dutch line, not a traceback


def test_absent_device_index(pulse):
    r = microphone.check_microphone(99, 1.0, timeout=10)
    assert r.verdict == "fail" and "bestaat niet" in r.advice


def test_cli_check_audio_json(pulse, tmp_path):
    pulse.play(sine(440, 5, -17.0))
    out = subprocess.run(
        [".venv/bin/studio", "check", "audio", "--seconds", "1", "--json"],
        capture_output=True, text=True, timeout=30, env=pulse.env() | {"STUDIO_DATA_DIR": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    for key in ("verdict", "rms_dbfs", "peak_dbfs", "clipped_ratio", "silent", "dc_offset", "hum_ratio", "advice"):
        assert key in data
    assert data["verdict"] == "ok"
    assert out.stderr == ""  # ALSA/JACK probing noise is muted


def test_cli_check_audio_file_not_a_wav(tmp_path):
    bad = tmp_path / "fake.wav"
    bad.write_bytes(b"this is not a wav at all" * 10)
    out = subprocess.run([".venv/bin/studio", "check", "audio", "--file", str(bad)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 1
    assert "geen bruikbaar WAV-bestand" in out.stdout
    assert "Traceback" not in out.stderr


def test_cli_check_audio_file_ok(tmp_path):
    path = tmp_path / "ok.wav"
    pcm = (sine(440, 1, -17.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(48000)
        w.writeframes(pcm.tobytes())
    out = subprocess.run([".venv/bin/studio", "check", "audio", "--file", str(path), "--json"],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["verdict"] == "ok"
