"""Chat intake against the YouTube emulator through the real google-api-python-client and the API door."""

from __future__ import annotations

import sqlite3

import pytest

from studio.domain.questions import State
from studio.store import open_store
from studio.store.questions import QuestionBook
from studio.youtube.api import build_youtube
from studio.youtube.chat import ChatIntake
from tests.waiting import wait_until as wait_for


@pytest.fixture
def chat(emulator, youtube_settings):
    """A broadcast with a live chat on the emulator; yields (settings, store, api, live_chat_id)."""
    store = open_store(youtube_settings)
    api = build_youtube(youtube_settings, store, max_retries=0)
    broadcast = api.insert_broadcast({
        "snippet": {"title": "Digitaal wijkspreekuur", "scheduledStartTime": "2030-01-01T18:00:00Z"},
        "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
        "contentDetails": {"enableAutoStart": False},
    })
    live_chat_id = broadcast["snippet"]["liveChatId"]
    yield youtube_settings, store, api, live_chat_id
    store.close()


def intake(api, store, live_chat_id, **kw) -> ChatIntake:
    return ChatIntake(api, QuestionBook(store), live_chat_id, **kw)


def test_chat_reaches_the_queue_urgent_first_and_anonymous(chat, emulator):
    settings, store, api, live_chat_id = chat
    emulator.control.post_chat(live_chat_id, "Hoe beveilig ik mijn fiets?", author="Jan Jansen",
                               channel_id="UCjanjansen0000000000000")
    emulator.control.post_chat(live_chat_id, "Er is brand bij de buren, bel ik 112?", author="Piet")
    emulator.control.post_chat(live_chat_id, "ماذا أفعل إذا سُرقت دراجتي؟", author="Ahmed")
    emulator.control.post_chat(live_chat_id, "\x1b[31m[bold red]Hallo[/]\u202e", author="Troll")
    ci = intake(api, store, live_chat_id)
    delay = ci.poll_once()
    assert delay is not None and delay >= 2.0  # never sooner than pollingIntervalMillis (2000 ms)
    queue = QuestionBook(store).queue().ordered()
    assert [q.urgent for q in queue] == [True, False, False, False]
    assert queue[0].text.startswith("Er is brand")
    assert {q.lang for q in queue} == {"nl", "ar"}
    troll = next(q for q in queue if "Hallo" in q.text)
    assert "\x1b" not in troll.text and "\u202e" not in troll.text  # sanitised on entry
    # nothing about the authors is stored: not their names, not their channel ids
    db = sqlite3.connect(settings.database_file)
    dump = "\n".join(db.iterdump())
    db.close()
    for secret in ("Jan Jansen", "Piet", "Ahmed", "UCjanjansen", "yt3.ggpht.com"):
        assert secret not in dump
    assert ci.status.state == "running" and ci.status.polls == 1 and ci.status.units == 5


def test_restart_keeps_queue_and_chat_position(chat, emulator):
    settings, store, api, live_chat_id = chat
    for i in range(3):
        emulator.control.post_chat(live_chat_id, f"vraag {i}")
    first = intake(api, store, live_chat_id)
    first.poll_once()
    QuestionBook(store).shortlist(QuestionBook(store).queue().ordered()[0].id)
    emulator.control.post_chat(live_chat_id, "vraag 3")
    emulator.control.post_chat(live_chat_id, "vraag 4")
    # the panel restarts: a new store connection, a new intake; it continues from the stored page token
    store.close()
    store2 = open_store(settings)
    api = build_youtube(settings, store2, max_retries=0)
    try:
        second = intake(api, store2, live_chat_id)
        assert second.page_token == first.page_token
        second.poll_once()
        queue = QuestionBook(store2).queue()
        texts = sorted(q.text for q in queue)
        assert texts == [f"vraag {i}" for i in range(5)]  # nothing lost, nothing twice
        assert sum(q.state is State.SHORTLISTED for q in queue) == 1  # the moderator's work survived
        # a crash after reading a page but before storing the new token: the same page comes again
        store2.execute("UPDATE chat_position SET page_token = NULL")
        third = intake(api, store2, live_chat_id)
        third.poll_once()
        assert len(QuestionBook(store2).queue()) == 5
    finally:
        store2.close()


def test_deleted_message_and_banned_author_leave_the_queue(chat, emulator):
    _settings, store, api, live_chat_id = chat
    m1 = emulator.control.post_chat(live_chat_id, "mijn adres is Dorpstraat 1", author="A")
    emulator.control.post_chat(live_chat_id, "rustige vraag", author="B", channel_id="UCbbbbbbbbbbbbbbbbbbbbbb")
    emulator.control.post_chat(live_chat_id, "nog een van B", author="B", channel_id="UCbbbbbbbbbbbbbbbbbbbbbb")
    emulator.control.post_chat(live_chat_id, "blijft staan", author="C")
    removed_on_air: list[str] = []
    ci = intake(api, store, live_chat_id, on_removed_on_air=removed_on_air.append)
    ci.poll_once()
    book = QuestionBook(store)
    first = book.queue().by_message(m1["id"])
    book.mark_on_air(first.id)
    emulator.control.delete_chat(m1["id"])
    emulator.control.ban_author("UCbbbbbbbbbbbbbbbbbbbbbb")
    ci.poll_once()
    assert removed_on_air == [first.id]
    assert [q.text for q in book.queue().ordered()] == ["blijft staan"]
    assert book.get(first.id).state is State.REMOVED and book.get(first.id).text == ""


def test_live_chat_ended_stops_cleanly_and_stays_stopped(chat, emulator):
    _settings, store, api, live_chat_id = chat
    emulator.control.post_chat(live_chat_id, "laatste vraag")
    emulator.control.end_chat(live_chat_id)
    ci = intake(api, store, live_chat_id)
    assert ci.poll_once() is None  # chatEndedEvent / offlineAt in the page
    assert ci.status.state == "ended"
    assert [q.text for q in QuestionBook(store).queue()] == ["laatste vraag"]
    used = emulator.control.quota_used()
    again = intake(api, store, live_chat_id)
    assert again.poll_once() is None and emulator.control.quota_used() == used  # no call after the end
    # a reader at the end of an ended chat gets 403 liveChatEnded: also a clean stop
    store.execute("UPDATE chat_position SET ended = 0")
    late = intake(api, store, live_chat_id)
    assert late.poll_once() is None and late.status.state == "ended"


@pytest.mark.parametrize(("status", "reason"), [(403, "rateLimitExceeded"), (503, "backendError"), (500, None)])
def test_faults_back_off_then_recover(chat, emulator, status, reason):
    _settings, store, api, live_chat_id = chat
    emulator.control.post_chat(live_chat_id, "vraag tijdens storing")
    emulator.control.inject_fault("liveChatMessages.list", status=status, reason=reason, times=3)
    ci = intake(api, store, live_chat_id)
    delays = [ci.poll_once() for _ in range(3)]
    assert ci.status.state == "backoff"
    assert delays == sorted(delays) and delays[0] >= 2.0 and delays[2] >= 4 * delays[0] * 0.99
    assert len(QuestionBook(store).queue()) == 0
    ci.poll_once()
    assert ci.status.state == "running"
    assert [q.text for q in QuestionBook(store).queue()] == ["vraag tijdens storing"]


def test_thread_polls_until_stopped(chat, emulator):
    _settings, store, api, live_chat_id = chat
    emulator.control.set_polling_interval(50)
    ci = intake(api, store, live_chat_id, budget_units=100_000, budget_minutes=1).start()
    try:
        emulator.control.post_chat(live_chat_id, "live binnen")
        book = QuestionBook(store)
        wait_for(lambda: len(book.queue()) == 1)
        assert ci.running
    finally:
        ci.stop()
    assert not ci.running and ci.status.state == "stopped"


def test_canned_reply_posts_in_the_chat_and_is_not_a_question(chat, emulator, youtube_settings):
    from studio.usecases.context import Studio
    from studio.usecases.moderation import post_canned_reply

    _settings, _store, api, live_chat_id = chat
    ctx = Studio(youtube_settings)
    try:
        intake(api, ctx.store, live_chat_id).poll_once()  # the chat is known: replies go there
        text = post_canned_reply(ctx, 0, "ar")
        assert "112" in text
        messages = emulator.world.chats[live_chat_id].messages
        assert messages[-1]["snippet"]["displayMessage"] == text
        assert messages[-1]["authorDetails"]["isChatOwner"]
        intake(api, ctx.store, live_chat_id).poll_once()
        assert len(QuestionBook(ctx.store).queue()) == 0  # our own reply is not a viewer's question
        with pytest.raises(Exception, match="standaardantwoord 9"):
            post_canned_reply(ctx, 8, "nl")
    finally:
        ctx.close()
