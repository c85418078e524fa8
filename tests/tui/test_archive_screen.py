"""The Archive screen (F6) with Pilot: entries and state, process with progress, publish after the quota
question (against the emulator), verify, report, and one-line errors."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from studio.domain.caption_track import make_track
from studio.domain.captions import Cue
from studio.store import archive as repo
from studio.store import captions as stored
from studio.store import session as sessions
from studio.tui.app import StudioApp
from studio.usecases.archive import catalog
from studio.usecases.context import Studio
from tests.pilot import free_port, wait_until


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.fixture
def ctx(youtube_settings):
    youtube_settings.obs.port = free_port()  # no OBS needed here
    youtube_settings.youtube.publish_mode = "upload"
    c = Studio(youtube_settings)
    yield c
    c.close()


async def test_archive_screen_processes_and_publishes(ctx, emulator, recording):
    sessions.ensure_session(ctx.store, "2026-11-24-nl", "nl", "inbraak", "2026-11-24T19:00:00+01:00", True, "scenes")
    entry = catalog.add_recording(ctx.store, [recording], "2026-11-24-nl")
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("f6")
        await wait_until(pilot, lambda: app.current_mode == "archive"
                         and app.screen.query_one("#ar-table", DataTable).row_count == 1)
        assert "gearchiveerd" in str(app.screen.query_one("#ar-table", DataTable).get_row_at(0))
        assert entry.sha256 in text_of(app, "#ar-details")
        await pilot.press("p")
        await wait_until(pilot, lambda: "✓" in text_of(app, "#ar-result") or "✗" in text_of(app, "#ar-result"))
        assert "verwerkt" in text_of(app, "#ar-result"), text_of(app, "#ar-result")
        await wait_until(pilot, lambda: "verwerkt" in str(app.screen.query_one("#ar-table", DataTable).get_row_at(0)))
        # publishing waits for reviewed captions (a tone has no speech: a reviewed track is put in by hand)
        await pilot.press("y")
        await wait_until(pilot, lambda: "✗" in text_of(app, "#ar-result"))
        assert "ondertitels" in text_of(app, "#ar-result") and "--unreviewed" in text_of(app, "#ar-result")
        track = make_track([Cue(1.0, 3.5, ("Goedenavond en welkom",)), Cue(4.0, 6.0, ("bij het wijkspreekuur.",))],
                           "nl", model="hand")
        stored.save_track(ctx.store, entry.id, track.mark_reviewed())
        # publish: first the question with the quota cost; "no" does nothing
        await pilot.press("y")  # publiceren (op YouTube)
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmScreen")
        question = str(app.screen.query_one("#confirm-question", Static).render())
        assert "Quotumkosten: 604" in question and "uploaden" in question  # 450 of it: captions.list + insert
        assert "Ondertitels: Nederlands (nagekeken)" in question
        await pilot.press("n")
        await wait_until(pilot, lambda: "niet gestart" in text_of(app, "#ar-result"))
        assert emulator.world.videos == {}
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmScreen")
        await pilot.press("j")
        await wait_until(pilot, lambda: "gepubliceerd" in text_of(app, "#ar-result"), timeout=60)
        assert len(emulator.world.videos) == 1
        assert repo.get_entry(ctx.store, entry.id).state == "published"
        (video_id,) = emulator.world.videos
        (published,) = emulator.control.captions(video_id)
        assert published["language"] == "nl" and published["name"] == "Nederlands"
        trim = repo.get_entry(ctx.store, entry.id).trim_start or 0.0
        assert [c["start"] for c in published["cues"]] == [round(1.0 - trim, 3), round(4.0 - trim, 3)]
        await pilot.press("c")  # controleren
        await wait_until(pilot, lambda: "kloppen" in text_of(app, "#ar-result"))
        await pilot.press("v")  # verslag
        await wait_until(pilot, lambda: "verslag geschreven" in text_of(app, "#ar-result"))
        assert (ctx.settings.data_dir / "verslagen" / "verslag-2026-11-24-nl.md").exists()


async def test_archive_screen_shows_errors_as_one_line(ctx, recording):
    entry = catalog.add_recording(ctx.store, [recording])
    recording.unlink()  # the original went missing
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("f6")
        await wait_until(pilot, lambda: app.screen.query_one("#ar-table", DataTable).row_count == 1)
        await pilot.press("p")
        await wait_until(pilot, lambda: "✗" in text_of(app, "#ar-result"))
        result = text_of(app, "#ar-result")
        assert "ontbreekt" in result and "\n" not in result and "Traceback" not in result
        await pilot.press("v")  # verslag: no session, says so, does nothing
        assert repo.get_entry(ctx.store, entry.id).state == "archived"
