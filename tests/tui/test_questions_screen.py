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
        await pilot.pause(0.1)
        assert "06-12345678" in text_of(app, "#q-original")
        assert "06-12345678" not in text_of(app, "#q-aired") and "[telefoonnummer]" in text_of(app, "#q-aired")
        assert "weggehaald" in text_of(app, "#q-meta")

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


def test_snapshot_questions_screen(snap_compare, settings):
    """The look: queue with states, urgency and language; hostile markup shown literally; the preview."""
    from studio.tui.screens import SCREENS
    from tests.tui.fakes import FakeObs, connected_snapshot

    settings.youtube.rehearsal = "no"
    c = Studio(settings, obs=FakeObs(connected_snapshot()))
    qb = c.questions
    t0 = 1_767_722_400.0
    page = [
        Question(id="a", text="Hoe beveilig ik mijn fiets? Mail me: jan@example.nl", received_at=t0,
                 message_id="m1"),
        Question(id="b", text="[bold red]HACK[/] \\[x] [link=http://x]klik[/link]", received_at=t0 + 5,
                 message_id="m2"),
        Question(id="c", text="ماذا أفعل إذا سُرقت دراجتي؟", received_at=t0 + 9, lang="ar", message_id="m3"),
        Question(id="d", text="Er wordt ingebroken, moet ik 112 bellen?", received_at=t0 + 12, urgent=True,
                 message_id="m4"),
    ]
    qb.record_page("chat", "t", page, ["m1", "m2", "m3", "m4"])
    qb.shortlist("a")
    entry = [e for e in SCREENS if e.mode == "questions"]
    app = StudioApp(c, clock=lambda: 1000.0, stats_interval=30, screens=entry)

    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: app.screen.query(DataTable) and len(rows(app)) == 4)
        app.screen.query_one(DataTable).move_cursor(row=1)
        await pilot.pause(0.1)

    try:
        assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
    finally:
        c.close()


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
        assert ctx.store.audit_entries(action="chat.canned_reply")[0]["params"] == {"index": 1, "lang": "nl"}
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
