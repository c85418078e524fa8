"""The session report's captions part: what the officer answered to each question on air, and the captions.

For every question card that went on air during the session: the words of the caption track between the card
going on and going off air (``CaptionTrack.text_between`` on the recording's clock), next to the question's
reference and the time it aired (the report's "In beeld" column). A name said aloud must not end up in a file
others read: what the privacy filter found in those cues when the captions were made (their review marks) is
replaced by "[weggelaten]", and the text then passes the report's own scrub like the questions do. Then, per recording,
the state of its captions, and whether they went out unreviewed (``--unreviewed``) or not at all.

report.py calls ``markdown(...)`` once and appends its lines; nothing else of the report changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from studio.domain.caption_track import PERSONAL_DATA, CaptionTrack
from studio.domain.texts import privacy_marker
from studio.store import Store, caption_jobs
from studio.store import archive as repo
from studio.store import captions as stored

ANSWER_LIMIT = 600  # characters of an answer in the report; the transcript beside the recording has it all
OPEN_ENDED = 120.0  # seconds taken as the answer when a card never went off air (the show ended with it)


def _hhmm(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().strftime("%H:%M:%S")


def _airings(store: Store, entries: Sequence[repo.Entry]) -> list[dict[str, Any]]:
    spans = [(e.record_started_at, e.record_started_at + e.duration) for e in entries if e.record_started_at]
    if not spans:
        return []
    try:
        rows = store.query("SELECT question_id, started_at, ended_at, aired_text FROM question_airings "
                           "WHERE started_at BETWEEN ? AND ? ORDER BY started_at",
                           (min(a for a, _ in spans), max(b for _, b in spans)))
    except Exception:  # no questions tables in this database
        return []
    return [dict(r) for r in rows]


def said_between(track: CaptionTrack, start: float, end: float) -> str:
    """What was said from ``start`` to ``end`` with the personal details the privacy filter marked left out."""
    said = track.text_between(start, end)
    found = {w for c in track.cues if c.end > start and c.start < end
             for m in c.marks if m.reason == PERSONAL_DATA for w in m.words if w.strip()}
    for detail in sorted(found, key=len, reverse=True):  # "Jan Jansen" before "Jansen"
        said = said.replace(detail, privacy_marker("manual", track.language))
    return said


def _short(text: str) -> str:
    return text if len(text) <= ANSWER_LIMIT else text[:ANSWER_LIMIT].rsplit(" ", 1)[0] + " …"


def answers(store: Store, entries: Sequence[repo.Entry], refs: dict[str, str],
            scrub: Callable[[str, str], str], escape: Callable[[str], str]) -> list[str]:
    """Markdown lines: per airing, the question and what was said meanwhile. ``refs``: aired time -> the
    report's question reference."""
    out: list[str] = []
    for a in _airings(store, entries):
        start = float(a["started_at"])
        end = float(a["ended_at"]) if a["ended_at"] is not None else start + OPEN_ENDED
        entry = next((e for e in entries if e.record_started_at is not None
                      and e.record_started_at <= start <= e.record_started_at + e.duration), None)
        if entry is None or entry.record_started_at is None:
            continue
        zero = entry.record_started_at
        track = stored.get_track(store, entry.id, entry.lang if entry.lang in ("nl", "ar") else "nl")
        said = said_between(track, start - zero, end - zero) if track else ""
        when = _hhmm(start)
        ref = refs.get(when, "")
        question = escape(scrub(" ".join(str(a["aired_text"] or "").split()), entry.lang))
        out.append(f"- **{when}**{f' ({ref})' if ref else ''} {question}  ")
        if track is None:
            out.append("  Antwoord: nog geen ondertitels van deze opname.")
        elif not said:
            out.append("  Antwoord: er werd niets gezegd terwijl de vraag in beeld stond.")
        else:
            reviewed = "" if track.reviewed else " (ondertitels nog niet nagekeken)"
            out.append(f"  Antwoord{reviewed}: {escape(_short(scrub(said, entry.lang)))}")
    return out


def caption_states(store: Store, entries: Sequence[repo.Entry]) -> list[str]:
    out = []
    for e in entries:
        tracks = stored.tracks(store, e.id)
        if not tracks:
            job = caption_jobs.get(store, e.id, e.lang)
            why = {"failed": " (maken niet gelukt: zie het Archief-scherm)", "queued": " (in de wachtrij)",
                   "running": " (worden gemaakt)"}.get(job.state, "") if job is not None else ""
            published = " — GEPUBLICEERD ZONDER ONDERTITELS (--unreviewed)" if e.state == "published" else ""
            out.append(f"- #{e.id}: geen ondertitels{why}{published}")
            continue
        for t in tracks:
            state = "nagekeken" if t.reviewed else f"niet nagekeken ({len(t.to_check())} om na te kijken)"
            sent = stored.published(store, e.id, t.language)
            if sent is not None:
                state += "; gepubliceerd " + ("na nakijken" if sent.reviewed
                                              else "ZONDER NAKIJKEN (--unreviewed)")
            out.append(f"- #{e.id} ({t.language}): {len(t.cues)} ondertitels, {state}")
    return out


def markdown(store: Store, session_id: str, questions: Sequence[Any], scrub: Callable[[str, str], str],
             escape: Callable[[str], str]) -> list[str]:
    """The report's captions part (empty when the session has no recording)."""
    entries = repo.list_entries(store, session_id)
    if not entries:
        return []
    refs = {when: q.ref for q in questions for when in q.aired}
    said = answers(store, entries, refs, scrub, escape)
    lines = ["", "## Antwoorden op vragen in beeld", "",
             "Wat de wijkagent zei terwijl de vraag in beeld stond, uit de ondertitels (persoonsgegevens "
             "weggelaten). De volledige tekst staat naast de opname.", ""]
    lines += said or ["Geen vragen in beeld tijdens de opname."]
    lines += ["", "## Ondertitels", "", *caption_states(store, entries)]
    return lines
