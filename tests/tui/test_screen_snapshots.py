"""Snapshot tests of the Archief (F6), Uitzending (F3) and Controle (F5) screens: fixed size, fixed data, frozen clock.

Deterministic by construction: the archive's entries are put in the store with fixed values; YouTube is a
stand-in with fixed broadcasts and status (the Uitzending screen's behaviour against the emulator is tested in
test_broadcast_screen.py); the checklist is three registered checks with fixed outcomes and the microphone meter
off. Update after an intended change with ``pytest tests/tui/test_screen_snapshots.py --snapshot-update`` and
look at the SVGs before committing them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from studio.store.archive import Source, add_entry, update_entry
from studio.store.youtube import BroadcastRecord
from studio.tui.app import StudioApp
from studio.tui.screens import ScreenEntry
from studio.tui.screens.broadcast import BroadcastScreen
from studio.tui.screens.preflight import PreflightScreen
from studio.usecases.context import Studio
from studio.usecases.preflight import runner
from studio.usecases.preflight.runner import Outcome
from studio.youtube.broadcast import BroadcastStatus
from studio.youtube.quota import QuotaUsage
from studio.youtube.streams import StreamHealth
from tests.tui.fakes import FakeObs, connected_snapshot
from tests.waiting import pilot_wait_until

SIZE = (130, 40)
NOW = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # a Tuesday, 18:30 in Heerlen: the Dutch session is tonight


class FrozenBroadcastScreen(BroadcastScreen):
    def __init__(self) -> None:
        super().__init__(now=lambda: NOW)


class FrozenPreflightScreen(PreflightScreen):
    def __init__(self) -> None:
        super().__init__()
        self._meter_wanted = False  # no microphone in a picture


class StandInBroadcasts:
    """Two broadcasts the studio made, one of them live; YouTube's status of each, fixed."""

    def __init__(self) -> None:
        self.records = [
            BroadcastRecord("2026-11-24-nl", "oefen", "b-live-1", "nl", "inbraak", "Inbraak", "2026-11-24T18:00:00Z",
                            "live", yt_status="live", live_chat_id="chat-1"),
            BroadcastRecord("2026-11-10-nl", "oefen", "b-old-2", "nl", "fietsdiefstal", "Fietsdiefstal",
                            "2026-11-10T18:00:00Z", "complete", yt_status="complete"),
        ]

    def known(self, limit: int = 50) -> list[BroadcastRecord]:
        return self.records[:limit]

    def pending(self) -> list[BroadcastRecord]:
        return [self.records[0]]

    def status(self, broadcast_id: str, *, with_health: bool = True) -> BroadcastStatus:
        rec = next(r for r in self.records if r.broadcast_id == broadcast_id)
        health = StreamHealth("s-1", "active", "good") if rec.yt_status == "live" else None
        started = "2026-11-24T18:00:05Z" if rec.yt_status == "live" else ""  # YouTube's actualStartTime
        return BroadcastStatus(broadcast_id, rec.title, rec.yt_status, "public", rec.scheduled_start,
                               "s-1" if health else "", rec.live_chat_id, health, started)


class StandInYouTube:
    rehearsal = True
    endpoint = "http://127.0.0.1:1/"
    target = "oefen"

    def __init__(self) -> None:
        self.broadcasts = StandInBroadcasts()

    @property
    def ledger(self) -> StandInYouTube:
        return self

    def usage(self) -> QuotaUsage:
        return QuotaUsage("2026-11-24", 182, 10_000, {"liveBroadcasts.list": 40, "liveChatMessages.list": 142})

    def close(self) -> None:
        pass


WALL = 1_795_544_000.0  # 2026-11-24 18:13:20 UTC: the LIVE clock's 'now'


def make_app(settings, entry: ScreenEntry, *, streaming: bool = False, **services) -> tuple[StudioApp, Studio]:
    settings.youtube.rehearsal = "yes"
    settings.schedule.first_dutch_session = "2026-11-24"
    ctx = Studio(settings, obs=FakeObs(connected_snapshot(streaming=streaming)), **services)
    return StudioApp(ctx, clock=lambda: 1000.0, wall=lambda: WALL, stats_interval=0.05, screens=[entry]), ctx


def test_archive_screen(snap_compare, settings):
    entry = ScreenEntry("f6", "archive", "Archief", "studio.tui.screens.archive:ArchiveScreen")
    app, ctx = make_app(settings, entry)
    one = add_entry(ctx.store, session_id="2026-11-10-nl", session_date="2026-11-10", topic="fietsdiefstal",
                    lang="nl", title="Digitaal wijkspreekuur: fietsdiefstal",
                    sources=[Source(0, "/opnames/2026-11-10 19-00-00.mkv", 1_610_612_736, "a" * 64, 3725.0)],
                    truncated=False, record_started_at=1_762_797_600.0)
    update_entry(ctx.store, one.id, state="published", processed_path="/opnames/2026-11-10 19-00-00.verwerkt.mp4",
                 processed_duration=3480.0, processed_size=1_288_490_188, trim_start=205.0, video_id="v-123")
    add_entry(ctx.store, session_id="2026-11-24-nl", session_date="2026-11-24", topic="inbraak", lang="nl",
              title="Digitaal wijkspreekuur: inbraak",
              sources=[Source(0, "/opnames/2026-11-24 19-00-00.mkv", 524_288_000, "b" * 64, 1804.0)],
              truncated=True, record_started_at=1_764_007_200.0)

    async def run_before(pilot) -> None:
        await pilot_wait_until(pilot, lambda: len(app.screen.entries) == 2, "the two entries")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_broadcast_screen(snap_compare, settings):
    entry = ScreenEntry("f3", "broadcast", "Uitzending", f"{__name__}:FrozenBroadcastScreen")
    app, _ctx = make_app(settings, entry, streaming=True, youtube=StandInYouTube())  # type: ignore[arg-type]

    async def run_before(pilot) -> None:
        await pilot_wait_until(pilot, lambda: app.screen.last_status is not None, "the live broadcast's status")
        await pilot_wait_until(pilot, lambda: app.air.live, "LIVE in the status bar, from YouTube's answer")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.fixture
def fixed_checks(monkeypatch):
    """Four checks with fixed outcomes: fine, fine (an OBS input kind, shown in words), a warning (a figure with
    its unit), a blocking failure."""
    specs = {}
    for spec_id, label, outcome in (
        ("obs.connection", "OBS bereikbaar", Outcome("ok", "OBS 29.0.2 / WebSocket 5.1.0")),
        ("obs.mic_input", "Microfoonbron in OBS", Outcome("ok", "pulse_input_capture")),
        ("disk.recordings", "Opnamemap schrijfbaar en ruimte",
         Outcome("warning", 41.2, "krap: 41.2 GB vrij, genoeg voor één opname van 90 min")),
        ("audio.microphone", "Microfoon (geluid)",
         Outcome("fail", -72.0, "geen geluid van de microfoon: staat hij aan en is hij gekozen?")),
    ):
        specs[spec_id] = runner.CheckSpec(spec_id, label, lambda env, o=outcome: o, True, 5.0, "system",
                                          runner.REGISTRY[spec_id].unit)
    monkeypatch.setattr(runner, "REGISTRY", specs)


def test_preflight_screen(snap_compare, settings, fixed_checks):
    entry = ScreenEntry("f5", "preflight", "Controle", f"{__name__}:FrozenPreflightScreen")
    app, _ctx = make_app(settings, entry)

    async def run_before(pilot) -> None:
        await pilot_wait_until(pilot, lambda: app.screen.checklist is not None, "the checklist")
        await pilot.pause(0.1)
        app.screen.set_focus(None)  # the override dialog is not opened by itself; no blinking focus
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
