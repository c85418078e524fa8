"""The Questions screen (F4) with Pilot: queue, preview, keys, hostile text, chat deletions."""

from __future__ import annotations

import time

import pytest
from textual.widgets import DataTable, Input, Static

from studio.domain.questions import Question, Source, State
from studio.tui.app import StudioApp
from studio.usecases.context import Studio
from tests.pilot import free_port, wait_until


@pytest.fixture
def ctx(settings):
    settings.obs.port = free_port()  # no OBS: on-air keys must fail calmly
    c = Studio(settings)
    yield c
    c.close()


def rows(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_questions(app, pilot) -> None:
    await pilot.press("f4")
    await wait_until(pilot, lambda: app.current_mode == "questions" and app.screen.query(DataTable))


async def test_queue_preview_and_moderation_keys(ctx):
    qb = ctx.questions
    calm = qb.add_manual("Hoe beveilig ik mijn fiets? Bel me op 06-12345678", Source.PHONE)
    hostile = qb.add_manual("[bold red]HACK[/] [link=http://x]klik[/link] $(rm -rf)", Source.SOCIAL)
    urgent = qb.add_manual("Spoed: mijn buurman wordt bedreigd", Source.PHONE)
    assert qb.get(urgent.id).urgent  # manual questions are checked for urgency too
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_questions(app, pilot)
        await wait_until(pilot, lambda: len(rows(app)) == 3)
        # markup in chat text is shown literally, never interpreted
        assert any("[bold red]HACK[/]" in r and "[link=http://x]" in r for r in rows(app))
        # the preview: original and what will air side by side
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=rows(app).index(next(r for r in rows(app) if "fiets" in r)))
        await wait_until(pilot, lambda: "[telefoonnummer]" in text_of(app, "#q-aired"), "the preview")
        assert "06-12345678" in text_of(app, "#q-original")
        assert "06-12345678" not in text_of(app, "#q-aired")
        # what was hidden is listed as such (never "removed, so safe"), and nothing is left to look at
        assert 'verborgen: [telefoonnummer] “06-12345678”' in text_of(app, "#q-privacy")
        assert "nakijken" not in text_of(app, "#q-privacy")

        await pilot.press("s")
        await wait_until(pilot, lambda: qb.get(calm.id).state is State.SHORTLISTED)
        # the card for a shortlisted question is rendered ahead
        assert list((ctx.settings.data_dir / "overlay").glob(f"question-{calm.id}-*.png"))

        table.move_cursor(row=rows(app).index(next(r for r in rows(app) if "HACK" in r)))
        await pilot.pause(0.1)
        await pilot.press("a")  # afwijzen
        await wait_until(pilot, lambda: qb.get(hostile.id).state is State.REJECTED)
        await wait_until(pilot, lambda: len(rows(app)) == 2)  # closed questions leave the open view
        await pilot.press("f")  # filter: everything
        await wait_until(pilot, lambda: len(rows(app)) == 3)
        await pilot.press("f")
        await wait_until(pilot, lambda: len(rows(app)) == 2)

        # forward with a note
        table.move_cursor(row=rows(app).index(next(r for r in rows(app) if "bedreigd" in r)))
        await pilot.pause(0.1)
        await pilot.press("d")
        await wait_until(pilot, lambda: bool(app.screen.query(Input)))
        # the forwarding dialog keeps the LIVE/REC bar in sight
        assert app.screen.query_one("#status-live").display and app.screen.query_one("#status-rec").display
        await pilot.press(*"wijkagent Noord", "enter")
        await wait_until(pilot, lambda: qb.get(urgent.id).state is State.FORWARDED)
        assert qb.get(urgent.id).note == "wijkagent Noord"

        # edit: the original stays
        await wait_until(pilot, lambda: len(rows(app)) == 1)
        await pilot.press("w")  # wijzigen
        await wait_until(pilot, lambda: bool(app.screen.query(Input)))
        app.screen.query_one(Input).value = "Hoe beveilig ik mijn fiets?"
        await pilot.press("enter")
        await wait_until(pilot, lambda: qb.get(calm.id).edited_text == "Hoe beveilig ik mijn fiets?")
        assert "06-12345678" in qb.get(calm.id).text
        await wait_until(pilot, lambda: "bewerkt" in text_of(app, "#q-meta"))

        # on air without OBS: a calm message, and the question is not left 'on air'
        await pilot.press("b")
        await pilot.pause(0.5)
        await wait_until(pilot, lambda: qb.get(calm.id).state is not State.ON_AIR)
        assert app.is_running
        assert any("OBS" in str(n.message) for n in app._notifications)


async def test_manual_question_and_merge(ctx):
    qb = ctx.questions
    a = qb.add_manual("Wat doet de politie tegen inbraken?", Source.SOCIAL)
    b = qb.add_manual("Wat doen jullie tegen inbraak?", Source.SOCIAL)
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_questions(app, pilot)
        await wait_until(pilot, lambda: len(rows(app)) == 2)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=0)
        await pilot.press("v")
        table.move_cursor(row=1)
        await pilot.pause(0.05)
        await pilot.press("v")
        await wait_until(pilot, lambda: qb.get(a.id).count == 2 and qb.get(b.id).state is State.MERGED)
        await wait_until(pilot, lambda: len(rows(app)) == 1)

        await pilot.press("n")
        await wait_until(pilot, lambda: bool(app.screen.query("#manual-text")))
        await pilot.press(*"Vraag per telefoon", "enter")
        await wait_until(pilot, lambda: len(rows(app)) == 2)
        added = next(q for q in qb.queue() if q.text == "Vraag per telefoon")
        assert added.source is Source.PHONE


async def test_deleted_chat_message_leaves_the_screen(ctx):
    qb = ctx.questions
    page = [Question(id=f"q{i}", text=f"chatvraag {i}", received_at=time.time(), message_id=f"m{i}",
                     author_hash=qb.author_hash("UCx")) for i in range(2)]
    qb.record_page("chat1", "t1", page, ["m0", "m1"])
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_questions(app, pilot)
        await wait_until(pilot, lambda: len(rows(app)) == 2)
        qb.record_page("chat1", "t2", [], ["d0"], deleted_message_ids=["m0"])  # what intake stores
        await wait_until(pilot, lambda: rows(app) == ["chatvraag 1"])


def test_snapshot_questions_screen(snap_compare, settings, ready_scrubber):
    """The look: queue with states, urgency and language; hostile markup shown literally; the preview."""
    from studio.tui.screens import SCREENS
    from tests.tui.fakes import FakeObs, connected_snapshot

    settings.youtube.rehearsal = "no"
    settings.schedule.first_dutch_session = settings.schedule.first_arabic_session = "2099-01-06"  # none today
    c = Studio(settings, obs=FakeObs(connected_snapshot()), scrubber=ready_scrubber)
    qb = c.questions
    t0 = 1_767_722_400.0
    waiting = time.time() - 150  # the urgent question's age reads "! 2 min" for the next 30 s
    page = [
        Question(id="a", text="Hoe beveilig ik mijn fiets? Mail me: jan@example.nl", received_at=t0,
                 message_id="m1"),
        Question(id="b", text="[bold red]HACK[/] \\[x] [link=http://x]klik[/link]", received_at=t0 + 5,
                 message_id="m2"),
        Question(id="c", text="ماذا أفعل إذا سُرقت دراجتي؟", received_at=t0 + 9, lang="ar", message_id="m3"),
        Question(id="d", text="Er wordt ingebroken, moet ik 112 bellen?", received_at=waiting, urgent=True,
                 message_id="m4"),
    ]
    qb.record_page("chat", "t", page, ["m1", "m2", "m3", "m4"])
    qb.shortlist("a")
    entry = [e for e in SCREENS if e.mode == "questions"]
    app = StudioApp(c, clock=lambda: 1000.0, stats_interval=30, screens=entry)

    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: app.screen.query(DataTable) and len(rows(app)) == 4)
        app.screen.query_one(DataTable).move_cursor(row=1)
        await wait_until(pilot, lambda: app.screen.preview_pane.current is not None
                         and app.screen.preview_pane.current.question_id == "a", "the preview")
        await pilot.pause(0.1)

    try:
        assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
    finally:
        c.close()


def tonight_with_sessions(settings, *done: str) -> list[str]:
    """Tonight has a Dutch and an Arabic session; the ones named are finished. Returns both session ids."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from studio.store import open_store
    from studio.store import session as sessions

    today = datetime.now(ZoneInfo(settings.schedule.timezone)).date().isoformat()
    settings.schedule.first_dutch_session = settings.schedule.first_arabic_session = today
    ids = [f"{today}-nl", f"{today}-ar"]
    store = open_store(settings)
    try:
        for sid in ids:
            sessions.ensure_session(store, sid, sid[-2:], "inbraak", f"{today}T19:00:00+01:00", True, "preflight")
            if sid in done:
                sessions.record_step(store, sid, "done", "done")
    finally:
        store.close()
    return ids


async def test_cursor_stays_on_the_selected_question_when_urgent_ones_arrive(ctx):
    qb = ctx.questions
    now = time.time()
    qb.record_page("chat1", "t1", [Question(id=f"q{i}", text=f"gewone vraag {i}", received_at=now + i,
                                            message_id=f"m{i}") for i in range(4)], [f"m{i}" for i in range(4)])
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_questions(app, pilot)
        await wait_until(pilot, lambda: len(rows(app)) == 4)
        screen = app.screen
        table = screen.query_one(DataTable)
        table.move_cursor(row=2)
        await pilot.pause(0.05)
        assert screen.selected_id == "q2"
        for i in range(3):  # urgent questions come in: each sorts above the selected one
            qb.record_page("chat1", f"u{i}", [Question(id=f"u{i}", text=f"SPOED {i}", received_at=now + 10 + i,
                                                       urgent=True, message_id=f"mu{i}")], [f"mu{i}"])
            await wait_until(pilot, lambda n=i: len(rows(app)) == 5 + n, "the urgent question in the table")
            assert screen.selected_id == "q2" and table.cursor_row == 2 + i + 1
        assert rows(app)[:3] == ["SPOED 0", "SPOED 1", "SPOED 2"]
        await pilot.press("s")  # lands on the question the moderator selected, not on what moved under it
        await wait_until(pilot, lambda: qb.get("q2").state is State.SHORTLISTED, "q2 shortlisted")
        assert all(qb.get(f"u{i}").state is State.NEW for i in range(3))
        # a row that changes is redrawn in place; one that closes leaves; the cursor stays put
        qb.reject("q0")
        await wait_until(pilot, lambda: "gewone vraag 0" not in rows(app), "the rejected question gone")
        assert screen.selected_id == "q2"
        assert str(table.get_row("q2")[0]) == "gekozen"


async def test_urgent_question_shows_its_age_until_a_reply_handles_it(ctx):
    qb = ctx.questions
    waiting = time.time() - 150
    qb.record_page("chat1", "t1", [Question(id="u", text="Spoed: inbraak bij de buren", received_at=waiting,
                                            urgent=True, message_id="m1")], ["m1"])
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_questions(app, pilot)
        await wait_until(pilot, lambda: len(rows(app)) == 1)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row("u")[1]) == "! 2 min"
        qb.reply("u", "1/nl")  # what the canned reply key records (posted through the chat in the use case)
        await wait_until(pilot, lambda: str(table.get_row("u")[1]) == "! ✓", "the urgent question handled")
        assert qb.get("u").replied_at is not None and not qb.get("u").needs_attention


async def test_arabic_session_has_its_own_queue_and_answers_in_arabic(settings):
    nl, ar = tonight_with_sessions(settings)  # nothing finished yet: the Dutch session first
    settings.obs.port = free_port()
    ctx = Studio(settings)
    try:
        qb = ctx.questions
        qb.bind_chat("chat-nl", nl)
        qb.bind_chat("chat-ar", ar)
        now = time.time()
        qb.record_page("chat-nl", "t", [Question(id="n1", text="Hoe beveilig ik mijn fiets?", received_at=now,
                                                 message_id="m1")], ["m1"])
        qb.record_page("chat-ar", "t", [Question(id="a1", text="كيف أحمي دراجتي؟", received_at=now, lang="ar",
                                                 message_id="m2")], ["m2"])
        assert qb.get("n1").session_id == nl and qb.get("a1").session_id == ar
        app = StudioApp(ctx, stats_interval=5)
        async with app.run_test(size=(150, 40)) as pilot:
            await open_questions(app, pilot)
            screen = app.screen
            await wait_until(pilot, lambda: rows(app) == ["Hoe beveilig ik mijn fiets?"], "the Dutch queue")
            assert screen.lang == "nl" and f"sessie {nl}" in text_of(app, "#q-intake")
            # the Dutch session finishes: the screen follows tonight's show to the Arabic session
            from studio.store import session as sessions

            sessions.record_step(ctx.store, nl, "done", "done")
            await wait_until(pilot, lambda: rows(app) == ["كيف أحمي دراجتي؟"], "the Arabic queue, only")
            assert screen.lang == "ar" and "antwoorden in: AR" in text_of(app, "#q-intake")
            # a question by phone now belongs to the Arabic session
            await pilot.press("n")
            await wait_until(pilot, lambda: bool(app.screen.query("#manual-text")))
            await pilot.press(*"Vraag per telefoon", "enter")
            await wait_until(pilot, lambda: len(rows(app)) == 2, "the phone question in the Arabic queue")
            added = next(q for q in qb.queue() if q.text == "Vraag per telefoon")
            assert added.session_id == ar
            await pilot.press("f")  # every session's questions (the key table's "Alles/open")
            await wait_until(pilot, lambda: len(rows(app)) == 3, "all sessions")
    finally:
        ctx.close()


async def test_the_table_shows_a_window_of_the_queue_and_refills_it(ctx, monkeypatch):
    """With thousands waiting the table keeps its size (the first questions in order); handled ones make room."""
    from studio.tui.screens import questions as screen_module

    monkeypatch.setattr(screen_module, "MAX_ROWS", 5)
    qb = ctx.questions
    now = time.time()
    qb.record_page("chat1", "t1", [Question(id=f"q{i}", text=f"vraag {i}", received_at=now + i, message_id=f"m{i}")
                                   for i in range(8)], [f"m{i}" for i in range(8)])
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_questions(app, pilot)
        await wait_until(pilot, lambda: rows(app) == [f"vraag {i}" for i in range(5)], "the first five")
        assert "8 vragen, de eerste 5 in de lijst" in text_of(app, "#q-intake")
        qb.record_page("chat1", "t2", [Question(id="late", text="nog een vraag", received_at=now + 20,
                                                message_id="m-late")], ["m-late"])
        qb.record_page("chat1", "t3", [Question(id="spoed", text="SPOED", received_at=now + 21, urgent=True,
                                                message_id="m-spoed")], ["m-spoed"])
        await wait_until(pilot, lambda: rows(app) == ["SPOED", *(f"vraag {i}" for i in range(4))],
                         "the urgent question in the window, the last row below it")
        qb.reject("q0")
        qb.reject("q1")
        await wait_until(pilot, lambda: rows(app) == ["SPOED", "vraag 2", "vraag 3", "vraag 4", "vraag 5"],
                         "the window refilled from below")


async def test_a_standard_reply_is_chosen_from_a_list(ctx):
    """r opens the list of standard replies (the digits stay the panel's scene keys); its number picks one."""
    from studio.tui.widgets.prompts import ReplyChooser

    ctx.questions.add_manual("Wat moet ik doen na een inbraak?", Source.PHONE)
    app = StudioApp(ctx, stats_interval=5)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_questions(app, pilot)
        await wait_until(pilot, lambda: len(rows(app)) == 1)
        await pilot.press("1")  # a scene key elsewhere: nothing happens here
        await pilot.pause(0.2)
        assert not ctx.store.audit_entries(action="chat.canned_reply")
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplyChooser))
        assert app.screen.query_one("#status-live")  # the bar stays on top
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ReplyChooser))
        assert not ctx.store.audit_entries(action="chat.canned_reply")
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReplyChooser))
        await pilot.press("2")
        # no chat is running here, so posting fails calmly; what was asked is in the audit log
        await wait_until(pilot, lambda: bool(ctx.store.audit_entries(action="chat.canned_reply")))
        params = ctx.store.audit_entries(action="chat.canned_reply")[0]["params"]
        assert params == {"index": 1, "lang": "nl", "question": app.screen.selected_id}  # it answers the selected one
        assert app.is_running


async def test_on_air_keys_say_what_they_did_and_k_answers_the_question_in_beeld(settings):
    """b, u and k mean here what they mean on the Spreekuur screen, and each gets a line; k answers the question
    that is in beeld, whichever row is selected."""
    from tests.tui.fakes import FakeObs, connected_snapshot

    c = Studio(settings, obs=FakeObs(connected_snapshot()))
    qb = c.questions
    first = qb.add_manual("Hoe beveilig ik mijn schuur?", Source.PHONE)
    qb.add_manual("Wat doet de wijkagent tegen overlast?", Source.PHONE)
    app = StudioApp(c, stats_interval=5)

    def said(what: str) -> bool:
        return any(what in str(n.message) for n in app._notifications)

    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await open_questions(app, pilot)
            await wait_until(pilot, lambda: len(rows(app)) == 2)
            table = app.screen.query_one(DataTable)
            table.move_cursor(row=rows(app).index("Hoe beveilig ik mijn schuur?"))
            await pilot.pause(0.1)
            await pilot.press("b")
            await wait_until(pilot, lambda: said("In beeld: vraag «Hoe beveilig ik mijn schuur?»"))
            await pilot.press("u")
            await wait_until(pilot, lambda: said("Uit beeld (terug bij de gekozen vragen)"))
            assert qb.on_air() is None
            await pilot.press("b")
            await wait_until(pilot, lambda: qb.on_air() is not None)
            await wait_until(pilot, lambda: rows(app)[0] == "Hoe beveilig ik mijn schuur?")  # on air: on top
            table.move_cursor(row=1)  # another question selected
            await pilot.pause(0.1)
            await pilot.press("k")
            await wait_until(pilot, lambda: qb.get(first.id).state is State.ANSWERED)
            assert said("Beantwoord en uit beeld: «Hoe beveilig ik mijn schuur?»")
    finally:
        c.close()
