"""The question queue in SQLite: every change is a transaction that loads, applies the rules, writes back.

``QuestionBook`` is the one way in for the chat intake, the panel and the on-air use case. Each change
runs the pure rules of ``studio.domain.questions`` inside a write transaction, so two threads (chat intake
and the moderator) never lose each other's changes, and stores the question together with its events.

The chat intake stores a page of messages and the page token that follows it in the same transaction:
after a crash it asks for the same page again and the seen ids drop what it already has.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from studio.domain.questions import Question, QuestionEvent, Queue, QueueError, Source, State
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


def new_question_id() -> str:
    return secrets.token_hex(5)


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
    def queue(self, live_chat_id: str | None = None) -> Queue:
        """All questions; with ``live_chat_id`` only that session's chat and the questions added by hand
        (a second session of the evening does not show the first one's leftovers)."""
        if live_chat_id is None:
            return Queue(_load(self.store.query("SELECT * FROM questions")))
        return Queue(_load(self.store.query(
            "SELECT * FROM questions WHERE live_chat_id = ? OR live_chat_id IS NULL", (live_chat_id,))))

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
        row = self.store.query_one("SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM question_events")
        assert row is not None
        return int(row["n"]), int(row["m"])

    # -- changing ---------------------------------------------------------------------------------
    def apply(self, op: Op, action: str = "", params: dict[str, Any] | None = None,
              then: Callable[[sqlite3.Connection, list[QuestionEvent]], None] | None = None) -> list[QuestionEvent]:
        """Run one change of the rules in a transaction; QueueError becomes a QuestionError. ``then`` runs in
        the same transaction after the change is written (what must change with it, all or nothing)."""
        now = self.clock()
        with self.store.transaction() as db:
            queue = Queue(_load(db.execute("SELECT * FROM questions").fetchall()))
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

    def add_manual(self, text: str, source: Source, lang: str | None = None, urgent: bool | None = None) -> Question:
        """A question sent in advance (social media) or by phone; text made safe and checked for urgency."""
        from studio.domain.questions import detect_lang
        from studio.domain.sanitize import clean_chat_text
        from studio.domain.urgency import is_urgent

        if source is Source.CHAT:
            raise QuestionError("een vraag met de hand komt van sociale media of de telefoon")
        text = clean_chat_text(text).strip()
        if not text:
            raise QuestionError("de vraag mag niet leeg zijn")
        q = Question(id=new_question_id(), text=text, received_at=self.clock(), source=source,
                     lang=lang or detect_lang(text), urgent=is_urgent(text) if urgent is None else urgent)
        self.apply(lambda queue, now: queue.add(q, now), "question.add",
                   {"id": q.id, "source": source.value, "lang": q.lang})
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
            queue = Queue(_load(db.execute("SELECT * FROM questions").fetchall()))
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
                events += queue.add(q, now)
                out.added.append(q.id)
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


def _load(rows: Iterable[sqlite3.Row]) -> list[Question]:
    return [_row_to_question(r) for r in rows]


def _row_to_question(r: sqlite3.Row) -> Question:
    return Question(
        id=r["id"], text=r["text"], received_at=r["received_at"], source=Source(r["source"]), lang=r["lang"],
        urgent=bool(r["urgent"]), state=State(r["state"]), edited_text=r["edited_text"], note=r["note"],
        count=int(r["count"]), merged_into=r["merged_into"], message_id=r["message_id"],
        author_hash=r["author_hash"], updated_at=r["updated_at"],
    )


def _persist(db: sqlite3.Connection, questions: Iterable[Question], events: Iterable[QuestionEvent],
             live_chat_id: str | None = None) -> None:
    for q in questions:
        db.execute(
            "INSERT INTO questions (id, source, text, edited_text, lang, urgent, state, note, count, merged_into, "
            "message_id, author_hash, live_chat_id, received_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "edited_text = excluded.edited_text, urgent = excluded.urgent, state = excluded.state, "
            "note = excluded.note, count = excluded.count, merged_into = excluded.merged_into, "
            "updated_at = excluded.updated_at",
            (q.id, q.source.value, q.text, q.edited_text, q.lang, int(q.urgent), q.state.value, q.note, q.count,
             q.merged_into, q.message_id, q.author_hash, live_chat_id, q.received_at, q.updated_at))
    for e in events:
        db.execute(
            "INSERT INTO question_events (question_id, at, kind, from_state, to_state, detail) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (e.question_id, e.at, e.kind, e.from_state.value if e.from_state else None,
             e.to_state.value if e.to_state else None, json.dumps(e.detail, ensure_ascii=False, default=str)))
