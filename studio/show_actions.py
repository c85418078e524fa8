"""What each step of the show does, with the real studio: OBS, YouTube (or the emulator), overlay, archive.

`StudioShowActions` implements `studio.session.ShowActions`. Every method is idempotent: it looks at what OBS
and YouTube report before acting, so the flow can run a step again after a crash without starting anything
twice (a recording that is running is not restarted; a broadcast that exists is not created again; a
transition that already happened counts as done).

Also here: `tonight()` (tonight's sessions from the schedule, as SessionPlans) and `make_flow()`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from studio.context import StudioContext
from studio.errors import StudioError
from studio.session import PreflightFailed, SessionPlan, ShowFlow

log = logging.getLogger(__name__)

OBS_WAIT = 10.0  # seconds to wait for OBS before a step gives up


def plans_from_schedule(ctx: StudioContext, day: date) -> list[SessionPlan]:
    """The sessions of one evening (Dutch at 19:00, on some evenings Arabic at 20:00), in start order."""
    from studio.domain.schedule import rule_from_settings, sessions_on
    from studio.youtube.auth import is_rehearsal

    rule = rule_from_settings(ctx.settings.schedule)
    rehearsal = is_rehearsal(ctx.settings)
    return [SessionPlan(s.key, s.lang, s.topic, s.start.isoformat(), rehearsal) for s in sessions_on(rule, day)]


def tonight(ctx: StudioContext, now: datetime | None = None) -> list[SessionPlan]:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(ctx.settings.schedule.timezone)
    now = now.astimezone(tz) if now else datetime.now(tz)
    return plans_from_schedule(ctx, now.date())


def next_evening(ctx: StudioContext, now: datetime | None = None, days: int = 62) -> list[SessionPlan]:
    """The first evening from today on that has sessions (for the home screen when tonight has none)."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(ctx.settings.schedule.timezone)
    now = now.astimezone(tz) if now else datetime.now(tz)
    for offset in range(days):
        plans = plans_from_schedule(ctx, now.date() + timedelta(days=offset))
        if plans:
            return plans
    return []


def make_flow(ctx: StudioContext, plan: SessionPlan, on_change: Callable[[Any], None] | None = None,
              actions: Any = None) -> ShowFlow:
    return ShowFlow(ctx.store, plan, actions or StudioShowActions(ctx),
                    end_slate_seconds=ctx.settings.show.end_slate_seconds, on_change=on_change)


class StudioShowActions:
    def __init__(self, ctx: StudioContext, sleep: Callable[[float], None] = time.sleep) -> None:
        self.ctx = ctx
        self.sleep = sleep
        self._marks: dict[str, Callable[[], None]] = {}
        self._lock = threading.Lock()

    # -- helpers --------------------------------------------------------------------------------
    def _obs(self) -> Any:
        sup = self.ctx.obs
        sup.ensure_connected(OBS_WAIT)
        return sup

    def _slate(self, kind: str, input_name: str, plan: SessionPlan, now: datetime | None = None) -> Path:
        from studio.overlay.render import render_slate, write_png_atomic

        start = datetime.fromisoformat(plan.starts_at)
        img = render_slate(kind, plan.lang, plan.topic, when=start, now=now)
        path = self.ctx.settings.data_dir / "overlay" / f"{kind}-{plan.session_id}.png"
        write_png_atomic(img, path)
        self._obs().set_image_file(input_name, path)
        return path

    def _ensure_marks(self, plan: SessionPlan) -> None:
        """Scene switches of this session are stored (chapters, pre-show trim), also after a restart."""
        from studio.archive.handoff import record_scene_marks

        with self._lock:
            if plan.session_id not in self._marks:
                _, unsubscribe = record_scene_marks(self.ctx, plan.session_id)
                self._marks[plan.session_id] = unsubscribe

    def _stop_marks(self, plan: SessionPlan) -> None:
        with self._lock:
            unsubscribe = self._marks.pop(plan.session_id, None)
        if unsubscribe:
            unsubscribe()

    # -- the steps ------------------------------------------------------------------------------
    def preflight(self, plan: SessionPlan) -> None:
        from studio.domain.scenes import SCENE_OFFICER
        from studio.preflight import doctor

        sup = self._obs()
        if not sup.snapshot.streaming:
            # Not on YouTube yet: the program shows the camera so that the output checks see what viewers will.
            sup.switch_scene(SCENE_OFFICER)
        checklist = doctor(self.ctx)
        if not checklist.passed:
            raise PreflightFailed(checklist.summary(), "los het op en kies 'opnieuw', of ga door met een reden")

    def scenes(self, plan: SessionPlan) -> None:
        from studio.obs.scenes import load_show_for
        from studio.obs.scenes_apply import apply
        from studio.obs.scenes_apply import plan as plan_scenes

        show = load_show_for(self.ctx.settings)
        sup = self._obs()
        p = plan_scenes(show, sup)
        if p.conflicts:
            raise StudioError(f"{len(p.conflicts)} scène(s) of bron(nen) in OBS botsen met de show",
                              "voer 'studio scenes apply --dry-run' uit om te zien welke, en hernoem ze in OBS")
        if p.steps:
            apply(p, sup)

    def broadcast(self, plan: SessionPlan) -> str:
        self._obs()  # the stream key goes into OBS: connected first
        yt = self.ctx.youtube
        rec = yt.broadcasts.create(plan.topic, plan.lang, datetime.fromisoformat(plan.starts_at),
                                   session_key=plan.session_id)
        if not rec.broadcast_id:
            raise StudioError("YouTube gaf geen uitzending terug", "probeer opnieuw")
        yt.broadcasts.prepare(rec.broadcast_id)
        return rec.broadcast_id

    def slate(self, plan: SessionPlan) -> None:
        from studio.domain.scenes import INPUT_SLATE_STARTING, SCENE_STARTING

        self._slate("starting", INPUT_SLATE_STARTING, plan, now=datetime.now().astimezone())
        self._obs().switch_scene(SCENE_STARTING)

    def refresh_slate(self, plan: SessionPlan) -> None:
        """The countdown on the starting-soon slate (the panel calls this every minute before going live)."""
        from studio.domain.scenes import INPUT_SLATE_STARTING

        self._slate("starting", INPUT_SLATE_STARTING, plan, now=datetime.now().astimezone())

    def record(self, plan: SessionPlan) -> float:
        sup = self._obs()
        self._ensure_marks(plan)
        if sup.snapshot.recording:
            return time.time()  # already recording (resumed): never restart it
        recordings = self.ctx.settings.recordings_dir
        recordings.mkdir(parents=True, exist_ok=True)
        sup.set_record_directory(recordings)
        sup.start_record()
        return time.time()

    def stream(self, plan: SessionPlan, broadcast_id: str, progress: Callable[[str], None]) -> None:
        self._obs()
        self.ctx.youtube.broadcasts.go_live(broadcast_id, progress, stop_at="testing")

    def live(self, plan: SessionPlan, broadcast_id: str) -> float:
        from studio import onair
        from studio.domain.scenes import SCENE_OFFICER

        sup = self._obs()
        self._ensure_marks(plan)
        yt = self.ctx.youtube
        yt.broadcasts.go_live(broadcast_id)
        sup.switch_scene(SCENE_OFFICER)
        rec = yt.broadcasts.record(broadcast_id)
        if rec.live_chat_id:
            self.start_chat(rec.live_chat_id)
        else:
            chat_id = onair.find_live_chat_id(self.ctx)
            if chat_id:
                self.start_chat(chat_id)
        return time.time()

    def start_chat(self, live_chat_id: str) -> None:
        from studio import onair

        current = onair.current_intake(self.ctx)
        if current is not None and current.running and getattr(current, "live_chat_id", None) == live_chat_id:
            return
        onair.start_intake(self.ctx, live_chat_id)

    def end_slate(self, plan: SessionPlan, remaining: float) -> None:
        from studio import onair
        from studio.domain.scenes import INPUT_SLATE_END, SCENE_END

        try:
            onair.take_off_air(self.ctx)
        except StudioError as exc:
            log.warning("question not taken off air before the end slate: %s", exc)
        self._slate("end", INPUT_SLATE_END, plan)
        self._obs().switch_scene(SCENE_END)
        if remaining > 0:
            self.sleep(remaining)

    def end_broadcast(self, plan: SessionPlan, broadcast_id: str) -> None:
        from studio import onair

        onair.stop_intake(self.ctx)
        self._obs()
        self.ctx.youtube.broadcasts.end(broadcast_id)

    def stop_record(self, plan: SessionPlan, started_at: float | None) -> str:
        sup = self._obs()
        if sup.snapshot.recording:
            return str(sup.stop_record())
        # Resumed after a crash: the recording already stopped. Find the file it made.
        found = _newest_recording(self.ctx.settings.recordings_dir, started_at)
        if found is None:
            raise StudioError("de opname van deze sessie is niet gevonden",
                              f"zoek het bestand in {self.ctx.settings.recordings_dir} en voeg het toe met "
                              "'studio archive add BESTAND --session " + plan.session_id + "'")
        return str(found)

    def archive(self, plan: SessionPlan, path: str) -> None:
        from studio.archive.handoff import archive_recording

        self._stop_marks(plan)
        archive_recording(self.ctx, path, plan.session_id)  # idempotent: a known file returns its entry


def _newest_recording(folder: Path, started_at: float | None) -> Path | None:
    if not folder.is_dir():
        return None
    candidates = [p for p in folder.iterdir() if p.suffix.lower() in (".mkv", ".mp4", ".mov", ".flv")
                  and p.stat().st_size > 0 and (started_at is None or p.stat().st_mtime >= started_at - 5)]
    return max(candidates, key=lambda p: p.stat().st_mtime, default=None)
