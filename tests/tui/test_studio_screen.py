"""The technician's view (F2): the program picture, the stream's figures, where each sound goes, the level keys.

Snapshot: a fixed program picture (tests/tui/fakes.py: officer_picture) and fixed figures from OBS: live for
10 minutes at 4.5 Mbit/s, 12 frames dropped by the network, 4,656 render frames skipped of 120,000 (the
rehearsal's figure that came with no warning). Behaviour against a real OBS: tests/tui/test_technician_obs.py.
"""

from __future__ import annotations

import itertools
import threading
import time
from types import MappingProxyType

from studio.domain.air_status import YouTubeReport
from studio.obs.state import AudioRoute, InputInfo, OutputStatus, Stats
from studio.tui.app import StudioApp
from studio.tui.screens import SCREENS
from studio.tui.screens.studio import PREVIEW_INTERVAL, StudioScreen
from studio.usecases.context import Studio
from tests.pilot import wait_until
from tests.tui.fakes import FakeObs, connected_snapshot
from tests.tui.test_snapshots import FROZEN, SIZE, WALL, settle

LIVE_STATS = Stats(cpu_usage=18.5, render_skipped_frames=4656, render_total_frames=120_000,
                   output_skipped_frames=0, output_total_frames=18_000)
LIVE_STREAM = OutputStatus(True, "00:10:00.000", duration_ms=600_000, bytes=337_500_000, skipped_frames=12,
                           total_frames=18_000, congestion=0.03)


def make_app(settings, fake: FakeObs) -> StudioApp:
    settings.youtube.rehearsal = "no"
    studio_only = [e for e in SCREENS if e.mode == "studio"]
    return StudioApp(Studio(settings, obs=fake), clock=lambda: FROZEN, wall=lambda: WALL, stats_interval=0.05,
                     screens=studio_only)


def live_fake(**changes) -> FakeObs:
    inputs = dict(connected_snapshot().inputs)
    inputs["Muziek"] = InputInfo("Muziek", "ffmpeg_source")
    snap = connected_snapshot(recording=True, streaming=True, inputs=MappingProxyType(inputs), **changes)
    routes = {"Microfoon": AudioRoute("Microfoon", True, volume_db=-3.0),
              "Jingle": AudioRoute("Jingle", False), "Muziek": AudioRoute("Muziek", False, volume_db=-12.0)}
    return FakeObs(snap, stats=LIVE_STATS, stream=LIVE_STREAM, routes=routes)


def test_technician_view_live(snap_compare, settings):
    fake = live_fake()
    app = make_app(settings, fake)

    async def run_before(pilot) -> None:
        app.youtube_reported(YouTubeReport("b-1", "live", WALL, actual_start=WALL - 754, stream_status="active",
                                           health="good"))
        await settle(app, fake)(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def strip_text(screen: StudioScreen, name: str, line: int) -> str:
    mixer = screen.mixer
    return mixer.render_line(mixer.strips[name].top + line).text


async def test_a_microphone_not_in_the_program_scene_says_so(settings):
    """The rehearsal: the meter moved, viewers heard nothing. Now the strip says it, red where the officer
    speaks; in the pause scene (no microphone there on purpose) calmly."""
    fake = live_fake(program_scene="Wijkagent")
    fake.routes["Microfoon"] = AudioRoute("Microfoon", False, volume_db=-3.0)
    app = make_app(settings, fake)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        screen: StudioScreen = app.screen  # type: ignore[assignment]
        assert "✕ niet in uitzending" in strip_text(screen, "Microfoon", 1)
        assert screen.mixer.speaking and not screen.mixer.strips["Microfoon"].heard
        fake.set_snapshot(connected_snapshot(streaming=True, program_scene="Pauze", inputs=fake.snapshot.inputs))
        await wait_until(pilot, lambda: not screen.mixer.speaking, "the pause scene on air", timeout=5)
        fake.routes["Microfoon"] = AudioRoute("Microfoon", True, volume_db=-3.0)
        await wait_until(pilot, lambda: "● in uitzending" in strip_text(screen, "Microfoon", 1),
                         "the microphone back in the program", timeout=5)


async def test_level_keys_step_obs_fader_and_show_what_obs_says(settings):
    fake = live_fake()
    app = make_app(settings, fake)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        screen: StudioScreen = app.screen  # type: ignore[assignment]
        assert screen.mixer.selected == "Microfoon" and "niv   -3 dB" in strip_text(screen, "Microfoon", 0)
        await pilot.press("plus", "plus", "minus")
        await wait_until(pilot, lambda: len([c for c in fake.calls if c[0] == "set_input_volume_db"]) == 3,
                         "three steps asked of OBS", timeout=5)
        assert [c[1] for c in fake.calls if c[0] == "set_input_volume_db"] == [
            ("Microfoon", -2.0), ("Microfoon", -1.0), ("Microfoon", -2.0)]
        await wait_until(pilot, lambda: "niv   -2 dB" in strip_text(screen, "Microfoon", 0), "the level shown",
                         timeout=5)
        await pilot.press("down", "down", "minus")  # past the Jingle to Muziek, at -12 dB
        await wait_until(pilot, lambda: ("set_input_volume_db", ("Muziek", -13.0)) in fake.calls, "Muziek softer",
                         timeout=5)


class SlowFake(FakeObs):
    """OBS takes its time for a screenshot: the panel must never ask for a second one meanwhile."""

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.busy = 0
        self.most_at_once = 0
        self.started: list[float] = []
        self._lock = threading.Lock()

    def screenshot(self, source: str, width: int, height: int) -> bytes:
        with self._lock:
            self.started.append(time.monotonic())
            self.busy += 1
            self.most_at_once = max(self.most_at_once, self.busy)
        time.sleep(0.3)
        with self._lock:
            self.busy -= 1
        return super().screenshot(source, width, height)


async def test_preview_one_request_at_a_time_only_while_shown_and_off_with_p(settings):
    fake = SlowFake(connected_snapshot())
    app = make_app(settings, fake)
    async with app.run_test(size=SIZE) as pilot:
        screen: StudioScreen = app.screen  # type: ignore[assignment]
        await wait_until(pilot, lambda: screen.preview.frames >= 3, "three pictures", timeout=10)
        assert fake.most_at_once == 1
        assert screen.preview.request_size() == (44, 24)  # one pixel per half cell: OBS scales, not the panel
        await pilot.press("p")
        await pilot.pause(0.4)  # the request under way may still answer
        before = fake.screenshots
        await pilot.pause(1.5)
        assert fake.screenshots == before and not screen.preview_on
        await pilot.press("p")
        await wait_until(pilot, lambda: fake.screenshots > before, "the picture back", timeout=5)
        await pilot.press("f1")  # the help over the screen: the screen is not shown, nothing is asked
        await pilot.pause(0.4)
        before = fake.screenshots
        await pilot.pause(1.5)
        assert fake.screenshots == before
        await pilot.press("escape")
        await wait_until(pilot, lambda: fake.screenshots > before, "the picture back after the help", timeout=5)
        assert fake.most_at_once == 1
        # one chain of requests, never two: the next is asked PREVIEW_INTERVAL after the previous answered
        gaps = [b - a for a, b in itertools.pairwise(fake.started)]
        assert min(gaps) >= 0.3 + PREVIEW_INTERVAL - 0.05, gaps
