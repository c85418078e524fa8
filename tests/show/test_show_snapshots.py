"""Snapshot tests of the Show screen at each step of an evening (pytest-textual-snapshot), 130x40.

Deterministic by construction: a fixed 'now' (Tuesday 24 November 2026, 18:30 in Heerlen), a FakeObs with a
fixed snapshot, the flow's state written into the store as the flow itself writes it, and the screen's
pollers (YouTube facts, slate refresh) switched off. Update after an intended change with
``pytest tests/show/test_show_snapshots.py --snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from studio.domain.air_status import YouTubeReport
from studio.domain.questions import Source
from studio.store import session as repo
from studio.tui.app import StudioApp
from studio.tui.screens import ScreenEntry
from studio.tui.screens.show import ShowScreen
from studio.usecases.context import Studio
from studio.usecases.show import SessionPlan
from tests.pilot import wait_until
from tests.tui.fakes import FakeObs, connected_snapshot, levels
from tests.waiting import pilot_wait_until

SIZE = (130, 40)
NOW = datetime(2026, 11, 24, 18, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
LIVE_SINCE = NOW.timestamp() - 754  # live for 0:12:34
NL = SessionPlan("2026-11-24-nl", "nl", "inbraak", "2026-11-24T19:00:00+01:00")
AR = SessionPlan("2026-11-24-ar", "ar", "inbraak", "2026-11-24T20:00:00+01:00")


class FrozenShowScreen(ShowScreen):
    def __init__(self, **kw):
        super().__init__(now=lambda: NOW, wall=lambda: NOW.timestamp(), **kw)

    def _poll_facts(self) -> None:  # YouTube and the disk are not part of the picture
        pass

    def refresh_slate(self) -> None:
        pass

    def resume_live_services(self) -> None:
        pass

    def run_flow(self, method, *args):
        if method == "resume":  # the picture of a step under way (found running), not the step itself
            return None
        return super().run_flow(method, *args)


ENTRY = ScreenEntry("f7", "show", "Spreekuur", f"{__name__}:FrozenShowScreen")


def make_app(settings, *, program="Starten", recording=False, streaming=False):
    settings.youtube.rehearsal = "no"
    settings.schedule.first_dutch_session = "2026-11-24"
    settings.schedule.first_arabic_session = "2026-11-24"
    settings.schedule.topics = ["inbraak"]
    fake = FakeObs(connected_snapshot(program_scene=program, recording=recording, streaming=streaming))
    ctx = Studio(settings, obs=fake)
    app = StudioApp(ctx, clock=lambda: 1000.0, wall=NOW.timestamp, stats_interval=0.05, screens=[ENTRY])
    return app, ctx, fake


def at_step(ctx, plan, step, status, detail="", done=(), **fields):
    repo.ensure_session(ctx.store, plan.session_id, plan.lang, plan.topic, plan.starts_at, False, "scenes")
    for d in done:
        repo.record_step(ctx.store, plan.session_id, d, "done")
    if fields:
        repo.update_session(ctx.store, plan.session_id, **fields)
    repo.record_step(ctx.store, plan.session_id, step, status, detail)
    # the log's times on the frozen clock, 3 s ago: countdowns of timed steps are part of the picture
    ctx.store.execute("UPDATE show_steps SET at = ? WHERE session_id = ?", (NOW.timestamp() - 3, plan.session_id))


def settle(app, fake, meters=True):
    async def run_before(pilot) -> None:
        for _ in range(200):
            if isinstance(app.screen, ShowScreen) and app.screen.state is not None and \
                    app.obs_snapshot == fake.snapshot:
                break
            await pilot.pause(0.02)
        if meters:
            fake.meters({"Microfoon": levels(-20.0, -12.0), "Camera": levels(-30.0, -24.0)})
            await pilot.pause(0.05)
        app.screen.refresh_view()
        await pilot.pause()

    return run_before


BEFORE = ("scenes", "broadcast", "preflight", "slate", "record", "stream")


def test_home_before_the_start(snap_compare, settings):
    app, _ctx, fake = make_app(settings, program="Scene")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle(app, fake))


def test_step_running(snap_compare, settings):
    app, ctx, fake = make_app(settings, recording=True)
    at_step(ctx, NL, "stream", "running", "wacht tot YouTube beeld van OBS ontvangt… (3 s)",
            done=BEFORE[:-1], broadcast_id="b-123")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle(app, fake))


def test_end_that_failed_says_the_broadcast_is_not_ended(snap_compare, settings):
    """Issue 12: the flow could not end the broadcast by itself: red, with the one key that ends it."""
    app, ctx, fake = make_app(settings, program="Einde", recording=True, streaming=True)
    at_step(ctx, NL, "end_broadcast", "failed", "YouTube antwoordt niet (time-out na 20 s)",
            done=(*BEFORE, "live", "on_air", "end_slate"), broadcast_id="b-123", live_since=LIVE_SINCE)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle(app, fake))


def test_step_failed_offers_retry_skip_stop(snap_compare, settings):
    app, ctx, fake = make_app(settings, program="Wijkagent")
    at_step(ctx, NL, "preflight", "failed",
            "niet klaar: Microfoon (geluid): microfoon te zacht: ongeveer +18 dB nodig",
            done=("scenes", "broadcast"), broadcast_id="b-123")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle(app, fake))


def test_ready_to_go_live(snap_compare, settings):
    app, ctx, fake = make_app(settings, recording=True, streaming=True)
    at_step(ctx, NL, "live", "waiting", "klaar om live te gaan", done=BEFORE, broadcast_id="b-123")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle(app, fake))


def test_live_with_questions(snap_compare, settings):
    app, ctx, fake = make_app(settings, program="Wijkagent", recording=True, streaming=True)
    at_step(ctx, NL, "on_air", "waiting", "live: druk op Einde om af te sluiten", done=(*BEFORE, "live"),
            broadcast_id="b-123", live_since=LIVE_SINCE)

    book = ctx.questions
    q1 = book.add_manual("Hoe beveilig ik mijn schuur tegen inbraak?", Source.PHONE, lang="nl")
    book.add_manual("Er staat NU iemand aan mijn deur te rammelen, spoed!", Source.SOCIAL, lang="nl")
    book.add_manual("[bold red]POLITIE[/] \x1b[31m", Source.SOCIAL, lang="nl")  # shown literally, never as markup
    book.shortlist(q1.id)
    before = settle(app, fake)

    async def run_before(pilot) -> None:
        await before(pilot)
        # the short list is read in a worker (never on the event loop), only when the queue changed
        await wait_until(pilot, lambda: "schuur" in str(app.screen.query_one("#show-questions").render()),
                         "the session's questions in the short list")
        # what the facts poll hands on: YouTube's actualStartTime is the one LIVE clock (bar and screen)
        app.youtube_reported(YouTubeReport("b-123", "live", NOW.timestamp(), actual_start=LIVE_SINCE,
                                           stream_status="active", health="good"))
        app.screen.refresh_view()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_done_offers_the_arabic_session(snap_compare, settings):
    app, ctx, fake = make_app(settings, program="Einde")
    at_step(ctx, NL, "done", "done", "", done=(*BEFORE, "live", "on_air", "end_slate", "end_broadcast",
                                                 "stop_record", "archive"),
            broadcast_id="b-123", live_since=LIVE_SINCE, record_path="/opnames/2026-11-24 19-00-00.mkv")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle(app, fake))


@pytest.mark.parametrize("lang", ["ar"])
def test_arabic_session_running(snap_compare, settings, lang):
    app, ctx, fake = make_app(settings, recording=True, streaming=True)
    at_step(ctx, NL, "done", "done", broadcast_id="b-123")
    at_step(ctx, AR, "live", "waiting", "klaar om live te gaan", done=BEFORE, broadcast_id="b-456")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle(app, fake))


def test_help_shows_the_whole_key_table(snap_compare, settings):
    """`?` on the Spreekuur screen: its keys, the keys that change what is on air with where they work (the
    same everywhere), and the panel's own keys; the status bar stays on top."""
    from studio.tui.screens import SCREENS

    app, ctx, fake = make_app(settings, program="Wijkagent", recording=True, streaming=True)
    app.screen_entries = (ENTRY, *(e for e in SCREENS if e.mode != "show"))  # every screen, for 'Werkt op'
    at_step(ctx, NL, "on_air", "waiting", "live: druk op Einde om af te sluiten", done=(*BEFORE, "live"),
            broadcast_id="b-123", live_since=LIVE_SINCE)

    async def run_before(pilot) -> None:
        await settle(app, fake, meters=False)(pilot)
        app.youtube_reported(YouTubeReport("b-123", "live", NOW.timestamp(), actual_start=LIVE_SINCE))
        await pilot.press("question_mark")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(130, 64), run_before=run_before)


def _confirm_text(app) -> str:
    return str(app.screen.query_one("#confirm-question").render())


async def test_end_and_stop_explain_each_other_and_name_the_session(settings):
    app, ctx, fake = make_app(settings, program="Wijkagent", recording=True, streaming=True)
    at_step(ctx, NL, "on_air", "waiting", "live", done=(*BEFORE, "live"), broadcast_id="b-123",
            live_since=LIVE_SINCE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        await pilot.press("e")
        await pilot.pause(0.1)
        text = _confirm_text(app)
        assert "e (Einde)" in text and "x = Stoppen" in text and "30 s" in text
        assert "dinsdag 24 november 2026 om 19:00" in text
        assert app.screen.query_one("#status-live").render().plain.startswith("● LIVE")  # the bar stays visible
        await pilot.press("n")
        await pilot.press("x")
        await pilot.pause(0.1)
        text = _confirm_text(app)
        assert "ZONDER eindbeeld" in text and "e (Einde)" in text and "dinsdag 24 november 2026" in text
        await pilot.press("n")
        await pilot.pause(0.1)
        assert ctx.store.query_one("SELECT step FROM show_sessions WHERE session_id = ?",
                                   (NL.session_id,))["step"] == "on_air"  # "no" changed nothing


async def test_every_on_air_change_gets_a_line(settings):
    """Taking a card off air used to say nothing; now b, u and k each say what happened."""
    from studio.usecases import moderation, onair

    app, ctx, fake = make_app(settings, program="Wijkagent", recording=True, streaming=True)
    at_step(ctx, NL, "on_air", "waiting", "live", done=(*BEFORE, "live"), broadcast_id="b-123",
            live_since=LIVE_SINCE)
    q = ctx.questions.add_manual("Hoe beveilig ik mijn schuur?", Source.PHONE, lang="nl")
    # chosen as the moderator chooses: with what will air in view (b on this screen airs only that)
    moderation.shortlist(ctx, q.id, shown=onair.preview(ctx, ctx.questions.get(q.id), wait=60).digest)

    def said(what: str) -> bool:
        return any(what in str(n.message) for n in app._notifications)

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        await pilot.press("u")  # nothing on air yet
        await pilot_wait_until(pilot, lambda: said("Er stond geen vraag in beeld"), "the 'nothing on air' line")
        await pilot.press("b")
        await pilot_wait_until(pilot, lambda: said("In beeld: vraag «Hoe beveilig ik mijn schuur?»"), "on air")
        assert ctx.questions.on_air() is not None
        await pilot.press("u")
        await pilot_wait_until(pilot, lambda: said("Uit beeld (terug bij de gekozen vragen)"), "off air")
        assert ctx.questions.on_air() is None
        await pilot.press("b")
        await pilot_wait_until(pilot, lambda: ctx.questions.on_air() is not None, "on air again")
        await pilot.press("k")
        await pilot_wait_until(pilot, lambda: said("Beantwoord en uit beeld"), "answered")
        # a scene change made anywhere (here: OBS itself) gets its line too
        fake.set_snapshot(dataclasses.replace(fake.snapshot, program_scene="Pauze"))
        await pilot_wait_until(pilot, lambda: said("In beeld: scène 'Pauze'"), "the scene line")


async def test_slate_keys_ask_first_while_live(settings):
    app, ctx, fake = make_app(settings, program="Wijkagent", recording=True, streaming=True)
    at_step(ctx, NL, "on_air", "waiting", "live", done=(*BEFORE, "live"), broadcast_id="b-123",
            live_since=LIVE_SINCE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        await pilot.press("5")
        await pilot.pause(0.2)
        assert fake.calls[-1] == ("switch_scene", "Pauze")
        await pilot.press("6")
        await pilot.pause(0.1)
        assert "e (Einde)" in _confirm_text(app)
        await pilot.press("n")
        await pilot.press("1")
        await pilot.pause(0.1)
        assert "startbeeld" in _confirm_text(app)
        await pilot.press("j")
        await pilot.pause(0.2)
        assert fake.calls[-1] == ("switch_scene", "Starten")


def test_rehearsal_start_names_its_date(snap_compare, settings):
    """`studio rehearse`: the Spreekuur screen opens on the rehearsal that starts in a few minutes, says that OBS
    shows a test picture instead of the camera, and `s` asks with the session's date (with the bar on top)."""
    from studio.usecases import rehearse_now

    settings.youtube.rehearsal = "yes"
    settings.schedule.topics = ["inbraak"]
    settings.preflight.camera_file = str(rehearse_now.stand_in_dir(settings) / "testbeeld.mp4")
    fake = FakeObs(connected_snapshot(program_scene="Scene"))
    ctx = Studio(settings, obs=fake)
    rehearse_now.plan_now(ctx, now=NOW, minutes=5, arabic=True)
    app = StudioApp(ctx, clock=lambda: 1000.0, wall=NOW.timestamp, stats_interval=0.05, screens=[ENTRY])

    async def run_before(pilot) -> None:
        await settle(app, fake, meters=False)(pilot)
        assert app.screen.plan is not None and app.screen.plan.session_id == "2026-11-24-oefen1835-nl"
        await pilot.press("s")
        await pilot.pause(0.2)
        assert "Oefensessie: Nederlands, dinsdag 24 november 2026 om 18:35 (vandaag)" in _confirm_text(app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_the_arabic_session_stays_live_while_the_dutch_one_is_polled(settings):
    """During the Arabic session the header flipped between LIVE and STREAM: the finished Dutch broadcast's
    state (polled on the Uitzending screen) was taken for the one on air. Only the session's broadcast counts."""
    from studio.domain.air_status import YouTubeReport

    app, ctx, fake = make_app(settings, program="Wijkagent", recording=True, streaming=True)
    at_step(ctx, NL, "done", "done", broadcast_id="b-123")
    at_step(ctx, AR, "on_air", "waiting", "live", done=(*BEFORE, "live"), broadcast_id="b-456",
            live_since=LIVE_SINCE)
    seen = set()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        assert app.air.broadcast_id == "b-456" and app.air.live
        for i in range(6):
            app.youtube_reported(YouTubeReport("b-123", "complete", NOW.timestamp() + i))
            if i % 2:
                app.youtube_reported(YouTubeReport("b-456", "live", NOW.timestamp() + i, actual_start=LIVE_SINCE))
            await pilot.pause(0.05)
            seen.add(str(app.screen.query_one("#status-live").render()).split(" ")[1])
        assert seen == {"LIVE"}
        assert "LIVE 0:12:34" in str(app.screen.query_one("#status-live").render())
        # one clock: the Spreekuur screen gives the same moment, not a second count
        assert "LIVE sinds 18:17:26" in str(app.screen.query_one("#show-clock").render())


async def test_a_restarted_panel_goes_on_with_the_live_clock(settings):
    """Found on a rehearsal evening: the panel restarted while live showed 'LIVE 0:00:08' and 'LIVE sinds' the
    moment of the restart until YouTube's next answer. The clock goes on from the start the flow kept."""
    app, ctx, fake = make_app(settings, program="Wijkagent", recording=True, streaming=True)
    at_step(ctx, NL, "on_air", "waiting", "live", done=(*BEFORE, "live"), broadcast_id="b-123",
            live_since=LIVE_SINCE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, fake, meters=False)(pilot)
        assert app.air.broadcast_id == "b-123" and app.air.live
        assert "LIVE 0:12:34" in str(app.screen.query_one("#status-live").render())
        assert "LIVE sinds 18:17:26" in str(app.screen.query_one("#show-clock").render())
