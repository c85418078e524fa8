"""Rehearsal: the shared emulator outlives the panel, and the scripted audience asks its questions."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studio.domain.rehearsal_script import ARABIC, DUTCH


@pytest.fixture
def rehearsal_settings(settings):
    settings.youtube.rehearsal = "yes"
    settings.youtube.endpoint = ""
    yield settings
    from studio.youtube.rehearsal_emulator import stop_shared_emulator

    stop_shared_emulator(settings)


def test_shared_emulator_survives_a_panel_restart(rehearsal_settings):
    """A broadcast made by one 'panel' is found by the next one: the emulator is not the panel's."""
    from studio.store import session as sessions
    from studio.usecases.context import Studio
    from studio.usecases.rehearsal import release_emulator
    from studio.youtube.rehearsal_emulator import find_shared_emulator

    s = rehearsal_settings
    start = datetime.now(ZoneInfo("Europe/Amsterdam")) + timedelta(days=1)
    first = Studio(s)
    rec = first.youtube.broadcasts.create("inbraak", "nl", start, session_key="2026-11-24-nl")
    endpoint = first.youtube.endpoint
    sessions.ensure_session(first.store, "2026-11-24-nl", "nl", "inbraak", start.isoformat(), True, "scenes")
    sessions.record_step(first.store, "2026-11-24-nl", "broadcast", "done")
    assert release_emulator(first) is False  # a session is under way: keep it
    first.close()

    second = Studio(s)
    try:
        assert second.youtube.endpoint == endpoint
        again = second.youtube.broadcasts.create("inbraak", "nl", start, session_key="2026-11-24-nl")
        assert again.broadcast_id == rec.broadcast_id
        assert second.youtube.api.get_broadcast(rec.broadcast_id) is not None
        sessions.record_step(second.store, "2026-11-24-nl", "done", "done")
        assert release_emulator(second) is True  # nothing under way: stopped
        assert find_shared_emulator(s) is None
    finally:
        second.close()


def test_scripted_audience_posts_in_the_session_language():
    from studio.usecases.rehearsal import ScriptedAudience

    nl_chat = "chat-nl"
    ar_chat = "chat-ar"
    clock = [1000.0]
    posted: list[tuple[str, str]] = []

    class Recording:
        def post_chat(self, live_chat_id, text, author="Kijker", **kw):
            posted.append((live_chat_id, text))
            return {}

    audience = ScriptedAudience(Recording(), lambda: [(nl_chat, "nl", 1000.0), (ar_chat, "ar", 1000.0)],
                                clock=lambda: clock[0])
    assert audience.step() == 0  # nothing due at t=0
    clock[0] = 1000.0 + 30
    audience.step()
    assert [t for c, t in posted if c == nl_chat] == [m.text for m in DUTCH if m.at <= 30]
    assert [t for c, t in posted if c == ar_chat] == [m.text for m in ARABIC if m.at <= 30]
    clock[0] = 1000.0 + 10_000
    audience.step()
    assert len([1 for c, _ in posted if c == nl_chat]) == len(DUTCH)
    assert audience.step() == 0  # never twice


def test_audience_reaches_the_emulator_chat(emulator):
    """Through the real control API: the messages are in the live chat as a viewer's would be."""
    from studio.usecases.rehearsal import HttpControl, ScriptedAudience
    from tests.fixtures.emulator import build_client

    yt = build_client(emulator)
    b = yt.liveBroadcasts().insert(part="snippet,status,contentDetails", body={
        "snippet": {"title": "t", "scheduledStartTime": "2030-01-01T18:00:00Z"},
        "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False}}).execute()
    chat_id = b["snippet"]["liveChatId"]
    audience = ScriptedAudience(HttpControl(emulator.endpoint), lambda: [(chat_id, "nl", time.time() - 10_000)])
    assert audience.step() == len(DUTCH)
    items = yt.liveChatMessages().list(liveChatId=chat_id, part="id,snippet").execute()["items"]
    assert len(items) == len(DUTCH)


def test_rehearsal_chat_arrives_over_the_emulators_stream(rehearsal_settings):
    """The panel's way (the Studio's chat desk, the shared emulator in its own process, the scripted
    audience over the control API): the questions come in over liveChatMessages.streamList, not by polling."""
    import json
    import urllib.request

    from studio.usecases.context import Studio
    from studio.usecases.rehearsal import HttpControl, ScriptedAudience
    from tests.waiting import wait_until as wait_for

    start = datetime.now(ZoneInfo("Europe/Amsterdam")) + timedelta(days=1)
    ctx = Studio(rehearsal_settings)
    try:
        rec = ctx.youtube.broadcasts.create("inbraak", "nl", start, session_key="2026-11-24-nl")
        live_chat_id = ctx.youtube.api.get_broadcast(rec.broadcast_id)["snippet"]["liveChatId"]
        intake = ctx.chat.start(live_chat_id)
        audience = ScriptedAudience(HttpControl(ctx.youtube.endpoint),
                                    lambda: [(live_chat_id, "nl", time.time() - 10_000)])
        assert audience.step() == len(DUTCH)
        wait_for(lambda: len(ctx.questions.queue()) >= len(DUTCH) - 2, timeout=15)  # canned/duplicate aside
        assert intake.method == "stream" and intake.status.connections == 1
        with urllib.request.urlopen(ctx.youtube.endpoint + "emulator/state", timeout=10) as answer:
            calls = [c[0] for c in json.loads(answer.read())["result"]["calls"]]
        assert "liveChatMessages.streamList" in calls and "liveChatMessages.list" not in calls
    finally:
        ctx.close()
