"""`studio rehearse`: rehearse tonight, now, in one command.

"Nu oefenen" makes a rehearsal session that starts in a few minutes (Dutch, and on request an Arabic one a
quarter of an hour later) and stores it as the flow's own session rows, so the Spreekuur screen opens on it
(``practice_plans``, asked by ``studio.usecases.evening.tonight`` in rehearsal mode) and a restarted panel
carries on with it. Its id names the day and the time it was made for (``2026-12-01-oefen1925-nl``, its
Arabic session ``...-oefen1925-ar``): it never mixes with the real session of that evening, and every confirmation names its date (studio.tui.screens.show_view).

Without a camera the rehearsal uses a moving test picture instead (``with_test_picture``): OBS's camera
input becomes a looping video file through a scenes override, and the preflight checks that file. It says
so, in the command's output and on the Spreekuur screen. A camera file or a scenes override the studio
already has is left alone.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from studio.config import Settings
from studio.usecases.context import Studio
from studio.usecases.show import STEP_IDS, SessionPlan

LEAD_MINUTES = 5  # a rehearsal made now starts this many minutes later
ARABIC_AFTER = timedelta(minutes=15)  # the Arabic rehearsal session, after the Dutch one
STAND_IN_DIR = "oefenen"  # under the data dir: the test picture and its scenes override
_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})-oefen(\d{4})-(nl|ar)$")


def rehearsal_id(start: datetime, lang: str) -> str:
    return f"{start.date().isoformat()}-oefen{start:%H%M}-{lang}"


def is_rehearsal_id(session_id: str) -> bool:
    return bool(_ID.match(session_id))


@dataclass(frozen=True)
class Rehearsal:
    plans: tuple[SessionPlan, ...]
    resumed: bool  # an unfinished rehearsal of today, taken up again


def practice_plans(ctx: Studio, day: date) -> list[SessionPlan]:
    """Today's 'nu oefenen' sessions (the most recent one made, with its Arabic session), in start order."""
    from studio.store import session as repo

    rows = [r for r in repo.sessions_on(ctx.store, day.isoformat())
            if r["rehearsal"] and is_rehearsal_id(str(r["session_id"]))]
    if not rows:
        return []
    groups: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        m = _ID.match(str(r["session_id"]))
        assert m is not None
        groups.setdefault(f"{m.group(1)}-{m.group(2)}", []).append(r)
    latest = max(groups.values(), key=lambda rs: max(float(str(r["created_at"])) for r in rs))
    latest.sort(key=lambda r: str(r["starts_at"]))
    return [SessionPlan(str(r["session_id"]), str(r["lang"]), str(r["topic"]), str(r["starts_at"]), True)
            for r in latest]


def _under_way(ctx: Studio, plans: list[SessionPlan]) -> bool:
    """Started and not finished: a rehearsal to carry on with rather than to replace."""
    from studio.store import session as repo

    rows = [repo.get_session(ctx.store, p.session_id) for p in plans]
    started = any(r and not (r["step"] == STEP_IDS[0] and r["status"] == "pending") for r in rows)
    finished = all(r and r["step"] == "done" for r in rows)
    return started and not finished


def _topic(ctx: Studio, now: datetime) -> str:
    """The topic of the next real session: what the officer will talk about, so also what is rehearsed."""
    from studio.usecases.broadcasts import coming_sessions

    coming = coming_sessions(ctx, count=1, now=now)
    if coming:
        return coming[0].topic
    return ctx.settings.schedule.topics[0] if ctx.settings.schedule.topics else "wijkspreekuur"


def plan_now(ctx: Studio, *, now: datetime | None = None, minutes: int = LEAD_MINUTES,
             arabic: bool = False) -> Rehearsal:
    """'Nu oefenen': the rehearsal of tonight, starting ``minutes`` from now (an unfinished one goes on)."""
    from studio.store import session as repo

    if minutes < 0:
        raise ValueError("minutes must be 0 or more")
    tz = ZoneInfo(ctx.settings.schedule.timezone)
    local = (now or datetime.now(tz)).astimezone(tz)
    current = practice_plans(ctx, local.date())
    if current and _under_way(ctx, current):
        return Rehearsal(tuple(current), resumed=True)
    start = (local + timedelta(minutes=minutes, seconds=59)).replace(second=0, microsecond=0)
    topic = _topic(ctx, local)
    plans = [SessionPlan(rehearsal_id(start, "nl"), "nl", topic, start.isoformat(), True)]
    if arabic:  # the same tag as the Dutch one: the two belong to one rehearsal
        ar = start + ARABIC_AFTER
        plans.append(SessionPlan(rehearsal_id(start, "ar"), "ar", topic, ar.isoformat(), True))
    for p in plans:
        repo.ensure_session(ctx.store, p.session_id, p.lang, p.topic, p.starts_at, True, STEP_IDS[0])
    ctx.store.audit("rehearse.plan", {"sessions": [p.session_id for p in plans]})
    return Rehearsal(tuple(plans), resumed=False)


# --- the camera's stand-in -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CameraChoice:
    settings: Settings  # the settings to run with (a test picture in place of the camera, or unchanged)
    test_picture: Path | None  # the video OBS loops as the camera; None: the real camera (or the studio's own)
    note: str  # Dutch: what was decided, for the command's output


def stand_in_dir(settings: Settings) -> Path:
    return settings.data_dir / STAND_IN_DIR


def uses_test_picture(settings: Settings) -> bool:
    """Whether these settings have the rehearsal's test picture in place of the camera (the panel says so)."""
    pf = settings.preflight.camera_file
    return bool(pf) and Path(pf).parent == stand_in_dir(settings)


def with_test_picture(settings: Settings) -> CameraChoice:
    """Without a camera: OBS shows a moving test picture as the camera, and the preflight checks it."""
    from studio.files import write_atomic
    from studio.media.stand_in import camera_present, make_test_picture

    if settings.preflight.camera_file or settings.obs.scenes_override:
        return CameraChoice(settings, None, "camera: de eigen instelling van de studio wordt gebruikt "
                                            "([preflight] camera_file of [obs] scenes_override)")
    if camera_present(settings.preflight.camera_device):
        return CameraChoice(settings, None, "camera: gevonden, de oefening gebruikt de echte camera")
    folder = stand_in_dir(settings)
    video = make_test_picture(folder / "testbeeld.mp4")
    override = write_atomic(folder / "testbeeld-scenes.toml", (
        "# Made by 'studio rehearse': no camera was found, so OBS's camera input loops a test picture.\n"
        f"[inputs.{settings.show.camera_input}]\n"
        'kind = "ffmpeg_source"\n'
        f"settings = {{ local_file = {_toml_string(str(video))}, looping = true, is_local_file = true }}\n"))
    changed = dataclasses.replace(
        settings, obs=dataclasses.replace(settings.obs, scenes_override=str(override)),
        preflight=dataclasses.replace(settings.preflight, camera_file=str(video)))
    return CameraChoice(changed, video, "camera: geen camera gevonden, de oefening gebruikt een bewegend testbeeld "
                                        f"in plaats van de camera ({video})")


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
