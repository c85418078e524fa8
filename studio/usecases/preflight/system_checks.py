"""Preflight checks of the studio PC: room for the recording, Arabic typesetting, the overlays' fonts.

``needed_bytes`` and ``recording_minutes_free`` are also what the Spreekuur screen shows while live.
"""

from __future__ import annotations

import math
import os
import tempfile

from studio.config import Settings
from studio.files import free_bytes
from studio.usecases.preflight.runner import CheckEnv, Outcome, check


def needed_bytes(minutes: float, kbps: float, margin: float = 1.1) -> int:
    """Room for a recording of ``minutes`` at ``kbps`` (video plus audio), with 10 % to spare."""
    return int(minutes * 60 * kbps * 1000 / 8 * margin)


def recording_minutes_free(settings: Settings) -> float | None:
    """Minutes of recording the recordings folder still has room for (None when it cannot be read)."""
    folder = settings.recordings_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    per_minute = settings.preflight.record_bitrate_kbps * 1000 / 8 * 60
    return free_bytes(folder) / per_minute if per_minute else math.inf


@check("disk.recordings", "Opnamemap schrijfbaar en ruimte", group="system", timeout=5.0, unit="GB vrij")
def check_recordings(env: CheckEnv) -> Outcome:
    folder = env.settings.recordings_dir
    p = env.settings.preflight
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".preflight-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return Outcome("fail", str(folder), f"opnamemap {folder} is niet schrijfbaar ({exc.strerror or exc}): "
                                            "kies een andere map in [paths] recordings_dir")
    free = free_bytes(folder)
    need = needed_bytes(p.record_minutes, p.record_bitrate_kbps)
    gb = round(free / 1e9, 1)
    if free < need:
        return Outcome("fail", gb, f"te weinig ruimte in {folder}: {gb} GB vrij, {need / 1e9:.1f} GB nodig voor "
                                   f"{p.record_minutes} min op {p.record_bitrate_kbps} kbps: ruim op of kies een andere schijf")
    if free < 2 * need:
        return Outcome("warning", gb, f"krap: {gb} GB vrij, genoeg voor één opname van {p.record_minutes} min")
    return Outcome("ok", gb)


@check("system.raqm", "Arabisch tekstzetten (raqm)", group="system", timeout=10.0)
def check_raqm(env: CheckEnv) -> Outcome:
    from studio.overlay.fonts import require_raqm

    return Outcome("ok", require_raqm())  # the overlay's own error names the fix


@check("system.fonts", "Lettertypen voor de overlays", group="system", timeout=10.0)
def check_fonts(env: CheckEnv) -> Outcome:
    from studio.overlay.fonts import font_set

    f = env.ctx.theme.fonts  # the theme's own fonts; an OverlayError names a missing file
    sets = [font_set(f.latin_regular, f.arabic_regular), font_set(f.latin_bold, f.arabic_bold)]
    return Outcome("ok", f"{len({p for fs in sets for p in (fs.latin, fs.arabic)})} lettertypen (thema)")
