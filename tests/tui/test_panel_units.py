"""The panel's own rules, without OBS: meter ballistics, scene order, messages, errors, quitting while live."""

from __future__ import annotations

import dataclasses
import math

from studio.obs.errors import ObsRequestFailed
from studio.obs.state import ChannelLevel
from studio.tui.app import StudioApp
from studio.tui.messages import ObsMetersReceived, ObsStateReceived
from studio.tui.screens import SCREENS
from studio.tui.widgets.confirm import ConfirmScreen
from studio.tui.widgets.meters import (
    CLIP_SHOW_SECONDS,
    FLOOR_DBFS,
    PEAK_HOLD_SECONDS,
    ChannelMeter,
    format_db,
)
from studio.tui.widgets.scenes import order_scenes
from studio.tui.widgets.status import HOW_TO_FIX, short_timecode, without_repeated_hint
from studio.usecases.context import Studio
from tests.tui.fakes import FakeObs, connected_snapshot


def level(db: float, peak: float | None = None) -> ChannelLevel:
    p = db if peak is None else peak
    return ChannelLevel(db, p, p)


def test_peak_hold_holds_then_falls_and_clip_latches():
    m = ChannelMeter()
    m.update(level(-12, -6), now=0.0)
    m.update(level(-40), now=0.5)
    assert m.level == -40 and m.hold(0.5) == -6  # held
    assert m.hold(PEAK_HOLD_SECONDS + 0.01) == -6 + -0.01 * 20 or m.hold(PEAK_HOLD_SECONDS + 0.01) < -6
    assert m.hold(PEAK_HOLD_SECONDS + 1.0) < -20  # falling at 20 dB/s after the hold time
    assert m.hold(10.0) == -40  # never below the current peak
    assert not m.clipping(0.5)
    m.update(level(-3, -0.5), now=1.0)
    assert m.clipping(1.0) and m.clipping(1.0 + CLIP_SHOW_SECONDS - 0.1)
    assert not m.clipping(1.0 + CLIP_SHOW_SECONDS + 0.1)


def test_meter_clamps_to_scale_and_silence():
    m = ChannelMeter()
    m.update(level(-math.inf), now=0.0)
    assert m.level == FLOOR_DBFS and m.hold(0.0) == FLOOR_DBFS
    m.update(level(3.0), now=0.0)  # above full scale (input gain): drawn as 0 dBFS, and it clips
    assert m.level == 0.0 and m.clipping(0.0)
    m.update(None, now=0.1)  # input left the meters message
    assert m.level == FLOOR_DBFS
    assert format_db(FLOOR_DBFS) == "   -∞ dB" and format_db(-9.54) == " -9.5 dB"


def test_scene_order_puts_the_show_first():
    obs = ("Scene", "Einde", "Extra", "Wijkagent", "Starten")
    show = ("Starten", "Wijkagent", "Wijkagent met gast", "Einde")
    assert order_scenes(obs, show) == ["Starten", "Wijkagent", "Einde", "Scene", "Extra"]


def test_status_texts():
    assert short_timecode("01:02:03.456") == "1:02:03" and short_timecode("") == "0:00:00"  # like every clock
    reason = "OBS draait niet of de WebSocket-server staat uit (h:1) — start OBS en zet Extra > WebSocket-serverinstellingen aan"
    assert without_repeated_hint(reason) == "OBS draait niet of de WebSocket-server staat uit (h:1)"
    auth = "wachtwoord klopt niet — neem het wachtwoord over uit OBS"
    assert without_repeated_hint(auth) == auth  # a different hint stays
    assert "wachtwoord in [obs] password" in HOW_TO_FIX


def test_meters_message_replaces_its_pending_predecessor():
    a = ObsMetersReceived({"Mic": (level(-20),)})
    b = ObsMetersReceived({"Mic": (level(-10),)})
    assert a.can_replace(b)
    assert not a.can_replace(ObsStateReceived(connected_snapshot()))


def app_with(settings, snap) -> tuple[StudioApp, FakeObs]:
    fake = FakeObs(snap)
    ctx = Studio(settings, obs=fake)
    return StudioApp(ctx, stats_interval=0.05, screens=[e for e in SCREENS if e.mode == "studio"]), fake


async def test_refused_switch_is_a_calm_notification_not_a_crash(settings):
    app, fake = app_with(settings, connected_snapshot())

    def refuse(name: str) -> None:
        raise ObsRequestFailed("SetCurrentProgramScene", 600)

    fake.switch_scene = refuse  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("3")
        for _ in range(40):
            if app._notifications:
                break
            await pilot.pause(0.05)
        texts = [n.message for n in app._notifications]
        assert any("OBS weigert SetCurrentProgramScene" in t and "bestaat niet" in t for t in texts), texts
        assert app.is_running and app.screen.scene_buttons.program == "Wijkagent"  # type: ignore[attr-defined]
        audit = app.ctx.store.audit_entries(action="scene.switch")
        assert audit[0]["result"].startswith("fout: OBS weigert")


async def test_quit_while_recording_asks_first(settings):
    app, fake = app_with(settings, connected_snapshot(recording=True))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("ctrl+q")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause(0.1)
        assert app.is_running and not isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+q")
        await pilot.pause(0.1)
        await pilot.press("j")
        await pilot.pause(0.2)
    assert app.return_code == 0 and fake.calls == []  # quitting never stops OBS's recording


async def test_stop_recording_needs_confirmation(settings):
    app, fake = app_with(settings, connected_snapshot(recording=True))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        await pilot.press("r")
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert fake.calls == []
        await pilot.press("r", "j")
        for _ in range(40):
            if fake.calls:
                break
            await pilot.pause(0.05)
        assert fake.calls == [("stop_record", None)]
        fake.set_snapshot(dataclasses.replace(fake.snapshot, recording=False))
        await pilot.pause(0.1)
        await pilot.press("r")  # not recording: starts without asking
        for _ in range(40):
            if len(fake.calls) == 3:
                break
            await pilot.pause(0.05)
        # by hand too, into the studio's recordings folder (not OBS's own)
        assert fake.calls[1:] == [("set_record_directory", str(app.ctx.settings.recordings_dir)),
                                  ("start_record", None)]


def test_merged_meter_updates_keep_the_highest_peak():
    from studio.tui.obs_feed import merge_levels

    older = {"Mic": (ChannelLevel(-20, -3, -3),), "Gone": (level(-30),)}
    newer = {"Mic": (ChannelLevel(-25, -18, -18),), "New": (level(-40),)}
    merged = merge_levels(older, newer)
    assert merged["Mic"] == (ChannelLevel(-25, -3, -3),)  # latest level, the peak that was skipped
    assert merged["New"] == (level(-40),) and merged["Gone"] == (level(-30),)


async def test_meters_faster_than_the_draw_interval_are_merged_not_lost(settings):
    app, fake = app_with(settings, connected_snapshot())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.2)
        fake.meters({"Microfoon": (ChannelLevel(-30, -30, -30),) * 2})  # posted at once
        fake.meters({"Microfoon": (ChannelLevel(-20, -0.5, -0.5),) * 2})  # 1 ms later: held back, merged
        fake.meters({"Microfoon": (ChannelLevel(-40, -40, -40),) * 2})
        await pilot.pause(0.05)
        assert app.obs_meters["Microfoon"][0].magnitude_dbfs == -30
        await pilot.pause(0.15)
        fake.meters({"Microfoon": (ChannelLevel(-41, -41, -41),) * 2})  # the interval has passed: posts all
        await pilot.pause(0.05)
        latest = app.obs_meters["Microfoon"][0]
        assert latest.magnitude_dbfs == -41 and latest.peak_dbfs == -0.5  # the clip was not lost


def test_a_line_for_every_on_air_change():
    import dataclasses

    from studio.obs.state import Connection, InputInfo, ObsSnapshot
    from studio.tui.obs_feed import on_air_lines
    from tests.tui.fakes import connected_snapshot

    before = connected_snapshot()
    muted = dict(before.inputs)
    muted["Microfoon"] = InputInfo("Microfoon", "pulse_input_capture", muted=True)
    after = dataclasses.replace(before, program_scene="Pauze", inputs=muted, streaming=True, recording=True)
    assert on_air_lines(before, after) == ["In beeld: scène 'Pauze'", "Geluid uit: Microfoon",
                                           "OBS stuurt beeld naar YouTube", "Opname loopt"]
    assert on_air_lines(after, before) == ["In beeld: scène 'Wijkagent'", "Geluid aan: Microfoon",
                                           "OBS stuurt geen beeld meer naar YouTube", "Opname gestopt"]
    assert on_air_lines(before, before) == []
    # a (re)connect reports OBS's state, not a change
    assert on_air_lines(ObsSnapshot(connection=Connection.LOST), after) == []
