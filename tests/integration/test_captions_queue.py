"""The background captions with the real model: never while a session is on air, making way for one that starts
(checkpoint kept), and going on after a restart of the panel from the last piece it finished, ending with the
same captions as a run that was never interrupted."""

from __future__ import annotations

import threading

import pytest

from studio.store import caption_jobs as jobs
from studio.store import captions as stored
from studio.store import session as sessions
from studio.usecases import archive
from studio.usecases.archive import caption_queue, catalog
from studio.usecases.archive.caption_queue import PAUSED_FOR_SHOW
from studio.usecases.context import Studio
from tests.waiting import wait_until

SESSION = "2026-11-24-nl"


@pytest.fixture
def captions_settings(settings, whisper_model_dir, monkeypatch):
    settings.captions.model = str(whisper_model_dir)
    monkeypatch.setenv("STUDIO_CAPTIONS_MODEL", str(whisper_model_dir))
    return settings


def _session(store, step: str, status: str = "running") -> None:
    sessions.ensure_session(store, SESSION, "nl", "fietsendiefstal", "2026-11-24T19:00:00+01:00", False, "scenes")
    sessions.record_step(store, SESSION, step, status)


def test_a_job_waits_while_a_session_is_on_air_and_runs_after(captions_settings, speech_recording):
    ctx = Studio(captions_settings)
    try:
        entry = catalog.add_recording(ctx.store, [speech_recording], None)
        _session(ctx.store, "on_air", "waiting")
        archive.queue_captions(ctx, entry.id)
        queue = ctx.captions.start()  # the panel's queue (closed with the studio)
        wait_until(lambda: "wachten tot de uitzending voorbij is" in archive.caption_status(ctx).line,
                   "the queue's line says it waits", timeout=20)
        assert jobs.get(ctx.store, entry.id, "nl").started_at is None  # it never started
        sessions.record_step(ctx.store, SESSION, "done", "done")
        queue.wake()
        wait_until(lambda: jobs.get(ctx.store, entry.id, "nl").state == "done", "the job done", timeout=180)
        assert stored.get_track(ctx.store, entry.id, "nl").cues
        assert archive.caption_status(ctx).line == ""
    finally:
        ctx.close()


def test_a_job_makes_way_for_a_session_and_goes_on_after_a_restart(captions_settings, speech_recording,
                                                                   monkeypatch):
    from studio.speech import transcribe

    monkeypatch.setattr(transcribe, "PIECE_SECONDS", 6.0)  # three pieces in the 18 s of speech
    first = Studio(captions_settings)
    entry = catalog.add_recording(first.store, [speech_recording], None)
    # The moment the first piece is saved, a session starts its check before the show; the job must stop
    # before the next piece. (The hook waits until the queue's watcher has seen the session: no race.)
    seen = threading.Event()
    real_busy, real_save = caption_queue.busy_reason, jobs.save_checkpoint

    def watching(ctx):
        reason = real_busy(ctx)
        if reason:
            seen.set()
        return reason

    def saving(store, entry_id, lang, checkpoint):
        real_save(store, entry_id, lang, checkpoint)
        if not seen.is_set():
            _session(store, "preflight")
            assert seen.wait(30), "the watcher did not see the session"

    monkeypatch.setattr(caption_queue, "busy_reason", watching)
    monkeypatch.setattr(jobs, "save_checkpoint", saving)
    try:
        archive.queue_captions(first, entry.id)
        first.captions.start()
        wait_until(lambda: jobs.get(first.store, entry.id, "nl").detail == PAUSED_FOR_SHOW, "the job paused",
                   timeout=180)
        paused = jobs.get(first.store, entry.id, "nl")
        assert paused.state == "queued" and paused.has_checkpoint and paused.attempts == 0  # made way: no crash
        until = jobs.checkpoint(first.store, entry.id, "nl")["until"]
        assert 0 < until < 17.0
    finally:
        first.close()  # the panel closes while the session runs

    second = Studio(captions_settings)  # the panel again, after the session
    try:
        assert stored.get_track(second.store, entry.id, "nl") is None  # nothing half-made was stored
        sessions.record_step(second.store, SESSION, "done", "done")
        second.captions.start()
        wait_until(lambda: jobs.get(second.store, entry.id, "nl").state == "done", "the job done", timeout=180)
        job = jobs.get(second.store, entry.id, "nl")
        assert job.attempts == 1 and not job.has_checkpoint
        resumed = stored.get_track(second.store, entry.id, "nl")
        # the same captions as one run that nobody interrupted
        archive.caption(second, entry.id, again=True)
        assert stored.get_track(second.store, entry.id, "nl").cues == resumed.cues
    finally:
        second.close()
