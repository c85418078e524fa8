"""The session report: Dutch prose in Markdown for people, CSV for spreadsheets.

What it counts, from the questions stored with the session (never guessed by time): asked (and the messages
they stand for), shortlisted, on air (with the time on air), answered, forwarded (with the notes for
colleagues), parked, rejected, still open; urgent questions and how each was handled (the canned reply in the
chat, on air, forwarded...). Also the airtime of the broadcast, the stream-health incidents and the recordings.
Questions that migration 0008 could only place in this session by their time are counted and said so.
Anonymised: no author names or channels are stored anyway; question texts and notes pass the privacy filter
as texts for publication (studio.usecases.privacy: names, addresses, numbers and everything else it finds,
uncertain findings too, and the moderator's masks), and the question ids in the report are not the database
ids. When the filter cannot scrub a text, the whole text is left out (the header says how many).
Chat text is hostile: in Markdown the characters that make links, emphasis, HTML or table cells are escaped
(our own words, dates and ids are left as they are), in CSV a leading = + - @ is defused.
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
    shortlisted: bool = False
    on_air_seconds: float = 0.0
    urgent: bool = False
    reply: str = ""  # the canned reply given in the chat ('1/nl'), '' for none
    placed_by_time: bool = False  # migration 0008 placed it in this session by its time


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
    starts_at: str = ""  # ISO 8601, when known
    removed: int = 0  # questions taken out because the chat deleted them or banned their author
    canned: dict[str, str] = field(default_factory=dict)  # reply key -> its text
    hidden_whole: int = 0  # texts left out whole: the privacy filter could not scrub them
    captions: list[str] = field(default_factory=list)  # Markdown: answers from the captions (report_captions)

    def count(self, state: str) -> int:
        return sum(1 for q in self.questions if q.state == state)

    @property
    def shortlisted(self) -> int:
        return sum(1 for q in self.questions if q.shortlisted)

    @property
    def on_air(self) -> int:
        return sum(1 for q in self.questions if q.aired)

    @property
    def on_air_seconds(self) -> float:
        return sum(q.on_air_seconds for q in self.questions)

    @property
    def urgent(self) -> list[QuestionLine]:
        return [q for q in self.questions if q.urgent]


def _hhmm(ts: float) -> str:
    return datetime.fromtimestamp(ts).astimezone().strftime("%H:%M:%S")


def build(store: Store, session_id: str, scrub: TextScrub, canned: dict[str, str] | None = None) -> SessionReport:
    """The report of one session; ``scrub``: the privacy filter for publication; ``canned``: the canned
    replies by key, to name the ones given."""
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
                           (end - float(live)) if live and end else None, starts_at=str(row.get("starts_at") or ""),
                           canned=dict(canned or {}))
    report.recordings = [f"archiefnummer {e.id}: {md_escape(labels.recording_files(e.original_path, len(e.sources)))} "
                         f"({labels.archive_state(e.state, e.truncated)})" for e in entries]
    lo, hi = float(starts) - WINDOW_BEFORE, (end or float(starts) + 3600) + WINDOW_AFTER
    before = scrub.hidden_whole
    report.questions, report.removed = _questions(store, lang, session_id, scrub)
    report.hidden_whole = scrub.hidden_whole - before
    report.incidents = [(_hhmm(m["at"]), f"{m['name']}" + (f": {m['detail']}" if m["detail"] else ""))
                        for m in marks if m["kind"] == "incident"]
    for a in store.query("SELECT at, action, result FROM audit_log WHERE at BETWEEN ? AND ? AND result != 'ok'"
                         " AND (action LIKE 'stream%' OR action LIKE 'obs%' OR action LIKE 'broadcast%'"
                         " OR action LIKE 'record%') ORDER BY at", (lo, hi)):
        report.incidents.append((_hhmm(a["at"]), f"{a['action']}: {a['result']}"))
    report.incidents.sort()
    from studio.usecases.archive import report_captions

    report.captions = report_captions.markdown(store, session_id, report.questions, scrub, md_escape)
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


def _questions(store: Store, lang: str, session_id: str, scrub: TextScrub) -> tuple[list[QuestionLine], int]:
    """The session's questions (stored with it), and how many the chat removed."""
    from studio.store import redactions
    from studio.store.questions import QuestionBook

    found = QuestionBook(store).session_questions(session_id)
    # The text as the moderator saw it (the masks' offsets are into it), with the moderator's masks.
    sources = {q.id: clean_chat_text(q.display_text) if q.display_text else "" for q in found.questions}
    decided = redactions.decisions_for(store, sources)
    aired: dict[str, list[str]] = {}
    seconds: dict[str, float] = {}
    for a in found.airtimes:
        aired.setdefault(a.question_id, []).append(_hhmm(a.started_at))
        seconds[a.question_id] = seconds.get(a.question_id, 0.0) + (a.seconds or 0.0)
    out = []
    kept = [q for q in found.questions if q.state.value != "removed"]
    for i, q in enumerate(kept, 1):
        salt = hashlib.sha256(f"{session_id}:{q.id}".encode()).hexdigest()[:6]
        out.append(QuestionLine(
            ref=f"V{i:03d}-{salt}", state=q.state.value, received=_hhmm(q.received_at),
            aired=aired.get(q.id, []),
            text=" ".join(scrub(sources[q.id], q.lang or lang, decided[q.id].masks if q.id in decided else ()).split()),
            note=" ".join(scrub(" ".join(q.note.split()), q.lang or lang).split()), count=q.count,
            source=q.source.value,
            shortlisted=q.id in found.shortlisted or q.id in aired, on_air_seconds=seconds.get(q.id, 0.0),
            urgent=q.urgent, reply=q.reply, placed_by_time=found.sources.get(q.id) == "window",
        ))
    return out, len(found.questions) - len(kept)


_MD_INLINE = re.compile(r"([\\`*_{}\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")


def md_escape(text: str) -> str:
    """Chat text (or a topic) made inert in Markdown: no link, emphasis, HTML, code, table cell or heading can
    start in it. Only what Markdown reads is escaped, so ordinary text stays readable ("2026-12-01", "0900")."""
    text = _MD_INLINE.sub(r"\\\1", text)
    # a heading or list marker at the start is escaped; for '1.' after the digits (before them it would show)
    return _MD_LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) else
                                                      m.group(3) + "\\" + m.group(4)), text)


def csv_safe(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ (or tab/CR) as formulas: defuse them."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _airtime(seconds: float | None) -> str:
    return "0:00:00" if seconds == 0 else labels.duration(seconds, unknown="onbekend")


_DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def _when(r: SessionReport) -> str:
    try:
        at = datetime.fromisoformat(r.starts_at)
    except ValueError:
        return f"op {r.date}" if r.date else "op een onbekende datum"
    return f"op {_DAYS[at.weekday()]} {at.day} {_MONTHS[at.month - 1]} {at.year} om {at:%H:%M}"


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _reply_name(r: SessionReport, key: str) -> str:
    number = key.split("/", 1)[0]
    text = r.canned.get(key)
    return f"standaardantwoord {number}" + (f" (\u201c{md_escape(text)}\u201d)" if text else "")


def summary(r: SessionReport) -> list[str]:
    """The counts as Dutch sentences (paragraphs)."""
    asked = len(r.questions)
    messages = sum(q.count for q in r.questions)
    open_ = r.count("new") + r.count("shortlisted") + r.count("on_air")
    paragraphs = [
        f"Het spreekuur {_when(r)} was in het {'Arabisch' if r.lang == 'ar' else 'Nederlands'}, over "
        f"{md_escape(r.topic or 'een onbekend onderwerp')}. Zendtijd: {_airtime(r.airtime_seconds)}.",
        f"Er {'is' if asked == 1 else 'zijn'} {_n(asked, 'vraag', 'vragen')} gesteld"
        + (f" ({_n(messages, 'bericht', 'berichten')}: dubbele vragen zijn samengevoegd)" if messages != asked
           else "") + ". "
        f"{r.shortlisted} {'werd' if r.shortlisted == 1 else 'werden'} gekozen voor het scherm en "
        f"{r.on_air} {'kwam' if r.on_air == 1 else 'kwamen'} in beeld, samen {_airtime(r.on_air_seconds)} lang. "
        f"Beantwoord: {r.count('answered')}; doorgestuurd naar een collega (met notitie): {r.count('forwarded')}; "
        f"geparkeerd: {r.count('parked')}; afgewezen: {r.count('rejected')}; nog open: {open_}.",
    ]
    urgent = r.urgent
    if urgent:
        replies: dict[str, int] = {}
        for q in urgent:
            if q.reply:
                replies[q.reply] = replies.get(q.reply, 0) + 1
        ways = [f"{n} met {_reply_name(r, key)} in de chat" for key, n in sorted(replies.items())]
        aired = sum(1 for q in urgent if q.aired)
        if aired:
            ways.append(f"{aired} in beeld")
        forwarded = sum(1 for q in urgent if q.state == "forwarded")
        if forwarded:
            ways.append(f"{forwarded} doorgestuurd naar een collega")
        rejected = sum(1 for q in urgent if q.state == "rejected")
        if rejected:
            ways.append(f"{rejected} afgewezen")
        unanswered = sum(1 for q in urgent if not q.reply and not q.aired and q.state not in
                         ("answered", "forwarded", "rejected"))
        paragraphs.append(
            f"{_n(len(urgent), 'vraag was', 'vragen waren')} dringend. Zo zijn ze afgehandeld: "
            + (", ".join(ways) if ways else "geen enkele") + "; "
            + ("elke dringende vraag kreeg een reactie." if not unanswered else
               f"{_n(unanswered, 'dringende vraag bleef', 'dringende vragen bleven')} zonder reactie."))
    else:
        paragraphs.append("Er waren geen dringende vragen.")
    if r.removed:
        paragraphs.append(f"{_n(r.removed, 'bericht is', 'berichten zijn')} uit de chat verwijderd (door YouTube of "
                          "een moderator) en niet meegeteld.")
    by_time = sum(1 for q in r.questions if q.placed_by_time)
    if by_time:
        paragraphs.append(f"Let op: {_n(by_time, 'vraag is', 'vragen zijn')} van vóór de indeling per sessie; "
                          "die zijn bij deze sessie ingedeeld op het tijdstip waarop ze binnenkwamen.")
    return paragraphs


def to_markdown(r: SessionReport) -> str:
    lines = [f"# Sessieverslag {r.session_id}", ""]
    for paragraph in summary(r):
        lines += [paragraph, ""]
    lines += [
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
    lines += ["", "## Alle vragen", "", "| Ref | Binnen | In beeld | Status | Dringend | Vraag |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {q.ref} | {q.received} | {', '.join(q.aired) or '—'} | "
              f"{labels.REPORTED_QUESTION_STATES.get(q.state, q.state)} | {_urgent_word(q)} | {md_escape(q.text)} |"
              for q in r.questions]
    lines += ["", "## Storingen tijdens de uitzending", ""]
    lines += [f"- {t}: {md_escape(what)}" for t, what in r.incidents] or ["Geen gemeld."]
    lines += ["", "## Opnamen", ""]
    lines += [f"- {x}" for x in r.recordings] or ["Geen."]
    lines += r.captions
    return "\n".join(lines) + "\n"


def _urgent_word(q: QuestionLine) -> str:
    if not q.urgent:
        return "—"
    return "ja, antwoord " + q.reply.split("/", 1)[0] + " in de chat" if q.reply else "ja"


def to_csv(r: SessionReport) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["sessie", "ref", "bron", "binnen", "gekozen", "in_beeld", "seconden_in_beeld", "status", "dringend",
                "antwoord_in_chat", "aantal", "vraag", "notitie"])
    for q in r.questions:
        w.writerow([r.session_id, q.ref, q.source, q.received, "ja" if q.shortlisted else "nee", " ".join(q.aired),
                    round(q.on_air_seconds), labels.REPORTED_QUESTION_STATES.get(q.state, q.state),
                    "ja" if q.urgent else "nee", q.reply.split("/", 1)[0] if q.reply else "", q.count,
                    csv_safe(q.text), csv_safe(q.note)])
    return buf.getvalue()


def write(store: Store, session_id: str, folder: Path, scrub: TextScrub,
          canned: dict[str, str] | None = None) -> tuple[Path, Path]:
    """Write <folder>/verslag-<session>.md and .csv atomically; return both paths."""
    r = build(store, session_id, scrub, canned)
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
