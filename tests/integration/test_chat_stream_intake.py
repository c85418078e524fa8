"""Chat intake over the emulator's stream, through the studio's streamed HTTP session: real-time delivery,
short-lived, long-lived and broken streams, the fallback to polling and back, restarts, and the quota."""

from __future__ import annotations

import logging
import time

import pytest

from studio.domain.questions import State
from studio.store import open_store
from studio.store.questions import QuestionBook
from studio.youtube.api import build_youtube
from studio.youtube.chat import ChatIntake
from tests.waiting import wait_until as wait_for


@pytest.fixture
def chat(emulator, youtube_settings):
    store = open_store(youtube_settings)
    api = build_youtube(youtube_settings, store, max_retries=0)
    broadcast = api.insert_broadcast({
        "snippet": {"title": "Digitaal wijkspreekuur", "scheduledStartTime": "2030-01-01T18:00:00Z"},
        "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
    })
    yield youtube_settings, store, api, broadcast["snippet"]["liveChatId"]
    store.close()


def intake(api, store, live_chat_id, **kw) -> ChatIntake:
    kw.setdefault("min_reconnect", 0.0)
    return ChatIntake(api, QuestionBook(store), live_chat_id, **kw)


def stream_units(store) -> list[tuple[int, int]]:
    return [(r["units"], r["ok"]) for r in store.query(
        "SELECT units, ok FROM youtube_quota WHERE method = 'liveChatMessages.streamList' ORDER BY id")]


def test_messages_arrive_as_they_are_posted_over_one_connection(chat, emulator):
    _settings, store, api, live_chat_id = chat
    emulator.control.set_polling_interval(120_000)  # a poll would come two minutes later: too late to pass
    emulator.control.post_chat(live_chat_id, "al gesteld voor de start")
    ci = intake(api, store, live_chat_id, budget_units=1500).start()
    book = QuestionBook(store)
    try:
        wait_for(lambda: len(book.queue()) == 1)
        assert ci.method == "stream"
        for i in range(5):
            emulator.control.post_chat(live_chat_id, f"vraag {i} terwijl we live zijn")
            wait_for(lambda n=i: len(book.queue()) == n + 2, interval=0.005)  # pushed on the open connection
        assert ci.status.state == "running" and ci.status.method == "stream"
        assert ci.status.questions == 6  # the Questions screen's count follows the open connection
    finally:
        ci.stop()
    assert not ci.running
    assert stream_units(store) == [(5, 1)]  # one connection, 5 units, however many messages
    calls = [c[0] for c in emulator.control.state()["calls"]]
    assert "liveChatMessages.list" not in calls and calls.count("liveChatMessages.streamList") == 1
    assert QuestionBook(store).chat_position(live_chat_id).polls == 1


def test_deletion_and_ban_in_the_stream_take_questions_out(chat, emulator):
    _settings, store, api, live_chat_id = chat
    removed_on_air: list[str] = []
    ci = intake(api, store, live_chat_id, on_removed_on_air=removed_on_air.append).start()
    book = QuestionBook(store)
    try:
        m1 = emulator.control.post_chat(live_chat_id, "mijn adres is Dorpstraat 1", author="A")
        emulator.control.post_chat(live_chat_id, "vraag van B", author="B", channel_id="UCbbbbbbbbbbbbbbbbbbbbbb")
        emulator.control.post_chat(live_chat_id, "blijft staan", author="C")
        wait_for(lambda: len(book.queue()) == 3)
        first = book.queue().by_message(m1["id"])
        book.mark_on_air(first.id)
        emulator.control.delete_chat(m1["id"])
        emulator.control.ban_author("UCbbbbbbbbbbbbbbbbbbbbbb")
        wait_for(lambda: [q.text for q in book.queue().ordered()] == ["blijft staan"])
        assert removed_on_air == [first.id]
        assert book.get(first.id).state is State.REMOVED and book.get(first.id).text == ""
    finally:
        ci.stop()


def test_short_lived_streams_reconnect_with_the_token_and_lose_nothing(chat, emulator):
    _settings, store, api, live_chat_id = chat
    emulator.control.set_stream_lifetime(0.3, live_chat_id=live_chat_id)
    ci = intake(api, store, live_chat_id, budget_units=100_000, budget_minutes=1).start()
    book = QuestionBook(store)
    try:
        for i in range(8):
            emulator.control.post_chat(live_chat_id, f"vraag {i}")
            time.sleep(0.15)
        wait_for(lambda: len(book.queue()) == 8)
        wait_for(lambda: ci.status.connections >= 3)
    finally:
        ci.stop()
    assert sorted(q.text for q in book.queue()) == [f"vraag {i}" for i in range(8)]  # each once
    assert ci.method == "stream" and ci.status.mean_lifetime >= 0.25  # measured: YouTube closes them at 0.3 s
    units = stream_units(store)
    assert len(units) >= 3 and all(u == (5, 1) for u in units)
    assert ci.status.units == 5 * ci.status.polls


def test_drop_mid_message_reconnects_and_the_message_arrives_once(chat, emulator):
    _settings, store, api, live_chat_id = chat
    emulator.control.set_stream_lifetime(1.0, live_chat_id=live_chat_id)
    emulator.control.inject_fault("liveChatMessages.streamList", reason="dropMidMessage")
    ci = intake(api, store, live_chat_id)
    emulator.control.post_chat(live_chat_id, "voor de breuk")
    import threading

    threading.Timer(0.3, lambda: emulator.control.post_chat(live_chat_id, "wordt doorgeknipt")).start()
    delay = ci.stream_once()  # history, then the cut message: the connection breaks after delivering
    assert delay is not None and ci.status.state == "running"
    assert [q.text for q in QuestionBook(store).queue()] == ["voor de breuk"]
    ci.stream_once()  # resumes from the stored token
    assert sorted(q.text for q in QuestionBook(store).queue()) == ["voor de breuk", "wordt doorgeknipt"]


def test_5xx_on_connect_backs_off_then_polls_then_streams_again(chat, emulator):
    _settings, store, api, live_chat_id = chat
    emulator.control.set_stream_lifetime(0.2, live_chat_id=live_chat_id)
    emulator.control.post_chat(live_chat_id, "vraag tijdens storing")
    emulator.control.inject_fault("liveChatMessages.streamList", status=503, reason="backendError", times=-1)
    ci = intake(api, store, live_chat_id, probe_after=0.5)
    first = ci.step()
    assert ci.status.state == "backoff" and first is not None and first >= 2.0
    assert ci.method == "stream"  # one failure is a blip
    ci.step()
    assert ci.method == "poll"  # streaming now costs more than polling for the same delay
    ci.step()
    assert [q.text for q in QuestionBook(store).queue()] == ["vraag tijdens storing"]
    assert [c[0] for c in emulator.control.state()["calls"]][-1] == "liveChatMessages.list"
    emulator.control.clear_faults()
    time.sleep(0.6)  # the probe is due
    emulator.control.post_chat(live_chat_id, "na de storing")
    ci.step()
    assert ci.method == "stream" and len(QuestionBook(store).queue()) == 2
    assert [c[0] for c in emulator.control.state()["calls"]][-1] == "liveChatMessages.streamList"
    assert {(u, ok) for u, ok in stream_units(store)} == {(5, 0), (5, 1)}  # refused connections cost too


@pytest.mark.parametrize(("reason", "state"), [("quotaExceeded", "failed"), ("liveChatEnded", "ended")])
def test_quota_exceeded_and_chat_ended_on_connect_stop_cleanly(chat, emulator, reason, state):
    _settings, store, api, live_chat_id = chat
    emulator.control.inject_fault("liveChatMessages.streamList", reason=reason)
    ci = intake(api, store, live_chat_id)
    assert ci.step() is None and ci.status.state == state
    if reason == "quotaExceeded":
        assert "middernacht" in ci.status.message


def test_chat_ending_while_streaming_ends_intake(chat, emulator):
    _settings, store, api, live_chat_id = chat
    ci = intake(api, store, live_chat_id).start()
    try:
        emulator.control.post_chat(live_chat_id, "laatste vraag")
        wait_for(lambda: len(QuestionBook(store).queue()) == 1)
        emulator.control.end_chat(live_chat_id)
        wait_for(lambda: ci.status.state == "ended")
        wait_for(lambda: not ci.running)  # the thread ends by itself
    finally:
        ci.stop()
    assert QuestionBook(store).chat_position(live_chat_id).ended
    used = emulator.control.quota_used()
    assert intake(api, store, live_chat_id).step() is None and emulator.control.quota_used() == used


def test_restart_resumes_the_stream_from_the_stored_token(chat, emulator):
    settings, store, api, live_chat_id = chat
    emulator.control.set_stream_lifetime(0.2, live_chat_id=live_chat_id)
    for i in range(3):
        emulator.control.post_chat(live_chat_id, f"vraag {i}")
    intake(api, store, live_chat_id).stream_once()
    emulator.control.post_chat(live_chat_id, "vraag 3")
    store.close()
    store2 = open_store(settings)  # the panel restarts
    try:
        api2 = build_youtube(settings, store2, max_retries=0)
        second = intake(api2, store2, live_chat_id)
        assert second.page_token and second.governor.used_units == 5
        second.stream_once()
        assert sorted(q.text for q in QuestionBook(store2).queue()) == [f"vraag {i}" for i in range(4)]
    finally:
        store2.close()


def test_stop_ends_an_open_stream_at_once(chat, emulator, caplog):
    _settings, store, api, live_chat_id = chat
    ci = intake(api, store, live_chat_id).start()
    wait_for(lambda: emulator.control.state()["calls"][-1][0] == "liveChatMessages.streamList")
    time.sleep(0.2)
    ci.stop(timeout=5.0)  # a stream left waiting for its next message would keep the thread past the join
    assert not ci.running and ci.status.state == "stopped"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_stop_in_the_middle_of_a_flood_is_quiet_and_loses_nothing(chat, emulator, caplog):
    """Stopping while messages pour in (the panel closed during a busy chat): no error with a traceback in the
    log, and a new intake takes every message from the stored position, none twice."""
    _settings, store, api, live_chat_id = chat
    book = QuestionBook(store)
    posted = 0
    for _round in range(3):
        ci = intake(api, store, live_chat_id).start()
        wait_for(lambda c=ci: c.status.connections >= 1)
        for _ in range(40):
            emulator.control.post_chat(live_chat_id, f"vraag {posted} tijdens de drukte")
            posted += 1
        ci.stop(timeout=5.0)
        assert not ci.running
    ci = intake(api, store, live_chat_id).start()
    try:
        wait_for(lambda: len(book.queue()) == posted, timeout=20)
    finally:
        ci.stop()
    assert sorted(q.text for q in book.queue()) == sorted(f"vraag {i} tijdens de drukte" for i in range(posted))
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_poll_only_intake_never_streams(chat, emulator):
    _settings, store, api, live_chat_id = chat
    emulator.control.post_chat(live_chat_id, "vraag")
    ci = intake(api, store, live_chat_id, method="poll")
    ci.step()
    assert ci.method == "poll" and len(QuestionBook(store).queue()) == 1
    assert "liveChatMessages.streamList" not in [c[0] for c in emulator.control.state()["calls"]]
