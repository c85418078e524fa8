"""Preflight checks of the microphone and the camera themselves (PyAudio and OpenCV, through studio.media)."""

from __future__ import annotations

from studio.config import Settings
from studio.usecases.preflight.runner import CheckEnv, Outcome, Unavailable, check


@check("audio.microphone", "Microfoon (geluid)", group="audio", timeout=12.0, unit="dBFS")
def check_microphone(env: CheckEnv) -> Outcome:
    from studio.media import microphone

    dev = env.settings.preflight.audio_device
    r = microphone.check_microphone(None if dev < 0 else dev, env.audio_seconds, timeout=env.audio_seconds + 6)
    return Outcome(r.verdict, r.rms_dbfs if r.seconds else None, r.advice, r.to_json())


def camera_source(settings: Settings) -> int | str | None:
    p = settings.preflight
    if p.camera_file:
        return p.camera_file
    return None if p.camera_device < 0 else p.camera_device


@check("camera.device", "Camera (beeld)", group="camera", timeout=10.0)
def check_camera(env: CheckEnv) -> Outcome:
    from studio.media import camera

    source = camera_source(env.settings)
    if source is None:
        raise Unavailable("camera niet direct gecontroleerd ([preflight] camera_device = -1); zie het OBS-beeld")
    r = camera.check_camera(source, timeout=8.0)
    value = f"{r.width}x{r.height} {r.fps:.0f} beelden/s" if r.width else None
    return Outcome(r.verdict, value, r.advice, r.to_json())
