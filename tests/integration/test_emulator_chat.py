"""Live chat through googleapiclient: paging tokens, deletions, bans, the owner's messages, the end."""

from __future__ import annotations

import pytest
from googleapiclient.errors import HttpError

from tests.integration.test_emulator_lifecycle import BROADCAST, reason


@pytest.fixture
def chat(emulator, emulator_client):
    broadcast = emulator_client.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()
    return broadcast["snippet"]["liveChatId"]


def poll(yt, chat_id, token=None):
    return yt.liveChatMessages().list(liveChatId=chat_id, part="id,snippet,authorDetails", pageToken=token).execute()


def test_paging_continues_where_it_was(emulator, emulator_client, chat):
    yt, control = emulator_client, emulator.control
    first = poll(yt, chat)
    assert first["items"] == [] and first["pollingIntervalMillis"] == 2000 and "offlineAt" not in first
    control.post_chat(chat, "Wat doe ik bij een inbraak?", author="Fatima")
    control.post_chat(chat, "<b>hallo</b> \u202e", author="Jan", channel_id="UCjan0000000000000000000")
    second = poll(yt, chat, first["nextPageToken"])
    texts = [m["snippet"]["displayMessage"] for m in second["items"]]
    assert texts == ["Wat doe ik bij een inbraak?", "<b>hallo</b> \u202e"]  # hostile text comes through as is
    message = second["items"][1]
    assert message["snippet"]["type"] == "textMessageEvent"
    assert message["snippet"]["textMessageDetails"]["messageText"] == "<b>hallo</b> \u202e"
    assert message["authorDetails"]["displayName"] == "Jan"
    assert message["authorDetails"]["channelId"] == "UCjan0000000000000000000"
    assert message["authorDetails"]["isChatOwner"] is False
    assert poll(yt, chat, second["nextPageToken"])["items"] == []
    # a reader that restarts with an older token sees the same messages again, not fewer, not more
    assert [m["id"] for m in poll(yt, chat, first["nextPageToken"])["items"]] == [m["id"] for m in second["items"]]
    control.set_polling_interval(250)
    assert poll(yt, chat, second["nextPageToken"])["pollingIntervalMillis"] == 250


def test_bad_page_token_and_unknown_chat(emulator_client, chat):
    with pytest.raises(HttpError) as err:
        poll(emulator_client, chat, "bm9uc2Vuc2U")
    assert err.value.resp.status == 400 and reason(err.value) == "pageTokenInvalid"
    with pytest.raises(HttpError) as err:
        poll(emulator_client, "no-such-chat")
    assert err.value.resp.status == 404 and reason(err.value) == "liveChatNotFound"


def test_owner_posts_and_deletes(emulator, emulator_client, chat):
    yt = emulator_client
    body = {"snippet": {"liveChatId": chat, "type": "textMessageEvent", "textMessageDetails": {"messageText": "Welkom!"}}}
    posted = yt.liveChatMessages().insert(part="snippet,authorDetails", body=body).execute()
    assert posted["authorDetails"]["isChatOwner"] is True
    viewer = emulator.control.post_chat(chat, "Mijn adres is Hoofdstraat 1", author="Piet")
    page = poll(yt, chat)
    assert [m["id"] for m in page["items"]] == [posted["id"], viewer["id"]]

    yt.liveChatMessages().delete(id=viewer["id"]).execute()
    after = poll(yt, chat, page["nextPageToken"])
    assert [m["snippet"]["type"] for m in after["items"]] == ["messageDeletedEvent"]
    assert after["items"][0]["snippet"]["messageDeletedDetails"]["deletedMessageId"] == viewer["id"]
    assert viewer["id"] not in [m["id"] for m in poll(yt, chat)["items"]]  # gone from every later page
    with pytest.raises(HttpError) as err:
        yt.liveChatMessages().delete(id=viewer["id"]).execute()
    assert err.value.resp.status == 404

    too_long = {"snippet": {**body["snippet"], "textMessageDetails": {"messageText": "x" * 201}}}
    with pytest.raises(HttpError) as err:
        yt.liveChatMessages().insert(part="snippet", body=too_long).execute()
    assert err.value.resp.status == 400


def test_moderation_events_from_the_control_api(emulator, emulator_client, chat):
    control = emulator.control
    bad = control.post_chat(chat, "spam", author="Spammer", channel_id="UCspam000000000000000000")
    start = poll(emulator_client, chat)["nextPageToken"]
    control.delete_chat(bad["id"])
    control.ban_author("UCspam000000000000000000", duration_seconds=300)
    items = poll(emulator_client, chat, start)["items"]
    assert [m["snippet"]["type"] for m in items] == ["messageDeletedEvent", "userBannedEvent"]
    banned = items[1]["snippet"]["userBannedDetails"]
    assert banned["bannedUserDetails"]["channelId"] == "UCspam000000000000000000"
    assert banned["banType"] == "temporary" and banned["banDurationSeconds"] == "300"


def test_ended_chat(emulator, emulator_client, chat):
    yt, control = emulator_client, emulator.control
    control.post_chat(chat, "laatste vraag")
    token = poll(yt, chat)["nextPageToken"]
    control.end_chat(chat)
    last = poll(yt, chat, token)
    assert [m["snippet"]["type"] for m in last["items"]] == ["chatEndedEvent"]
    assert last["offlineAt"]
    with pytest.raises(HttpError) as err:  # everything has been read: the chat is over
        poll(yt, chat, last["nextPageToken"])
    assert err.value.resp.status == 403 and reason(err.value) == "liveChatEnded"
    body = {"snippet": {"liveChatId": chat, "type": "textMessageEvent", "textMessageDetails": {"messageText": "nog iets"}}}
    with pytest.raises(HttpError) as err:
        yt.liveChatMessages().insert(part="snippet", body=body).execute()
    assert reason(err.value) == "liveChatEnded"
    from studio.youtube.emulator import ControlError

    with pytest.raises(ControlError):
        control.post_chat(chat, "te laat")


def test_made_for_kids_broadcast_has_no_chat(emulator_client):
    body = {**BROADCAST, "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": True}}
    broadcast = emulator_client.liveBroadcasts().insert(part="snippet,status", body=body).execute()
    assert "liveChatId" not in broadcast["snippet"]
