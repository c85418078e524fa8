"""What each step of the show does, with the real studio: OBS, YouTube (or the emulator), overlay, archive.

`StudioShowActions` implements `studio.usecases.show.ShowActions`. Every method is idempotent: it looks at what OBS
and YouTube report before acting, so the flow can run a step again after a crash without starting anything
twice (a recording that is running is not restarted; a broadcast that exists is not created again; a
transition that already happened counts as done).

Tonight's sessions and the flow for one of them are made in studio/usecases/evening.py.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studio.domain.scenes import (
    INPUT_SLATE_END,
    INPUT_SLATE_STARTING,
    SCENE_END,
    SCENE_OFFICER,
    SCENE_STARTING,
)
from studio.errors import StudioError
from studio.usecases import onair
from studio.usecases.context import Studio
from studio.usecases.moderation import find_live_chat_id
from studio.usecases.show import PreflightFailed, SessionPlan

if TYPE_CHECKING:
    from studio.obs.commands import Obs

log = logging.getLogger(__name__)

OBS_WAIT = 10.0  # seconds to wait for OBS before a step gives up


class StudioShowActions:
    def __init__(self, ctx: Studio, sleep: Callable[[float], None] = time.sleep) -> None:
        self.ctx = ctx
        self.sleep = sleep
        self._marks: dict[str, Callable[[], None]] = {}
        self._lock = threading.Lock()

    # -- helpers --------------------------------------------------------------------------------
    def _obs(self) -> Obs:
        obs = self.ctx.obs
        obs.ensure_connected(OBS_WAIT)
        return obs

    def _slate(self, kind: str, input_name: str, plan: SessionPlan, now: datetime | None = None) -> Path:
        path = onair.card_dir(self.ctx) / f"{kind}-{plan.session_id}.png"
        onair.write_slate(self.ctx, kind, plan.lang, plan.topic, path, when=datetime.fromisoformat(plan.starts_at),
                          now=now)
        self._obs().set_image_file(input_name, path)
        return path

    def _ensure_marks(self, plan: SessionPlan) -> None:
        """Scene switches of this session are stored (chapters, pre-show trim), also after a restart."""
        from studio.usecases.archive.handoff import record_scene_marks

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
        from studio.usecases.preflight import doctor

        obs = self._obs()
        if not obs.snapshot.streaming:
            # Not on YouTube yet: the program shows the camera so that the output checks see what viewers will.
            obs.switch_scene(SCENE_OFFICER)
        checklist = doctor(self.ctx)
        if not checklist.passed:
            raise PreflightFailed(checklist.summary(), "los het op en kies 'opnieuw', of ga door met een reden")

    def scenes(self, plan: SessionPlan) -> None:
        from studio.usecases.scenes import apply_show

        self._obs()  # connected first: a clear OBS error beats a plan that cannot be made
        apply_show(self.ctx)

    def broadcast(self, plan: SessionPlan) -> str:
        self._obs()  # the stream key goes into OBS: connected first
        from studio.usecases.broadcasts import public_topic

        yt = self.ctx.youtube
        rec = yt.broadcasts.create(public_topic(self.ctx, plan.topic, plan.lang), plan.lang,
                                   datetime.fromisoformat(plan.starts_at), session_key=plan.session_id)
        if not rec.broadcast_id:
            raise StudioError("YouTube gaf geen uitzending terug", "probeer opnieuw")
        yt.broadcasts.prepare(rec.broadcast_id)
        return rec.broadcast_id

    def slate(self, plan: SessionPlan) -> None:
        self._slate("starting", INPUT_SLATE_STARTING, plan, now=datetime.now().astimezone())
        self._obs().switch_scene(SCENE_STARTING)

    def refresh_slate(self, plan: SessionPlan) -> None:
        """The countdown on the starting-soon slate (the panel calls this every minute before going live)."""
        self._slate("starting", INPUT_SLATE_STARTING, plan, now=datetime.now().astimezone())

    def record(self, plan: SessionPlan) -> float:
        from studio.store import session as sessions

        obs = self._obs()
        self._ensure_marks(plan)
        if not obs.snapshot.recording:  # already recording (resumed): never restart it
            recordings = self.ctx.settings.recordings_dir
            recordings.mkdir(parents=True, exist_ok=True)
            obs.set_record_directory(recordings)
            obs.start_record()
        # The recording's 0:00 by OBS's own clock: scene marks become times in the file (the archive's cut
        # and thumbnail), also when the recording was already running (started by hand, or resumed).
        started = time.time() - obs.record_status().duration_ms / 1000
        sessions.start_record_part(self.ctx.store, plan.session_id, started)  # part 1 (kept when resumed)
        return started

    def stream(self, plan: SessionPlan, broadcast_id: str, progress: Callable[[str], None]) -> None:
        self._obs()
        self.ctx.youtube.broadcasts.go_live(broadcast_id, progress, stop_at="testing")

    def live(self, plan: SessionPlan, broadcast_id: str) -> float:
        obs = self._obs()
        self._ensure_marks(plan)
        self.ctx.youtube.broadcasts.go_live(broadcast_id)
        obs.switch_scene(SCENE_OFFICER)
        self.resume_live(plan, broadcast_id)
        return time.time()

    def resume_live(self, plan: SessionPlan, broadcast_id: str) -> None:
        """What runs while live (the chat intake and the scene marks), started again after a restart."""
        self._ensure_marks(plan)
        rec = self.ctx.youtube.broadcasts.record(broadcast_id)
        chat_id = rec.live_chat_id or find_live_chat_id(self.ctx)
        if chat_id:
            self.ctx.chat.ensure(str(chat_id), plan.session_id)  # its questions are this session's

    def end_slate(self, plan: SessionPlan, remaining: float) -> None:
        try:
            onair.take_off_air(self.ctx)
        except StudioError as exc:
            log.warning("question not taken off air before the end slate: %s", exc)
        self._slate("end", INPUT_SLATE_END, plan)
        self._obs().switch_scene(SCENE_END)
        if remaining > 0:
            self.sleep(remaining)

    def end_broadcast(self, plan: SessionPlan, broadcast_id: str) -> None:
        self.ctx.chat.stop()
        self._obs()
        self.ctx.youtube.broadcasts.end(broadcast_id)

    def stop_record(self, plan: SessionPlan, started_at: float | None) -> str:
        from studio.store import session as sessions
        from studio.usecases.show_keeper import newest_recording

        obs = self._obs()
        if obs.snapshot.recording:
            path = str(obs.stop_record())
            sessions.finish_record_part(self.ctx.store, plan.session_id, path)
            return path
        # Resumed after a crash: the recording already stopped. Find the file it made (the last part's).
        parts = sessions.record_parts(self.ctx.store, plan.session_id)
        open_part = next((p for p in parts if p["path"] is None), None)
        if open_part is None and parts:
            return str(parts[-1]["path"])  # stopped and noted before the panel died
        since = open_part["started_at"] if open_part else started_at
        found = newest_recording(self.ctx.settings.recordings_dir, since,
                                 exclude={str(p["path"]) for p in parts if p["path"]})
        if found is not None:
            sessions.finish_record_part(self.ctx.store, plan.session_id, str(found))
        if found is None:
            raise StudioError("de opname van deze sessie is niet gevonden",
                              f"zoek het bestand in {self.ctx.settings.recordings_dir} en voeg het toe met "
                              "'studio archive add BESTAND --session " + plan.session_id + "'")
        return str(found)

    def archive(self, plan: SessionPlan, path: str) -> None:
        """The recording into the archive: all its parts in order (OBS crashed mid-show: parts 1 and 2); its
        captions are heard in the background once no session is on air."""
        from studio.store import session as sessions
        from studio.usecases.archive import queue_captions
        from studio.usecases.archive.handoff import archive_recording

        self._stop_marks(plan)
        parts = [str(p["path"]) for p in sessions.record_parts(self.ctx.store, plan.session_id) if p["path"]]
        if path not in parts:
            parts.append(path)
        entry = archive_recording(self.ctx, parts, plan.session_id)  # idempotent: a known file returns its entry
        queue_captions(self.ctx, entry.id)

