"""The technician's controls: scenes, mute and level, recording by hand, and what the technician looks at
(the program's picture, where each sound goes) for the Studio screen and `studio scenes switch`.

What is on air is what OBS reports afterwards (its events), never what was asked: ``switch_scene_confirmed``
waits for OBS to say so, ``step_volume`` returns the level OBS reports after the change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path

from studio.obs.errors import ObsError, ObsRequestFailed
from studio.obs.state import AudioRoute, Connection
from studio.usecases.audit import record
from studio.usecases.context import Studio

VOLUME_STEP_DB = 1.0
VOLUME_MIN_DB = -60.0  # below this the fader is as good as off: mute is the key for silence
VOLUME_MAX_DB = 20.0  # OBS allows +26 dB; more than +20 only distorts a microphone
_volume_lock = threading.Lock()  # one read-and-set at a time: quick key presses never lose a step


def switch_scene(ctx: Studio, scene: str) -> None:
    ctx.obs.switch_scene(scene)


def switch_scene_confirmed(ctx: Studio, scene: str, timeout: float = 3.0) -> str | None:
    """Switch and wait until OBS reports the new program scene; audited. Returns the program scene then."""
    obs = ctx.obs
    try:
        obs.switch_scene(scene)
    except ObsError as exc:
        record(ctx, "scene.switch", {"scene": scene}, f"fout: {exc}")
        raise
    deadline = time.monotonic() + timeout
    while obs.snapshot.program_scene != scene and time.monotonic() < deadline:
        time.sleep(0.02)
    now = obs.snapshot.program_scene
    record(ctx, "scene.switch", {"scene": scene}, "ok" if now == scene else f"programma: {now}")
    return now


def toggle_mute(ctx: Studio, input_name: str) -> bool:
    """Mute or unmute; returns whether it is muted now."""
    return ctx.obs.toggle_input_mute(input_name)


def start_record(ctx: Studio) -> Path:
    """Start recording by hand into the studio's recordings folder (not OBS's own): the archive, the disk
    check and retention look there. Returns that folder."""
    folder = ctx.settings.recordings_dir
    ctx.obs.set_record_directory(folder)
    ctx.obs.start_record()
    return folder


def stop_record(ctx: Studio) -> Path:
    """Stop the recording; returns the finished file once OBS has written it."""
    return ctx.obs.stop_record()


def program_preview(ctx: Studio, width: int, height: int) -> bytes | None:
    """A PNG of what is on air now (OBS renders the program scene at ``width`` x ``height``); None when OBS is
    not connected or has no program scene."""
    obs = ctx.obs
    snap = obs.snapshot
    if snap.connection is not Connection.CONNECTED or not snap.program_scene:
        return None
    return obs.screenshot(snap.program_scene, width, height)


def audio_routes(ctx: Studio, names: Iterable[str]) -> dict[str, AudioRoute]:
    """For each audio input: whether viewers hear it (in the program output, not monitor only) and its level.
    An input that disappeared meanwhile is left out."""
    obs = ctx.obs
    out: dict[str, AudioRoute] = {}
    for name in names:
        try:
            out[name] = obs.audio_route(name)
        except ObsRequestFailed:
            continue
    return out


def step_volume(ctx: Studio, input_name: str, step_db: float) -> float:
    """The input's fader ``step_db`` louder (negative: softer), within -60..+20 dB; returns OBS's level after."""
    obs = ctx.obs
    with _volume_lock:
        current = obs.input_volume_db(input_name)
        start = max(current, VOLUME_MIN_DB - step_db) if step_db > 0 else current
        target = min(VOLUME_MAX_DB, max(VOLUME_MIN_DB, round(start + step_db, 1)))
        if target != current:
            obs.set_input_volume_db(input_name, target)
        return obs.input_volume_db(input_name)
