"""The emulator's streaming chat (GET youtube/v3/liveChat/messages/stream) on the wire: one chunked response
whose body grows into a JSON array of LiveChatMessageListResponse, validated like every other route, with
short-lived, long-lived and broken streams. Also: invalid text at post_chat is refused and breaks nothing."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse

import pytest

from studio.youtube.chat_stream import JsonArrayReader
from tests.integration.test_emulator_lifecycle import BROADCAST
from tests.integration.test_emulator_validation import assert_google_error, raw

PATH = "/youtube/v3/liveChat/messages/stream"


@pytest.fixture
def chat(emulator, emulator_client):
    broadcast = emulator_client.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    return broadcast["snippet"]["liveChatId"]


class Wire:
    """One stream request read chunk by chunk (http.client decodes the chunked framing as it arrives)."""

    def __init__(self, emu, query: dict[str, str], token: str | None = "t") -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.conn.request("GET", PATH + "?" + urllib.parse.urlencode(query), headers=headers)
        self.response = self.conn.getresponse()
        self.reader = JsonArrayReader()
        self.body = b""
        self.elements: list[dict] = []
        self._taken = 0

    @property
    def status(self) -> int:
        return self.response.status

    def error(self) -> dict:
        return json.loads(self.response.read())

    def next_element(self, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        while self._taken >= len(self.elements):
            if time.monotonic() > deadline:
                raise AssertionError("no stream element in time")
            data = self.response.read1(65536)
            if not data:
                raise EOFError("the stream ended")
            self.body += data
            self.elements += self.reader.feed(data)
        self._taken += 1
        return self.elements[self._taken - 1]

    def rest(self) -> bytes:
        """Everything until the server ends the response."""
        while True:
            data = self.response.read1(65536)
            if not data:
                return self.body
            self.body += data
            self.elements += self.reader.feed(data)

    def close(self) -> None:
        self.conn.close()


def texts(element: dict) -> list[str]:
    return [m["snippet"]["displayMessage"] for m in element["items"]]


def test_long_lived_stream_pushes_messages_as_they_are_posted(emulator, chat):
    emulator.control.post_chat(chat, "al eerder gesteld")
    wire = Wire(emulator, {"liveChatId": chat, "part": "id,snippet,authorDetails"})
    try:
        assert wire.status == 200 and wire.response.getheader("Transfer-Encoding") == "chunked"
        history = wire.next_element()
        assert texts(history) == ["al eerder gesteld"] and history["nextPageToken"]
        assert wire.body.startswith(b"[{")
        posted = emulator.control.post_chat(chat, "nu live", channel_id="UCtrolltrolltrolltroll00")
        pushed = wire.next_element()  # on the same open response
        assert texts(pushed) == ["nu live"]
        assert pushed["nextPageToken"] != history["nextPageToken"]
        emulator.control.delete_chat(posted["id"])
        emulator.control.ban_author("UCtrolltrolltrolltroll00")
        kinds = []
        while len(kinds) < 2:
            kinds += [m["snippet"]["type"] for m in wire.next_element()["items"]]
        assert kinds == ["messageDeletedEvent", "userBannedEvent"]
        emulator.control.end_chat(chat)
        last = wire.next_element()
        assert last["items"][-1]["snippet"]["type"] == "chatEndedEvent" and last["offlineAt"]
        assert wire.rest().endswith(b"]") and wire.reader.done  # a whole JSON array in the end
        assert json.loads(wire.body)[0] == history
    finally:
        wire.close()
    calls = [c for c in emulator.control.state()["calls"] if c[0] == "liveChatMessages.streamList"]
    assert calls == [["liveChatMessages.streamList", 200, 5]]  # one connection, 5 units, however long


def test_short_lived_streams_close_and_resume_from_the_token(emulator, chat):
    emulator.control.set_stream_lifetime(0.4, live_chat_id=chat)
    emulator.control.post_chat(chat, "een")
    first = Wire(emulator, {"liveChatId": chat, "part": "snippet"})
    started = time.monotonic()
    body = first.rest()
    assert time.monotonic() - started >= 0.35 and body.endswith(b"]") and first.reader.done  # not before its time
    token = first.elements[-1]["nextPageToken"]
    emulator.control.post_chat(chat, "twee")
    second = Wire(emulator, {"liveChatId": chat, "part": "snippet", "pageToken": token})
    second.rest()
    assert [t for e in second.elements for t in texts(e)] == ["twee"]  # nothing twice, nothing lost
    emulator.control.set_stream_lifetime(None, live_chat_id=chat)  # back to staying open
    third = Wire(emulator, {"liveChatId": chat, "part": "snippet"})
    try:
        third.next_element()
        time.sleep(0.6)
        emulator.control.post_chat(chat, "drie")
        assert texts(third.next_element()) == ["drie"]  # still open after the old lifetime
    finally:
        third.close()


@pytest.mark.parametrize(("query", "status", "why"), [
    ({"part": "snippet"}, 400, "required"),
    ({"liveChatId": "CHAT", "part": "snippet", "colour": "red"}, 400, "badRequest"),
    ({"liveChatId": "CHAT", "part": "snippet,statistics"}, 400, "unknownPart"),
    ({"liveChatId": "CHAT", "part": "snippet", "maxResults": "veel"}, 400, "badRequest"),
    ({"liveChatId": "CHAT", "part": "snippet", "pageToken": "rommel"}, 400, "pageTokenInvalid"),
    ({"liveChatId": "nietbestaand", "part": "snippet"}, 404, "liveChatNotFound"),
])  # fmt: skip
def test_stream_requests_are_validated_like_every_route(emulator, chat, query, status, why):
    query = {k: (chat if v == "CHAT" else v) for k, v in query.items()}
    wire = Wire(emulator, query)
    try:
        assert wire.status == status and wire.response.getheader("Content-Type").startswith("application/json")
        assert_google_error(wire.error(), status, why)
    finally:
        wire.close()
    unauthorised = Wire(emulator, {"liveChatId": chat, "part": "snippet"}, token=None)
    assert unauthorised.status == 401
    unauthorised.close()


@pytest.mark.parametrize(("fault", "status", "why"), [
    ({"status": 503, "reason": "backendError"}, 503, "backendError"),
    ({"reason": "quotaExceeded"}, 403, "quotaExceeded"),
    ({"reason": "liveChatEnded"}, 403, "liveChatEnded"),
])  # fmt: skip
def test_faults_on_connect(emulator, chat, fault, status, why):
    emulator.control.inject_fault("liveChatMessages.streamList", **fault)
    wire = Wire(emulator, {"liveChatId": chat, "part": "snippet"})
    assert wire.status == status
    assert_google_error(wire.error(), status, why)
    wire.close()
    again = Wire(emulator, {"liveChatId": chat, "part": "snippet"})  # used up: the next one streams
    assert again.status == 200 and again.next_element()["items"] == []
    again.close()


def test_real_quota_and_ended_chat_refuse_the_connection(emulator, chat):
    emulator.control.set_quota_limit(emulator.control.quota_used() + 4)
    wire = Wire(emulator, {"liveChatId": chat, "part": "snippet"})
    assert wire.status == 403 and wire.error()["error"]["errors"][0]["reason"] == "quotaExceeded"
    wire.close()
    emulator.control.set_quota_limit(10_000)
    emulator.control.end_chat(chat)
    ended = Wire(emulator, {"liveChatId": chat, "part": "snippet"})
    ended.rest()  # from the start: the history with the end in it, then the array closes
    assert ended.elements[-1]["items"][-1]["snippet"]["type"] == "chatEndedEvent" and ended.reader.done
    late = Wire(emulator, {"liveChatId": chat, "part": "snippet",
                           "pageToken": ended.elements[-1]["nextPageToken"]})
    assert late.status == 403 and late.error()["error"]["errors"][0]["reason"] == "liveChatEnded"
    late.close()


def test_drop_mid_message_cuts_an_element_and_resets(emulator, chat):
    emulator.control.inject_fault("liveChatMessages.streamList", reason="dropMidMessage")
    wire = Wire(emulator, {"liveChatId": chat, "part": "snippet"})
    history = wire.next_element()
    threading.Timer(0.2, lambda: emulator.control.post_chat(chat, "dit bericht breekt af")).start()
    with pytest.raises((http.client.HTTPException, ConnectionError)):
        wire.rest()
    assert wire.body.count(b"liveChatMessageListResponse") == 2 and len(wire.elements) == 1  # 2nd cut short
    assert not wire.reader.done
    wire.close()
    resumed = Wire(emulator, {"liveChatId": chat, "part": "snippet", "pageToken": history["nextPageToken"]})
    assert texts(resumed.next_element()) == ["dit bericht breekt af"]  # nothing lost by the break
    resumed.close()


def test_stopping_the_emulator_ends_open_streams(emulator, chat):
    wire = Wire(emulator, {"liveChatId": chat, "part": "snippet"})
    wire.next_element()
    emulator.stop()
    with pytest.raises((http.client.HTTPException, ConnectionError)):  # not a TimeoutError: it did not hang
        wire.rest()
    wire.close()


@pytest.mark.parametrize("body", [
    b'{"live_chat_id": "CHAT", "text": "\\ud800 hallo"}',  # a lone surrogate, escaped as JSON allows
    b'{"live_chat_id": "CHAT", "text": "caf\xe9 \xff"}',  # bytes that are not UTF-8
])  # fmt: skip
def test_post_chat_refuses_invalid_unicode_and_breaks_nothing_later(emulator, emulator_client, chat, body):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(emulator.endpoint + "emulator/post_chat",
                                     data=body.replace(b"CHAT", chat.encode()), method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=10)
    assert err.value.code == 400 and json.loads(err.value.read())["error"]["errors"][0]["reason"] == "parseError"
    with pytest.raises(ValueError, match="UTF-8"):  # the same refusal in Python
        emulator.control.post_chat(chat, "\udc80 kapot")
    emulator.control.post_chat(chat, "gewone vraag")
    page = emulator_client.liveChatMessages().list(liveChatId=chat, part="snippet").execute()
    assert [m["snippet"]["displayMessage"] for m in page["items"]] == ["gewone vraag"]
    wire = Wire(emulator, {"liveChatId": chat, "part": "snippet"})
    assert texts(wire.next_element()) == ["gewone vraag"]
    wire.close()
    status, payload = raw(emulator, "GET", "emulator/state", token=None)
    assert status == 200 and payload["result"]["chats"][chat]["messages"] == 1


def test_api_body_with_a_lone_surrogate_is_refused(emulator, chat):
    escaped = "\\udfff"  # JSON's escape for a lone low surrogate
    body = json.dumps({"snippet": {"liveChatId": chat, "type": "textMessageEvent",
                                   "textMessageDetails": {"messageText": "PLACE"}}}).replace("PLACE", escaped).encode()
    conn = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    conn.request("POST", "/youtube/v3/liveChat/messages?part=snippet", body=body,
                 headers={"Authorization": "Bearer t", "Content-Type": "application/json"})
    answer = conn.getresponse()
    assert answer.status == 400 and json.loads(answer.read())["error"]["errors"][0]["reason"] == "parseError"
    conn.close()
    assert emulator.world.chats[chat].messages == []
