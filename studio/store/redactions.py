"""The moderator's privacy decisions per question, and the final text they last saw (tables in 0007_redactions.sql).

Masks and restores are stored with the digest of the text their offsets are into; ``decisions`` returns only
those made on the text asked for, so a decision never lands on other words than the moderator chose. Rows hold
kinds, offsets, who and when: never any of the question's text.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from studio.domain.redaction import Mask, Restore
from studio.domain.redaction_view import text_digest
from studio.store import Store

MASK = "mask"
RESTORE = "restore"


@dataclass(frozen=True)
class Decisions:
    masks: tuple[Mask, ...] = field(default=())
    restores: tuple[Restore, ...] = field(default=())
    stale: int = 0  # decisions made on another version of the text (not applied)


@dataclass(frozen=True)
class Approval:
    digest: str
    who: str
    at: float


def decisions(store: Store, question_id: str, text: str) -> Decisions:
    return decisions_for(store, {question_id: text}).get(question_id, Decisions())


def decisions_for(store: Store, texts: dict[str, str]) -> dict[str, Decisions]:
    """The decisions of many questions at once (the report): ``texts`` maps question id -> its text."""
    if not texts:
        return {}
    out: dict[str, tuple[list[Mask], list[Restore], int]] = {}
    ids = list(texts)
    for i in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        chunk = ids[i : i + 500]
        rows = store.query(
            "SELECT question_id, action, kind, start_offset, end_offset, text_digest FROM question_redactions "
            f"WHERE question_id IN ({', '.join('?' * len(chunk))}) ORDER BY id", chunk)
        digests = {qid: text_digest(texts[qid]) for qid in chunk}
        for r in rows:
            masks, restores, stale = out.setdefault(r["question_id"], ([], [], 0))
            if r["text_digest"] != digests[r["question_id"]]:
                out[r["question_id"]] = (masks, restores, stale + 1)
            elif r["action"] == MASK:
                masks.append(Mask(int(r["start_offset"]), int(r["end_offset"]), str(r["kind"])))
            else:
                restores.append(Restore(str(r["kind"]), int(r["start_offset"]), int(r["end_offset"])))
    return {qid: Decisions(tuple(m), tuple(r), s) for qid, (m, r, s) in out.items()}


def add(store: Store, question_id: str, action: str, kind: str, start: int, end: int, text: str, who: str) -> bool:
    """One decision; False when the same decision was already there (nothing twice)."""
    if action not in (MASK, RESTORE):
        raise ValueError(f"unknown action {action!r}")
    cur = store.execute(
        "INSERT OR IGNORE INTO question_redactions (question_id, action, kind, start_offset, end_offset, "
        "text_digest, who, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (question_id, action, kind, start, end, text_digest(text), who, time.time()))
    return cur.rowcount > 0


def remove(store: Store, question_id: str, action: str, kind: str, start: int, end: int, text: str) -> bool:
    cur = store.execute(
        "DELETE FROM question_redactions WHERE question_id = ? AND action = ? AND kind = ? AND start_offset = ? "
        "AND end_offset = ? AND text_digest = ?", (question_id, action, kind, start, end, text_digest(text)))
    return cur.rowcount > 0


def clear(db: sqlite3.Connection, question_id: str) -> int:
    """Inside a transaction of the caller (an edit): every decision and the approval of this question go."""
    n = db.execute("DELETE FROM question_redactions WHERE question_id = ?", (question_id,)).rowcount
    db.execute("DELETE FROM question_approvals WHERE question_id = ?", (question_id,))
    return int(n)


def approve(store: Store, question_id: str, digest: str, who: str) -> None:
    store.execute(
        "INSERT INTO question_approvals (question_id, digest, who, at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(question_id) DO UPDATE SET digest = excluded.digest, who = excluded.who, at = excluded.at",
        (question_id, digest, who, time.time()))


def approval(store: Store, question_id: str) -> Approval | None:
    row = store.query_one("SELECT digest, who, at FROM question_approvals WHERE question_id = ?", (question_id,))
    return None if row is None else Approval(str(row["digest"]), str(row["who"]), float(row["at"]))


def update_open_airing(store: Store, question_id: str, aired: str) -> None:
    """The question on air now shows ``aired`` (a mask made while on air): its airing says so too."""
    store.execute("UPDATE question_airings SET aired_text = ? WHERE question_id = ? AND ended_at IS NULL",
                  (aired, question_id))


def history(store: Store, question_ids: Iterable[str]) -> list[dict[str, object]]:
    """Every decision of these questions (kinds, offsets, who, when), oldest first: for tests and the audit."""
    ids = list(question_ids)
    if not ids:
        return []
    rows = store.query(
        "SELECT question_id, action, kind, start_offset, end_offset, who, at FROM question_redactions "
        f"WHERE question_id IN ({', '.join('?' * len(ids))}) ORDER BY id", ids)
    return [dict(r) for r in rows]
