"""The captions view of the Archive screen (o): cues with times, what to check first, edit, remove, reviewed;
and the background captions' line. A track put in the store with fixed words and marks makes the picture
deterministic; the edits go through the real use cases (store, files beside the recording, privacy filter)."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from studio.domain.caption_track import make_track
from studio.domain.captions import Cue, Word
from studio.store import caption_jobs
from studio.store import captions as stored
from studio.store.archive import Source, add_entry
from studio.tui.app import StudioApp
from studio.tui.screens import ScreenEntry
from studio.usecases.context import Studio
from tests.tui.fakes import FakeObs, connected_snapshot
from tests.waiting import pilot_wait_until

SIZE = (130, 40)
ARCHIVE = ScreenEntry("f6", "archive", "Archief", "studio.tui.screens.archive:ArchiveScreen")


def _cue(start: float, text: str, unsure: tuple[str, ...] = ()) -> Cue:
    words = text.split()
    step = 2.5 / len(words)
    return Cue(start, start + 3.0, (text,) if len(text) <= 42 else (text[:text.rfind(" ", 0, 42)],
                                                                  text[text.rfind(" ", 0, 42) + 1:]),
               tuple(Word(w, start + i * step, start + (i + 1) * step, 0.2 if w in unsure else 0.95)
                     for i, w in enumerate(words)))


def track_with_marks():
    """Four cues: one fine, one heard unsure, one with an Arabic word in a Dutch session, one with a name said."""
    cues = [_cue(12.0, "Goedenavond en welkom bij het wijkspreekuur."),
            _cue(16.0, "Vandaag gaat het over fietsendiefstal in Heerlen.", unsure=("fietsendiefstal",)),
            _cue(21.0, "Dat heet in het Arabisch سرقة zei een kijker."),
            _cue(26.0, "Meneer Jansen uit de Akerstraat belde ons.")]

    def finder(text: str):
        return [w for w in ("Jansen", "Akerstraat") if w in text]

    return make_track(cues, "nl", model="base", finder=finder)


def _app(settings, recording_dir):
    settings.youtube.rehearsal = "yes"
    ctx = Studio(settings, obs=FakeObs(connected_snapshot()))
    entry = add_entry(ctx.store, session_id="2026-11-24-nl", session_date="2026-11-24", topic="fietsdiefstal",
                      lang="nl", title="Digitaal wijkspreekuur: fietsdiefstal",
                      sources=[Source(0, str(recording_dir / "2026-11-24 19-00-00.mkv"), 524_288_000, "b" * 64,
                                      1804.0)], truncated=False, record_started_at=1_764_007_200.0)
    stored.save_track(ctx.store, entry.id, track_with_marks())
    return StudioApp(ctx, clock=lambda: 1000.0, stats_interval=0.05, screens=[ARCHIVE]), ctx, entry


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _open_captions(pilot, app) -> None:
    await pilot_wait_until(pilot, lambda: len(getattr(app.screen, "entries", [])) == 1, "the entry")
    await pilot.press("o")
    await pilot_wait_until(pilot, lambda: app.screen.__class__.__name__ == "CaptionsScreen"
                           and app.screen.query_one("#cap-table", DataTable).row_count == 4, "the cues")


def test_snapshot_captions_view(snap_compare, settings, tmp_path):
    app, ctx, _entry = _app(settings, tmp_path)

    async def run_before(pilot) -> None:
        await _open_captions(pilot, app)
        await pilot.press("n")  # the first cue to check
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    finally:
        ctx.close()


async def test_review_edit_remove_and_approve(settings, tmp_path):
    app, ctx, entry = _app(settings, tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _open_captions(pilot, app)
            header = text_of(app, "#cap-header")
            assert "NOG NIET NAGEKEKEN" in header and "3 om eerst na te kijken" in header
            table = app.screen.query_one("#cap-table", DataTable)
            marked = [str(table.get_row_at(i)[0]) for i in range(4)]
            assert marked == ["", "!", "!", "!"]
            await pilot.press("n")
            assert table.cursor_row == 1
            assert "onzeker verstaan: fietsendiefstal" in text_of(app, "#cap-cue")
            await pilot.press("n", "n")
            assert "mogelijk persoonsgegevens: Jansen, Akerstraat" in text_of(app, "#cap-cue")
            # correct the cue with the name: the privacy filter looks at the new text, the mark goes
            await pilot.press("w")
            await pilot_wait_until(pilot, lambda: app.screen.__class__.__name__ == "TextPrompt", "the prompt")
            prompt = app.screen.query_one("#prompt-input")
            prompt.value = "Een kijker uit de buurt belde ons."
            await pilot.press("enter")
            await pilot_wait_until(pilot, lambda: "verbeterd" in text_of(app, "#cap-result"), "the edit", 60)
            track = stored.get_track(ctx.store, entry.id, "nl")
            assert track.cues[3].lines == ("Een kijker uit de buurt belde ons.",) and track.cues[3].edited
            assert track.to_check() == [1, 2]
            vtt = (tmp_path / "2026-11-24 19-00-00.nl.vtt").read_text(encoding="utf-8")
            assert "Een kijker uit de buurt" in vtt and "Jansen" not in vtt  # the files follow the review
            # drop the cue with the foreign word (asks first)
            app.screen.query_one("#cap-table", DataTable).move_cursor(row=2)
            await pilot.press("d")
            await pilot_wait_until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmScreen", "the question")
            await pilot.press("j")
            await pilot_wait_until(pilot, lambda: "verwijderd" in text_of(app, "#cap-result"), "the removal")
            assert len(stored.get_track(ctx.store, entry.id, "nl").cues) == 3
            # reviewed: asks, says how many marks are left, then publishing may send them
            await pilot.press("a")
            await pilot_wait_until(pilot, lambda: app.screen.__class__.__name__ == "ConfirmScreen", "the question")
            assert "nog 1 ondertitels gemarkeerd" in str(app.screen.query_one("#confirm-question", Static).render())
            await pilot.press("j")
            await pilot_wait_until(pilot, lambda: "NAGEKEKEN: mag gepubliceerd" in text_of(app, "#cap-header"),
                                   "reviewed")
            assert stored.get_track(ctx.store, entry.id, "nl").reviewed
            await pilot.press("escape")
            await pilot_wait_until(pilot, lambda: "3 ondertitels, nagekeken" in text_of(app, "#ar-details"),
                                   "the archive with the reviewed captions")
            # a second edit means a second review
            await pilot.press("o")
            await pilot_wait_until(pilot, lambda: app.screen.__class__.__name__ == "CaptionsScreen"
                                   and app.screen.query_one("#cap-table", DataTable).row_count == 3, "the cues")
            await pilot.press("w")
            await pilot_wait_until(pilot, lambda: app.screen.__class__.__name__ == "TextPrompt", "the prompt")
            app.screen.query_one("#prompt-input").value = "Goedenavond, welkom bij het wijkspreekuur."
            await pilot.press("enter")
            await pilot_wait_until(pilot, lambda: "NOG NIET NAGEKEKEN" in text_of(app, "#cap-header"), "unreviewed")
    finally:
        ctx.close()


async def test_bad_edit_is_one_line_and_changes_nothing(settings, tmp_path):
    app, ctx, entry = _app(settings, tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _open_captions(pilot, app)
            await pilot.press("w")
            await pilot_wait_until(pilot, lambda: app.screen.__class__.__name__ == "TextPrompt", "the prompt")
            app.screen.query_one("#prompt-input").value = "woord " * 30
            await pilot.press("enter")
            await pilot_wait_until(pilot, lambda: "✗" in text_of(app, "#cap-result"), "the refusal", 60)
            assert "past niet" in text_of(app, "#cap-result") and "\n" not in text_of(app, "#cap-result")
            assert stored.get_track(ctx.store, entry.id, "nl") == track_with_marks()
    finally:
        ctx.close()


async def test_the_queue_line_says_what_the_captions_wait_for(settings, tmp_path):
    """A job in the queue while a session is on air: the Archive screen says it waits, and why."""
    from studio.store import session as sessions

    app, ctx, entry = _app(settings, tmp_path)
    sessions.ensure_session(ctx.store, "2026-11-24-nl", "nl", "fietsdiefstal", "2026-11-24T19:00:00+01:00", True,
                            "scenes")
    sessions.record_step(ctx.store, "2026-11-24-nl", "on_air", "waiting")
    caption_jobs.enqueue(ctx.store, entry.id, "nl")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot_wait_until(pilot, lambda: "wachten tot de uitzending voorbij is" in text_of(
                app, "#ar-captions-queue"), "the queue's line")
            assert "sessie 2026-11-24-nl is bezig" in text_of(app, "#ar-captions-queue")
            assert caption_jobs.get(ctx.store, entry.id, "nl").state == "queued"  # nothing ran
    finally:
        ctx.close()


async def test_the_panel_makes_captions_in_the_background_with_progress(settings, whisper_model_dir,
                                                                        speech_recording, monkeypatch):
    """m on the Archive screen: the panel's queue hears the recording with the real model; the line on top
    shows the progress with the time left (the job is held after its first piece until the line was seen)."""
    import threading

    from studio.speech import transcribe
    from studio.usecases.archive import catalog

    monkeypatch.setattr(transcribe, "PIECE_SECONDS", 6.0)
    seen_progress = threading.Event()
    real_save = caption_jobs.save_checkpoint

    def held(store, entry_id, lang, checkpoint):
        real_save(store, entry_id, lang, checkpoint)
        seen_progress.wait(60)

    monkeypatch.setattr(caption_jobs, "save_checkpoint", held)
    settings.captions.model = str(whisper_model_dir)
    settings.youtube.rehearsal = "yes"
    ctx = Studio(settings, obs=FakeObs(connected_snapshot()))
    entry = catalog.add_recording(ctx.store, [speech_recording], None)
    app = StudioApp(ctx, clock=lambda: 1000.0, stats_interval=0.05, screens=[ARCHIVE])
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot_wait_until(pilot, lambda: len(getattr(app.screen, "entries", [])) == 1, "the entry")
            assert "nog niet gemaakt" in text_of(app, "#ar-details")
            await pilot.press("m")
            await pilot_wait_until(pilot, lambda: "in de wachtrij" in text_of(app, "#ar-result"), "queued")
            def progress_line() -> str:
                line = text_of(app, "#ar-captions-queue")
                return line if "nog ca." in line or "bijna klaar" in line else ""  # with the time left

            line = await pilot_wait_until(pilot, progress_line, "the progress line with the time left", 120)
            assert line.startswith(f"Ondertitels #{entry.id} (nl) worden gemaakt: ") and "%" in line
            assert not line.startswith(f"Ondertitels #{entry.id} (nl) worden gemaakt: 0%")
            seen_progress.set()
            await pilot_wait_until(pilot, lambda: caption_jobs.get(ctx.store, entry.id, "nl").state == "done",
                                   "the captions made", 120)
            await pilot.press("r")  # refresh the list
            await pilot_wait_until(pilot, lambda: "om na te kijken" in text_of(app, "#ar-details"),
                                   "the entry with its captions")
            await pilot_wait_until(pilot, lambda: not app.screen.query_one("#ar-captions-queue").display,
                                   "the line gone when there is nothing to do")
    finally:
        seen_progress.set()
        ctx.close()
