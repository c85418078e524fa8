"""The checklist behind `studio doctor` and the Controle screen: every check, run at once, each bounded.

The machinery is in ``runner``; the checks live one module per system (``media_checks``, ``obs_checks``,
``system_checks``, ``youtube_checks``) and register themselves when imported here, in the order they show.
"""

from __future__ import annotations

from studio.usecases.preflight import media_checks, obs_checks, system_checks, youtube_checks
from studio.usecases.preflight.runner import (
    REGISTRY,
    STATUSES,
    SYMBOLS,
    CheckEnv,
    Checklist,
    CheckResult,
    CheckSpec,
    Outcome,
    Unavailable,
    check,
    doctor,
    format_line,
    run_checks,
    selected,
)
from studio.usecases.preflight.system_checks import needed_bytes, recording_minutes_free

__all__ = [
    "REGISTRY", "STATUSES", "SYMBOLS", "CheckEnv", "CheckResult", "CheckSpec", "Checklist", "Outcome",
    "Unavailable", "check", "doctor", "format_line", "media_checks", "needed_bytes", "obs_checks",
    "recording_minutes_free", "run_checks", "selected", "system_checks", "youtube_checks",
]
