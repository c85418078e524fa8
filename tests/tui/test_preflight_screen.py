"""The Preflight screen with real components: PyAudio through PulseAudio, OpenCV on generated videos, the store.

A working studio (a tone on the microphone, a sharp camera) opens the gate; a broken one (silence, a black
camera) keeps "Start de uitzending" disabled until the technician overrides with a reason, which is audited.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import Button

import studio.tui.app
from studio.tui.app import StudioApp
from studio.tui.screens.preflight import PreflightPassed, PreflightScreen
from studio.tui.widgets.preflight_meter import PreflightMicMeter
from studio.tui.widgets.preflight_override import PreflightOverrideScreen
from studio.usecases.context import Studio
from tests.fixtures.pulse import sine
from tests.pilot import free_port

pytestmark = pytest.mark.pulse
SIZE = (130, 40)
LOCAL_CHECKS = ("audio.microphone", "camera.device", "disk.recordings", "system.raqm", "system.fonts")


class RecordingApp(StudioApp):
    CSS_PATH = str(Path(studio.tui.app.__file__).parent / "studio.tcss")  # relative paths follow the subclass

    def __init__(self, ctx: Studio) -> None:
        super().__init__(ctx, stats_interval=5)
        self.passed: list[PreflightPassed] = []

    def on_preflight_passed(self, message: PreflightPassed) -> None:
        self.passed.append(message)


@pytest.fixture
def local_checks(monkeypatch):
    """Only the checks that need no OBS or YouTube (those have their own tests)."""
    from studio.usecases.preflight import runner

    monkeypatch.setattr(runner, "REGISTRY", {k: v for k, v in runner.REGISTRY.items() if k in LOCAL_CHECKS})


@pytest.fixture
def studio_settings(settings):
    settings.obs.port = free_port()  # no OBS: the panel copes, these checks do not need it
    settings.preflight.audio_seconds = 1.0
    return settings


async def until(pilot, cond, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        await pilot.pause(0.05)


async def open_preflight(app, pilot) -> PreflightScreen:
    await pilot.press("f5")
    await until(pilot, lambda: isinstance(app.screen, PreflightScreen), 5, "preflight screen")
    screen = app.screen
    await until(pilot, lambda: screen.checklist is not None, 20, "checklist finished")
    return screen


async def test_working_studio_opens_the_gate_and_shows_the_live_level(
        studio_settings, local_checks, pulse, camera_videos):
    studio_settings.preflight.camera_file = str(camera_videos["good"])
    pulse.play(sine(440, 30, -17.0))
    ctx = Studio(studio_settings)
    app = RecordingApp(ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_preflight(app, pilot)
            assert screen.checklist.passed, screen.checklist.summary()
            start = screen.query_one("#preflight-start", Button)
            assert not start.disabled and screen.query_one("#preflight-override", Button).disabled
            assert "1280x720" in str(screen.query_one("#preflight-camera").render())
            meter = screen.query_one(PreflightMicMeter)
            await until(pilot, lambda: meter.rms_dbfs > -25, 5, "live level of the tone")
            assert meter.rms_dbfs < -15  # the tone's RMS is about -20 dBFS
            assert ctx.store.get_state("preflight.last")["passed"] is True
            await pilot.press("s")
            await until(pilot, lambda: app.passed, 2, "PreflightPassed")
            assert (app.passed[0].overridden, app.passed[0].reason) == (False, "")
            assert app.passed[0].checklist is screen.checklist
    finally:
        ctx.close()


async def test_broken_studio_blocks_until_an_audited_override(studio_settings, local_checks, pulse, camera_videos):
    studio_settings.preflight.camera_file = str(camera_videos["black"])
    pulse.play(sine(440, 30, -200.0))  # silence
    ctx = Studio(studio_settings)
    app = RecordingApp(ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_preflight(app, pilot)
            cl = screen.checklist
            assert not cl.passed
            assert {r.id for r in cl.blocking_failures} == {"audio.microphone", "camera.device"}
            start = screen.query_one("#preflight-start", Button)
            assert start.disabled
            await pilot.press("s")  # the key cannot bypass the disabled button
            await pilot.pause(0.2)
            assert app.passed == []
            assert "zwart" in str(screen.query_one("#preflight-camera").render())

            await pilot.press("o")
            await until(pilot, lambda: isinstance(app.screen, PreflightOverrideScreen), 3,
                        "override dialog")
            await pilot.press(*"kort")
            await pilot.press("enter")  # too short: nothing happens
            await pilot.pause(0.2)
            assert app.passed == []
            await pilot.press(*" maar reservecamera staat klaar")
            await pilot.press("enter")
            await until(pilot, lambda: app.passed, 3, "PreflightPassed after override")
            msg = app.passed[0]
            assert msg.overridden and msg.reason == "kort maar reservecamera staat klaar"
            entries = ctx.store.audit_entries(action="preflight.override")
            assert len(entries) == 1
            assert entries[0]["params"]["reason"] == msg.reason
            assert sorted(entries[0]["params"]["failed"]) == ["audio.microphone", "camera.device"]
    finally:
        ctx.close()


async def test_rerun_key_runs_the_checklist_again(studio_settings, local_checks, pulse, camera_videos):
    studio_settings.preflight.camera_file = str(camera_videos["black"])
    pulse.play(sine(440, 30, -17.0))
    ctx = Studio(studio_settings)
    app = RecordingApp(ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_preflight(app, pilot)
            assert not screen.checklist.passed
            studio_settings.preflight.camera_file = str(camera_videos["good"])  # the technician fixed it
            await pilot.press("r")
            assert screen.checklist is None and screen.query_one("#preflight-start", Button).disabled
            await until(pilot, lambda: screen.checklist is not None, 20, "second run")
            assert screen.checklist.passed, screen.checklist.summary()
            assert not screen.query_one("#preflight-start", Button).disabled
    finally:
        ctx.close()


async def test_no_microphone_is_said_in_the_meter(studio_settings, local_checks, monkeypatch, tmp_path,
                                                   camera_videos):
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/no-server")
    studio_settings.preflight.camera_file = str(camera_videos["good"])
    ctx = Studio(studio_settings)
    app = RecordingApp(ctx)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_preflight(app, pilot)
            meter = screen.query_one(PreflightMicMeter)
            await until(pilot, lambda: "microfoon" in meter.note and "gevonden" in meter.note, 5, "meter error")
            assert not screen.checklist.passed
    finally:
        ctx.close()
