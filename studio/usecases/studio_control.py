"""The technician's controls: scenes, mute, recording by hand (the Studio screen and `studio scenes switch`).

What is on air is what OBS reports afterwards (its events), never what was asked: ``switch_scene_confirmed``
waits for OBS to say so.
"""

from __future__ import annotations

import time
from pathlib import Path

from studio.obs.errors import ObsError
from studio.usecases.audit import record
from studio.usecases.context import Studio


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
