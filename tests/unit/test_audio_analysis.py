"""The microphone verdicts on synthetic signals (pure numpy, no audio device)."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from studio.media import audio_analysis, microphone

RATE = 48000


def tone(freq: float, peak_dbfs: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (10 ** (peak_dbfs / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_full_scale_sine_levels():
    r = audio_analysis.analyse(tone(1000, -6.0), RATE)
    assert r.peak_dbfs == pytest.approx(-6.0, abs=0.1)
    assert r.rms_dbfs == pytest.approx(-9.0, abs=0.1)  # sine RMS is 3 dB under its peak


def test_speech_level_is_ok_and_has_no_advice():
    r = audio_analysis.analyse(tone(440, -17.0), RATE)
    assert (r.verdict, r.advice, r.problems) == ("ok", "", ())


@pytest.mark.parametrize(("peak", "needed"), [(-35.0, 18), (-29.0, 12)])
def test_quiet_microphone_says_how_many_db(peak, needed):
    r = audio_analysis.analyse(tone(440, peak), RATE)
    assert r.verdict == "warning"
    assert r.advice == f"microfoon te zacht: ongeveer +{needed} dB nodig"


def test_very_quiet_microphone_fails():
    r = audio_analysis.analyse(tone(440, -52.0), RATE)
    assert r.verdict == "fail" and "veel te zacht" in r.advice and not r.silent


def test_digital_silence_fails_as_silent():
    r = audio_analysis.analyse(np.zeros(RATE, np.float32), RATE)
    assert r.verdict == "fail" and r.silent
    assert r.rms_dbfs == audio_analysis.FLOOR_DBFS and r.peak_dbfs == audio_analysis.FLOOR_DBFS


def test_clipping_fails():
    x = np.clip(4 * tone(440, 0.0), -1, 1)
    r = audio_analysis.analyse(x, RATE)
    assert r.verdict == "fail" and r.clipped_ratio > 0.5 and "overstuurd" in r.advice


def test_occasional_clipping_warns():
    x = tone(440, -17.0)
    x[::2000] = 1.0  # 24 clipped samples per second
    r = audio_analysis.analyse(x, RATE)
    assert r.verdict == "warning" and "geclipt" in r.advice


def test_int16_full_scale_counts_as_clipped():
    x = (np.clip(4 * tone(440, 0.0), -1, 1) * 32767).astype(np.int16)
    r = audio_analysis.analyse(x, RATE, full_scale=32768.0)
    assert r.clipped_ratio > 0.5


def test_hum_dominated_signal_fails_and_speech_band_does_not_count():
    hum = tone(50, -14.0) + tone(150, -22.0)
    assert audio_analysis.analyse(hum, RATE).verdict == "fail"
    assert audio_analysis.analyse(hum, RATE).hum_ratio > 0.95
    # 440 Hz and 1 kHz are no harmonics of 50 Hz... 1 kHz is the 20th: only the first 5 count
    assert audio_analysis.analyse(tone(440, -17) + tone(1000, -17), RATE).hum_ratio < 0.01


def test_some_hum_under_speech_warns():
    x = tone(440, -17.0) + tone(50, -22.0)
    r = audio_analysis.analyse(x, RATE)
    assert r.verdict == "warning" and "netbrom" in r.advice
    assert audio_analysis.HUM_WARN_RATIO <= r.hum_ratio < audio_analysis.HUM_FAIL_RATIO


def test_faint_hum_in_a_quiet_room_is_ignored():
    r = audio_analysis.analyse(tone(440, -17.0) + tone(50, -70.0), RATE)
    assert r.verdict == "ok"


def test_dc_offset_warns():
    r = audio_analysis.analyse(tone(440, -17.0) + 0.1, RATE)
    assert r.verdict == "warning" and r.dc_offset == pytest.approx(0.1, abs=1e-3)
    assert "DC-offset" in r.advice


def test_loudest_channel_of_stereo_counts():
    stereo = np.stack([np.zeros(RATE, np.float32), tone(440, -17.0)], axis=1)
    assert audio_analysis.analyse(stereo, RATE).verdict == "ok"


def test_empty_buffer_is_a_fail_not_an_error():
    r = audio_analysis.analyse(np.zeros(0, np.float32), RATE)
    assert r.verdict == "fail" and "leeg" in r.advice


def test_json_has_the_issue_keys_and_no_infinities():
    import json

    d = audio_analysis.analyse(np.zeros(RATE, np.float32), RATE).to_json()
    assert {"verdict", "rms_dbfs", "peak_dbfs", "clipped_ratio", "silent", "dc_offset", "hum_ratio",
            "advice"} <= set(d)
    json.dumps(d, allow_nan=False)


def _write(path, data: bytes, width: int, channels: int = 1) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(RATE)
        w.writeframes(data)


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_read_wav_every_pcm_width(tmp_path, width):
    x = tone(440, -6.0)
    if width == 1:
        raw = np.round(x * 127 + 128).astype(np.uint8).tobytes()
    elif width == 3:
        v = np.round(x * (2**23 - 1)).astype(np.int32)
        raw = np.stack([v & 255, (v >> 8) & 255, (v >> 16) & 255], axis=1).astype(np.uint8).tobytes()
    else:
        dt = {2: "<i2", 4: "<i4"}[width]
        raw = np.round(x * (2 ** (8 * width - 1) - 1)).astype(dt).tobytes()
    _write(tmp_path / "t.wav", raw, width)
    r = audio_analysis.analyse_wav(tmp_path / "t.wav")
    assert r.peak_dbfs == pytest.approx(-6.0, abs=0.2), width
    assert r.rate == RATE


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "geen bruikbaar WAV-bestand"), (b"RIFF\x00\x00\x00\x00WAVEjunk", "geen bruikbaar WAV-bestand"),
     (b"ID3\x03\x00" + bytes(500), "geen bruikbaar WAV-bestand")],
)
def test_not_a_wav_is_a_clear_verdict(tmp_path, content, expected):
    p = tmp_path / "bad.wav"
    p.write_bytes(content)
    r = audio_analysis.analyse_wav(p)
    assert r.verdict == "fail" and expected in r.advice


def test_missing_wav_and_directory(tmp_path):
    assert "bestaat niet" in audio_analysis.analyse_wav(tmp_path / "nope.wav").advice
    assert "map" in audio_analysis.analyse_wav(tmp_path).advice


def test_run_bounded_gives_up_on_a_hanging_call():
    import threading

    never = threading.Event()
    with pytest.raises(audio_analysis.AudioTimeout):
        microphone.run_bounded(lambda: never.wait(10), 0.2, "test")
    never.set()


def test_run_bounded_passes_errors_and_values():
    assert microphone.run_bounded(lambda: 42, 1, "x") == 42
    with pytest.raises(audio_analysis.DeviceBusy):
        microphone.run_bounded(lambda: (_ for _ in ()).throw(audio_analysis.DeviceBusy("bezet")), 1, "x")


@pytest.mark.parametrize(
    ("code", "cls"),
    [(-9985, audio_analysis.DeviceBusy), (-9997, audio_analysis.UnsupportedRate), (-9996, audio_analysis.NoInputDevice),
     (-9999, audio_analysis.AudioError)],
)
def test_portaudio_error_codes_become_dutch_errors(code, cls):
    err = microphone._pa_error(OSError("[Errno x] Something", code), "apparaat 3")
    assert type(err) is cls and "apparaat 3" in str(err)


def test_unsupported_rate_falls_back_to_the_device_default():
    """_open_input tries the wanted rate, then the device's own: a refused rate is not the end."""
    calls = []

    class FakePa:
        def open(self, **kw):
            calls.append(kw["rate"])
            if kw["rate"] != 44100:
                raise OSError("Invalid sample rate", -9997)
            return "stream"

    stream, rate = microphone._open_input(FakePa(), {"index": 0, "name": "x", "defaultSampleRate": 44100.0}, 96000, 512)
    assert (stream, rate) == ("stream", 44100) and calls == [96000, 44100]


def test_busy_device_is_not_retried_at_other_rates():
    class BusyPa:
        def open(self, **kw):
            raise OSError("Device unavailable", -9985)

    with pytest.raises(audio_analysis.DeviceBusy):
        microphone._open_input(BusyPa(), {"index": 1, "name": "USB", "defaultSampleRate": 48000.0}, None, 512)
