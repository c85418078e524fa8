"""The panel against a real OBS (headless, tests/fixtures/obs.py), driven by Pilot.

What OBS did is always checked by asking OBS itself through a separate raw client, never by looking at the
panel's own idea of it; what the panel shows must follow OBS's events within 2 s.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

import pytest

from studio.obs.state import Connection
from studio.tui.app import StudioApp
from studio.tui.screens.studio import StudioScreen
from studio.tui.widgets.meters import FLOOR_DBFS
from studio.tui.widgets.scenes import SceneButton
from studio.usecases.context import Studio

pytestmark = [pytest.mark.obs, pytest.mark.timeout(120)]

SIZE = (120, 36)


class Show:
    """Scenes of the show (only those have number keys: 2 Wijkagent, 5 Pauze) in the test's fresh scene
    collection; the input's name is unique per test (OBS frees a removed source's name a moment later)."""

    def __init__(self) -> None:
        run = uuid.uuid4().hex[:6]
        self.tone = f"Toon {run}"
        self.officer = "Wijkagent"
        self.pause = "Pauze"


async def until(pilot, predicate: Callable[[], object], timeout: float, what: str) -> float:
    """Wait (letting the app run) until predicate() is true; returns the seconds it took."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            pytest.fail(f"not within {timeout} s: {what}")
        await pilot.pause(0.05)
    return time.monotonic() - start


def build_show(obs, tone_video=None) -> Show:
    """Three scenes and (optionally) a looping tone input, made with a raw client like a technician would."""
    show = Show()
    client = obs.client()
    try:
        for name in (show.officer, show.pause):
            client.create_scene(name)
        if tone_video is not None:
            client.create_input(
                "Scene", show.tone, "ffmpeg_source",
                {"local_file": str(tone_video), "looping": True, "restart_on_activate": True}, True,
            )
        client.set_current_program_scene("Scene")
    finally:
        client.disconnect()
    return show


def program_scene(obs) -> str:
    client = obs.client()
    try:
        return str(client.get_current_program_scene().current_program_scene_name)
    finally:
        client.disconnect()


def input_muted(obs, name: str) -> bool:
    client = obs.client()
    try:
        return bool(client.get_input_mute(name).input_muted)
    finally:
        client.disconnect()


def make_app(settings) -> tuple[StudioApp, Studio]:
    ctx = Studio(settings)
    return StudioApp(ctx, stats_interval=0.5), ctx


async def open_studio(pilot) -> StudioScreen:
    """F2 from whatever the home screen is: the technician's screen, through the real registry."""
    await pilot.press("f2")
    await until(pilot, lambda: isinstance(pilot.app.screen, StudioScreen), 5, "Studio screen (F2)")
    return pilot.app.screen


def connected(app: StudioApp) -> bool:
    return app.obs_snapshot.connection is Connection.CONNECTED


async def test_number_key_switches_obs_and_highlight_follows_obs(obs, obs_settings):
    show = build_show(obs)
    app, ctx = make_app(obs_settings)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: connected(app) and len(app.obs_snapshot.scenes) == 3, 10, "connected")
            screen = await open_studio(pilot)
            buttons = screen.scene_buttons
            await until(pilot, lambda: len(app.screen.query(SceneButton)) == 3, 2, "three scene buttons")
            target = buttons.scene_for_key(2)
            assert target == show.officer  # the show's order (studio.domain.scenes), whatever OBS's order is

            await pilot.press("2")
            took = await until(pilot, lambda: program_scene(obs) == target, 2, f"OBS program is {target}")
            await until(pilot, lambda: buttons.program == target, 2, "highlight follows OBS's event")
            highlighted = [b.scene for b in app.screen.query(SceneButton) if b.has_class("-program")]
            assert highlighted == [target], took

            # The highlight comes from OBS: a switch made in OBS itself (not by the panel) moves it too.
            client = obs.client()
            client.set_current_program_scene(show.pause)
            client.disconnect()
            await until(pilot, lambda: buttons.program == show.pause, 2, "highlight follows a switch made in OBS")
            assert [b.scene for b in app.screen.query(SceneButton) if b.has_class("-program")] == [show.pause]
            assert show.pause in str(app.screen.query_one("#status-scene").render())

            # A number without a scene asks nothing of OBS and says so calmly; OBS's own 'Scene' has no key.
            await pilot.press("1")  # 'Starten' is not in this OBS
            await pilot.press("7")
            await pilot.pause(0.3)
            assert program_scene(obs) == show.pause
            entries = ctx.store.audit_entries(action="scene.switch")
            assert entries and entries[0]["params"] == {"scene": target} and entries[0]["result"] == "ok"
    finally:
        ctx.close()


async def test_mute_key_and_meters_follow_obs(obs, obs_settings, tone_video):
    show = build_show(obs, tone_video)
    TONE = show.tone
    app, ctx = make_app(obs_settings)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: connected(app) and TONE in app.obs_snapshot.inputs, 10, "connected")
            screen = await open_studio(pilot)
            await until(pilot, lambda: TONE in screen.mixer.strips, 2, "a strip for the tone input")
            screen.mixer.select(TONE)

            def level() -> float:
                return max(c.level for c in screen.mixer.strips[TONE].meter.channels)

            # The tone plays: the meter moves (OBS needs a moment to open the file and start the input).
            await until(pilot, lambda: level() > -40, 10, "meter shows the 440 Hz tone")
            assert screen.mixer.strips[TONE].meter.peak_hold(time.monotonic()) > -40

            await pilot.press("g")  # geluid uit/aan
            await until(pilot, lambda: input_muted(obs, TONE), 2, "OBS reports the input muted")
            await until(pilot, lambda: screen.mixer.strips[TONE].muted, 2, "strip shows STIL from OBS's event")
            line = screen.mixer.render_line(screen.mixer.strips[TONE].top).text
            assert "[ STIL ]" in line and TONE in line
            await until(pilot, lambda: level() <= FLOOR_DBFS, 2, "meter falls silent when muted")

            await pilot.click(screen.mixer, offset=screen.mixer.mute_offset(TONE))
            await until(pilot, lambda: not input_muted(obs, TONE), 2, "click unmutes in OBS")
            await until(pilot, lambda: not screen.mixer.strips[TONE].muted, 2, "strip follows")
            await until(pilot, lambda: level() > -40, 5, "meter moves again")
    finally:
        ctx.close()


async def test_record_start_and_confirmed_stop(obs, obs_settings):
    build_show(obs)
    app, ctx = make_app(obs_settings)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: connected(app), 10, "connected")
            await open_studio(pilot)
            await pilot.press("r")
            await until(pilot, lambda: app.obs_snapshot.recording, 10, "OBS reports recording")
            rec = app.screen.query_one("#status-rec")
            await until(pilot, lambda: "REC" in str(rec.render()) and rec.has_class("-on"), 2, "REC shown")
            # The running time comes from OBS's own record status.
            await until(pilot, lambda: app.obs_stats is not None and app.obs_stats.record_timecode != "", 3,
                        "record timecode polled from OBS")

            await pilot.press("r")
            await pilot.pause(0.2)
            await pilot.press("n")  # changed my mind: keep recording
            await pilot.pause(0.5)
            assert app.obs_snapshot.recording

            await pilot.press("r")
            await pilot.pause(0.2)
            await pilot.press("j")
            await until(pilot, lambda: not app.obs_snapshot.recording, 30, "OBS reports the recording stopped")
            await until(pilot, lambda: "geen opname" in str(rec.render()), 2, "REC off")
            # stop_record returns once OBS has finalised the file; then it is in the audit log.
            await until(pilot, lambda: [e["action"] for e in ctx.store.audit_entries()][:2]
                        == ["record.stop", "record.start"], 30, "record.start and record.stop audited")
    finally:
        ctx.close()


async def test_obs_killed_and_back_while_panel_runs(obs, obs_settings):
    build_show(obs)
    app, ctx = make_app(obs_settings)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: connected(app), 10, "connected")
            await open_studio(pilot)
            status = app.screen.query_one("#status-obs")
            problem = app.screen.query_one("#status-problem")

            await asyncio.to_thread(obs.kill)
            await until(pilot, lambda: "verbinding kwijt" in str(status.render()), 2, "shows 'verbinding kwijt'")
            assert problem.display
            assert "WebSocket-serverinstellingen" in str(problem.render())
            assert "live ?" in str(app.screen.query_one("#status-live").render())  # never guesses

            await asyncio.to_thread(obs.start)
            await until(pilot, lambda: str(status.render()).split("●")[-1].strip() == "verbonden", 2,
                        "connected again")
            assert not problem.display
            # Fully usable again, state resynced: the number key works. (A killed OBS may not have saved its
            # scenes: the show's 'Pauze' is made again if it is gone.)
            await until(pilot, lambda: len(app.obs_snapshot.scenes) >= 1, 2, "scenes resynced")
            client = obs.client()
            try:
                if "Pauze" not in [x["sceneName"] for x in client.get_scene_list().scenes]:
                    client.create_scene("Pauze")
            finally:
                client.disconnect()
            await until(pilot, lambda: "Pauze" in app.obs_snapshot.scenes, 2, "the show's scene in the snapshot")
            target = app.screen.scene_buttons.scene_for_key(5)  # type: ignore[attr-defined]
            assert target == "Pauze"
            await pilot.press("5")
            await until(pilot, lambda: program_scene(obs) == target, 2, "switch works after reconnect")
    finally:
        ctx.close()
