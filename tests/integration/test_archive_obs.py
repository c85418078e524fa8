"""Real OBS records a few seconds of an ffmpeg_source scene; the archive takes the file only once finalised."""

from __future__ import annotations

import time

import pytest

from studio.media import ffmpeg
from studio.store import archive as repo
from studio.store import session as sessions
from studio.usecases.archive import catalog, handoff
from studio.usecases.archive import processing as process
from studio.usecases.context import Studio
from tests.fixtures.obs_supervisor import ask
from tests.waiting import wait_until

pytestmark = pytest.mark.obs


def test_obs_recording_is_archived_after_it_is_finalised(obs_settings, tone_video, tmp_path, obs_raw):
    ctx = Studio(obs_settings)
    try:
        sup = ctx.obs
        assert sup.wait_connected(10)
        ask(obs_raw, "CreateScene", sceneName="Starten")
        ask(obs_raw, "CreateScene", sceneName="Wijkagent")
        for scene in ("Starten", "Wijkagent"):
            ask(obs_raw, "CreateInput", sceneName=scene, inputName=f"Toon {scene}", inputKind="ffmpeg_source",
                        inputSettings={"local_file": str(tone_video), "looping": True})
        sup.switch_scene("Starten")
        folder = tmp_path / "opnames"
        sup.set_record_directory(folder)
        session = "2026-11-24-nl"
        sessions.ensure_session(ctx.store, session, "nl", "inbraak", "2026-11-24T19:00:00+01:00", True, "scenes")
        _marks, unsubscribe = handoff.record_scene_marks(ctx, session)
        try:
            sup.start_record(timeout=15)  # returns once RecordStateChanged says it runs
            started = time.time()
            sessions.update_session(ctx.store, session, record_started_at=started)
            wait_until(lambda: sup.snapshot.recording, "OBS recording", 5)
            time.sleep(2.5)
            sup.switch_scene("Wijkagent")
            assert wait_until(lambda: len(repo.marks(ctx.store, session, "scene")) >= 2, "two scene marks", 5)
            time.sleep(2.5)
            path = sup.stop_record(timeout=30)  # returns once OBS finalised the file
        finally:
            unsubscribe()
        assert path.parent == folder and path.stat().st_size > 0
        entry = handoff.archive_recording(ctx, path, session)
        assert not entry.truncated, "a finalised recording must have its duration in the header"
        assert 3.0 <= entry.duration <= 8.0
        assert entry.record_started_at == pytest.approx(started)
        info = ffmpeg.probe(path)
        assert info.video is not None and info.audio is not None
        assert catalog.sha256_file(path) == entry.sha256 and catalog.sidecar_path(path).exists()
        # the pre-show (the "Starten" scene) may be cut to its last 10 s: here it is shorter, so it stays
        result = process.process(ctx.store, entry.id, end_slate_seconds=0)
        switch = repo.marks(ctx.store, session, "scene")[-1]["at"] - started
        keyframes = ffmpeg.keyframes(path)
        assert result.cut.start <= switch + 0.01 and "startbeeld blijft heel" in result.cut.reason
        assert result.cut.start == max(k for k in keyframes if k <= max(0.0, switch - 10) + 0.01)
        assert ffmpeg.probe(result.entry.processed_path).duration == pytest.approx(
            entry.duration - result.cut.start, abs=1.0)
        assert path.exists() and catalog.sha256_file(path) == entry.sha256  # the original is evidence
    finally:
        ctx.close()


def test_obs_recording_to_published_chaptered_video(obs_settings, youtube_settings, emulator, tone_video, tmp_path,
                                                    obs_raw):
    """Done-when of the archive: real OBS recording -> hand-off -> process -> upload -> chaptered video."""
    from studio.domain.chapters import chapters_from_description, follows_youtube_rules
    from studio.domain.questions import Source
    from studio.store.questions import QuestionBook
    from studio.usecases.archive import publishing
    from studio.usecases.privacy import PublicationScrub

    youtube_settings.archive.upload_chunk_kib = 256
    ctx = Studio(obs_settings)
    try:
        sup = ctx.obs
        assert sup.wait_connected(10)
        for scene in ("Starten", "Wijkagent", "Vraag in beeld", "Einde"):
            ask(obs_raw, "CreateScene", sceneName=scene)
            ask(obs_raw, "CreateInput", sceneName=scene, inputName=f"Toon {scene}", inputKind="ffmpeg_source",
                        inputSettings={"local_file": str(tone_video), "looping": True})
        sup.switch_scene("Starten")
        sup.set_record_directory(tmp_path / "opnames")
        session = "2026-11-24-nl"
        sessions.ensure_session(ctx.store, session, "nl", "inbraak", "2026-11-24T19:00:00+01:00", True, "scenes")
        book = QuestionBook(ctx.store)
        questions = [book.add_manual(t, Source.PHONE) for t in ("Hoe beveilig ik mijn deur?", "Wat is inbraakpreventie?")]
        _marks, unsubscribe = handoff.record_scene_marks(ctx, session)
        try:
            sup.start_record(timeout=15)
            started = time.time()
            sessions.update_session(ctx.store, session, record_started_at=started)
            time.sleep(1.0)
            sup.switch_scene("Wijkagent")
            for q in questions:  # each question 12 s on air
                time.sleep(11.0)
                sup.switch_scene("Vraag in beeld")
                book.start_airing(q.id, q.text, int((time.time() - started) * 1000))
                time.sleep(1.0)
                sup.switch_scene("Wijkagent")
            time.sleep(12.0)
            path = sup.stop_record(timeout=30)
        finally:
            unsubscribe()
        entry = handoff.archive_recording(ctx, path, session)
        from studio.usecases.archive import processing as process

        processed = process.process(ctx.store, entry.id, end_slate_seconds=5).entry
        result = publishing.publish(ctx.store, youtube_settings, _api(youtube_settings, ctx.store), entry.id,
                                    "upload", scrub=PublicationScrub(ctx), sleep=lambda s: None)
        video = emulator.world.videos[result.video_id]
        assert int(video["fileDetails"]["fileSize"]) == processed.processed_size
        chapters = chapters_from_description(video["snippet"]["description"])
        assert follows_youtube_rules(chapters, processed.processed_duration)
        assert [c.title for c in chapters] == ["Welkom", "Vraag: Hoe beveilig ik mijn deur?",
                                               "Vraag: Wat is inbraakpreventie?"]
        assert emulator.world.thumbnails[result.video_id][:3] == b"\xff\xd8\xff"
        assert path.exists() and catalog.sha256_file(path) == entry.sha256  # the original is kept and intact
        assert repo.get_entry(ctx.store, entry.id).state == "published"
    finally:
        ctx.close()


def _api(settings, store):
    from studio.youtube.api import build_youtube

    return build_youtube(settings, store, max_retries=2, backoff=0.01)
