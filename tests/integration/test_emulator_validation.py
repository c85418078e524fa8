"""The emulator refuses what YouTube refuses: checked through googleapiclient and with raw HTTP requests
(the library validates some things itself, e.g. required parameters and enums, before sending)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from googleapiclient.errors import HttpError

from tests.integration.test_emulator_lifecycle import BROADCAST, STREAM, reason


def raw(emu, method: str, path: str, body=None, token: str | None = "t") -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(emu.endpoint + path.lstrip("/"), data=data, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def assert_google_error(payload: dict, code: int, why: str) -> None:
    error = payload["error"]
    assert error["code"] == code
    assert error["errors"][0]["reason"] == why
    assert error["errors"][0]["domain"] and error["errors"][0]["message"] and error["message"]
    assert error["status"]


def test_unknown_part_is_refused(emulator_client):
    with pytest.raises(HttpError) as err:
        emulator_client.liveBroadcasts().insert(part="snippet,status,statistix", body=BROADCAST).execute()
    assert err.value.resp.status == 400 and reason(err.value) == "unknownPart"
    assert err.value.error_details[0]["domain"] == "youtube.part"
    with pytest.raises(HttpError) as err:  # a part of another resource
        emulator_client.liveChatMessages().list(liveChatId="x", part="snippet,cdn").execute()
    assert reason(err.value) == "unknownPart"


def test_unknown_body_field_is_refused(emulator_client):
    body = {**BROADCAST, "snippet": {**BROADCAST["snippet"], "titel": "typo"}}
    with pytest.raises(HttpError) as err:
        emulator_client.liveBroadcasts().insert(part="snippet,status", body=body).execute()
    assert err.value.resp.status == 400 and reason(err.value) == "badRequest"
    assert "titel" in str(err.value)
    wrong_type = {**BROADCAST, "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": "no"}}
    with pytest.raises(HttpError) as err:
        emulator_client.liveBroadcasts().insert(part="snippet,status", body=wrong_type).execute()
    assert reason(err.value) == "badRequest"


@pytest.mark.parametrize(
    ("drop", "why"),
    [("title", "titleRequired"), ("scheduledStartTime", "scheduledStartTimeRequired"), ("privacyStatus", "privacyStatusRequired")],
)
def test_broadcast_insert_needs_its_fields(emulator_client, drop, why):
    body = json.loads(json.dumps(BROADCAST))
    for part in ("snippet", "status"):
        body[part].pop(drop, None)
    with pytest.raises(HttpError) as err:
        emulator_client.liveBroadcasts().insert(part="snippet,status", body=body).execute()
    assert err.value.resp.status == 400 and reason(err.value) == why


def test_broadcast_insert_checks_values(emulator_client):
    bad_time = {**BROADCAST, "snippet": {"title": "x", "scheduledStartTime": "morgen"}}
    with pytest.raises(HttpError) as err:
        emulator_client.liveBroadcasts().insert(part="snippet,status", body=bad_time).execute()
    assert reason(err.value) == "invalidScheduledStartTime"
    bad_privacy = {**BROADCAST, "status": {"privacyStatus": "secret"}}
    with pytest.raises(HttpError) as err:
        emulator_client.liveBroadcasts().insert(part="snippet,status", body=bad_privacy).execute()
    assert reason(err.value) == "invalidPrivacyStatus"


@pytest.mark.parametrize(
    ("cdn", "why"),
    [(None, "cdnRequired"), ({"resolution": "720p", "frameRate": "30fps"}, "ingestionTypeRequired"),
     ({"ingestionType": "rtmp", "resolution": "720p"}, "frameRateRequired"),
     ({"ingestionType": "rtmp", "resolution": "999p", "frameRate": "30fps"}, "invalidResolution")],
)  # fmt: skip
def test_stream_insert_needs_cdn_fields(emulator_client, cdn, why):
    body = {"snippet": STREAM["snippet"]} if cdn is None else {"snippet": STREAM["snippet"], "cdn": cdn}
    with pytest.raises(HttpError) as err:
        emulator_client.liveStreams().insert(part="snippet,cdn", body=body).execute()
    assert err.value.resp.status == 400 and reason(err.value) == why


def test_raw_requests_are_validated_like_youtube(emulator):
    status, payload = raw(emulator, "GET", "youtube/v3/liveBroadcasts?part=id&mine=true&colour=blue")
    assert status == 400
    assert_google_error(payload, 400, "badRequest")
    assert "colour" in payload["error"]["message"]

    status, payload = raw(emulator, "GET", "youtube/v3/liveBroadcasts?mine=true")
    assert_google_error(payload, 400, "required")
    assert payload["error"]["errors"][0]["location"] == "part"

    status, payload = raw(emulator, "POST", "youtube/v3/liveBroadcasts/transition?part=status&id=x&broadcastStatus=onair")
    assert_google_error(payload, 400, "badRequest")

    status, payload = raw(emulator, "GET", "youtube/v3/liveBroadcasts?part=id&mine=maybe")
    assert_google_error(payload, 400, "badRequest")

    status, payload = raw(emulator, "GET", "youtube/v3/liveBroadcasts?part=id&part=snippet&mine=true&mine=true")
    assert_google_error(payload, 400, "badRequest")  # mine is not repeated; part is

    status, payload = raw(emulator, "GET", "youtube/v3/liveBroadcasts?part=id&part=snippet&mine=true")
    assert status == 200 and payload["kind"] == "youtube#liveBroadcastListResponse"

    status, payload = raw(emulator, "GET", "youtube/v3/noSuchThing?part=id")
    assert_google_error(payload, 404, "notFound")


def test_requests_without_a_token_get_401(emulator):
    status, payload = raw(emulator, "GET", "youtube/v3/liveBroadcasts?part=id&mine=true", token=None)
    assert status == 401
    assert_google_error(payload, 401, "required")
    assert payload["error"]["status"] == "UNAUTHENTICATED"
    assert emulator.control.quota_used() == 0


def test_a_revoked_token_gets_401_auth_error(emulator):
    from google.auth.exceptions import RefreshError

    from tests.fixtures.emulator import build_client

    emulator.control.revoke_token("old-token")
    status, payload = raw(emulator, "GET", "youtube/v3/liveBroadcasts?part=id&mine=true", token="old-token")
    assert status == 401
    assert_google_error(payload, 401, "authError")
    # google-auth answers a 401 by refreshing; a token without a refresh token cannot: RefreshError
    with pytest.raises(RefreshError):
        build_client(emulator, token="old-token").liveBroadcasts().list(part="id", mine=True).execute()
    assert build_client(emulator, token="fresh").liveBroadcasts().list(part="id", mine=True).execute()["items"] == []


def test_control_endpoint_over_http(emulator, emulator_client):
    broadcast = emulator_client.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    chat_id = broadcast["snippet"]["liveChatId"]
    status, payload = raw(emulator, "POST", "emulator/post_chat", {"live_chat_id": chat_id, "text": "Hallo"}, token=None)
    assert status == 200 and payload["result"]["snippet"]["displayMessage"] == "Hallo"
    status, payload = raw(emulator, "GET", "emulator/state", token=None)
    assert payload["result"]["chats"][chat_id]["messages"] == 1
    assert payload["result"]["quota_used"] == 1
    status, payload = raw(emulator, "POST", "emulator/launch_rockets", {}, token=None)
    assert status == 400 and "unknown operation" in payload["error"]["message"]
    status, payload = raw(emulator, "POST", "emulator/post_chat", {"live_chat_id": "nope", "text": "x"}, token=None)
    assert status == 400


def test_broadcast_list_filters_are_exclusive(emulator_client):
    with pytest.raises(HttpError) as err:
        emulator_client.liveBroadcasts().list(part="id", mine=True, broadcastStatus="active").execute()
    assert err.value.resp.status == 400 and reason(err.value) == "incompatibleParameters"
    with pytest.raises(HttpError) as err:
        emulator_client.liveBroadcasts().list(part="id").execute()
    assert reason(err.value) == "missingRequiredParameter"
    assert emulator_client.liveBroadcasts().list(part="id", broadcastStatus="upcoming").execute()["items"] == []
