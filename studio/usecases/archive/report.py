"""The session report: Markdown for people, CSV for spreadsheets.

What it holds: the session (date, topic, language), airtime, the questions asked, answered, forwarded
(with the forwarding notes for colleagues), parked and rejected, and the stream-health incidents.
Anonymised: no author names or channels are stored anyway; question texts and notes pass the privacy filter
as texts for publication (studio.usecases.privacy: names, addresses, numbers and everything else it finds,
uncertain findings too, and the moderator's masks), and the question ids in the report are not the database
ids. When the filter cannot scrub a text, the whole text is left out (the header says how many).
Chat text is hostile: in Markdown every special character is escaped, in CSV a leading = + - @ is defused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.domain import labels
from studio.domain.sanitize import clean_chat_text
from studio.files import write_atomic
from studio.store import Store
from studio.store import archive as repo
from studio.usecases.archive.catalog import ArchiveError

if TYPE_CHECKING:
    from studio.usecases.privacy import TextScrub

WINDOW_BEFORE = 2 * 3600.0  # questions can arrive before the show (announcement in the chat)
WINDOW_AFTER = 2 * 3600.0

@dataclass
class QuestionLine:
    ref: str
    state: str
    received: str
    aired: list[str]
    text: str
    note: str
    count: int
    source: str


@dataclass
class SessionReport:
    session_id: str
    date: str
    topic: str
    lang: str
    airtime_seconds: float | None
    questions: list[QuestionLine] = field(default_factory=list)
    incidents: list[tuple[str, str]] = field(default_factory=list)  # (time, what)
    recordings: list[str] = field(default_factory=list)
    hidden_whole: int = 0  # texts left out whole: the privacy filter could not scrub them

    def count(self, state: str) -> int:
        return sum(1 for q in self.questions if q.state == state)


def _hhmm(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().strftime("%H:%M:%S")


def build(store: Store, session_id: str, scrub: TextScrub) -> SessionReport:
    from studio.store import session as sessions

    row = sessions.get_session(store, session_id)
    entries = repo.list_entries(store, session_id)
    if row is None and not entries:
        raise ArchiveError(f"sessie {session_id} is onbekend", "zie 'studio archive list' voor sessies")
    row = row or {}
    starts = _parse(row.get("starts_at")) or (entries[0].record_started_at if entries else None) or 0.0
    live = row.get("live_since")
    marks = repo.marks(store, session_id)
    end = _show_end(marks, row, entries)
    lang = str(row.get("lang") or (entries[0].lang if entries else "nl"))
    report = SessionReport(session_id, (row.get("starts_at") or (entries[0].session_date if entries else ""))[:10],
                           str(row.get("topic") or (entries[0].topic if entries else "")), lang,
                           (end - float(live)) if live and end else None)
    report.recordings = [f"#{e.id} {labels.file_name(e.original_path)} ({e.state})" for e in entries]
    lo, hi = float(starts) - WINDOW_BEFORE, (end or float(starts) + 3600) + WINDOW_AFTER
    before = scrub.hidden_whole
    report.questions = _questions(store, lo, hi, lang, session_id, scrub)
    report.hidden_whole = scrub.hidden_whole - before
    report.incidents = [(_hhmm(m["at"]), f"{m['name']}" + (f": {m['detail']}" if m["detail"] else ""))
                        for m in marks if m["kind"] == "incident"]
    for a in store.query("SELECT at, action, result FROM audit_log WHERE at BETWEEN ? AND ? AND result != 'ok'"
                         " AND (action LIKE 'stream%' OR action LIKE 'obs%' OR action LIKE 'broadcast%'"
                         " OR action LIKE 'record%') ORDER BY at", (lo, hi)):
        report.incidents.append((_hhmm(a["at"]), f"{a['action']}: {a['result']}"))
    report.incidents.sort()
    return report


def _parse(value: Any) -> float | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        return None


def _show_end(marks: list[dict[str, Any]], row: dict[str, Any], entries: list[repo.Entry]) -> float | None:
    from studio.domain import scenes

    ends = [m["at"] for m in marks if m["kind"] == "scene" and m["name"] == scenes.SCENE_END]
    if ends:
        return float(ends[-1])
    for e in entries:
        if e.record_started_at:
            return e.record_started_at + e.duration
    return None


def _questions(store: Store, lo: float, hi: float, lang: str, session_id: str,
               scrub: TextScrub) -> list[QuestionLine]:
    from studio.store import redactions

    try:
        rows = store.query("SELECT id, source, text, edited_text, lang, state, note, count, received_at"
                           " FROM questions WHERE received_at BETWEEN ? AND ? AND state != 'merged'"
                           " ORDER BY received_at", (lo, hi))
        airings = store.query("SELECT question_id, started_at FROM question_airings WHERE started_at BETWEEN ? AND ?",
                              (lo, hi))
    except Exception:  # no questions tables in this database
        return []
    aired: dict[str, list[str]] = {}
    for a in airings:
        aired.setdefault(a["question_id"], []).append(_hhmm(a["started_at"]))
    # The text as the moderator saw it (the masks' offsets are into it), with the moderator's masks.
    sources = {r["id"]: _source(r) for r in rows}
    decided = redactions.decisions_for(store, sources)
    out = []
    for i, r in enumerate(rows, 1):
        q_lang = r["lang"] or lang
        masks = decided[r["id"]].masks if r["id"] in decided else ()
        salt = hashlib.sha256(f"{session_id}:{r['id']}".encode()).hexdigest()[:6]
        out.append(QuestionLine(
            ref=f"V{i:03d}-{salt}", state=str(r["state"]), received=_hhmm(r["received_at"]),
            aired=aired.get(r["id"], []), text=" ".join(scrub(sources[r["id"]], q_lang, masks).split()),
            note=" ".join(scrub(" ".join(str(r["note"] or "").split()), q_lang).split()),
            count=int(r["count"] or 1), source=str(r["source"]),
        ))
    return out


def _source(row: Any) -> str:
    text = row["edited_text"] if row["edited_text"] is not None else row["text"]
    return clean_chat_text(str(text)) if text else ""


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def csv_safe(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ (or tab/CR) as formulas: defuse them."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _airtime(seconds: float | None) -> str:
    return "0:00:00" if seconds == 0 else labels.duration(seconds, unknown="onbekend")


def to_markdown(r: SessionReport) -> str:
    lines = [
        f"# Sessieverslag {md_escape(r.session_id)}",
        "",
        f"- Datum: {r.date}",
        f"- Onderwerp: {md_escape(r.topic or 'onbekend')}",
        f"- Taal: {'Arabisch' if r.lang == 'ar' else 'Nederlands'}",
        f"- Zendtijd: {_airtime(r.airtime_seconds)}",
        f"- Vragen gesteld: {len(r.questions)} (berichten: {sum(q.count for q in r.questions)})",
        f"- Beantwoord: {r.count('answered')}, doorgestuurd: {r.count('forwarded')}, "
        f"geparkeerd: {r.count('parked')}, afgewezen: {r.count('rejected')}, open: "
        f"{r.count('new') + r.count('shortlisted')}",
        "",
        "Vragen zijn geanonimiseerd: geen afzenders of kanalen; namen, adressen, telefoonnummers, e-mail, "
        "postcodes, kentekens en andere persoonsgegevens zijn vervangen door een aanduiding zoals [naam].",
        *([f"LET OP: de privacyfilter kon {r.hidden_whole} tekst(en) niet controleren; die zijn helemaal "
           "weggelaten."] if r.hidden_whole else []),
        "",
        "## Doorgestuurd naar collega's",
        "",
    ]
    forwarded = [q for q in r.questions if q.state == "forwarded"]
    lines += [f"- **{q.ref}** ({q.received}): {md_escape(q.text)}  \n  Notitie: {md_escape(q.note or '—')}"
              for q in forwarded] or ["Geen."]
    lines += ["", "## Alle vragen", "", "| Ref | Binnen | In beeld | Status | Vraag |", "|---|---|---|---|---|"]
    lines += [f"| {q.ref} | {q.received} | {', '.join(q.aired) or '—'} | {labels.REPORTED_QUESTION_STATES.get(q.state, q.state)} | "
              f"{md_escape(q.text)} |" for q in r.questions]
    lines += ["", "## Storingen tijdens de uitzending", ""]
    lines += [f"- {t}: {md_escape(what)}" for t, what in r.incidents] or ["Geen gemeld."]
    lines += ["", "## Opnamen", ""]
    lines += [f"- {md_escape(x)}" for x in r.recordings] or ["Geen."]
    return "\n".join(lines) + "\n"


def to_csv(r: SessionReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["sessie", "ref", "bron", "binnen", "in_beeld", "status", "aantal", "vraag", "notitie"])
    for q in r.questions:
        w.writerow([r.session_id, q.ref, q.source, q.received, " ".join(q.aired), labels.REPORTED_QUESTION_STATES.get(q.state, q.state),
                    q.count, csv_safe(q.text), csv_safe(q.note)])
    return buf.getvalue()


def write(store: Store, session_id: str, folder: Path, scrub: TextScrub) -> tuple[Path, Path]:
    """Write <folder>/verslag-<session>.md and .csv atomically; return both paths."""
    r = build(store, session_id, scrub)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", session_id)
    md, cs = folder / f"verslag-{safe}.md", folder / f"verslag-{safe}.csv"
    try:
        write_atomic(md, to_markdown(r))
        write_atomic(cs, to_csv(r))
    except OSError as exc:
        raise ArchiveError(f"kan het verslag niet schrijven in {folder}: {exc.strerror or exc}",
                           "kies met --out een map waarin u mag schrijven") from None
    store.audit("archive.report", {"session": session_id, "questions": len(r.questions)})
    return md, cs
