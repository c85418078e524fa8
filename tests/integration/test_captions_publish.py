"""Caption tracks published with the video, through the archive use cases, the real google-api-python-client
and the YouTube emulator (read back with control.captions): on the published video's clock in both modes,
insert then update on a rerun, costs from the one quota table, and the review gate with --unreviewed."""

from __future__ import annotations

import pytest

from studio.domain.caption_track import make_track
from studio.domain.captions import Cue
from studio.errors import StudioError
from studio.store import archive as repo
from studio.store import captions as stored
from studio.store import session as sessions
from studio.usecases import archive
from studio.usecases.archive import catalog
from studio.usecases.context import Studio
from studio.youtube.quota import cost_of

SESSION = "2026-11-24-nl"
T0 = 1_790_000_000.0  # the recording started


@pytest.fixture
def ctx(youtube_settings):
    c = Studio(youtube_settings, shared_emulator=False)
    yield c
    c.close()


def _track(*cues: tuple[float, float, str], reviewed: bool = True):
    track = make_track([Cue(a, b, (text,)) for a, b, text in cues], "nl", model="hand")
    return track.mark_reviewed() if reviewed else track


def _broadcast(ctx) -> str:
    body = {"snippet": {"title": "Digitaal wijkspreekuur", "scheduledStartTime": "2026-11-24T18:00:00Z"},
            "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
            "contentDetails": {"enableAutoStart": False, "enableAutoStop": False}}
    return str(ctx.youtube.api.insert_broadcast(body)["id"])


def _entry(ctx, recording, broadcast_id: str | None = None, live_after: float = 12.0):
    sessions.ensure_session(ctx.store, SESSION, "nl", "fietsendiefstal", "2026-11-24T19:00:00+01:00", False, "scenes")
    sessions.update_session(ctx.store, SESSION, broadcast_id=broadcast_id, live_since=T0 + live_after,
                            record_started_at=T0)
    return catalog.add_recording(ctx.store, [recording], SESSION, record_started_at=T0)


def _cues(emulator, video_id: str):
    (track,) = emulator.control.captions(video_id)
    return track, [(c["start"], c["end"], c["text"]) for c in track["cues"]]


def test_update_mode_puts_the_track_on_the_broadcasts_clock_and_updates_it_on_a_rerun(ctx, emulator, recording):
    video_id = _broadcast(ctx)
    entry = _entry(ctx, recording, video_id, live_after=12.0)  # YouTube's recording starts 12 s into ours
    stored.save_track(ctx.store, entry.id, _track((14.0, 16.0, "Goedenavond."), (20.0, 22.5, "Welkom.")))
    plan = archive.publish_plan(ctx, entry.id, "update")
    assert plan.todo == ("metadata", "thumbnail", "playlist", "captions", "privacy") and plan.captions == ("nl",)
    calls = {c.method: (c.calls, c.units) for c in plan.sheet.calls}
    assert calls["captions.list"] == (1, cost_of("captions.list")) and calls["captions.insert"] == (1, 400)
    assert "Ondertitels: Nederlands (nagekeken)." in archive.describe_plan(plan)
    archive.publish(ctx, entry.id, "update")
    track, cues = _cues(emulator, video_id)
    assert track["language"] == "nl" and track["name"] == "Nederlands"
    assert cues == [(2.0, 4.0, "Goedenavond."), (8.0, 10.5, "Welkom.")]
    first = stored.published(ctx.store, entry.id, "nl")
    assert first.caption_id == track["id"] and first.reviewed
    # a rerun without a change sends nothing
    again = archive.publish_plan(ctx, entry.id, "update")
    assert again.todo == () and again.cost == 0
    # an edit asks for a new review, and then the rerun updates the same track
    archive.edit_caption(ctx, entry.id, 1, "Welkom bij het wijkspreekuur.")
    with pytest.raises(StudioError, match="nog niet nagekeken"):
        archive.publish_plan(ctx, entry.id, "update")
    archive.approve_captions(ctx, entry.id)
    plan = archive.publish_plan(ctx, entry.id, "update")
    assert plan.todo == ("captions",) and plan.cost == cost_of("captions.list") + cost_of("captions.update")
    used = ctx.youtube.api.ledger.usage().used
    archive.publish(ctx, entry.id, "update")
    assert ctx.youtube.api.ledger.usage().used - used == plan.cost  # the forecast is what it cost
    track, cues = _cues(emulator, video_id)
    assert track["id"] == first.caption_id and cues[1] == (8.0, 10.5, "Welkom bij het wijkspreekuur.")


def test_upload_mode_puts_the_track_on_the_processed_files_clock(ctx, emulator, recording):
    entry = _entry(ctx, recording)
    repo.add_mark(ctx.store, SESSION, T0, "scene", "Starten")
    repo.add_mark(ctx.store, SESSION, T0 + 16.0, "scene", "Wijkagent")  # the last 10 s of the slate stay
    archive.process(ctx, entry.id)
    trim = catalog.get(ctx.store, entry.id).trim_start
    assert trim and trim > 1.0
    stored.save_track(ctx.store, entry.id, _track((1.0, 2.0, "Voor de show."), (10.0, 12.0, "In de show."),
                                                  (20.0, 21.5, "Later.")))
    result = archive.publish(ctx, entry.id, "upload")
    _published, cues = _cues(emulator, result.video_id)
    assert cues == [(round(10.0 - trim, 3), round(12.0 - trim, 3), "In de show."),
                    (round(20.0 - trim, 3), round(21.5 - trim, 3), "Later.")]  # what came before the cut is gone


def test_publishing_waits_for_the_review_unless_unreviewed(ctx, emulator, recording):
    video_id = _broadcast(ctx)
    entry = _entry(ctx, recording, video_id)
    with pytest.raises(StudioError, match="nog geen ondertitels") as err:
        archive.publish(ctx, entry.id, "update")
    assert "--unreviewed" in str(err.value) and emulator.control.captions(video_id) == []
    stored.save_track(ctx.store, entry.id, _track((14.0, 16.0, "Goedenavond."), reviewed=False))
    with pytest.raises(StudioError, match="nog niet nagekeken"):
        archive.publish(ctx, entry.id, "update")
    assert repo.publish_steps(ctx.store, entry.id) == {}  # nothing was done
    plan = archive.publish_plan(ctx, entry.id, "update", unreviewed=True)
    assert plan.unreviewed and any("NIET nagekeken" in line for line in archive.describe_plan(plan))
    archive.publish(ctx, entry.id, "update", unreviewed=True)
    assert len(emulator.control.captions(video_id)) == 1
    assert not stored.published(ctx.store, entry.id, "nl").reviewed
    assert ctx.store.audit_entries(action="publish.unreviewed")
    md, _csv = archive.write_report(ctx, SESSION)
    assert "gepubliceerd ZONDER NAKIJKEN (--unreviewed)" in md.read_text(encoding="utf-8")


def test_published_without_captions_is_in_the_report(ctx, emulator, recording):
    video_id = _broadcast(ctx)
    entry = _entry(ctx, recording, video_id)
    plan = archive.publish_plan(ctx, entry.id, "update", unreviewed=True)
    assert plan.captions_missing and any("zonder ondertitels" in line for line in archive.describe_plan(plan))
    archive.publish(ctx, entry.id, "update", unreviewed=True)
    md, _csv = archive.write_report(ctx, SESSION)
    assert f"#{entry.id}: geen ondertitels — GEPUBLICEERD ZONDER ONDERTITELS (--unreviewed)" in md.read_text(
        encoding="utf-8")
