"""No create is sent twice blindly (issue 12, 2): a slow or 5xx-answering YouTube that made the thing anyway
gets it adopted, not made again. The emulator delays a method beyond the client's timeout and still carries
it out, or carries it out and then answers 5xx, as YouTube does."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studio.youtube import errors as ye
from studio.youtube.publish import Publication, Publisher
from studio.youtube.service import YouTubeService
from studio.youtube.upload import ResumableUploader

TIMEOUT = 1.0  # the client's timeout in these tests (20 s in the studio)


def _start() -> datetime:
    return datetime.now(UTC) + timedelta(hours=2)


@pytest.fixture
def svc(youtube_settings, store):
    s = YouTubeService(youtube_settings, store, timeout=TIMEOUT, backoff=0.01, max_backoff=0.05)
    s.broadcasts.reconcile_window = s.broadcasts.streams.reconcile_window = 8.0
    yield s
    s.close()


def calls(emulator, method: str) -> list[int]:
    return [status for name, status, _cost in emulator.control.state()["calls"] if name == method]


def test_slow_insert_beyond_the_timeout_gives_one_broadcast(svc, emulator, store):
    emulator.control.inject_fault("liveBroadcasts.insert", delay=TIMEOUT + 1.5)  # answers late, made all the same
    started = time.monotonic()
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    assert time.monotonic() - started >= TIMEOUT + 1.0  # it waited for the late one instead of inserting again
    broadcasts = emulator.control.state()["broadcasts"]
    assert list(broadcasts) == [rec.broadcast_id]  # exactly one broadcast for the session
    assert calls(emulator, "liveBroadcasts.insert") == [200]  # sent once: the timeout was not retried
    description = emulator.world.broadcasts[rec.broadcast_id]["snippet"]["description"]
    assert description.splitlines()[-1] == f"wijkspreekuur-sessie {rec.session_key}"  # the tag it was found by
    adopted = store.audit_entries(action="youtube.broadcast.adopted")
    assert len(adopted) == 1 and adopted[0]["params"]["broadcast_id"] == rec.broadcast_id
    assert svc.broadcasts.create("inbraak", "nl", _start()).broadcast_id == rec.broadcast_id  # and stays one


def test_5xx_after_the_insert_happened_adopts_it(svc, emulator):
    emulator.control.inject_fault("liveBroadcasts.insert", status=503, reason="backendError", complete=True)
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    assert list(emulator.control.state()["broadcasts"]) == [rec.broadcast_id]
    assert calls(emulator, "liveBroadcasts.insert") == [200]


@pytest.mark.parametrize("how", ["dropConnection", "closeConnection"])
def test_answer_lost_on_a_dropped_connection_is_not_sent_again(svc, emulator, emulator_client, how):
    # httplib2 itself re-sends a request once when the server closes before answering: a second broadcast
    emulator.control.inject_fault("liveBroadcasts.insert", reason="closeConnection", complete=True)
    emulator_client.liveBroadcasts().insert(part="snippet,status", body={
        "snippet": {"title": "t", "scheduledStartTime": "2030-01-01T18:00:00Z"},
        "status": {"privacyStatus": "unlisted"}}).execute()
    assert len(emulator.control.state()["broadcasts"]) == 2  # what the door no longer does
    emulator.control.reset()
    emulator.control.inject_fault("liveBroadcasts.insert", reason=how, complete=True)
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    assert list(emulator.control.state()["broadcasts"]) == [rec.broadcast_id]
    assert calls(emulator, "liveBroadcasts.insert") == [200]


def test_5xx_before_anything_happened_inserts_again_after_looking(svc, emulator):
    svc.broadcasts.reconcile_window = 0.5
    emulator.control.inject_fault("liveBroadcasts.insert", status=503, reason="backendError")
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    assert list(emulator.control.state()["broadcasts"]) == [rec.broadcast_id]
    names = [c[0] for c in emulator.control.state()["calls"]]
    assert "liveBroadcasts.list" in names[names.index("liveBroadcasts.insert"):]  # looked before the second


def test_unknown_twice_says_so_and_a_rerun_reconciles_first(svc, emulator):
    svc.broadcasts.reconcile_window = 0.3
    emulator.control.inject_fault("liveBroadcasts.insert", status=500, reason="internalError", times=2)
    with pytest.raises(ye.OutcomeUnknown) as info:
        svc.broadcasts.create("inbraak", "nl", _start())
    assert "misschien" in str(info.value) and emulator.control.state()["broadcasts"] == {}
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    assert list(emulator.control.state()["broadcasts"]) == [rec.broadcast_id]


def test_rate_limit_refusal_is_retried_as_before(svc, emulator):
    emulator.control.inject_fault("liveBroadcasts.insert", reason="rateLimitExceeded")
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    assert len(emulator.control.state()["broadcasts"]) == 1 and rec.broadcast_id
    assert calls(emulator, "liveBroadcasts.insert") == [403, 200]


def test_slow_stream_insert_gives_one_stream(svc, emulator):
    emulator.control.inject_fault("liveStreams.insert", delay=TIMEOUT + 1.0)
    stream = svc.broadcasts.streams.ensure()
    assert list(emulator.control.state()["streams"]) == [stream["id"]]
    assert calls(emulator, "liveStreams.insert") == [200]


@pytest.fixture
def publisher(svc, emulator, store):
    return Publisher(store, svc.api, upload_base=emulator.endpoint, sleep=lambda s: time.sleep(min(s, 0.2)),
                     reconcile_window=8.0)


def _publication(tmp_path: Path, video_id: str) -> Publication:
    thumb = tmp_path / "miniatuur.jpg"
    thumb.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 2000)
    return Publication(entry_id=1, mode="update", title="Wijkspreekuur", description="Vragen en antwoorden",
                       privacy="public", category_id="25", playlist_title="Digitaal wijkspreekuur",
                       thumbnail=thumb, video_id=video_id)


def test_playlist_entry_after_a_slow_or_failing_insert_is_there_once(svc, emulator, publisher, tmp_path):
    video_id = svc.broadcasts.create("inbraak", "nl", _start()).broadcast_id
    pub = _publication(tmp_path, video_id)
    emulator.control.inject_fault("playlistItems.insert", delay=TIMEOUT + 1.0)
    assert publisher._playlist(pub, video_id)["playlist_id"]
    emulator.control.inject_fault("playlists.insert", status=502, complete=True)
    other = Publication(**{**pub.__dict__, "playlist_title": "Arabische sessies"})
    publisher._playlist(other, video_id)
    state = emulator.control.state()
    assert sorted(p["items"] for p in state["playlists"].values()) == [1, 1]
    assert [p["title"] for p in state["playlists"].values()].count("Arabische sessies") == 1
    assert calls(emulator, "playlistItems.insert") == [200, 200]  # once per playlist, never twice


def test_thumbnail_that_went_through_despite_the_timeout_is_not_sent_again(svc, emulator, publisher, tmp_path):
    video_id = svc.broadcasts.create("inbraak", "nl", _start()).broadcast_id
    emulator.control.inject_fault("thumbnails.set", delay=TIMEOUT + 1.0)
    detail = publisher._thumbnail(_publication(tmp_path, video_id), video_id)
    assert detail.get("adopted") and emulator.world.thumbnails[video_id][:3] == b"\xff\xd8\xff"
    assert calls(emulator, "thumbnails.set") == [200]
    emulator.control.inject_fault("thumbnails.set", status=503)  # refused before anything: sent again
    publisher.reconcile_window = 0.3
    assert not publisher._thumbnail(_publication(tmp_path, video_id), video_id).get("adopted")
    assert calls(emulator, "thumbnails.set") == [200, 503, 200]


def test_upload_whose_last_chunk_answers_late_is_one_video(emulator, tmp_path):
    video = tmp_path / "opname.mp4"
    video.write_bytes(bytes(range(256)) * 1400)  # 358,400 bytes: two chunks of 256 KiB at most
    size = video.stat().st_size
    uploader = ResumableUploader(emulator.endpoint, lambda: "t", chunk_size=256 * 1024, timeout=TIMEOUT,
                                 backoff=0.05, max_backoff=0.2)
    before = set(emulator.world.videos)
    uri = uploader.start({"snippet": {"title": "Opname"}, "status": {"privacyStatus": "private"}}, size)

    def arm(confirmed: int) -> None:
        if confirmed == 256 * 1024:  # the last chunk is next: YouTube takes longer than we wait
            emulator.control.inject_fault("upload.chunk", delay=TIMEOUT + 1.0)

    outcome = uploader.send(uri, video, size, offset=0, on_progress=arm)
    uploader.close()
    time.sleep(TIMEOUT + 1.5)  # let the late chunk finish on the server too
    made = set(emulator.world.videos) - before
    assert made == {outcome.video["id"]} and outcome.retries >= 1  # asked the session, adopted its video
    assert bytes(emulator.world.uploads[next(iter(emulator.world.uploads))].data) == video.read_bytes()
