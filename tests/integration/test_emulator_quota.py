"""Quota accounting and injected faults (5xx, rate limits, slow answers)."""

from __future__ import annotations

import socket
import time

import pytest
from googleapiclient.errors import HttpError

from tests.integration.test_emulator_lifecycle import BROADCAST, reason


def test_quota_costs_follow_youtube(emulator, emulator_client):
    """The figures of Google's quota calculator (studio.youtube.quota.TABLE), call for call."""
    yt = emulator_client
    broadcast = yt.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    assert emulator.control.quota_used() == 1
    yt.liveBroadcasts().list(part="id", mine=True).execute()
    assert emulator.control.quota_used() == 2
    chat_id = broadcast["snippet"]["liveChatId"]
    yt.liveChatMessages().list(liveChatId=chat_id, part="snippet").execute()
    assert emulator.control.quota_used() == 7
    body = {"snippet": {"liveChatId": chat_id, "type": "textMessageEvent", "textMessageDetails": {"messageText": "Welkom"}}}
    message = yt.liveChatMessages().insert(part="snippet", body=body).execute()
    assert emulator.control.quota_used() == 27
    yt.liveChatMessages().delete(id=message["id"]).execute()
    assert emulator.control.quota_used() == 47
    with pytest.raises(HttpError):  # a refused request still costs: 1 for an invalid one
        yt.liveBroadcasts().list(part="nonsense", mine=True).execute()
    assert emulator.control.quota_used() == 48
    # the chat stream costs 5 a connection, counted when it opens (the discovery client waits for the whole
    # body, so here the stream ends at once; the studio reads it as it comes, see test_emulator_stream.py)
    emulator.control.set_stream_lifetime(0)
    answer = yt.youtube().v3().liveChat().messages().stream(liveChatId=chat_id, part="snippet").execute()
    assert isinstance(answer, list) and answer[0]["kind"] == "youtube#liveChatMessageListResponse"
    assert emulator.control.quota_used() == 53
    assert emulator.control.state()["calls"][-1] == ["liveChatMessages.streamList", 200, 5]


def test_uploads_count_in_their_own_bucket(emulator, emulator_client, tmp_path):
    from googleapiclient.http import MediaFileUpload

    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00" * 1000)
    emulator.control.set_quota_used(10_000)  # the daily quota is spent: uploads still have their bucket
    body = {"snippet": {"title": "Opname", "categoryId": "25"}, "status": {"privacyStatus": "private"}}
    emulator_client.videos().insert(part="snippet,status", body=body,
                                    media_body=MediaFileUpload(str(video), resumable=False)).execute()
    state = emulator.control.state()
    assert state["quota_used"] == 10_000 and state["bucket_used"] == {"videos.insert": 1}
    emulator.world.bucket_used["videos.insert"] = 100  # the 100 uploads of the day are done
    with pytest.raises(HttpError) as err:
        emulator_client.videos().insert(part="snippet,status", body=body,
                                        media_body=MediaFileUpload(str(video), resumable=False)).execute()
    assert reason(err.value) == "quotaExceeded"


def test_quota_exhaustion_answers_quota_exceeded(emulator, emulator_client):
    emulator.control.set_quota_limit(12)
    yt = emulator_client
    b = yt.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    yt.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    body = {"snippet": {"liveChatId": b["snippet"]["liveChatId"], "type": "textMessageEvent",
                        "textMessageDetails": {"messageText": "Welkom"}}}
    with pytest.raises(HttpError) as err:  # 20 units do not fit in the 10 left
        yt.liveChatMessages().insert(part="snippet", body=body).execute()
    assert err.value.resp.status == 403 and reason(err.value) == "quotaExceeded"
    assert err.value.error_details[0]["domain"] == "youtube.quota"
    for _ in range(10):  # reads still fit until the last unit
        yt.liveBroadcasts().list(part="id", mine=True).execute()
    with pytest.raises(HttpError) as err:
        yt.liveBroadcasts().list(part="id", mine=True).execute()
    assert reason(err.value) == "quotaExceeded"
    assert emulator.control.quota_used() == 12
    assert len(emulator.control.state()["broadcasts"]) == 2  # nothing made past the limit
    assert emulator.world.chats[b["snippet"]["liveChatId"]].messages == []


def test_injected_server_errors_then_recovery(emulator, emulator_client):
    emulator.control.inject_fault("liveBroadcasts.insert", status=503, reason="backendError", times=2)
    request = emulator_client.liveBroadcasts().insert(part="snippet,status", body=BROADCAST)
    with pytest.raises(HttpError) as err:
        request.execute()
    assert err.value.resp.status == 503 and reason(err.value) == "backendError"
    # googleapiclient's own retry gets through once the fault is used up; nothing was created twice
    created = request.execute(num_retries=2)
    assert created["status"]["lifeCycleStatus"] == "created"
    assert len(emulator.control.state()["broadcasts"]) == 1


@pytest.mark.parametrize(
    ("fault_reason", "status"),
    [("rateLimitExceeded", 403), ("errorExecutingTransition", 500), ("liveStreamingNotEnabled", 403),
     ("liveChatEnded", 403)],
)  # fmt: skip
def test_injected_reasons_carry_youtubes_status(emulator, emulator_client, fault_reason, status):
    emulator.control.inject_fault("*", reason=fault_reason)
    with pytest.raises(HttpError) as err:
        emulator_client.liveBroadcasts().list(part="id", mine=True).execute()
    assert err.value.resp.status == status and reason(err.value) == fault_reason
    assert emulator_client.liveBroadcasts().list(part="id", mine=True).execute()["items"] == []


def test_slow_response_fault(emulator):
    from tests.fixtures.emulator import build_client

    emulator.control.inject_fault("liveBroadcasts.list", delay=1.5)
    import google_auth_httplib2
    import httplib2
    from google.oauth2.credentials import Credentials
    from googleapiclient.discovery import build

    impatient = build(
        "youtube", "v3", static_discovery=True, client_options={"api_endpoint": emulator.endpoint},
        http=google_auth_httplib2.AuthorizedHttp(Credentials(token="x"), http=httplib2.Http(timeout=0.5)),
    )  # fmt: skip
    with pytest.raises((TimeoutError, socket.timeout)):
        impatient.liveBroadcasts().list(part="id", mine=True).execute()
    emulator.control.inject_fault("liveBroadcasts.list", delay=0.5)
    started = time.monotonic()
    assert build_client(emulator).liveBroadcasts().list(part="id", mine=True).execute()["items"] == []
    assert time.monotonic() - started >= 0.5


def test_fault_needs_something_to_do(emulator):
    from studio.youtube.emulator import ControlError

    with pytest.raises(ControlError):
        emulator.control.inject_fault("liveBroadcasts.list")
