"""Quota accounting and injected faults (5xx, rate limits, slow answers)."""

from __future__ import annotations

import socket
import time

import pytest
from googleapiclient.errors import HttpError

from tests.integration.test_emulator_lifecycle import BROADCAST, reason


def test_quota_costs_follow_youtube(emulator, emulator_client):
    yt = emulator_client
    broadcast = yt.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    assert emulator.control.quota_used() == 50
    yt.liveBroadcasts().list(part="id", mine=True).execute()
    assert emulator.control.quota_used() == 51
    chat_id = broadcast["snippet"]["liveChatId"]
    yt.liveChatMessages().list(liveChatId=chat_id, part="snippet").execute()
    assert emulator.control.quota_used() == 56
    body = {"snippet": {"liveChatId": chat_id, "type": "textMessageEvent", "textMessageDetails": {"messageText": "Welkom"}}}
    message = yt.liveChatMessages().insert(part="snippet", body=body).execute()
    assert emulator.control.quota_used() == 76
    yt.liveChatMessages().delete(id=message["id"]).execute()
    assert emulator.control.quota_used() == 96
    with pytest.raises(HttpError):  # a refused request still costs: 1 for an invalid one
        yt.liveBroadcasts().list(part="nonsense", mine=True).execute()
    assert emulator.control.quota_used() == 97


def test_quota_exhaustion_answers_quota_exceeded(emulator, emulator_client):
    emulator.control.set_quota_limit(120)
    yt = emulator_client
    yt.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    yt.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    with pytest.raises(HttpError) as err:
        yt.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    assert err.value.resp.status == 403 and reason(err.value) == "quotaExceeded"
    assert err.value.error_details[0]["domain"] == "youtube.quota"
    for _ in range(20):  # reads still fit until the last unit
        yt.liveBroadcasts().list(part="id", mine=True).execute()
    with pytest.raises(HttpError) as err:
        yt.liveBroadcasts().list(part="id", mine=True).execute()
    assert reason(err.value) == "quotaExceeded"
    assert emulator.control.quota_used() == 120
    assert len(emulator.control.state()["broadcasts"]) == 2  # nothing made past the limit


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
