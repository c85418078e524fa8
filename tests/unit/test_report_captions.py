"""The session report links each question on air to what the officer said while its card was on (from the caption
track), with personal details scrubbed, and says how the captions were published."""

from __future__ import annotations

from studio.domain.caption_track import make_track
from studio.domain.captions import Cue
from studio.domain.questions import Source as QuestionSource
from studio.store import captions as stored
from studio.store import session as sessions
from studio.store.archive import Source, add_entry
from studio.store.questions import QuestionBook
from studio.usecases.archive import report

SESSION = "2026-11-24-nl"
T0 = 1_795_543_200.0  # 2026-11-24 19:00 in Heerlen: the session's start


def _show(store):
    sessions.ensure_session(store, SESSION, "nl", "fietsendiefstal", "2026-11-24T19:00:00+01:00", False, "scenes")
    sessions.update_session(store, SESSION, live_since=T0 + 5.0, record_started_at=T0)
    entry = add_entry(store, session_id=SESSION, session_date="2026-11-24", topic="fietsendiefstal", lang="nl",
                      title="T", sources=[Source(0, "/opnames/a.mkv", 10, "a" * 64, 600.0)], truncated=False,
                      record_started_at=T0)
    book = QuestionBook(store)
    questions = []
    for at, end, text in [(60.0, 90.0, "Hoe registreer ik mijn fiets?"), (200.0, None, "Helpt een tweede slot?"),
                          (400.0, 420.0, "Wat doe ik bij inbraak?")]:
        q = book.add_manual(text, QuestionSource.PHONE, session_id=SESSION)
        store.execute("UPDATE questions SET received_at = ? WHERE id = ?", (T0 + at - 30.0, q.id))
        store.execute("INSERT INTO question_airings (question_id, started_at, ended_at, record_start_ms, aired_text)"
                      " VALUES (?, ?, ?, ?, ?)", (q.id, T0 + at, None if end is None else T0 + end, int(at * 1000),
                                                  text))
        questions.append(q)
    return entry


def test_answers_come_from_the_transcript_between_the_card_on_and_off_air(store, publication_scrub):
    entry = _show(store)
    cues = [Cue(55.0, 61.0, ("Dan de eerste vraag.",)),
            Cue(62.0, 68.0, ("Registreren doet u bij de gemeente,",)),
            Cue(69.0, 75.0, ("bel daarvoor 06 12345678.",)),
            Cue(95.0, 99.0, ("Dan iets anders.",)),
            Cue(201.0, 206.0, ("Ja, twee sloten helpen echt,",)),
            Cue(207.0, 211.0, ("zegt ook Piet de Vries.",))]

    def finder(text: str):  # what the privacy filter would find in what was said
        return [name for name in ("Piet de Vries",) if name in text]

    stored.save_track(store, entry.id, make_track(cues, "nl", model="base", finder=finder))
    md = report.to_markdown(report.build(store, SESSION, publication_scrub))
    part = md.split("## Antwoorden op vragen in beeld", 1)[1]
    first, second, third = (block for block in part.split("\n- **")[1:4])
    assert "Hoe registreer ik mijn fiets?" in first
    assert "Dan de eerste vraag. Registreren doet u bij de gemeente, bel daarvoor \\[telefoonnummer\\]" in first
    assert "Dan iets anders" not in first
    assert "12345678" not in md  # the report's privacy scrub holds for what was said too
    assert "(ondertitels nog niet nagekeken)" in first
    assert "twee sloten helpen echt" in second  # a card that never went off air: the next two minutes
    assert "Piet" not in md and "Vries" not in md and "zegt ook \\[weggelaten\\]" in second  # a name said aloud
    assert "er werd niets gezegd" in third
    refs = [line.split("(", 1)[1].split(")", 1)[0] for line in part.splitlines() if line.startswith("- **")]
    assert all(ref.startswith("V") for ref in refs)  # the question's reference in the report's table
    for ref in refs:
        assert f"| {ref} |" in md
    assert f"- #{entry.id} (nl): 6 ondertitels, niet nagekeken" in md


def test_without_captions_the_report_says_so(store, publication_scrub):
    entry = _show(store)
    md = report.to_markdown(report.build(store, SESSION, publication_scrub))
    assert "Antwoord: nog geen ondertitels van deze opname." in md
    assert f"- #{entry.id}: geen ondertitels" in md


def test_captions_that_could_not_be_made_are_named_in_the_report(store, publication_scrub):
    """Found on a rehearsal evening: the Archive screen said the captions failed, the report only 'geen
    ondertitels'. Staff reading the report must know they still have to be made (without the job's details,
    which may name folders of the studio PC)."""
    from studio.store import caption_jobs

    entry = _show(store)
    caption_jobs.enqueue(store, entry.id, "nl")
    md = report.to_markdown(report.build(store, SESSION, publication_scrub))
    assert f"- #{entry.id}: geen ondertitels (in de wachtrij)" in md
    caption_jobs.start(store, entry.id, "nl")
    caption_jobs.finish(store, entry.id, "nl", "failed", "spraakmodel 'small' staat niet op deze pc (/data/models)")
    md = report.to_markdown(report.build(store, SESSION, publication_scrub))
    assert f"- #{entry.id}: geen ondertitels (maken niet gelukt: zie het Archief-scherm)" in md
    assert "/data/models" not in md
