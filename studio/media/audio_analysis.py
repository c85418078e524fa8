"""Judging a microphone's sound, in Dutch: pure analysis of samples (numpy) and of WAV files.

The capture itself (PyAudio) is in studio.media.microphone; this module never opens a device.

The analysis is pure numpy on float samples in [-1, 1]: RMS and peak in dBFS (a full-scale sine has a peak
of 0 dBFS and an RMS of -3 dBFS), the share of clipped samples, silence, DC offset and the share of the
power in narrow bands around 50 Hz and its harmonics (mains hum).
"""

from __future__ import annotations

import functools
import math
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from studio.errors import StudioError

Samples = npt.NDArray[np.float32]
T = TypeVar("T")

FLOOR_DBFS = -120.0  # what "no signal at all" reports, so that JSON never holds -inf
TARGET_RMS_DBFS = -20.0  # speech level we aim for (broadcast speech sits around -20..-16 dBFS RMS)
QUIET_WARN_DBFS = -30.0
QUIET_FAIL_DBFS = -45.0
SILENT_DBFS = -60.0
LOUD_WARN_DBFS = -8.0
CLIP_WARN_RATIO = 0.0005
CLIP_FAIL_RATIO = 0.005
DC_WARN = 0.05
HUM_WARN_RATIO = 0.2
HUM_FAIL_RATIO = 0.5
HUM_MIN_DBFS = -50.0  # hum quieter than this is inaudible in the stream, whatever its share
MAINS_HZ = 50.0
HUM_HARMONICS = 5
HUM_BAND_HZ = 1.5


class AudioError(StudioError):
    """Capturing or reading audio failed; the message says why in Dutch."""


class NoInputDevice(AudioError):
    pass


class DeviceBusy(AudioError):
    pass


class UnsupportedRate(AudioError):
    pass


class AudioTimeout(AudioError):
    pass


class NotAWav(AudioError):
    pass


# --- analysis -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AudioReport:
    verdict: str  # ok | warning | fail
    rms_dbfs: float
    peak_dbfs: float
    clipped_ratio: float
    silent: bool
    dc_offset: float
    hum_ratio: float
    advice: str  # Dutch, one line; empty when all is well
    seconds: float = 0.0
    rate: int = 0
    source: str = ""  # device name or file
    problems: tuple[str, ...] = field(default=())  # every finding, Dutch, most serious first

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["problems"] = list(self.problems)
        return d


def failed_report(message: str, source: str = "") -> AudioReport:
    """The verdict when there is nothing to analyse (no device, busy, not a WAV...)."""
    return AudioReport(
        verdict="fail", rms_dbfs=FLOOR_DBFS, peak_dbfs=FLOOR_DBFS, clipped_ratio=0.0, silent=True,
        dc_offset=0.0, hum_ratio=0.0, advice=message, source=source, problems=(message,),
    )


def dbfs(x: float) -> float:
    return max(FLOOR_DBFS, 20.0 * math.log10(x)) if x > 0 else FLOOR_DBFS


HUM_DECIMATE = 16  # 48 kHz -> 3 kHz: the hum bands end at 251.5 Hz, so the spectrum needs no more


@functools.lru_cache(maxsize=8)
def _hann(n: int) -> npt.NDArray[np.float32]:
    return np.hanning(n).astype(np.float32)


def hum_ratio(samples: Samples, rate: int) -> tuple[float, float]:
    """Share of the (AC) power within ±1.5 Hz of 50 Hz and its harmonics, and that hum's level in dBFS.

    The spectrum is taken of the signal block-averaged by HUM_DECIMATE (a boxcar low-pass whose first null
    sits at the new sample rate, so little folds into the bands): ~40x cheaper than a full-rate FFT. The
    share of hum in that spectrum, times the power that survives the averaging, over the full-band power,
    is the hum ratio.
    """
    x = samples - np.float32(samples.mean(dtype=np.float64))  # stay in float32: half the memory traffic
    full_power = float(np.mean(x * x, dtype=np.float64))
    factor = max(1, min(HUM_DECIMATE, int(rate // 3000)))
    usable = len(x) - len(x) % factor
    d = x[:usable].reshape(-1, factor).mean(axis=1, dtype=np.float32) if factor > 1 else x
    d_rate = rate / factor
    n = len(d)
    if n < d_rate / 4 or full_power <= 0:  # below 0.25 s the bins are too wide to tell hum from speech
        return 0.0, FLOOR_DBFS
    d = d - d.mean()
    spectrum = np.fft.rfft(d * _hann(n))
    power = spectrum.real**2 + spectrum.imag**2
    total = float(power[1:].sum())
    if total <= 0:
        return 0.0, FLOOR_DBFS
    hz_per_bin = d_rate / n
    hum = 0.0
    for k in range(1, HUM_HARMONICS + 1):
        lo = math.floor((k * MAINS_HZ - HUM_BAND_HZ) / hz_per_bin)
        hi = math.ceil((k * MAINS_HZ + HUM_BAND_HZ) / hz_per_bin) + 1
        hum += float(power[max(lo, 1) : hi].sum())
    d_power = float(np.mean(d * d, dtype=np.float64))
    ratio = min(1.0, (hum / total) * d_power / full_power)
    return ratio, dbfs(math.sqrt(full_power * ratio))


def analyse(samples: npt.NDArray[Any], rate: int, *, full_scale: float = 1.0, source: str = "") -> AudioReport:
    """Judge a buffer of samples (mono, or frames x channels: the loudest channel counts).

    ``full_scale``: the value that means 0 dBFS (1.0 for float, 32768 for int16 samples).
    """
    x = np.asarray(samples)
    if x.ndim == 2:
        if x.shape[1] == 0:
            return failed_report("geen audiokanalen in de opname", source)
        x = x[:, int(np.argmax((x.astype(np.float32) ** 2).mean(axis=0)))]
    x = x.astype(np.float32) / np.float32(full_scale)
    seconds = len(x) / rate if rate else 0.0
    if len(x) == 0:
        r = failed_report("de opname is leeg (0 samples)", source)
        return r
    absx = np.abs(x)
    peak = float(absx.max())
    rms = float(np.sqrt(np.mean(x * x, dtype=np.float64)))
    clip_level = 1.0 - 2.0 / 32768.0  # the last two int16 steps below full scale count as clipped
    clipped = float(np.count_nonzero(absx >= clip_level)) / len(x)
    dc = float(x.mean(dtype=np.float64))
    hum, hum_dbfs = hum_ratio(x, rate)
    rms_db, peak_db = dbfs(rms), dbfs(peak)
    silent = rms_db < SILENT_DBFS

    fails: list[str] = []
    warns: list[str] = []
    if silent:
        fails.append(
            "geen signaal van de microfoon: staat hij aan, is hij niet gedempt, is het juiste apparaat gekozen?"
        )
    elif clipped >= CLIP_FAIL_RATIO:
        fails.append(f"microfoon overstuurd ({clipped:.1%} geclipt): zet de gain ongeveer 10 dB lager")
    elif rms_db < QUIET_FAIL_DBFS:
        fails.append(f"microfoon veel te zacht: ongeveer +{round(TARGET_RMS_DBFS - rms_db)} dB nodig")
    else:
        if clipped >= CLIP_WARN_RATIO:
            warns.append(f"microfoon raakt af en toe het maximum ({clipped:.2%} geclipt): iets minder gain")
        if rms_db < QUIET_WARN_DBFS:
            warns.append(f"microfoon te zacht: ongeveer +{round(TARGET_RMS_DBFS - rms_db)} dB nodig")
        elif rms_db > LOUD_WARN_DBFS and clipped < CLIP_WARN_RATIO:
            warns.append(f"microfoon erg luid: ongeveer {round(TARGET_RMS_DBFS - rms_db)} dB minder gain")
    if not silent and hum_dbfs >= HUM_MIN_DBFS:
        if hum >= HUM_FAIL_RATIO:
            fails.append(
                f"sterke netbrom (50 Hz, {hum:.0%} van het signaal): controleer kabels, aarding en voeding"
            )
        elif hum >= HUM_WARN_RATIO:
            warns.append(f"netbrom hoorbaar (50 Hz, {hum:.0%} van het signaal): controleer kabels en aarding")
    if abs(dc) >= DC_WARN:
        warns.append(f"gelijkspanning op het signaal (DC-offset {dc:+.2f}): ander snoer of andere ingang proberen")

    problems = tuple(fails + warns)
    verdict = "fail" if fails else "warning" if warns else "ok"
    return AudioReport(
        verdict=verdict,
        rms_dbfs=round(rms_db, 1),
        peak_dbfs=round(peak_db, 1),
        clipped_ratio=round(clipped, 5),
        silent=silent,
        dc_offset=round(dc, 4),
        hum_ratio=round(hum, 3),
        advice=problems[0] if problems else "",
        seconds=round(seconds, 2),
        rate=rate,
        source=source,
        problems=problems,
    )


# --- WAV files -------------------------------------------------------------------------------------
def read_wav(path: str | Path) -> tuple[npt.NDArray[np.float32], int]:
    """PCM WAV (8/16/24/32-bit) as float32 frames x channels in [-1, 1], and its rate. Raises NotAWav."""
    p = Path(path)
    try:
        with wave.open(str(p), "rb") as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except FileNotFoundError:
        raise NotAWav(f"{p} bestaat niet") from None
    except IsADirectoryError:
        raise NotAWav(f"{p} is een map, geen WAV-bestand") from None
    except (wave.Error, EOFError) as exc:
        raise NotAWav(f"{p.name} is geen bruikbaar WAV-bestand ({exc})", "neem op als PCM-WAV (16 bit)") from None
    except OSError as exc:
        raise NotAWav(f"kan {p} niet lezen: {exc.strerror or exc}") from None
    if rate <= 0 or channels <= 0:
        raise NotAWav(f"{p.name}: ongeldige WAV-kop (rate {rate}, kanalen {channels})")
    usable = len(raw) - len(raw) % (width * channels)
    raw = raw[:usable]
    if width == 1:
        data = (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        data = np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v >= 1 << 23, v - (1 << 24), v)
        data = v.astype(np.float32) / float(1 << 23)
    elif width == 4:
        data = np.frombuffer(raw, "<i4").astype(np.float32) / float(1 << 31)
    else:
        raise NotAWav(f"{p.name}: {width * 8}-bit samples worden niet ondersteund")
    return data.reshape(-1, channels), rate


def analyse_wav(path: str | Path) -> AudioReport:
    try:
        data, rate = read_wav(path)
    except AudioError as exc:
        return failed_report(str(exc), str(path))
    return analyse(data, rate, source=str(path))
