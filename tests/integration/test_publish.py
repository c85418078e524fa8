"""Publishing against the YouTube emulator through the real google-api-python-client and our own uploader:
update of the broadcast's recording with chapters, resumable upload with faults, restart, rerun after errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from studio.domain.chapters import chapters_from_description, follows_youtube_rules
from studio.store import archive as repo
from studio.store import session as sessions
from studio.usecases.archive import catalog, publishing
from studio.usecases.archive import processing as process
from studio.youtube import upload as up
from studio.youtube.api import build_youtube
from studio.youtube.errors import YouTubeError

SESSION = "2026-11-24-nl"
T0 = 1_790_000_000.0  # recording started (unix)


@pytest.fixture
def api(youtube_settings, store):
    return build_youtube(youtube_settings, store, max_retries=3, backoff=0.01)


def _broadcast(api) -> str:
    body = {"snippet": {"title": "Digitaal wijkspreekuur", "scheduledStartTime": "2026-11-24T18:00:00Z"},
            "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
            "contentDetails": {"enableAutoStart": False, "enableAutoStop": False}}
    return str(api.insert_broadcast(body)["id"])


def _show(store, recording, broadcast_id: str | None = None):
    """A session with a recording, scene switches and three questions on air."""
    sessions.ensure_session(store, SESSION, "nl", "fietsendiefstal", "2026-11-24T19:00:00+01:00", False, "scenes")
    sessions.update_session(store, SESSION, broadcast_id=broadcast_id, live_since=T0 + 2.0, record_started_at=T0)
    for at, name in [(0, "Starten"), (2.5, "Wijkagent"), (60, "Vraag in beeld"), (75, "Wijkagent"),
                     (110, "Wijkagent met gast"), (170, "Einde")]:
        repo.add_mark(store, SESSION, T0 + at, "scene", name)
    from studio.domain.questions import Source
    from studio.store.questions import QuestionBook

    book = QuestionBook(store)
    for at, text in [(40, "Hoe registreer ik mijn fiets?"), (75, "Wat doe ik bij <b>diefstal</b>?"),
                     (130, "Helpt een tweede slot?")]:
        q = book.add_manual(text, Source("phone") if isinstance(Source, type) else "phone")
        store.execute("INSERT INTO question_airings (question_id, started_at, ended_at, record_start_ms, "
                      "aired_text) VALUES (?, ?, ?, ?, ?)", (q.id, T0 + at, T0 + at + 20, int(at * 1000), text))
    return catalog.add_recording(store, [recording], SESSION, record_started_at=T0)


@pytest.fixture(scope="module")
def _long_master(tmp_path_factory):
    from tests.fixtures.recordings import make_recording

    return make_recording(tmp_path_factory.mktemp("lang") / "master.mkv", 180, size="320x180", rate=10, gop=20)


@pytest.fixture
def long_recording(_long_master, tmp_path):
    folder = tmp_path / "opnames"
    folder.mkdir(exist_ok=True)
    dst = folder / "2026-11-24 19-00-00.mkv"
    shutil.copyfile(_long_master, dst)
    return dst


def test_update_mode_publishes_broadcast_recording_with_chapters(youtube_settings, store, api, emulator,
                                                                 long_recording, publication_scrub):
    video_id = _broadcast(api)
    entry = _show(store, long_recording, video_id)
    plans = []
    result = publishing.publish(store, youtube_settings, api, entry.id, "update", scrub=publication_scrub, confirm=lambda p: plans.append(p) or True)
    assert plans[0].todo == ("metadata", "thumbnail", "playlist", "privacy") and plans[0].cost == (1 + 50) + (1 + 50) + (1 + 1 + 50) + (1 + 50)
    assert plans[0].sheet.by_bucket == {"default": plans[0].cost} and plans[0].fits
    assert result.video_id == video_id and result.steps_done == ["metadata", "thumbnail", "playlist", "privacy"]
    video = api.execute(api.service.videos().list(part="snippet,status", id=video_id))["items"][0]
    desc = video["snippet"]["description"]
    chapters = chapters_from_description(desc)
    assert [c.start for c in chapters] == [0, 38, 73, 108, 128, 168]  # live 2 s after the recording began
    assert [c.title for c in chapters][1] == "Vraag: Hoe registreer ik mijn fiets?"
    assert "<" not in desc and ">" not in desc and follows_youtube_rules(chapters, 178)
    assert video["snippet"]["title"] == entry.title and video["snippet"]["categoryId"]
    assert video["status"]["privacyStatus"] == youtube_settings.youtube.privacy
    assert emulator.world.thumbnails[video_id][:3] == b"\xff\xd8\xff"  # our JPEG
    items = api.execute(api.service.playlistItems().list(part="snippet", playlistId=_playlist(api)))["items"]
    assert [i["snippet"]["resourceId"]["videoId"] for i in items] == [video_id]
    e = repo.get_entry(store, entry.id)
    assert e.state == "published" and e.video_id == video_id and e.thumbnail_path
    again = publishing.publish(store, youtube_settings, api, entry.id, "update", scrub=publication_scrub)  # nothing left: nothing twice
    assert again.steps_done == [] and len(again.skipped) == 4


def _playlist(api) -> str:
    items = api.execute(api.service.playlists().list(part="snippet", mine=True))["items"]
    return next(i["id"] for i in items if i["snippet"]["title"] == "Digitaal wijkspreekuur")


def test_metadata_error_halfway_then_rerun_finishes(youtube_settings, store, api, emulator, long_recording, publication_scrub):
    video_id = _broadcast(api)
    entry = _show(store, long_recording, video_id)
    emulator.control.inject_fault("thumbnails.set", 403, "forbidden")
    with pytest.raises(YouTubeError):
        publishing.publish(store, youtube_settings, api, entry.id, "update", scrub=publication_scrub)
    assert set(repo.publish_steps(store, entry.id)) == {"metadata"}
    e = repo.get_entry(store, entry.id)
    assert e.state == "publishing" and e.error
    video = api.execute(api.service.videos().list(part="status", id=video_id))["items"][0]
    privacy_before = video["status"]["privacyStatus"]
    emulator.control.inject_fault("playlistItems.insert", 500, "backendError", times=10)  # beyond the retries
    with pytest.raises(YouTubeError):
        publishing.publish(store, youtube_settings, api, entry.id, "update", scrub=publication_scrub)
    assert set(repo.publish_steps(store, entry.id)) == {"metadata", "thumbnail"}
    assert api.execute(api.service.videos().list(part="status", id=video_id))["items"][0]["status"][
        "privacyStatus"] == privacy_before  # visibility is the last step: not touched yet
    emulator.control.clear_faults()
    result = publishing.publish(store, youtube_settings, api, entry.id, "update", scrub=publication_scrub)
    assert result.skipped == ["metadata", "thumbnail"] and result.steps_done == ["playlist", "privacy"]
    items = api.execute(api.service.playlistItems().list(part="snippet", playlistId=_playlist(api)))["items"]
    assert len(items) == 1 and repo.get_entry(store, entry.id).state == "published"


def _processed(store, recording):
    entry = _show(store, recording)
    return process.process(store, entry.id, end_slate_seconds=5).entry


def test_upload_with_5xx_and_dropped_connection_resumes(youtube_settings, store, api, emulator, long_recording, publication_scrub):
    entry = _processed(store, long_recording)
    data = Path(entry.processed_path).read_bytes()
    emulator.control.inject_fault("upload.chunk", 503, "backendError", times=2)
    emulator.control.inject_fault("upload.chunk", reason="dropConnection", times=1)
    youtube_settings.archive.upload_chunk_kib = 256
    seen: list[float] = []
    result = publishing.publish(store, youtube_settings, api, entry.id, "upload", scrub=publication_scrub,
                                progress=lambda f, _l: seen.append(f), sleep=lambda s: None)
    assert result.upload is not None and result.upload.retries == 3
    video = api.execute(api.service.videos().list(part="snippet,status,fileDetails", id=result.video_id))["items"][0]
    assert int(video["fileDetails"]["fileSize"]) == len(data)
    assert video["status"]["privacyStatus"] == youtube_settings.youtube.privacy  # made visible last
    assert chapters_from_description(video["snippet"]["description"])[0].start == 0
    assert seen[-1] == 1.0
    assert repo.get_upload(store, entry.id).confirmed == len(data)


def test_upload_resumes_after_restart_from_a_new_process(youtube_settings, store, api, emulator, long_recording,
                                                         tmp_path, publication_scrub):
    entry = _processed(store, long_recording)
    size = entry.processed_size
    youtube_settings.archive.upload_chunk_kib = 256
    # first run: the connection dies for good after some chunks (the panel or the PC went down)
    emulator.control.inject_fault("upload.chunk", delay=0.01, times=2)
    emulator.control.inject_fault("upload.chunk", reason="dropConnection", times=-1)
    with pytest.raises(YouTubeError):
        publishing.publish(store, youtube_settings, api, entry.id, "upload", scrub=publication_scrub, sleep=lambda s: None)
    saved = repo.get_upload(store, entry.id)
    assert saved is not None and 0 < saved.confirmed < size
    assert saved.confirmed % up.GRANULARITY == 0
    emulator.control.clear_faults()
    store.close()
    # a new process with only the database: it asks YouTube where it was and sends the rest
    script = textwrap.dedent(f"""
        from studio.config import load_settings
        from studio.store import open_store
        from studio.youtube.api import build_youtube
        from studio.usecases.archive import publishing
        from studio.usecases.context import Studio
        from studio.usecases.privacy import PublicationScrub
        s = load_settings()
        s.archive.upload_chunk_kib = 256
        st = open_store(s)
        ctx = Studio(s, store=st)
        r = publishing.publish(st, s, build_youtube(s, st), {entry.id}, "upload", scrub=PublicationScrub(ctx))
        print(r.video_id, r.upload.resumed_from)
    """)
    env = {"STUDIO_DATA_DIR": str(youtube_settings.data_dir), "STUDIO_YOUTUBE_ENDPOINT": emulator.endpoint,
           "STUDIO_YOUTUBE_REHEARSAL": "yes", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    video_id, resumed_from = out.stdout.split()
    assert int(resumed_from) >= saved.confirmed > 0  # did not start over
    from studio.store import open_store

    st = open_store(youtube_settings)
    try:
        video = emulator.world.videos[video_id]
        e = repo.get_entry(st, entry.id)
        assert e.state == "published" and e.video_id == video_id
        assert int(video["fileDetails"]["fileSize"]) == size
    finally:
        st.close()


def test_expired_session_starts_over(youtube_settings, store, api, emulator, long_recording, publication_scrub):
    entry = _processed(store, long_recording)
    repo.save_upload(store, entry.id, entry.processed_path, entry.processed_size, entry.processed_sha256,
                     emulator.endpoint + "upload/youtube/v3/videos?uploadType=resumable&upload_id=gone")
    result = publishing.publish(store, youtube_settings, api, entry.id, "upload", scrub=publication_scrub, sleep=lambda s: None)
    assert result.upload.resumed_from == 0 and result.video_id in emulator.world.videos


def test_switching_mode_publishes_the_other_video_completely(youtube_settings, store, api, emulator,
                                                             long_recording, publication_scrub):
    video_id = _broadcast(api)
    entry = _show(store, long_recording, video_id)
    process.process(store, entry.id, end_slate_seconds=5)
    first = publishing.publish(store, youtube_settings, api, entry.id, "update", scrub=publication_scrub)
    assert first.video_id == video_id
    second = publishing.publish(store, youtube_settings, api, entry.id, "upload", scrub=publication_scrub, sleep=lambda s: None)
    assert second.video_id != video_id and second.skipped == []
    assert second.steps_done == ["upload", "thumbnail", "playlist", "privacy"]
    items = api.execute(api.service.playlistItems().list(part="snippet", playlistId=_playlist(api)))["items"]
    assert {i["snippet"]["resourceId"]["videoId"] for i in items} == {video_id, second.video_id}


def test_the_closing_chapter_is_the_end_slate_the_show_ended_with(store, recording, publication_scrub):
    """The end scene on air by mistake in the middle of the show (a key on the wrong screen, back after 3 s) is
    not a chapter: "Afsluiting" comes once, at the end slate the show ended with."""
    sessions.ensure_session(store, SESSION, "nl", "fietsendiefstal", "2026-11-24T19:00:00+01:00", False, "scenes")
    sessions.update_session(store, SESSION, live_since=T0, record_started_at=T0)
    for at, name in [(0, "Starten"), (2.5, "Wijkagent"), (50, "Einde"), (53, "Wijkagent"),
                     (110, "Wijkagent met gast"), (170, "Einde")]:
        repo.add_mark(store, SESSION, T0 + at, "scene", name)
    entry = catalog.add_recording(store, [recording], SESSION, record_started_at=T0)
    entry = repo.get_entry(store, entry.id)
    base = publishing.timebase(store, entry, "update")
    assert base is not None
    base = publishing.Timebase(base.zero, 180.0)  # the video YouTube made of the broadcast: three minutes
    marks = publishing.chapter_marks(store, entry, base, publication_scrub)
    assert [(m.at, m.title) for m in marks] == [(110.0, "Met gast"), (170.0, "Afsluiting")]
