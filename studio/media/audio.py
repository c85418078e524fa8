"""The microphone: list input devices and capture through PyAudio, analyse with numpy, judge in Dutch.

Everything that touches PortAudio runs in a daemon thread bounded by a timeout (a blocking read on a stuck
device never returns), behind one lock (PortAudio's initialise/terminate are not thread-safe). PyAudio's
``OSError`` codes become :class:`AudioError` subclasses with a line a technician can act on.

The analysis is pure numpy on float samples in [-1, 1]: RMS and peak in dBFS (a full-scale sine has a peak
of 0 dBFS and an RMS of -3 dBFS), the share of clipped samples, silence, DC offset and the share of the
power in narrow bands around 50 Hz and its harmonics (mains hum).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import math
import os
import threading
import wave
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from studio.errors import StudioError
from studio.media import bounded

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


def _dbfs(x: float) -> float:
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
    return ratio, _dbfs(math.sqrt(full_power * ratio))


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
    rms_db, peak_db = _dbfs(rms), _dbfs(peak)
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


# --- PyAudio -------------------------------------------------------------------------------------
_pa_lock = threading.Lock()
_quieted = False
_c_handlers: list[Any] = []  # keep the ctypes callbacks alive for the life of the process


def _quiet_native_logs() -> None:
    """ALSA and JACK print probing noise straight to fd 2 (which is the panel's screen): mute them."""
    global _quieted
    if _quieted:
        return
    _quieted = True
    os.environ.setdefault("JACK_NO_START_SERVER", "1")
    with contextlib.suppress(OSError, AttributeError, TypeError):
        asound = ctypes.CDLL(ctypes.util.find_library("asound") or "libasound.so.2")
        alsa_cb_t = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        alsa_cb = alsa_cb_t(lambda *a: None)
        asound.snd_lib_error_set_handler(alsa_cb)
        _c_handlers.append(alsa_cb)
    with contextlib.suppress(OSError, AttributeError, TypeError):
        jack = ctypes.CDLL(ctypes.util.find_library("jack") or "libjack.so.0")
        jack_cb_t = ctypes.CFUNCTYPE(None, ctypes.c_char_p)
        jack_cb = jack_cb_t(lambda msg: None)
        jack.jack_set_error_function(jack_cb)
        jack.jack_set_info_function(jack_cb)
        _c_handlers.append(jack_cb)


def run_bounded(fn: Callable[[], T], timeout: float, what: str) -> T:
    """``fn`` with a deadline: AudioTimeout when the audio does not answer in time."""
    return bounded.run_bounded(fn, timeout, f"audio:{what}", lambda: AudioTimeout(f"{what}: geen antwoord binnen {timeout:.0f} s", "is het apparaat vastgelopen of bezet?"))


@contextlib.contextmanager
def _pyaudio(lock_timeout: float = 5.0) -> Iterator[Any]:
    """One PyAudio instance, created and terminated under the module lock (PortAudio is not re-entrant)."""
    _quiet_native_logs()
    import pyaudio

    if not _pa_lock.acquire(timeout=lock_timeout):
        raise DeviceBusy("de audiolaag is bezet door een andere meting", "probeer het zo opnieuw")
    try:
        pa = pyaudio.PyAudio()
    except Exception as exc:
        _pa_lock.release()
        raise NoInputDevice(f"audiosysteem niet te starten: {exc}") from None
    _pa_lock.release()
    try:
        yield pa
    finally:
        with _pa_lock:
            pa.terminate()


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default_rate: int
    is_default: bool
    host_api: str


def _list(pa: Any) -> list[InputDevice]:
    try:
        default = int(pa.get_default_input_device_info()["index"])
    except OSError:
        default = -1
    out = []
    for i in range(pa.get_device_count()):
        info = pa.get_device_info_by_index(i)
        if int(info.get("maxInputChannels", 0)) <= 0:
            continue
        api = pa.get_host_api_info_by_index(int(info["hostApi"]))["name"]
        out.append(
            InputDevice(i, str(info["name"]), int(info["maxInputChannels"]), int(info["defaultSampleRate"]),
                        i == default, str(api))
        )
    return out


def list_input_devices(timeout: float = 5.0) -> list[InputDevice]:
    def work() -> list[InputDevice]:
        with _pyaudio() as pa:
            return _list(pa)

    return run_bounded(work, timeout, "audioapparaten opvragen")


def _pa_error(exc: OSError, device: str) -> AudioError:
    code = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
    text = str(exc.args[0] if exc.args else exc)
    if code == -9985 or "unavailable" in text.lower() or "busy" in text.lower():
        return DeviceBusy(f"{device} is bezet", "sluit het programma dat de microfoon gebruikt (OBS?) of kies een ander apparaat")
    if code == -9997 or "sample rate" in text.lower():
        return UnsupportedRate(f"{device} ondersteunt de samplefrequentie niet", "kies een ander apparaat")
    if code in (-9996, -9998):
        return NoInputDevice(f"{device} is geen bruikbare opname-ingang ({text})", "zie 'studio check audio --list'")
    return AudioError(f"{device}: opnemen mislukt ({text})")


def _pick_device(pa: Any, device: int | None) -> dict[str, Any]:
    if device is None or device < 0:
        try:
            return dict(pa.get_default_input_device_info())
        except OSError:
            raise NoInputDevice("geen microfoon gevonden (geen standaard opname-apparaat)",
                                "sluit een microfoon aan of kies er een met --device") from None
    if device >= pa.get_device_count():
        raise NoInputDevice(f"audio-apparaat {device} bestaat niet", "zie 'studio check audio --list'")
    info = dict(pa.get_device_info_by_index(device))
    if int(info.get("maxInputChannels", 0)) <= 0:
        raise NoInputDevice(f"audio-apparaat {device} ({info['name']}) heeft geen ingang",
                            "zie 'studio check audio --list'")
    return info


def _candidate_rates(info: dict[str, Any], wanted: int | None) -> list[int]:
    rates = [wanted] if wanted else []
    rates += [int(info.get("defaultSampleRate") or 0), 48000, 44100, 32000, 16000]
    seen: list[int] = []
    for r in rates:
        if r and r not in seen:
            seen.append(r)
    return seen


def _open_input(pa: Any, info: dict[str, Any], rate: int | None, block: int) -> tuple[Any, int]:
    """Open a mono int16 input stream; try the device's own rate when the wanted one is refused."""
    import pyaudio

    name = f"audio-apparaat {info['index']} ({info['name']})"
    last: AudioError | None = None
    for r in _candidate_rates(info, rate):
        try:
            stream = pa.open(format=pyaudio.paInt16, channels=1, rate=r, input=True,
                             input_device_index=int(info["index"]), frames_per_buffer=block)
            return stream, r
        except (OSError, ValueError) as exc:
            last = _pa_error(exc, name) if isinstance(exc, OSError) else AudioError(f"{name}: {exc}")
            if not isinstance(last, UnsupportedRate):
                raise last from None
    assert last is not None
    raise last


@dataclass(frozen=True)
class Capture:
    samples: npt.NDArray[np.int16]
    rate: int
    device: str


def capture(device: int | None, seconds: float, *, rate: int | None = None, timeout: float | None = None) -> Capture:
    """Record ``seconds`` of mono audio from an input device (None/-1: the default). Bounded by ``timeout``."""
    seconds = max(0.1, float(seconds))
    limit = timeout if timeout is not None else seconds + 5.0

    def work() -> Capture:
        with _pyaudio() as pa:
            info = _pick_device(pa, device)
            block = 1024
            stream, r = _open_input(pa, info, rate, block)
            name = str(info["name"])
            try:
                want = int(seconds * r)
                chunks: list[bytes] = []
                got = 0
                while got < want:
                    data = stream.read(min(block, want - got), exception_on_overflow=False)
                    chunks.append(data)
                    got += len(data) // 2
            except OSError as exc:
                raise _pa_error(exc, f"audio-apparaat {info['index']} ({name})") from None
            finally:
                with contextlib.suppress(Exception):
                    stream.stop_stream()
                    stream.close()
            return Capture(np.frombuffer(b"".join(chunks), "<i2").copy(), r, name)

    return run_bounded(work, limit, "opnemen van de microfoon")


def check_microphone(device: int | None, seconds: float, *, timeout: float | None = None) -> AudioReport:
    """Capture and judge; every problem becomes a 'fail' report, never an exception."""
    try:
        cap = capture(device, seconds, timeout=timeout)
    except AudioError as exc:
        return failed_report(str(exc), "" if device is None else f"apparaat {device}")
    return analyse(cap.samples, cap.rate, full_scale=32768.0, source=cap.device)


class LevelMeter:
    """Live level for the panel: small blocks from an input, one (rms_dbfs, peak_dbfs) per block.

    Use from a thread worker: ``with LevelMeter(dev) as m: for rms, peak in m.levels(stop_event): ...``.
    ``block_seconds`` 0.05 gives ~20 updates a second.
    """

    def __init__(self, device: int | None, block_seconds: float = 0.05, read_timeout: float = 2.0) -> None:
        self.device = device
        self.block_seconds = block_seconds
        self.read_timeout = read_timeout
        self.name = ""
        self.rate = 0
        self._cm: contextlib.AbstractContextManager[Any] | None = None
        self._stream: Any = None

    def __enter__(self) -> LevelMeter:
        def work() -> tuple[contextlib.AbstractContextManager[Any], Any, int, str]:
            cm = _pyaudio()
            pa = cm.__enter__()
            try:
                info = _pick_device(pa, self.device)
                stream, rate = _open_input(pa, info, None, 1024)
            except BaseException:
                cm.__exit__(None, None, None)
                raise
            return cm, stream, rate, str(info["name"])

        self._cm, self._stream, self.rate, self.name = run_bounded(work, 5.0, "microfoon openen")
        return self

    def read_level(self) -> tuple[float, float]:
        n = max(64, int(self.rate * self.block_seconds))
        stream = self._stream

        def work() -> bytes:
            return bytes(stream.read(n, exception_on_overflow=False))

        try:
            data = run_bounded(work, self.read_timeout, "microfoon lezen")
        except OSError as exc:
            raise _pa_error(exc, self.name) from None
        x = np.frombuffer(data, "<i2").astype(np.float32) / 32768.0
        if len(x) == 0:
            return FLOOR_DBFS, FLOOR_DBFS
        return _dbfs(float(np.sqrt(np.mean(x * x)))), _dbfs(float(np.abs(x).max()))

    def levels(self, stop: threading.Event) -> Iterator[tuple[float, float]]:
        while not stop.is_set():
            yield self.read_level()

    def __exit__(self, *exc: object) -> None:
        stream, cm = self._stream, self._cm
        self._stream = self._cm = None

        def work() -> None:
            with contextlib.suppress(Exception):
                stream.stop_stream()
                stream.close()
            if cm is not None:
                cm.__exit__(None, None, None)

        with contextlib.suppress(AudioError):
            run_bounded(work, 3.0, "microfoon sluiten")
