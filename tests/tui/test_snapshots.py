"""Snapshot tests of the panel's look (pytest-textual-snapshot), 120x36, no real OBS.

Deterministic by construction: a FakeObs with a fixed snapshot, stats and timecodes; a frozen clock for the
meters' peak hold; meters fed once and awaited. Update after an intended change with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

import dataclasses

import pytest

from studio.obs.state import Connection, ObsSnapshot
from studio.tui.app import StudioApp
from studio.tui.screens import SCREENS
from studio.usecases.context import Studio
from tests.tui.fakes import FakeObs, connected_snapshot, levels

SIZE = (120, 36)
FROZEN = 1000.0


def make_app(settings, snapshot: ObsSnapshot, *, rehearsal: str = "no") -> tuple[StudioApp, FakeObs]:
    settings.youtube.rehearsal = rehearsal
    fake = FakeObs(snapshot)
    ctx = Studio(settings, obs=fake)
    # Only this screen in the registry: other areas adding theirs must not change these pictures.
    studio_only = [e for e in SCREENS if e.mode == "studio"]
    return StudioApp(ctx, clock=lambda: FROZEN, stats_interval=0.05, screens=studio_only), fake


def studio_view_ready(app: StudioApp) -> bool:
    """The Studio screen shows OBS's program picture and where each sound goes (its own polls answered)."""
    screen = app.screen
    if not hasattr(screen, "preview"):
        return True
    return screen.preview.frames >= 1 and all(s.route is not None for s in screen.mixer.strips.values())


def settle(app: StudioApp, fake: FakeObs, meters: bool = True):
    async def run_before(pilot) -> None:
        connected = fake.snapshot.connection is Connection.CONNECTED
        for _ in range(150):
            if app.obs_snapshot == fake.snapshot and (not connected or (
                    app.obs_stats is not None and studio_view_ready(app))):
                break
            await pilot.pause(0.02)
        if meters:
            fake.meters({"Microfoon": levels(-18.0, -9.5), "Jingle": levels(-100.0, -100.0)})
            await pilot.pause(0.05)
        await pilot.pause()

    return run_before


def test_connected(snap_compare, settings):
    app, fake = make_app(settings, connected_snapshot(), rehearsal="yes")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle(app, fake))


def test_disconnected(snap_compare, settings):
    lost = ObsSnapshot(
        connection=Connection.LOST,
        reason="OBS draait niet of de WebSocket-server staat uit (127.0.0.1:4455)",
    )
    app, fake = make_app(settings, lost)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle(app, fake, meters=False))


def test_live_and_recording_with_clip(snap_compare, settings):
    snap = connected_snapshot(recording=True, streaming=True, program_scene="Vraag in beeld")
    app, fake = make_app(settings, snap)

    async def run_before(pilot) -> None:
        await settle(app, fake, meters=False)(pilot)
        app.youtube_lifecycle = "live"  # LIVE needs YouTube's word as well as OBS streaming
        fake.meters({"Microfoon": levels(-6.0, -0.5)})  # a peak above -1 dBFS: CLIP
        await pilot.pause(0.05)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_streaming_while_youtube_tests_is_not_live(snap_compare, settings):
    """OBS sends, YouTube is in 'testing': viewers see nothing, so the bar must not say LIVE."""
    snap = connected_snapshot(recording=True, streaming=True, program_scene="Starten")
    app, fake = make_app(settings, snap)

    async def run_before(pilot) -> None:
        await settle(app, fake)(pilot)
        app.youtube_lifecycle = "testing"
        await pilot.pause(0.05)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help_overlay(snap_compare, settings):
    app, fake = make_app(settings, connected_snapshot())

    async def run_before(pilot) -> None:
        await settle(app, fake)(pilot)
        await pilot.press("f1")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_highlight_follows_obs_not_the_key(settings):
    """Pressing a number asks OBS; until OBS's CurrentProgramSceneChanged arrives the old scene stays lit."""
    app, fake = make_app(settings, connected_snapshot())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        buttons = app.screen.scene_buttons  # type: ignore[attr-defined]
        assert buttons.program == "Wijkagent"
        await pilot.press("4")
        await pilot.pause(0.2)
        assert fake.calls == [("switch_scene", "Vraag in beeld")]
        assert buttons.program == "Wijkagent"  # OBS has not said anything yet
        fake.set_snapshot(dataclasses.replace(fake.snapshot, program_scene="Vraag in beeld"))
        await pilot.pause(0.1)
        assert buttons.program == "Vraag in beeld"


@pytest.mark.parametrize("key", ["f1", "question_mark"])
async def test_help_lists_every_key_of_the_screen(settings, key):
    from studio.tui.widgets.help import HelpScreen

    app, fake = make_app(settings, connected_snapshot())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        under = app.screen
        await pilot.press(key)
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)
        shown = dict(app.screen.rows)
        for binding in (b for _, b in under.active_bindings.items()):
            assert app.get_key_display(dataclasses.replace(binding.binding, key_display=None)) in shown
        assert shown["1"] == "Scène 'Starten' uitzenden"
        assert shown["m"] and shown["r"] and shown["F2"] == "Studio"
        await pilot.press("escape")
        await pilot.pause(0.05)
        assert app.screen is under
