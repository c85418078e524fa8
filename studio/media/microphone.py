"""The microphone through PyAudio: list input devices, capture, a live level meter, the check in Dutch.

Everything that touches PortAudio runs in a daemon thread bounded by a timeout (a blocking read on a stuck
device never returns), behind one lock (PortAudio's initialise/terminate are not thread-safe). PyAudio's
``OSError`` codes become :class:`AudioError` subclasses with a line a technician can act on. What is
captured is judged by studio.media.audio_analysis.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from studio.media import bounded
from studio.media.audio_analysis import (
    FLOOR_DBFS,
    AudioError,
    AudioReport,
    AudioTimeout,
    DeviceBusy,
    NoInputDevice,
    UnsupportedRate,
    analyse,
    dbfs,
    failed_report,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


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
        # Set while no read is inside PortAudio. A read that timed out is abandoned but still running: the
        # stream must not be read again nor closed under it (closing it there crashed the process).
        self._idle = threading.Event()
        self._idle.set()

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
        if not self._idle.is_set():
            raise AudioTimeout("microfoon lezen: de vorige meting hangt nog", "is het apparaat vastgelopen of bezet?")
        self._idle.clear()

        def work() -> bytes:
            try:
                return bytes(stream.read(n, exception_on_overflow=False))
            finally:
                self._idle.set()

        try:
            data = run_bounded(work, self.read_timeout, "microfoon lezen")
        except OSError as exc:
            raise _pa_error(exc, self.name) from None
        x = np.frombuffer(data, "<i2").astype(np.float32) / 32768.0
        if len(x) == 0:
            return FLOOR_DBFS, FLOOR_DBFS
        return dbfs(float(np.sqrt(np.mean(x * x)))), dbfs(float(np.abs(x).max()))

    def levels(self, stop: threading.Event) -> Iterator[tuple[float, float]]:
        while not stop.is_set():
            yield self.read_level()

    def __exit__(self, *exc: object) -> None:
        stream, cm = self._stream, self._cm
        self._stream = self._cm = None
        if not self._idle.wait(self.read_timeout):
            # A read is still stuck in the driver: closing the stream under it would crash the panel. Leave
            # the device open (the driver lets go when the process ends); the next meter opens its own.
            log.warning("microphone read still stuck after %.0f s: the stream is left open", self.read_timeout)
            return

        def work() -> None:
            with contextlib.suppress(Exception):
                stream.stop_stream()
                stream.close()
            if cm is not None:
                cm.__exit__(None, None, None)

        with contextlib.suppress(AudioError):
            run_bounded(work, 3.0, "microfoon sluiten")
