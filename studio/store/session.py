"""Repository functions for the show flow's sessions and steps (tables in 0005_session.sql)."""

from __future__ import annotations

import json
import time
from typing import Any

from studio.store import Store, path_from_db, path_to_db

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
    if not row:
        return None
    out = dict(row)
    out["record_path"] = path_from_db(out["record_path"])
    return out


def update_session(store: Store, session_id: str, **fields: Any) -> None:
    unknown = set(fields) - set(_COLUMNS)
    if unknown:
        raise ValueError(f"unknown session fields: {sorted(unknown)}")
    if "record_path" in fields:
        fields["record_path"] = path_to_db(fields["record_path"])
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


def record_steps(store: Store, session_id: str, entries: list[tuple[str, str, str]]) -> None:
    """Log several (step, status, detail) at once, in one transaction; the last one is the session's current
    step. A step done and the next one pending are one write: a crash between them cannot leave the flow on
    a step that is 'done' (which a restart would run again)."""
    now = time.time()
    with store.transaction() as db:
        for step, status, detail in entries:
            db.execute("INSERT INTO show_steps (session_id, step, status, detail, at) VALUES (?, ?, ?, ?, ?)",
                       (session_id, step, status, detail, now))
        step, status, detail = entries[-1]
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


# -- the parts of a session's recording (0009_resilience.sql) ------------------------------------------
def record_parts(store: Store, session_id: str) -> list[dict[str, Any]]:
    """[{seq, started_at, path}] in order; ``path`` is None for the part OBS is still writing."""
    return [{**dict(r), "path": path_from_db(r["path"])} for r in store.query(
        "SELECT seq, started_at, path FROM show_record_parts WHERE session_id = ? ORDER BY seq", (session_id,))]


def start_record_part(store: Store, session_id: str, started_at: float) -> int:
    """A new part begins (OBS confirmed the recording); returns its number. A part still open is kept open
    (the same recording, confirmed again after a restart of the panel)."""
    with store.transaction() as db:
        open_part = db.execute("SELECT seq FROM show_record_parts WHERE session_id = ? AND path IS NULL"
                               " ORDER BY seq DESC LIMIT 1", (session_id,)).fetchone()
        if open_part is not None:
            return int(open_part["seq"])
        row = db.execute("SELECT COALESCE(MAX(seq), 0) AS n FROM show_record_parts WHERE session_id = ?",
                         (session_id,)).fetchone()
        seq = int(row["n"]) + 1
        db.execute("INSERT INTO show_record_parts (session_id, seq, started_at) VALUES (?, ?, ?)",
                   (session_id, seq, started_at))
    return seq


def finish_record_part(store: Store, session_id: str, path: str) -> None:
    """The open part is finished (or was found after a crash) as ``path``; a path already known is not
    added twice."""
    with store.transaction() as db:
        known = db.execute("SELECT 1 FROM show_record_parts WHERE session_id = ? AND path = ?",
                           (session_id, path_to_db(path))).fetchone()
        if known:
            return
        open_part = db.execute("SELECT seq FROM show_record_parts WHERE session_id = ? AND path IS NULL"
                               " ORDER BY seq DESC LIMIT 1", (session_id,)).fetchone()
        if open_part is None:
            row = db.execute("SELECT COALESCE(MAX(seq), 0) AS n FROM show_record_parts WHERE session_id = ?",
                             (session_id,)).fetchone()
            db.execute("INSERT INTO show_record_parts (session_id, seq, started_at, path) VALUES (?, ?, ?, ?)",
                       (session_id, int(row["n"]) + 1, time.time(), path_to_db(path)))
        else:
            db.execute("UPDATE show_record_parts SET path = ? WHERE session_id = ? AND seq = ?",
                       (path_to_db(path), session_id, open_part["seq"]))


# -- what the show looked like in OBS (0009_resilience.sql) ----------------------------------------------
def save_obs_state(store: Store, session_id: str, program_scene: str | None, mutes: dict[str, bool]) -> None:
    store.execute(
        "INSERT INTO show_obs_state (session_id, program_scene, mutes, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(session_id) DO UPDATE SET program_scene = excluded.program_scene, mutes = excluded.mutes,"
        " updated_at = excluded.updated_at",
        (session_id, program_scene, json.dumps(mutes, ensure_ascii=False, sort_keys=True), time.time()))


def obs_state(store: Store, session_id: str) -> tuple[str | None, dict[str, bool]] | None:
    row = store.query_one("SELECT program_scene, mutes FROM show_obs_state WHERE session_id = ?", (session_id,))
    if row is None:
        return None
    return row["program_scene"], {str(k): bool(v) for k, v in json.loads(row["mutes"] or "{}").items()}
