"""The broadcast lifecycle through the real googleapiclient, with ffmpeg publishing to the RTMP ingest."""

from __future__ import annotations

import pytest
from googleapiclient.errors import HttpError

from tests.waiting import wait_until

BROADCAST = {
    "snippet": {"title": "Wijkspreekuur: inbraak", "scheduledStartTime": "2026-12-01T18:00:00Z"},
    "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
    "contentDetails": {"monitorStream": {"enableMonitorStream": True}, "enableAutoStart": False},
}
STREAM = {"snippet": {"title": "studio"}, "cdn": {"ingestionType": "rtmp", "resolution": "720p", "frameRate": "30fps"}}


def reason(exc: HttpError) -> str:
    return str(exc.error_details[0]["reason"])


def make_pair(yt):
    broadcast = yt.liveBroadcasts().insert(part="id,snippet,status,contentDetails", body=BROADCAST).execute()
    stream = yt.liveStreams().insert(part="id,snippet,cdn,status,contentDetails", body=STREAM).execute()
    return broadcast, stream


def test_full_lifecycle_with_ffmpeg_ingest(emulator, emulator_client, rtmp_publisher):
    yt = emulator_client
    broadcast, stream = make_pair(yt)
    bid, sid = broadcast["id"], stream["id"]
    assert broadcast["status"]["lifeCycleStatus"] == "created"
    assert broadcast["snippet"]["liveChatId"]
    assert stream["status"]["streamStatus"] == "ready"
    info = stream["cdn"]["ingestionInfo"]
    assert info["ingestionAddress"] == emulator.rtmp_url
    assert len(info["streamName"]) >= 20

    bound = yt.liveBroadcasts().bind(part="id,status,contentDetails", id=bid, streamId=sid).execute()
    assert bound["status"]["lifeCycleStatus"] == "ready"
    assert bound["contentDetails"]["boundStreamId"] == sid

    with pytest.raises(HttpError) as err:  # nothing is streaming yet
        yt.liveBroadcasts().transition(part="status", id=bid, broadcastStatus="testing").execute()
    assert err.value.resp.status == 403 and reason(err.value) == "errorStreamInactive"

    def stream_status():
        items = yt.liveStreams().list(part="status", id=sid).execute()["items"]
        return items[0]["status"]["streamStatus"]

    publisher = rtmp_publisher(f"{info['ingestionAddress']}/{info['streamName']}", seconds=60)
    wait_until(lambda: stream_status() == "active", "the stream active", 15)
    health = yt.liveStreams().list(part="status", id=sid).execute()["items"][0]["status"]["healthStatus"]
    assert health["status"] == "good"

    testing = yt.liveBroadcasts().transition(part="status", id=bid, broadcastStatus="testing").execute()
    assert testing["status"]["lifeCycleStatus"] == "testStarting"
    with pytest.raises(HttpError) as err:  # already on its way
        yt.liveBroadcasts().transition(part="status", id=bid, broadcastStatus="testing").execute()
    assert reason(err.value) == "redundantTransition"

    def lifecycle():
        return yt.liveBroadcasts().list(part="status", id=bid).execute()["items"][0]["status"]["lifeCycleStatus"]

    wait_until(lambda: lifecycle() == "testing", "the broadcast testing", 15)
    with pytest.raises(HttpError) as err:  # complete only from live
        yt.liveBroadcasts().transition(part="status", id=bid, broadcastStatus="complete").execute()
    assert reason(err.value) == "invalidTransition"

    live = yt.liveBroadcasts().transition(part="status", id=bid, broadcastStatus="live").execute()
    assert live["status"]["lifeCycleStatus"] == "liveStarting"
    wait_until(lambda: lifecycle() == "live", "the broadcast live", 15)
    video = yt.videos().list(part="snippet,liveStreamingDetails", id=bid).execute()["items"][0]
    assert video["snippet"]["liveBroadcastContent"] == "live"
    assert video["liveStreamingDetails"]["activeLiveChatId"] == broadcast["snippet"]["liveChatId"]

    done = yt.liveBroadcasts().transition(part="status,snippet", id=bid, broadcastStatus="complete").execute()
    assert done["status"]["lifeCycleStatus"] == "complete"
    assert done["status"]["recordingStatus"] == "recorded"
    assert done["snippet"]["actualEndTime"] >= done["snippet"]["actualStartTime"]
    with pytest.raises(HttpError) as err:
        yt.liveBroadcasts().transition(part="status", id=bid, broadcastStatus="complete").execute()
    assert reason(err.value) == "redundantTransition"

    recorded = yt.videos().list(part="status,processingDetails,snippet,contentDetails", id=bid).execute()["items"]
    assert recorded[0]["status"]["uploadStatus"] == "processed"
    assert recorded[0]["processingDetails"]["processingStatus"] == "succeeded"
    assert recorded[0]["snippet"]["liveBroadcastContent"] == "none"

    publisher.kill()
    publisher.wait(timeout=10)
    wait_until(lambda: stream_status() == "inactive", "the stream inactive", 15)
    health = yt.liveStreams().list(part="status", id=sid).execute()["items"][0]["status"]["healthStatus"]
    assert health["status"] == "noData"


def test_rtmp_ingest_refuses_an_unknown_key(emulator, emulator_client, rtmp_publisher):
    _, stream = make_pair(emulator_client)
    publisher = rtmp_publisher(f"{emulator.rtmp_url}/not-a-known-key", seconds=5)
    assert publisher.wait(timeout=20) != 0
    assert b"Unknown stream key" in publisher.stderr.read()
    assert emulator.control.state()["streams"][stream["id"]]["streamStatus"] == "ready"


def test_rtmp_ingest_refuses_another_app(emulator, emulator_client, rtmp_publisher):
    _, stream = make_pair(emulator_client)
    key = stream["cdn"]["ingestionInfo"]["streamName"]
    publisher = rtmp_publisher(emulator.rtmp_url.replace("/live2", "/live") + "/" + key, seconds=5)
    assert publisher.wait(timeout=20) != 0
    assert emulator.control.state()["streams"][stream["id"]]["streamStatus"] == "ready"


def test_transition_rules_without_monitor_stream(emulator, emulator_client, rtmp_publisher):
    yt = emulator_client
    body = {**BROADCAST, "contentDetails": {"monitorStream": {"enableMonitorStream": False}}}
    broadcast = yt.liveBroadcasts().insert(part="snippet,status,contentDetails", body=body).execute()
    stream = yt.liveStreams().insert(part="snippet,cdn", body=STREAM).execute()
    bid = broadcast["id"]
    with pytest.raises(HttpError) as err:  # not bound yet: created cannot go live
        yt.liveBroadcasts().transition(part="status", id=bid, broadcastStatus="live").execute()
    assert reason(err.value) == "invalidTransition"
    yt.liveBroadcasts().bind(part="status", id=bid, streamId=stream["id"]).execute()
    info = stream["cdn"]["ingestionInfo"]
    rtmp_publisher(f"{info['ingestionAddress']}/{info['streamName']}", seconds=60)
    wait_until(lambda: emulator.control.state()["streams"][stream["id"]]["streamStatus"] == "active",
               "the stream active", 15)
    with pytest.raises(HttpError) as err:  # testing needs the monitor stream
        yt.liveBroadcasts().transition(part="status", id=bid, broadcastStatus="testing").execute()
    assert reason(err.value) == "invalidTransition"
    assert yt.liveBroadcasts().transition(part="status", id=bid, broadcastStatus="live").execute()["status"][
        "lifeCycleStatus"
    ] == "liveStarting"
    with pytest.raises(HttpError) as err:  # binding is over once it is going live
        yt.liveBroadcasts().bind(part="status", id=bid, streamId=stream["id"]).execute()
    assert reason(err.value) == "liveBroadcastBindingNotAllowed"
    with pytest.raises(HttpError) as err:
        yt.liveBroadcasts().delete(id=bid).execute()
    assert reason(err.value) == "liveBroadcastDeletionNotAllowed"


def test_list_update_delete_and_paging(emulator_client):
    yt = emulator_client
    ids = [yt.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()["id"] for _ in range(7)]
    first = yt.liveBroadcasts().list(part="id", mine=True).execute()
    assert len(first["items"]) == 5 and first["pageInfo"]["totalResults"] == 7  # YouTube's default page: 5
    second = yt.liveBroadcasts().list(part="id", mine=True, pageToken=first["nextPageToken"]).execute()
    assert {i["id"] for i in first["items"] + second["items"]} == set(ids)
    assert "nextPageToken" not in second
    only_id = yt.liveBroadcasts().list(part="id", id=ids[0]).execute()["items"][0]
    assert set(only_id) == {"kind", "etag", "id"}  # only the parts asked for

    body = {"id": ids[0], "snippet": {"title": "Nieuwe titel", "scheduledStartTime": "2026-12-02T18:00:00Z"}}
    updated = yt.liveBroadcasts().update(part="snippet", body=body).execute()
    assert updated["snippet"]["title"] == "Nieuwe titel" and updated["snippet"]["description"] == ""
    assert yt.videos().list(part="snippet", id=ids[0]).execute()["items"][0]["snippet"]["title"] == "Nieuwe titel"

    yt.liveBroadcasts().delete(id=ids[0]).execute()
    assert yt.liveBroadcasts().list(part="id", id=ids[0]).execute()["items"] == []
    with pytest.raises(HttpError) as err:
        yt.liveBroadcasts().delete(id=ids[0]).execute()
    assert err.value.resp.status == 404 and reason(err.value) == "liveBroadcastNotFound"
    with pytest.raises(HttpError) as err:
        yt.liveBroadcasts().bind(part="id", id=ids[1], streamId="nope").execute()
    assert err.value.resp.status == 404 and reason(err.value) == "liveStreamNotFound"
