"""Repository functions for the YouTube area: quota ledger rows and broadcast records."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from typing import Any

from studio.store import Store


def record_quota(store: Store, *, target: str, at: float, day: str, method: str, units: int, ok: bool,
                 reason: str) -> None:
    store.execute(
        "INSERT INTO youtube_quota (target, at, day, method, units, ok, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (target, at, day, method, units, 1 if ok else 0, reason),
    )


def quota_by_method(store: Store, target: str, day: str) -> dict[str, int]:
    rows = store.query(
        "SELECT method, SUM(units) AS units FROM youtube_quota WHERE target = ? AND day = ?"
        " GROUP BY method ORDER BY method",
        (target, day),
    )
    return {r["method"]: int(r["units"]) for r in rows}


def quota_since(store: Store, target: str, at: float) -> int:
    row = store.query_one(
        "SELECT COALESCE(SUM(units), 0) AS u FROM youtube_quota WHERE target = ? AND at >= ?", (target, at))
    return int(row["u"]) if row else 0


@dataclass(frozen=True)
class BroadcastRecord:
    session_key: str
    target: str
    broadcast_id: str | None
    lang: str
    topic: str
    title: str
    scheduled_start: str
    step: str
    yt_status: str = ""
    stream_id: str = ""
    live_chat_id: str = ""
    error: str = ""
    created_at: float = 0.0
    updated_at: float = 0.0


_COLUMNS = [f.name for f in fields(BroadcastRecord)]


def _record(row: Any) -> BroadcastRecord | None:
    return None if row is None else BroadcastRecord(**{k: row[k] for k in _COLUMNS})


def get_broadcast_by_session(store: Store, session_key: str, target: str) -> BroadcastRecord | None:
    return _record(store.query_one(
        "SELECT * FROM youtube_broadcasts WHERE session_key = ? AND target = ?", (session_key, target)))


def get_broadcast(store: Store, broadcast_id: str, target: str) -> BroadcastRecord | None:
    return _record(store.query_one(
        "SELECT * FROM youtube_broadcasts WHERE broadcast_id = ? AND target = ?", (broadcast_id, target)))


def list_broadcasts(store: Store, target: str, limit: int = 50) -> list[BroadcastRecord]:
    rows = store.query(
        "SELECT * FROM youtube_broadcasts WHERE target = ? ORDER BY scheduled_start DESC LIMIT ?", (target, limit))
    return [r for r in (_record(x) for x in rows) if r is not None]


def in_progress(store: Store, target: str) -> list[BroadcastRecord]:
    """Broadcasts whose go-live or end was started but not finished (what a restart must carry on)."""
    rows = store.query(
        "SELECT * FROM youtube_broadcasts WHERE target = ? AND step IN "
        "('starting', 'testing', 'going_live', 'live', 'ending') ORDER BY updated_at DESC",
        (target,),
    )
    return [r for r in (_record(x) for x in rows) if r is not None]


def begin_broadcast(store: Store, *, session_key: str, target: str, lang: str, topic: str, title: str,
                    scheduled_start: str) -> BroadcastRecord:
    """Record the intent to create (step 'creating') unless a record exists; return the record."""
    now = time.time()
    with store.transaction() as db:
        db.execute(
            "INSERT INTO youtube_broadcasts (session_key, target, broadcast_id, lang, topic, title, scheduled_start,"
            " step, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?, 'creating', ?, ?)"
            " ON CONFLICT(session_key, target) DO NOTHING",
            (session_key, target, lang, topic, title, scheduled_start, now, now),
        )
    rec = get_broadcast_by_session(store, session_key, target)
    assert rec is not None
    return rec


def update_broadcast(store: Store, session_key: str, target: str, **changes: Any) -> BroadcastRecord:
    allowed = set(_COLUMNS) - {"session_key", "target", "created_at", "updated_at"}
    bad = set(changes) - allowed
    if bad:
        raise ValueError(f"unknown columns {bad}")
    changes["updated_at"] = time.time()
    assignments = ", ".join(f"{k} = ?" for k in changes)
    store.execute(
        f"UPDATE youtube_broadcasts SET {assignments} WHERE session_key = ? AND target = ?",
        (*changes.values(), session_key, target),
    )
    rec = get_broadcast_by_session(store, session_key, target)
    assert rec is not None
    return rec


def adopt_broadcast(store: Store, *, session_key: str, target: str, broadcast_id: str, lang: str, topic: str,
                    title: str, scheduled_start: str, step: str, yt_status: str) -> BroadcastRecord:
    """Remember a broadcast found on YouTube that the store did not know (e.g. made before a crash)."""
    now = time.time()
    store.execute(
        "INSERT INTO youtube_broadcasts (session_key, target, broadcast_id, lang, topic, title, scheduled_start,"
        " step, yt_status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(session_key, target) DO UPDATE SET broadcast_id = excluded.broadcast_id,"
        " step = excluded.step, yt_status = excluded.yt_status, updated_at = excluded.updated_at",
        (session_key, target, broadcast_id, lang, topic, title, scheduled_start, step, yt_status, now, now),
    )
    rec = get_broadcast_by_session(store, session_key, target)
    assert rec is not None
    return rec


def forget_broadcast(store: Store, session_key: str, target: str) -> None:
    store.execute("DELETE FROM youtube_broadcasts WHERE session_key = ? AND target = ?", (session_key, target))


# The reusable live stream's id, per target.
def stream_id(store: Store, target: str) -> str | None:
    value = store.get_state(f"youtube.stream_id.{target}")
    return str(value) if value else None


def set_stream_id(store: Store, target: str, value: str | None) -> None:
    store.set_state(f"youtube.stream_id.{target}", value or "")
