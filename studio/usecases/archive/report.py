"""The session report: Markdown for people, CSV for spreadsheets.

What it holds: the session (date, topic, language), airtime, the questions asked, answered, forwarded
(with the forwarding notes for colleagues), parked and rejected, and the stream-health incidents.
Anonymised: no author names or channels are stored anyway; question texts pass the privacy scrubber again
(phone numbers, e-mail, postcodes, plates) and the question ids in the report are not the database ids.
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
from typing import Any

from studio.domain import labels
from studio.files import write_atomic
from studio.store import Store
from studio.store import archive as repo
from studio.usecases.archive.catalog import ArchiveError

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
    captions: list[str] = field(default_factory=list)  # Markdown: answers from the captions (report_captions)

    def count(self, state: str) -> int:
        return sum(1 for q in self.questions if q.state == state)


def _hhmm(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().strftime("%H:%M:%S")


def _scrub(text: str, lang: str) -> str:
    try:
        from studio.domain.privacy import scrub

        return scrub(text, lang).text
    except Exception:  # the scrubber must never cost us the report; redact digits as a floor
        return re.sub(r"\d{4,}", "[…]", text)


def build(store: Store, session_id: str) -> SessionReport:
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
    report.recordings = [f"#{e.id} {Path(e.original_path).name} ({e.state})" for e in entries]
    lo, hi = float(starts) - WINDOW_BEFORE, (end or float(starts) + 3600) + WINDOW_AFTER
    report.questions = _questions(store, lo, hi, lang, session_id)
    report.incidents = [(_hhmm(m["at"]), f"{m['name']}" + (f": {m['detail']}" if m["detail"] else ""))
                        for m in marks if m["kind"] == "incident"]
    for a in store.query("SELECT at, action, result FROM audit_log WHERE at BETWEEN ? AND ? AND result != 'ok'"
                         " AND (action LIKE 'stream%' OR action LIKE 'obs%' OR action LIKE 'broadcast%'"
                         " OR action LIKE 'record%') ORDER BY at", (lo, hi)):
        report.incidents.append((_hhmm(a["at"]), f"{a['action']}: {a['result']}"))
    report.incidents.sort()
    from studio.usecases.archive import report_captions

    report.captions = report_captions.markdown(store, session_id, report.questions, _scrub, md_escape)
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


def _questions(store: Store, lo: float, hi: float, lang: str, session_id: str) -> list[QuestionLine]:
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
    out = []
    for i, r in enumerate(rows, 1):
        text = r["edited_text"] if r["edited_text"] is not None else r["text"]
        salt = hashlib.sha256(f"{session_id}:{r['id']}".encode()).hexdigest()[:6]
        out.append(QuestionLine(
            ref=f"V{i:03d}-{salt}", state=str(r["state"]), received=_hhmm(r["received_at"]),
            aired=aired.get(r["id"], []), text=_scrub(" ".join(str(text).split()), r["lang"] or lang),
            note=_scrub(" ".join(str(r["note"] or "").split()), r["lang"] or lang), count=int(r["count"] or 1),
            source=str(r["source"]),
        ))
    return out


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
        "Vragen zijn geanonimiseerd: geen namen of kanalen; telefoonnummers, e-mail, postcodes en kentekens "
        "zijn weggelaten.",
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
    lines += r.captions
    return "\n".join(lines) + "\n"


def to_csv(r: SessionReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["sessie", "ref", "bron", "binnen", "in_beeld", "status", "aantal", "vraag", "notitie"])
    for q in r.questions:
        w.writerow([r.session_id, q.ref, q.source, q.received, " ".join(q.aired), labels.REPORTED_QUESTION_STATES.get(q.state, q.state),
                    q.count, csv_safe(q.text), csv_safe(q.note)])
    return buf.getvalue()


def write(store: Store, session_id: str, folder: Path) -> tuple[Path, Path]:
    """Write <folder>/verslag-<session>.md and .csv atomically; return both paths."""
    r = build(store, session_id)
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
