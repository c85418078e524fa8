"""The question queue in SQLite: every change is a transaction that loads, applies the rules, writes back.

``QuestionBook`` is the one way in for the chat intake, the panel and the on-air use case. Each change
runs the pure rules of ``studio.domain.questions`` inside a write transaction, so two threads (chat intake
and the moderator) never lose each other's changes, and stores the question together with its events.

The chat intake stores a page of messages and the page token that follows it in the same transaction:
after a crash it asks for the same page again and the seen ids drop what it already has.

Cost does not grow with the queue: a change fetches only the questions it touches (``_Fetch``, the rules'
``QuestionSource``), and the screens follow the queue by its events (``changes(since)``: the questions touched
by events after the last one they saw), so a key press costs the same with 10 or 10,000 questions waiting.
Every change of a question writes an event; that is what the views follow.

Each question belongs to a session (``session_id``): a chat's questions to the session whose broadcast owns
that chat (``bind_chat``, else the broadcast record), questions added by hand to the session the caller names.

Why this file is longer than 400 lines: every change of the queue goes through ``QuestionBook``'s one
transaction pattern (load what it touches, apply the rules, write questions and events together); the
readers (views, changes, airings, chat position) share its SQL helpers at the bottom. Split, the pattern would
have to be repeated or exported, and a change that forgets its event would break every screen that follows it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from studio.domain.questions import OPEN_STATES, Question, QuestionEvent, Queue, QueueError, Source, State
from studio.errors import StudioError
from studio.store import Store


class QuestionError(StudioError):
    """A question action the rules do not allow (one Dutch line)."""


Op = Callable[[Queue, float], list[QuestionEvent]]


@dataclass(frozen=True)
class ChatPosition:
    live_chat_id: str
    page_token: str | None
    ended: bool
    polls: int


@dataclass
class PageOutcome:
    added: list[str] = field(default_factory=list)  # question ids
    duplicates: int = 0  # messages already seen
    removed: list[str] = field(default_factory=list)  # question ids taken out
    removed_on_air: str | None = None  # the removed question that was on air (take it off screen)


@dataclass(frozen=True)
class Airing:
    question_id: str
    started_at: float
    ended_at: float | None
    record_start_ms: int | None
    record_end_ms: int | None
    aired_text: str


@dataclass(frozen=True)
class Airtime:
    """One question's time on air (for the session report)."""

    question_id: str
    started_at: float
    seconds: float | None  # None while still on air (or never taken off)


@dataclass(frozen=True)
class SessionQuestions:
    """Everything the session report counts, read in one go."""

    questions: list[Question]  # merged duplicates left out (their kept question counts them)
    shortlisted: frozenset[str]  # ids ever chosen for the screen
    airtimes: list[Airtime]
    sources: dict[str, str]  # question id -> how its session was found ('live', 'chat', 'window')


def new_question_id() -> str:
    return secrets.token_hex(5)


_OPEN = tuple(s.value for s in OPEN_STATES)


class QuestionBook:
    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self._salt: str | None = None

    # -- privacy ----------------------------------------------------------------------------------
    def author_hash(self, channel_id: str) -> str:
        """A salted hash of a chat author's channel id; the salt never leaves this database."""
        if self._salt is None:
            salt = self.store.get_state("questions.author_salt")
            if not salt:
                salt = secrets.token_hex(16)
                self.store.set_state("questions.author_salt", salt)
            self._salt = str(salt)
        return hashlib.sha256(f"{self._salt}:{channel_id}".encode()).hexdigest()[:32]

    # -- reading ----------------------------------------------------------------------------------
    def queue(self, live_chat_id: str | None = None, *, session_id: str | None = None) -> Queue:
        """All questions; with ``session_id`` only that session's (and those belonging to no session); with
        ``live_chat_id`` only that chat's and those added by hand. Loads every row it returns: the screens
        use ``view`` and ``changes`` instead."""
        if session_id is not None:
            return Queue(_load(self.store.query(
                "SELECT * FROM questions WHERE session_id = ? OR session_id IS NULL", (session_id,))))
        if live_chat_id is None:
            return Queue(_load(self.store.query("SELECT * FROM questions")))
        return Queue(_load(self.store.query(
            "SELECT * FROM questions WHERE live_chat_id = ? OR live_chat_id IS NULL", (live_chat_id,))))

    # -- views that follow the queue without reloading it ---------------------------------------------
    def last_event_id(self) -> int:
        """The newest event's id: a view that saw it has seen every change up to now."""
        row = self.store.query_one("SELECT COALESCE(MAX(id), 0) AS m FROM question_events")
        return int(row["m"]) if row else 0

    def view(self, session_id: str | None, *, include_closed: bool = False,
             limit: int | None = None) -> tuple[list[Question], int]:
        """A screen's first load: the session's questions (None: every session's) in the screen's order (on air,
        then urgent, then oldest), the first ``limit`` of them, with the event id to follow changes from.
        Merged and removed questions are left out."""
        with self.store.transaction() as db:  # the rows and the event id from one moment
            last = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM question_events").fetchone()[0])
            where, args = _scope(session_id)
            states = _states(include_closed)
            rows = db.execute(f"SELECT * FROM questions WHERE ({where}) AND state IN ({_marks(states)})"
                              " ORDER BY state = 'on_air' DESC, urgent DESC, received_at, id LIMIT ?",
                              (*args, *states, -1 if limit is None else limit)).fetchall()
        return _load(rows), last

    def count(self, session_id: str | None, *, include_closed: bool = False) -> int:
        """How many questions ``view`` would show without a limit (an indexed count)."""
        where, args = _scope(session_id)
        states = _states(include_closed)
        row = self.store.query_one(f"SELECT COUNT(*) FROM questions WHERE ({where}) AND state IN ({_marks(states)})",
                                   (*args, *states))
        return int(row[0]) if row else 0

    def changes(self, since: int, session_id: str | None) -> tuple[list[Question], int]:
        """The session's questions touched by events after ``since`` (every state: the view drops what left),
        and the newest event id. Costs what changed, not what is queued."""
        with self.store.transaction() as db:
            last = int(db.execute("SELECT COALESCE(MAX(id), 0) FROM question_events").fetchone()[0])
            if last <= since:
                return [], last
            where, args = _scope(session_id)
            rows = db.execute(
                f"SELECT * FROM questions WHERE id IN (SELECT question_id FROM question_events WHERE id > ?"
                f" AND id <= ?) AND ({where})", (since, last, *args)).fetchall()
        return _load(rows), last

    def top(self, session_id: str | None, limit: int = 8) -> list[Question]:
        """The first open questions in the rules' order (the Spreekuur screen's short list)."""
        where, args = _scope(session_id)
        rows = self.store.query(
            f"SELECT * FROM questions WHERE ({where}) AND state IN ({_marks(_OPEN)})"
            " ORDER BY state = 'on_air' DESC, urgent DESC, received_at, id LIMIT ?", (*args, *_OPEN, limit))
        return _load(rows)

    def next_shortlisted(self, session_id: str | None) -> Question | None:
        """The chosen question that airs next: urgent first, then the oldest."""
        where, args = _scope(session_id)
        row = self.store.query_one(
            f"SELECT * FROM questions WHERE ({where}) AND state = 'shortlisted'"
            " ORDER BY urgent DESC, received_at, id LIMIT 1", args)
        return None if row is None else _row_to_question(row)

    # -- sessions -------------------------------------------------------------------------------------
    def bind_chat(self, live_chat_id: str, session_id: str) -> None:
        """This live chat is that session's: its questions are stored with the session from now on."""
        now = self.clock()
        self.store.execute(
            "INSERT INTO chat_position (live_chat_id, page_token, ended, polls, started_at, updated_at, session_id)"
            " VALUES (?, NULL, 0, 0, ?, ?, ?) ON CONFLICT(live_chat_id) DO UPDATE SET"
            " session_id = excluded.session_id", (live_chat_id, now, now, session_id))

    def session_for_chat(self, live_chat_id: str) -> str | None:
        return _session_for_chat(self.store.query_one, live_chat_id)

    def session_questions(self, session_id: str) -> SessionQuestions:
        """The session's questions, which were ever shortlisted, and their time on air."""
        with self.store.transaction() as db:
            rows = db.execute("SELECT * FROM questions WHERE session_id = ? AND state != 'merged'"
                              " ORDER BY received_at, id", (session_id,)).fetchall()
            chosen = db.execute(
                "SELECT DISTINCT e.question_id FROM question_events e JOIN questions q ON q.id = e.question_id"
                " WHERE q.session_id = ? AND e.to_state IN ('shortlisted', 'on_air')", (session_id,)).fetchall()
            aired = db.execute(
                "SELECT a.question_id, a.started_at, a.ended_at FROM question_airings a"
                " JOIN questions q ON q.id = a.question_id WHERE q.session_id = ? ORDER BY a.started_at",
                (session_id,)).fetchall()
        return SessionQuestions(
            _load(rows), frozenset(r[0] for r in chosen),
            [Airtime(r[0], float(r[1]), None if r[2] is None else max(0.0, float(r[2]) - float(r[1])))
             for r in aired],
            {r["id"]: str(r["session_source"]) for r in rows})

    def get(self, qid: str) -> Question:
        row = self.store.query_one("SELECT * FROM questions WHERE id = ?", (qid,))
        if row is None:
            raise QuestionError(f"vraag {qid} bestaat niet (meer)")
        return _row_to_question(row)

    def on_air(self) -> Question | None:
        row = self.store.query_one("SELECT * FROM questions WHERE state = ?", (State.ON_AIR.value,))
        return None if row is None else _row_to_question(row)

    def events(self, qid: str) -> list[QuestionEvent]:
        rows = self.store.query("SELECT * FROM question_events WHERE question_id = ? ORDER BY id", (qid,))
        return [
            QuestionEvent(r["question_id"], r["at"], r["kind"],
                          State(r["from_state"]) if r["from_state"] else None,
                          State(r["to_state"]) if r["to_state"] else None,
                          json.loads(r["detail"]))
            for r in rows
        ]

    def version(self) -> tuple[int, int]:
        """Changes whenever the queue changes: lets a screen skip redrawing an unchanged queue."""
        return 0, self.last_event_id()

    # -- changing ---------------------------------------------------------------------------------
    def apply(self, op: Op, action: str = "", params: dict[str, Any] | None = None,
              then: Callable[[sqlite3.Connection, list[QuestionEvent]], None] | None = None) -> list[QuestionEvent]:
        """Run one change of the rules in a transaction; QueueError becomes a QuestionError. ``then`` runs in
        the same transaction after the change is written (what must change with it, all or nothing)."""
        now = self.clock()
        with self.store.transaction() as db:
            queue = Queue(source=_Fetch(db))  # only what the change touches is read
            try:
                events = op(queue, now)
            except QueueError as exc:
                raise QuestionError(str(exc)) from None
            _persist(db, queue.changed_since(events), events)
            if then is not None:
                then(db, events)
        if action:
            self.store.audit(action, params or {}, "ok")
        return events

    def add_manual(self, text: str, source: Source, lang: str | None = None, urgent: bool | None = None,
                   session_id: str | None = None) -> Question:
        """A question sent in advance (social media) or by phone, for ``session_id``; text made safe and checked
        for urgency."""
        from studio.domain.questions import detect_lang
        from studio.domain.sanitize import clean_chat_text
        from studio.domain.urgency import is_urgent

        if source is Source.CHAT:
            raise QuestionError("een vraag met de hand komt van sociale media of de telefoon")
        text = clean_chat_text(text).strip()
        if not text:
            raise QuestionError("de vraag mag niet leeg zijn")
        q = Question(id=new_question_id(), text=text, received_at=self.clock(), source=source,
                     lang=lang or detect_lang(text), urgent=is_urgent(text) if urgent is None else urgent,
                     session_id=session_id)
        self.apply(lambda queue, now: queue.add(q, now), "question.add",
                   {"id": q.id, "source": source.value, "lang": q.lang, "session": session_id})
        return self.get(q.id)

    def shortlist(self, qid: str) -> None:
        self.apply(lambda q, now: q.shortlist(qid, now), "question.shortlist", {"id": qid})

    def move(self, qid: str, to: State, note: str = "") -> None:
        self.apply(lambda q, now: q.move(qid, to, now, note=note), f"question.{to.value}", {"id": qid})

    def forward(self, qid: str, note: str) -> None:
        self.apply(lambda q, now: q.forward(qid, note, now), "question.forward", {"id": qid, "note": note})

    def reject(self, qid: str) -> None:
        self.move(qid, State.REJECTED)

    def park(self, qid: str) -> None:
        self.move(qid, State.PARKED)

    def edit(self, qid: str, text: str) -> None:
        """The original stays in the question row and its events; the audit log says that, and how long the
        texts are, never what they say. The moderator's masks and restores go with a changed text (their
        offsets no longer fit it), in the same transaction."""
        from studio.store import redactions

        before = self.get(qid)
        params: dict[str, Any] = {"id": qid, "chars_before": len(before.display_text), "chars_after": len(text),
                                  "decisions_cleared": 0}

        def clear_decisions(db: sqlite3.Connection, events: list[QuestionEvent]) -> None:
            if events:
                params["decisions_cleared"] = redactions.clear(db, qid)

        self.apply(lambda q, now: q.edit(qid, text, now), "question.edit", params, then=clear_decisions)

    def merge(self, keep_id: str, duplicate_id: str) -> None:
        self.apply(lambda q, now: q.merge(keep_id, duplicate_id, now), "question.merge",
                   {"keep": keep_id, "duplicate": duplicate_id})

    def reply(self, qid: str, reply: str) -> None:
        """The moderator answered this question in the chat (``reply``: e.g. '112/ar'): handled."""
        self.apply(lambda q, now: q.reply(qid, reply, now), "question.reply", {"id": qid, "reply": reply})

    def mark_on_air(self, qid: str) -> list[QuestionEvent]:
        return self.apply(lambda q, now: q.put_on_air(qid, now), "question.on_air", {"id": qid})

    def mark_off_air(self, answered: bool) -> list[QuestionEvent]:
        return self.apply(lambda q, now: q.take_off_air(now, answered=answered), "question.off_air",
                          {"answered": answered})

    # -- airings (for chapters) -------------------------------------------------------------------
    def start_airing(self, qid: str, aired_text: str, record_ms: int | None) -> int:
        cur = self.store.execute(
            "INSERT INTO question_airings (question_id, started_at, record_start_ms, aired_text) "
            "VALUES (?, ?, ?, ?)", (qid, self.clock(), record_ms, aired_text))
        return int(cur.lastrowid or 0)

    def end_airing(self, record_ms: int | None) -> None:
        self.store.execute(
            "UPDATE question_airings SET ended_at = ?, record_end_ms = ? WHERE ended_at IS NULL",
            (self.clock(), record_ms))

    def airings(self, since: float = 0.0) -> list[Airing]:
        rows = self.store.query(
            "SELECT question_id, started_at, ended_at, record_start_ms, record_end_ms, aired_text "
            "FROM question_airings WHERE started_at >= ? ORDER BY started_at", (since,))
        return [Airing(**dict(r)) for r in rows]

    # -- chat intake ------------------------------------------------------------------------------
    def chat_position(self, live_chat_id: str) -> ChatPosition | None:
        row = self.store.query_one("SELECT * FROM chat_position WHERE live_chat_id = ?", (live_chat_id,))
        if row is None:
            return None
        return ChatPosition(row["live_chat_id"], row["page_token"], bool(row["ended"]), int(row["polls"]))

    def chat_started_at(self, live_chat_id: str) -> float | None:
        row = self.store.query_one("SELECT started_at FROM chat_position WHERE live_chat_id = ?", (live_chat_id,))
        return None if row is None else float(row["started_at"])

    def last_live_chat_id(self) -> str | None:
        row = self.store.query_one("SELECT live_chat_id FROM chat_position ORDER BY updated_at DESC LIMIT 1")
        return None if row is None else str(row["live_chat_id"])

    def record_page(
        self,
        live_chat_id: str,
        next_token: str | None,
        questions: Sequence[Question],
        seen_ids: Iterable[str],
        deleted_message_ids: Iterable[str] = (),
        banned_author_hashes: Iterable[str] = (),
        ended: bool = False,
        rounds: int = 1,
    ) -> PageOutcome:
        """Store one page of chat: new questions, removals, the seen ids and the next page token, atomically.

        ``rounds``: paid reads this page completes (1 for a poll or a stream connection's first message,
        0 for the later messages of the same connection): ``chat_position.polls`` counts them."""
        now = self.clock()
        out = PageOutcome()
        deleted, banned = list(deleted_message_ids), list(banned_author_hashes)
        with self.store.transaction() as db:
            queue = Queue(source=_Fetch(db))  # only what this page touches is read
            session_id = _session_for_chat(lambda sql, args: db.execute(sql, args).fetchone(), live_chat_id)
            events: list[QuestionEvent] = []
            fresh = {q.message_id for q in questions}
            for mid in seen_ids:
                if mid in fresh:
                    continue
                db.execute("INSERT OR IGNORE INTO chat_seen VALUES (?, ?, ?)", (mid, live_chat_id, now))
            for q in questions:
                assert q.message_id is not None
                cur = db.execute("INSERT OR IGNORE INTO chat_seen VALUES (?, ?, ?)",
                                 (q.message_id, live_chat_id, now))
                if cur.rowcount == 0 or queue.by_message(q.message_id) is not None:
                    out.duplicates += 1
                    continue
                if session_id is not None and q.session_id is None:
                    q = replace(q, session_id=session_id)
                events += queue.add(q, now)
                out.added.append(q.id)
            for qid in _victim_ids(db, deleted, banned):
                queue.get(qid)  # fetched, so that the loop below sees it
            victims = [q for q in queue if q.state is not State.REMOVED and (
                (q.message_id is not None and q.message_id in deleted)
                or (q.author_hash is not None and q.author_hash in banned))]
            for v in victims:
                if v.state is State.ON_AIR:
                    out.removed_on_air = v.id
                events += queue.remove(v.id, now, "deleted" if v.message_id in deleted else "banned")
                out.removed.append(v.id)
            _persist(db, queue.changed_since(events), events, live_chat_id)
            # Text of removed messages is not kept: wiping it is part of honouring a deletion.
            for qid in out.removed:
                db.execute("UPDATE questions SET text = '', edited_text = NULL WHERE id = ?", (qid,))
            db.execute(
                "INSERT INTO chat_position (live_chat_id, page_token, ended, polls, started_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(live_chat_id) DO UPDATE SET "
                "page_token = COALESCE(excluded.page_token, chat_position.page_token), "
                "ended = MAX(chat_position.ended, excluded.ended), polls = chat_position.polls + excluded.polls, "
                "updated_at = excluded.updated_at",
                (live_chat_id, next_token, int(ended), int(rounds), now, now))
        return out

    def seen(self, message_id: str) -> bool:
        return self.store.query_one("SELECT 1 FROM chat_seen WHERE message_id = ?", (message_id,)) is not None

    # -- retention --------------------------------------------------------------------------------
    def purge(self, retention_days: int) -> dict[str, int]:
        """Remove question text, history and seen chat ids older than the retention period."""
        cutoff = self.clock() - max(0, retention_days) * 86400.0
        with self.store.transaction() as db:
            q = db.execute("DELETE FROM questions WHERE received_at < ?", (cutoff,)).rowcount
            # Orphans: events/airings of questions already gone (foreign keys cascade; belt and braces).
            db.execute("DELETE FROM question_events WHERE question_id NOT IN (SELECT id FROM questions)")
            db.execute("DELETE FROM question_airings WHERE question_id NOT IN (SELECT id FROM questions)")
            s = db.execute("DELETE FROM chat_seen WHERE at < ?", (cutoff,)).rowcount
            p = db.execute("DELETE FROM chat_position WHERE updated_at < ?", (cutoff,)).rowcount
            # Forward notes are in the audit log (and edits were, with their texts, before issue 11): drop them.
            a = db.execute(
                "DELETE FROM audit_log WHERE at < ? AND action IN ('question.edit', 'question.forward')",
                (cutoff,)).rowcount
        return {"questions": q, "seen_ids": s, "chat_positions": p, "audit_entries": a}


class _Fetch:
    """The rules' ``QuestionSource`` inside one transaction: one indexed read per question a change needs."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def _one(self, sql: str, args: tuple[Any, ...]) -> Question | None:
        row = self._db.execute(sql, args).fetchone()
        return None if row is None else _row_to_question(row)

    def by_id(self, qid: str) -> Question | None:
        return self._one("SELECT * FROM questions WHERE id = ?", (qid,))

    def on_air(self) -> Question | None:
        return self._one("SELECT * FROM questions WHERE state = ? LIMIT 1", (State.ON_AIR.value,))

    def by_message(self, message_id: str) -> Question | None:
        return self._one("SELECT * FROM questions WHERE message_id = ?", (message_id,))


def _victim_ids(db: sqlite3.Connection, deleted: Sequence[str], banned: Sequence[str]) -> list[str]:
    """Questions whose chat message was deleted or whose author was banned (indexed lookups)."""
    ids: list[str] = []
    for column, values in (("message_id", deleted), ("author_hash", banned)):
        for i in range(0, len(values), 500):  # SQLite's limit on bound parameters
            chunk = tuple(values[i:i + 500])
            ids += [r[0] for r in db.execute(
                f"SELECT id FROM questions WHERE {column} IN ({_marks(chunk)}) AND state != 'removed'", chunk)]
    return ids


def _session_for_chat(query_one: Callable[[str, tuple[Any, ...]], Any], live_chat_id: str) -> str | None:
    """The session a live chat belongs to: bound when its intake started, else its broadcast's session."""
    row = query_one("SELECT session_id FROM chat_position WHERE live_chat_id = ? AND session_id IS NOT NULL",
                    (live_chat_id,))
    if row is None:
        row = query_one("SELECT session_key FROM youtube_broadcasts WHERE live_chat_id = ? AND live_chat_id != ''"
                        " ORDER BY updated_at DESC LIMIT 1", (live_chat_id,))
    return None if row is None else str(row[0])


def _scope(session_id: str | None) -> tuple[str, tuple[Any, ...]]:
    """SQL for 'this session's questions and those of no session' (None: every question)."""
    if session_id is None:
        return "1", ()
    return "session_id = ? OR session_id IS NULL", (session_id,)


def _states(include_closed: bool) -> tuple[str, ...]:
    if not include_closed:
        return _OPEN
    return tuple(s.value for s in State if s not in (State.MERGED, State.REMOVED))


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def _load(rows: Iterable[sqlite3.Row]) -> list[Question]:
    return [_row_to_question(r) for r in rows]


def _row_to_question(r: sqlite3.Row) -> Question:
    return Question(
        id=r["id"], text=r["text"], received_at=r["received_at"], source=Source(r["source"]), lang=r["lang"],
        urgent=bool(r["urgent"]), state=State(r["state"]), edited_text=r["edited_text"], note=r["note"],
        count=int(r["count"]), merged_into=r["merged_into"], message_id=r["message_id"],
        author_hash=r["author_hash"], updated_at=r["updated_at"], session_id=r["session_id"],
        replied_at=r["replied_at"], reply=r["reply"],
    )


def _persist(db: sqlite3.Connection, questions: Iterable[Question], events: Iterable[QuestionEvent],
             live_chat_id: str | None = None) -> None:
    for q in questions:
        db.execute(
            "INSERT INTO questions (id, source, text, edited_text, lang, urgent, state, note, count, merged_into, "
            "message_id, author_hash, live_chat_id, received_at, updated_at, session_id, replied_at, reply) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "edited_text = excluded.edited_text, urgent = excluded.urgent, state = excluded.state, "
            "note = excluded.note, count = excluded.count, merged_into = excluded.merged_into, "
            "updated_at = excluded.updated_at, replied_at = excluded.replied_at, reply = excluded.reply",
            (q.id, q.source.value, q.text, q.edited_text, q.lang, int(q.urgent), q.state.value, q.note, q.count,
             q.merged_into, q.message_id, q.author_hash, live_chat_id, q.received_at, q.updated_at, q.session_id,
             q.replied_at, q.reply))
    for e in events:
        db.execute(
            "INSERT INTO question_events (question_id, at, kind, from_state, to_state, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (e.question_id, e.at, e.kind, e.from_state.value if e.from_state else None,
             e.to_state.value if e.to_state else None, json.dumps(e.detail, ensure_ascii=False, default=str)))
