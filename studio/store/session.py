"""Repository functions for the show flow's sessions and steps (tables in 0005_session.sql)."""

from __future__ import annotations

import time
from typing import Any

from studio.store import Store

_COLUMNS = ("broadcast_id", "step", "status", "detail", "live_since", "record_started_at", "record_path")


def ensure_session(store: Store, session_id: str, lang: str, topic: str, starts_at: str, rehearsal: bool,
                   first_step: str) -> dict[str, Any]:
    """The session's row, created on first use (a second call returns the same row: nothing twice)."""
    now = time.time()
    store.execute(
        "INSERT OR IGNORE INTO show_sessions (session_id, lang, topic, starts_at, rehearsal, step, status,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        (session_id, lang, topic, starts_at, int(rehearsal), first_step, now, now),
    )
    row = get_session(store, session_id)
    assert row is not None
    return row


def get_session(store: Store, session_id: str) -> dict[str, Any] | None:
    row = store.query_one("SELECT * FROM show_sessions WHERE session_id = ?", (session_id,))
    return dict(row) if row else None


def update_session(store: Store, session_id: str, **fields: Any) -> None:
    unknown = set(fields) - set(_COLUMNS)
    if unknown:
        raise ValueError(f"unknown session fields: {sorted(unknown)}")
    sets = ", ".join(f"{k} = ?" for k in fields)
    store.execute(f"UPDATE show_sessions SET {sets}, updated_at = ? WHERE session_id = ?",
                  (*fields.values(), time.time(), session_id))


def record_step(store: Store, session_id: str, step: str, status: str, detail: str = "") -> None:
    """Log a step's status and make it the session's current step, in one transaction."""
    now = time.time()
    with store.transaction() as db:
        db.execute("INSERT INTO show_steps (session_id, step, status, detail, at) VALUES (?, ?, ?, ?, ?)",
                   (session_id, step, status, detail, now))
        db.execute("UPDATE show_sessions SET step = ?, status = ?, detail = ?, updated_at = ? WHERE session_id = ?",
                   (step, status, detail, now, session_id))


def step_log(store: Store, session_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in store.query(
        "SELECT step, status, detail, at FROM show_steps WHERE session_id = ? ORDER BY id", (session_id,))]


def sessions_on(store: Store, date_prefix: str) -> list[dict[str, Any]]:
    """Sessions whose start is on this local date ('2026-11-24'), in start order."""
    return [dict(r) for r in store.query(
        "SELECT * FROM show_sessions WHERE starts_at LIKE ? ORDER BY starts_at", (f"{date_prefix}%",))]


def unfinished_sessions(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in store.query(
        "SELECT * FROM show_sessions WHERE NOT (step = 'done' AND status = 'done') ORDER BY starts_at")]
