"""The Broadcast screen (F3) with Pilot against the emulator: create, status, quota, resume banner, and the
whole go-live/end flow with a real OBS streaming to the emulator's ingest."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from textual.widgets import DataTable, Static

from studio.store import youtube as repo
from studio.tui.app import StudioApp
from studio.usecases.context import Studio
from tests.fixtures.obs_supervisor import ask
from tests.pilot import free_port, wait_until


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_broadcast(app, pilot) -> None:
    await pilot.press("f3")
    await wait_until(pilot, lambda: app.current_mode == "broadcast" and "Sessies: laden" not in
                     text_of(app, "#bc-tonight"))


@pytest.fixture
def ctx(youtube_settings):
    youtube_settings.obs.port = free_port()  # no OBS for these
    c = Studio(youtube_settings)
    yield c
    c.close()


async def test_create_shows_youtube_state_and_quota(ctx, emulator):
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_broadcast(app, pilot)
        assert "OEFENMODUS" in text_of(app, "#bc-mode")
        assert "Nederlands" in text_of(app, "#bc-tonight")
        await pilot.press("a")
        await wait_until(pilot, lambda: app.screen.query_one("#bc-table", DataTable).row_count == 1)
        bid = next(iter(emulator.control.state()["broadcasts"]))
        await wait_until(pilot, lambda: bid in text_of(app, "#bc-status") and "aangemaakt" in text_of(app, "#bc-status"))
        assert "eenheden" in text_of(app, "#bc-quota") and " 0 van" not in text_of(app, "#bc-quota")
        # creating again for the same session makes nothing new
        await pilot.press("a")
        await wait_until(pilot, lambda: "✓" in text_of(app, "#bc-progress"))
        assert len(emulator.control.state()["broadcasts"]) == 1
        # go live without OBS: a calm, actionable failure, and "no" in the confirmation does nothing
        await pilot.press("l")
        await pilot.press("n")
        await pilot.pause(0.2)
        assert emulator.control.state()["broadcasts"][bid]["lifeCycleStatus"] in ("created", "ready")
        await pilot.press("l")
        await pilot.press("j")
        await wait_until(pilot, lambda: "✗" in text_of(app, "#bc-progress"), timeout=30)
        assert "OBS" in text_of(app, "#bc-progress")


async def test_create_without_youtube_credentials_fails_calmly(settings):
    # Pressing a with YouTube not configured used to end the whole panel ("WorkerFailed: ClientSecretMissing").
    settings.obs.port = free_port()
    settings.youtube.rehearsal = "no"
    c = Studio(settings)
    try:
        app = StudioApp(c, stats_interval=5)
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("f3")
            await wait_until(pilot, lambda: app.current_mode == "broadcast" and "✗" in text_of(app, "#bc-progress"))
            app.screen.query_one("#bc-progress", Static).update("")
            for _ in range(2):  # the second press is not refused with "Even geduld": the first one finished
                await pilot.press("a")
                await wait_until(pilot, lambda: "✗" in text_of(app, "#bc-progress"))
                assert "clientgeheim" in text_of(app, "#bc-progress")
                app.screen.query_one("#bc-progress", Static).update("")
            assert app.is_running and app.return_code is None
    finally:
        c.close()


async def test_quota_warning_and_resume_banner(ctx, emulator):
    yt = ctx.youtube
    rec = yt.broadcasts.create("inbraak", "nl", datetime.now(UTC) + timedelta(hours=1))
    repo.update_broadcast(ctx.store, rec.session_key, yt.target, step="going_live")
    yt.ledger.record("liveBroadcasts.insert", units=int(0.85 * ctx.settings.youtube.daily_quota))
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_broadcast(app, pilot)
        assert rec.broadcast_id in text_of(app, "#bc-resume") and "verder" in text_of(app, "#bc-resume")
        assert app.screen.query_one("#bc-quota").has_class("-warn")
        assert "bijna op" in text_of(app, "#bc-quota")


@pytest.mark.obs
@pytest.mark.timeout(180)
async def test_golive_and_end_through_the_screen_with_real_obs(youtube_settings, obs_settings, emulator, tone_video,
                                                              obs_raw):
    c = Studio(youtube_settings)
    try:
        assert c.obs.wait_connected(15)
        ask(obs_raw, "CreateInput", sceneName="Scene", inputName=f"Testbeeld-{uuid.uuid4().hex[:6]}",
            inputKind="ffmpeg_source",
            inputSettings={"local_file": str(tone_video), "looping": True, "is_local_file": True})
        app = StudioApp(c, stats_interval=5)
        async with app.run_test(size=(140, 45)) as pilot:
            await open_broadcast(app, pilot)
            await pilot.press("a")
            await wait_until(pilot, lambda: app.screen.query_one("#bc-table", DataTable).row_count == 1)
            bid = next(iter(emulator.control.state()["broadcasts"]))
            await pilot.press("l")
            await pilot.press("j")
            await wait_until(pilot, lambda: "LIVE:" in text_of(app, "#bc-progress"), timeout=90)
            await wait_until(pilot, lambda: "YouTube: LIVE" in text_of(app, "#bc-status"))
            assert "kwaliteit: goed" in text_of(app, "#bc-status")
            assert "good" not in text_of(app, "#bc-status")  # YouTube's words never on screen
            assert emulator.control.state()["broadcasts"][bid]["lifeCycleStatus"] == "live"
            assert c.obs.snapshot.streaming
            # the status bar follows this broadcast: LIVE, with the clock from YouTube's actualStartTime
            await wait_until(pilot, lambda: app.air.live and app.air.broadcast_id == bid)
            started = emulator.world.broadcasts[bid]["snippet"]["actualStartTime"]  # what YouTube (the emulator) says
            assert app.air.live_since == datetime.fromisoformat(started.replace("Z", "+00:00")).timestamp()
            await wait_until(pilot, lambda: "● LIVE" in text_of(app, "#status-live"))
            await pilot.press("x")  # beëindigen, zonder eindbeeld
            await wait_until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmScreen")
            assert "e (Einde)" in str(app.screen.query_one("#confirm-question", Static).render())
            await pilot.press("j")
            await wait_until(pilot, lambda: "beëindigd" in text_of(app, "#bc-progress"), timeout=60)
            assert emulator.control.state()["broadcasts"][bid]["lifeCycleStatus"] == "complete"
            await wait_until(pilot, lambda: not c.obs.snapshot.streaming)
            await wait_until(pilot, lambda: app.air.lifecycle == "complete")
            assert "ZONDER BEELD" not in text_of(app, "#status-live")  # ended by the studio itself
    finally:
        c.close()


async def test_without_youtube_the_schedule_still_shows(settings):
    """No client secret and no rehearsal: YouTube is unavailable, but the coming sessions need no YouTube."""
    settings.youtube.rehearsal = "no"
    settings.obs.port = free_port()
    c = Studio(settings)
    try:
        app = StudioApp(c, stats_interval=5)
        async with app.run_test(size=(140, 45)) as pilot:
            await open_broadcast(app, pilot)
            assert "Volgende sessies" in text_of(app, "#bc-tonight")
    finally:
        c.close()
