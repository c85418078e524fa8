"""The microphone and the camera on their own: `studio check audio|camera` and the Controle screen's live meter."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from studio.config import Settings
from studio.errors import ConfigError
from studio.usecases.context import Studio

if TYPE_CHECKING:
    from studio.media.audio_analysis import AudioReport
    from studio.media.camera import CameraReport
    from studio.media.microphone import InputDevice, LevelMeter
    from studio.usecases.preflight.runner import Checklist


def audio_devices() -> list[InputDevice]:
    from studio.media import microphone

    return microphone.list_input_devices()


def check_audio(settings: Settings, *, device: int | None = None, seconds: float | None = None,
                file: str | Path | None = None) -> AudioReport:
    """The microphone (or a WAV recording of it) judged: level, clipping, hum, silence."""
    from studio.media import audio_analysis, microphone

    if file:
        return audio_analysis.analyse_wav(file)
    dev = settings.preflight.audio_device if device is None else device
    secs = settings.preflight.audio_seconds if seconds is None else seconds
    if secs <= 0 or secs > 60:
        raise ConfigError("--seconds moet tussen 0 en 60 liggen")
    return microphone.check_microphone(None if dev < 0 else dev, secs)


def check_camera(settings: Settings, *, device: int | None = None, file: str | Path | None = None) -> CameraReport:
    """The camera (or a video file) judged: resolution, frame rate, sharpness, exposure, black or frozen."""
    from studio.media import camera

    source: int | str | Path = file if file else (settings.preflight.camera_device if device is None else device)
    return camera.check_camera(source)


def level_meter(settings: Settings) -> LevelMeter:
    """The live microphone level (a context manager; ``read_level()`` gives (rms, peak) in dBFS)."""
    from studio.media.microphone import LevelMeter

    dev = settings.preflight.audio_device
    return LevelMeter(None if dev < 0 else dev)


def remember_run(ctx: Studio, checklist: Checklist) -> None:
    """The last run, kept in the store (``preflight.last``) for the show flow and after a restart."""
    ctx.store.set_state("preflight.last", {
        "at": time.time(), "passed": checklist.passed,
        "checks": [{k: v for k, v in r.to_json().items() if k != "detail"} for r in checklist.results],
    })


def record_override(ctx: Studio, reason: str, checklist: Checklist) -> None:
    """Starting despite failed checks: the reason and the failed checks in the audit log BEFORE the show starts."""
    ctx.store.audit("preflight.override", {"reason": reason, "failed": [r.id for r in checklist.blocking_failures]})
