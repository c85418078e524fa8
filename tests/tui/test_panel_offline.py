"""The panel without OBS: it starts, says what is wrong and what to do, and never pretends to know more."""

from __future__ import annotations

import time

from studio.tui.app import StudioApp
from studio.tui.screens.studio import StudioScreen
from studio.tui.widgets.status import HOW_TO_FIX
from studio.usecases.context import Studio
from tests.pilot import free_port


async def test_panel_starts_without_obs_and_says_what_to_do(settings):
    settings.obs.port = free_port()  # nothing listens here
    ctx = Studio(settings)
    app = StudioApp(ctx, stats_interval=0.2)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("f2")
            await pilot.pause(0.1)
            assert isinstance(app.screen, StudioScreen)
            status = app.screen.query_one("#status-obs")
            problem = app.screen.query_one("#status-problem")
            deadline = time.monotonic() + 5
            while "verbinding kwijt" not in str(status.render()) and time.monotonic() < deadline:
                await pilot.pause(0.05)
            assert "verbinding kwijt" in str(status.render())
            text = str(problem.render())
            assert "OBS draait niet" in text and str(settings.obs.port) in text
            assert HOW_TO_FIX in text
            assert "live ?" in str(app.screen.query_one("#status-live").render())
            assert "opname ?" in str(app.screen.query_one("#status-rec").render())
            # Keys that need OBS answer calmly instead of crashing.
            await pilot.press("r")
            await pilot.press("1")
            await pilot.pause(0.2)
            assert app.is_running
            assert app.obs_stats is None
    finally:
        ctx.close()
