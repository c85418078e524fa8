"""The show's scenes in OBS: what `studio scenes apply` does and the show flow's first step.

Scenes as code (scenes/wijkspreekuur.toml plus overrides) are read by the OBS adapter, compared with the OBS
that runs, and OBS is made to match; the adapter never changes or removes what the studio did not make.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from studio.errors import StudioError
from studio.usecases.context import Studio

if TYPE_CHECKING:
    from studio.obs.scenes import Show
    from studio.obs.scenes_apply import Plan


class ScenesConflict(StudioError):
    """OBS has scenes or sources of the show's names that the studio did not make."""


def load_show(ctx: Studio, file: str | Path | None = None, overrides: Iterable[str | Path] = ()) -> Show:
    """The show as configured (or from ``file``), with [obs] scenes_override and ``overrides`` on top.

    Problems in the files are a ConfigError (exit 2) before anything connects to OBS.
    """
    from studio.obs import scenes

    if file is None:
        return scenes.load_show_for(ctx.settings, overrides)
    extra = [ctx.settings.obs.scenes_override] if ctx.settings.obs.scenes_override else []
    return scenes.load_show(file, data_dir=ctx.settings.data_dir, overrides=[*extra, *overrides])


def plan(ctx: Studio, show: Show) -> Plan:
    return ctx.obs.plan_show(show)


def describe(p: Plan) -> list[str]:
    """One Dutch line per change (and per conflict), for `studio scenes apply --dry-run`."""
    from studio.obs.scenes_apply import describe as describe_plan

    return describe_plan(p)


def apply(ctx: Studio, p: Plan) -> int:
    """Make OBS match the plan; audited. Returns the number of changes made."""
    params = {"file": str(p.show.path)}
    if p.conflicts:
        ctx.store.audit("scenes.apply", params, "conflict")
        raise ScenesConflict(f"{len(p.conflicts)} scène(s) of bron(nen) in OBS botsen met de show",
                             "voer 'studio scenes apply --dry-run' uit om te zien welke, en hernoem ze in OBS")
    if not p.steps:
        return 0
    try:
        ctx.obs.apply_plan(p)
    except StudioError as exc:
        ctx.store.audit("scenes.apply", params, f"fout: {exc}")
        raise
    ctx.store.audit("scenes.apply", {**params, "changes": len(p.steps)}, "ok")
    return len(p.steps)


CREATING_KEY = "scenes.creating"


def apply_show(ctx: Studio) -> int:
    """The show flow's 'scenes' step: the configured show, applied (nothing happens when OBS matches).

    What it is about to create is written to the store first: killed halfway (a scene made, not yet marked
    as studio's), the next run adopts those names instead of refusing them as someone else's."""
    from studio.obs.scenes_apply import creates

    pending = frozenset(str(n) for n in (ctx.store.get_state(CREATING_KEY) or []))
    p = ctx.obs.plan_show(load_show(ctx), adopt=pending)
    ctx.store.set_state(CREATING_KEY, sorted(pending | set(creates(p))))
    changes = apply(ctx, p)
    ctx.store.set_state(CREATING_KEY, [])
    return changes
