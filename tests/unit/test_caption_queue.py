"""The background captions' rules without a model: when a job may run (never while a session is on air), the
queue in SQLite, the line the screens show, the clocks of the published video, and the captions' quota cost."""

from __future__ import annotations

import pytest

from studio.store import caption_jobs as jobs
from studio.store.archive import Source, add_entry, get_entry, update_entry
from studio.usecases.archive.caption_queue import STALE_AFTER, QueueStatus, on_air_reason
from studio.usecases.archive.captions import shift_for, time_left
from studio.usecases.archive.catalog import ArchiveError
from studio.youtube.publish import CaptionFile, caption_calls, publish_sheet
from studio.youtube.quota import cost_of

NOW = 1_790_000_000.0


def _row(step: str, age: float = 60.0, session: str = "2026-11-24-nl") -> dict:
    return {"session_id": session, "step": step, "status": "running", "updated_at": NOW - age}


@pytest.mark.parametrize("step", ["preflight", "slate", "record", "stream", "live", "on_air", "end_slate",
                                  "end_broadcast", "stop_record"])
def test_a_session_from_its_check_to_its_recording_stopped_blocks(step):
    assert on_air_reason([_row(step)], now=NOW) == "sessie 2026-11-24-nl is bezig"


@pytest.mark.parametrize("step", ["scenes", "broadcast", "archive", "done"])
def test_before_the_check_and_after_the_recording_captions_may_run(step):
    assert on_air_reason([_row(step)], now=NOW) == ""


def test_obs_itself_blocks_and_an_old_crash_does_not():
    assert on_air_reason([], obs_streaming=True, now=NOW) == "OBS zendt uit"
    assert on_air_reason([], obs_recording=True, now=NOW) == "OBS neemt op"
    assert on_air_reason([_row("on_air", age=STALE_AFTER + 1)], now=NOW) == ""  # left by a crash days ago
    assert on_air_reason([_row("on_air", age=STALE_AFTER + 1)], obs_recording=True, now=NOW) == "OBS neemt op"
    assert on_air_reason([_row("scenes", session="a"), _row("live", session="b")], now=NOW) == "sessie b is bezig"


def _job(**kw) -> jobs.Job:
    base = dict(entry_id=12, lang="nl", state="running", detail="", progress=0.43, eta=372.0, attempts=1,
                queued_at=NOW, started_at=NOW, finished_at=None, updated_at=NOW, has_checkpoint=True)
    base.update(kw)
    return jobs.Job(**base)


def test_the_line_on_the_screens():
    assert QueueStatus(_job(), 2, "").line == "Ondertitels #12 (nl) worden gemaakt: 43% · nog ca. 6 min · daarna nog 2"
    assert QueueStatus(None, 2, "sessie 2026-11-24-nl is bezig").line == (
        "Ondertitels voor 2 opnamen wachten tot de uitzending voorbij is (sessie 2026-11-24-nl is bezig)")
    assert QueueStatus(None, 1, "").line == "Ondertitels voor 1 opname in de wachtrij"
    assert QueueStatus(None, 0, "OBS neemt op").line == ""
    assert time_left(None) == "tijd over wordt berekend" and time_left(20) == "bijna klaar"
    assert time_left(4_900) == "nog ca. 1 u 22 min"


def _entry(store, name: str = "a", **changes):
    e = add_entry(store, session_id="2026-11-24-nl", session_date="2026-11-24", topic="t", lang="nl", title="T",
                  sources=[Source(0, f"/opnames/{name}.mkv", 10, "a" * 64, 600.0)], truncated=False,
                  record_started_at=NOW)
    if changes:
        update_entry(store, e.id, **changes)
    return get_entry(store, e.id)


def test_the_queue_in_sqlite(store):
    e = _entry(store)
    first = jobs.enqueue(store, e.id, "nl")
    assert first.state == "queued" and jobs.enqueue(store, e.id, "nl").queued_at == first.queued_at  # once
    jobs.start(store, e.id, "nl")
    jobs.save_checkpoint(store, e.id, "nl", {"until": 300.0, "segments": []})
    jobs.pause(store, e.id, "nl", "wacht tot de uitzending voorbij is")
    paused = jobs.get(store, e.id, "nl")
    assert paused.state == "queued" and paused.has_checkpoint and paused.attempts == 0
    assert jobs.checkpoint(store, e.id, "nl") == {"until": 300.0, "segments": []}
    jobs.finish(store, e.id, "nl", "failed", "de opname is stil")
    assert jobs.waiting(store) == [] and not jobs.get(store, e.id, "nl").has_checkpoint
    assert jobs.enqueue(store, e.id, "nl").state == "failed"  # a failure stays until a person asks again
    again = jobs.enqueue(store, e.id, "nl", again=True)
    assert again.state == "queued" and again.detail == "" and again.attempts == 0
    other = _entry(store, "b")
    jobs.enqueue(store, other.id, "nl")
    jobs.start(store, other.id, "nl")  # a run that a restart interrupted goes first
    assert [j.entry_id for j in jobs.waiting(store)] == [other.id, e.id]
    with pytest.raises(ValueError):
        jobs.finish(store, e.id, "nl", "queued", "")


def test_cues_go_to_the_published_videos_clock(store):
    processed = _entry(store, trim_start=205.0, processed_duration=3480.0, processed_path="/opnames/a.verwerkt.mp4")
    assert shift_for(processed, "upload", None, None) == (-205.0, 3480.0)
    # update: YouTube's recording starts when the broadcast went live, 12 s into our recording
    assert shift_for(processed, "update", NOW + 12.0, 588.0) == (-12.0, 588.0)
    with pytest.raises(ArchiveError, match="live ging"):
        shift_for(processed, "update", None, None)


def test_captions_cost_from_the_one_quota_table():
    new, known = CaptionFile("nl", b"WEBVTT", "x"), CaptionFile("ar", b"WEBVTT", "y", known=True)
    assert caption_calls([new, known]) == {"captions.list": 2, "captions.update": 1, "captions.insert": 1}
    sheet = publish_sheet(("captions", "privacy"), (new, known))
    assert sheet.units == 2 * cost_of("captions.list") + cost_of("captions.update") + cost_of("captions.insert") + \
        cost_of("videos.list") + cost_of("videos.update")
    assert cost_of("captions.insert") == 400 and cost_of("captions.update") == 450



def test_a_job_that_keeps_taking_the_panel_down_is_given_up(settings, store):
    import time

    from studio.usecases.archive.caption_queue import CaptionQueue
    from studio.usecases.context import Studio

    e = _entry(store)
    jobs.enqueue(store, e.id, "nl")
    for _ in range(3):  # three runs that never ended: the process died each time
        jobs.start(store, e.id, "nl")
    store.execute("UPDATE caption_jobs SET updated_at = ?", (time.time() - 600,))
    queue = CaptionQueue(Studio(settings, store=store))
    assert queue.next_job() is None
    job = jobs.get(store, e.id, "nl")
    assert job.state == "failed" and "3 keer afgebroken" in job.detail
