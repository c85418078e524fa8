"""Snapshot tests of the panel's look (pytest-textual-snapshot), 120x36, no real OBS.

Deterministic by construction: a FakeObs with a fixed snapshot, stats and timecodes; a frozen clock for the
meters' peak hold; meters fed once and awaited. Update after an intended change with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs before committing them.
"""

from __future__ import annotations

import dataclasses

import pytest

from studio.domain.air_status import YouTubeReport
from studio.obs.state import Connection, ObsSnapshot
from studio.tui import keymap
from studio.tui.app import StudioApp
from studio.tui.screens import SCREENS
from studio.usecases.context import Studio
from tests.tui.fakes import FakeObs, connected_snapshot, levels

SIZE = (120, 36)
FROZEN = 1000.0
WALL = 1_795_000_000.0  # a fixed 'now' for the LIVE/TEST clocks


def make_app(settings, snapshot: ObsSnapshot, *, rehearsal: str = "no") -> tuple[StudioApp, FakeObs]:
    settings.youtube.rehearsal = rehearsal
    fake = FakeObs(snapshot)
    ctx = Studio(settings, obs=fake)
    # Only this screen in the registry: other areas adding theirs must not change these pictures.
    studio_only = [e for e in SCREENS if e.mode == "studio"]
    return StudioApp(ctx, clock=lambda: FROZEN, wall=lambda: WALL, stats_interval=0.05, screens=studio_only), fake


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
        # LIVE needs YouTube's word as well as OBS streaming; its clock is YouTube's actualStartTime
        app.youtube_reported(YouTubeReport("b-1", "live", WALL, actual_start=WALL - 754, stream_status="active",
                                           health="good"))
        fake.meters({"Microfoon": levels(-6.0, -0.5)})  # a peak above -1 dBFS: CLIP
        await pilot.pause(0.05)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_streaming_while_youtube_tests_is_not_live(snap_compare, settings):
    """OBS sends, YouTube is in 'testing': viewers see nothing, so the bar must not say LIVE."""
    snap = connected_snapshot(recording=True, streaming=True, program_scene="Starten")
    app, fake = make_app(settings, snap)

    async def run_before(pilot) -> None:
        await settle(app, fake)(pilot)
        app.youtube_reported(YouTubeReport("b-1", "testing", WALL))
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
        for key in keymap.keys_for("studio"):  # every key of the screen, each on its own line
            assert shown[keymap.key_display(key.key)] == key.help
        assert shown["1"].startswith("Scène 'Starten' uitzenden") and "vraagt eerst" in shown["1"]
        assert shown["6"].startswith("Scène 'Einde' uitzenden")
        assert "7" not in shown  # only the show's scenes have keys (OBS's own 'Scene' has none)
        assert shown["g"] and shown["r"]
        everywhere = {r.key: r.text for r in app.screen.sections[-1].rows}
        assert everywhere["F2"] == "Naar Studio" and "Ctrl+Q" in everywhere
        await pilot.press("escape")
        await pilot.pause(0.05)
        assert app.screen is under


async def test_scene_keys_follow_the_show_and_slates_ask_while_live(settings):
    """1-6 are the show's scenes in running order (as on the Spreekuur screen); OBS's own 'Scene' has no key;
    while live, the keys that put the starting or end slate on air ask first."""
    snap = connected_snapshot(recording=True, streaming=True)
    app, fake = make_app(settings, snap)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        app.youtube_reported(YouTubeReport("b-1", "live", WALL, actual_start=WALL - 60))
        await pilot.press("7")  # the eighth scene of OBS: no key
        await pilot.press("3")
        await pilot.pause(0.2)
        assert fake.calls == [("switch_scene", "Wijkagent met gast")]
        await pilot.press("6")
        await pilot.pause(0.1)
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        assert app.screen.query_one("#status-live").render().plain.startswith("● LIVE")  # the bar stays in sight
        await pilot.press("n")
        await pilot.pause(0.1)
        assert fake.calls == [("switch_scene", "Wijkagent met gast")]  # "no": nothing on air changed
        await pilot.press("6")
        await pilot.pause(0.1)
        await pilot.press("j")
        await pilot.pause(0.2)
        assert fake.calls[-1] == ("switch_scene", "Einde")
        await pilot.press("g")  # geluid uit/aan of the selected source
        await pilot.pause(0.2)
        assert fake.calls[-1] == ("toggle_input_mute", "Microfoon")


async def test_slate_keys_do_not_ask_when_nothing_is_on_air(settings):
    app, fake = make_app(settings, connected_snapshot())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        await pilot.press("1")
        await pilot.pause(0.2)
        assert fake.calls == [("switch_scene", "Starten")]
