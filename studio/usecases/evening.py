"""An evening of the consultation hour: tonight's sessions from the schedule, and the show flow of one of them.

The Spreekuur screen, `studio show status` and the tests ask here which sessions tonight has (Dutch at
19:00, on some evenings Arabic at 20:00), which one to open after a restart, and for the ``ShowFlow`` that
walks one session through its steps with the real studio (``StudioShowActions``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from studio.config import Settings
from studio.domain.schedule import SeriesRule
from studio.errors import ConfigError
from studio.files import PanelLock
from studio.usecases.context import Studio
from studio.usecases.show import FlowState, SessionPlan, ShowActions, ShowFlow, resume

if TYPE_CHECKING:
    from studio.domain.air_status import YouTubeReport


def schedule_rule(settings: Settings) -> SeriesRule:
    """The series' rule from [schedule]; a rule that cannot be is a configuration error (exit 2)."""
    from studio.domain.schedule import rule_from_settings

    try:
        return rule_from_settings(settings.schedule)
    except ValueError as exc:
        raise ConfigError(str(exc), "verbeter [schedule] in het configuratiebestand") from None


def plans_from_schedule(ctx: Studio, day: date) -> list[SessionPlan]:
    """The sessions of one evening, in start order."""
    from studio.domain.schedule import sessions_on
    from studio.youtube.auth import is_rehearsal

    rule = schedule_rule(ctx.settings)
    rehearsal = is_rehearsal(ctx.settings)
    return [SessionPlan(s.key, s.lang, s.topic, s.start.isoformat(), rehearsal) for s in sessions_on(rule, day)]


def _local_now(ctx: Studio, now: datetime | None) -> datetime:
    tz = ZoneInfo(ctx.settings.schedule.timezone)
    return now.astimezone(tz) if now else datetime.now(tz)


def tonight(ctx: Studio, now: datetime | None = None) -> list[SessionPlan]:
    """Tonight's sessions; in rehearsal mode a 'nu oefenen' rehearsal made today (`studio rehearse`) comes first."""
    day = _local_now(ctx, now).date()
    from studio.youtube.auth import is_rehearsal

    if is_rehearsal(ctx.settings):
        from studio.usecases.rehearse_now import practice_plans

        practice = practice_plans(ctx, day)
        if practice:
            return practice
    return plans_from_schedule(ctx, day)


def next_evening(ctx: Studio, now: datetime | None = None, days: int = 62) -> list[SessionPlan]:
    """The first evening from today on that has sessions (for the home screen when tonight has none)."""
    today = _local_now(ctx, now).date()
    for offset in range(days):
        plans = plans_from_schedule(ctx, today + timedelta(days=offset))
        if plans:
            return plans
    return []


def session_to_open(ctx: Studio, plans: list[SessionPlan]) -> SessionPlan | None:
    """Which of tonight's sessions the panel opens on (after a restart: the one under way)."""
    return resume(ctx.store, plans)


def make_flow(ctx: Studio, plan: SessionPlan, on_change: Callable[[FlowState], None] | None = None,
              actions: ShowActions | None = None) -> ShowFlow:
    from studio.usecases import show_steps  # looked up when called: tests replace the real steps

    return ShowFlow(ctx.store, plan, actions or show_steps.StudioShowActions(ctx),
                    end_slate_seconds=ctx.settings.show.end_slate_seconds, on_change=on_change)


def resume_live_services(flow: ShowFlow) -> None:
    """After a restart while live: the chat intake and the scene marks run again (nothing else restarts)."""
    bid = flow.state.broadcast_id
    if bid:
        flow.actions.resume_live(flow.plan, bid)


def hold_panel_lock(settings: Settings) -> PanelLock:
    """The panel's lock, taken (released when the panel ends, however it ends). A second panel on the same
    studio would drive the same show: refused with one line."""
    from studio.errors import StudioError

    lock = PanelLock(settings.panel_lock_file)
    if not lock.acquire():
        raise StudioError("het paneel draait al op deze pc (een tweede paneel zou dezelfde uitzending sturen)",
                          "gebruik het paneel dat al open is, of sluit dat eerst af met Ctrl+Q")
    return lock


def keep_show(ctx: Studio, flow: ShowFlow, on_report: Callable[[str, bool], None]) -> Callable[[], None]:
    """While this session runs: OBS's scene and mutes kept in the store, and put back with the recording and
    the stream when OBS comes back after a crash (studio/usecases/show_keeper.py). ``on_report(line, ok)`` says
    what was restored. Returns the function that stops keeping."""
    from studio.usecases.show_keeper import ShowKeeper

    keeper = ShowKeeper(ctx, flow, lambda r: on_report(r.summary(), not r.problems))
    return keeper.start()


def refresh_slate(flow: ShowFlow) -> None:
    """The countdown on the starting-soon slate (the Spreekuur screen asks every minute before going live)."""
    flow.actions.refresh_slate(flow.plan)


@dataclass(frozen=True)
class SessionStatus:
    plan: SessionPlan
    where: str  # Dutch: 'nog niet gestart' or "<step label>: <status>"
    detail: str


def statuses(ctx: Studio, now: datetime | None = None) -> list[SessionStatus]:
    """Where each of tonight's sessions is (`studio show status`), from the store: nothing is started."""
    from studio.domain.labels import step_status
    from studio.store import session as repo
    from studio.usecases.show import SPEC

    out = []
    panel_runs: bool | None = None
    for plan in tonight(ctx, now):
        row = repo.get_session(ctx.store, plan.session_id)
        if row is None:
            out.append(SessionStatus(plan, "nog niet gestart", ""))
            continue
        status, detail = str(row["status"]), str(row["detail"] or "")
        if status in ("running", "interrupted"):
            if panel_runs is None:
                panel_runs = PanelLock(ctx.settings.panel_lock_file).held()
            if panel_runs and status == "running":
                status = "bezig"
            else:
                status = "onderbroken"
                detail = (f"{detail}; " if detail else "") + (
                    "het paneel stopte tijdens deze stap: start het paneel ('studio'), dan gaat het verder")
        out.append(SessionStatus(plan, f"{SPEC[row['step']].label}: {step_status(status)}", detail))
    return out


@dataclass(frozen=True)
class LiveFacts:
    """Slow facts for the Spreekuur screen, polled every few seconds: stream health, quota, disk."""

    health: str = ""  # YouTube's stream health, with its configuration issues
    health_bad: bool = False
    quota_ratio: float = 0.0
    disk_free_minutes: float | None = None
    lifecycle: str = ""  # the broadcast's lifeCycleStatus as YouTube reported it ('' when not asked)
    report: YouTubeReport | None = None  # YouTube's answer for the status bar (None: not asked, or it failed)


def live_facts(ctx: Studio, state: FlowState | None) -> LiveFacts:
    """Quota from the store's ledger (no YouTube call); YouTube is asked only while a broadcast runs.

    ``health`` is in Dutch ("goed", "geen beeld ontvangen"...), with YouTube's own configuration issues.
    """
    from studio.domain.labels import stream_health
    from studio.usecases import quota
    from studio.usecases.broadcasts import air_report
    from studio.usecases.preflight import recording_minutes_free

    health, bad, lifecycle, ratio, report = "", False, "", 0.0, None
    try:
        ratio = quota.usage(ctx).ratio
        if state and state.broadcast_id and state.step in ("stream", "live", "on_air", "end_slate"):
            status = ctx.youtube.broadcasts.status(state.broadcast_id)
            lifecycle = status.lifecycle
            report = air_report(status)
            stream = status.stream
            if stream is not None and stream.health:
                health = stream_health(stream.health) + (f" ({'; '.join(stream.issues)})" if stream.issues else "")
                bad = stream.health == "bad"
    except Exception:  # YouTube unreachable shows up in the step that needs it; facts are best effort
        pass
    return LiveFacts(health, bad, ratio, recording_minutes_free(ctx.settings), lifecycle, report)
