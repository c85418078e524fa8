"""Repository functions for the background caption jobs (table in 0011_caption_jobs.sql).

A job is the captions of one archive entry in one language. The rules of when one may run are the use
case's (studio.usecases.archive.caption_queue); this module only keeps the queue and its checkpoints.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from studio.store import Store

STATES = ("queued", "running", "done", "failed")


@dataclass(frozen=True)
class Job:
    entry_id: int
    lang: str
    state: str
    detail: str
    progress: float
    eta: float | None
    attempts: int  # runs started that never ended (the process died during them)
    queued_at: float
    started_at: float | None
    finished_at: float | None
    updated_at: float  # the running job's heartbeat
    has_checkpoint: bool


def _job(row: Any) -> Job:
    return Job(int(row["entry_id"]), str(row["lang"]), str(row["state"]), str(row["detail"]),
               float(row["progress"]), row["eta"], int(row["attempts"]), float(row["queued_at"]),
               row["started_at"], row["finished_at"], float(row["updated_at"]), bool(row["checkpoint"]))


_COLUMNS = ("entry_id, lang, state, detail, progress, eta, attempts, queued_at, started_at, finished_at, "
            "updated_at, checkpoint IS NOT NULL AS checkpoint")


def enqueue(store: Store, entry_id: int, lang: str, *, again: bool = False) -> Job:
    """Queue the entry's captions (once: a queued or running job stays as it is). ``again``: also a job
    that is done or failed goes back in the queue, from the start."""
    now = time.time()
    with store.transaction() as db:
        db.execute("INSERT INTO caption_jobs (entry_id, lang, state, queued_at, updated_at) VALUES "
                   "(?, ?, 'queued', ?, ?) ON CONFLICT(entry_id, lang) DO NOTHING", (entry_id, lang, now, now))
        if again:
            db.execute("UPDATE caption_jobs SET state = 'queued', detail = '', progress = 0, eta = NULL, "
                       "checkpoint = NULL, attempts = 0, queued_at = ?, started_at = NULL, finished_at = NULL, "
                       "updated_at = ? WHERE entry_id = ? AND lang = ? AND state IN ('done', 'failed')",
                       (now, now, entry_id, lang))
    found = get(store, entry_id, lang)
    assert found is not None
    return found


def get(store: Store, entry_id: int, lang: str) -> Job | None:
    row = store.query_one(f"SELECT {_COLUMNS} FROM caption_jobs WHERE entry_id = ? AND lang = ?", (entry_id, lang))
    return _job(row) if row else None


def for_entry(store: Store, entry_id: int) -> list[Job]:
    return [_job(r) for r in store.query(f"SELECT {_COLUMNS} FROM caption_jobs WHERE entry_id = ? ORDER BY lang",
                                         (entry_id,))]


def waiting(store: Store) -> list[Job]:
    """Jobs still to run, oldest first; a 'running' one is a run a restart interrupted: it goes on."""
    return [_job(r) for r in store.query(
        f"SELECT {_COLUMNS} FROM caption_jobs WHERE state IN ('queued', 'running') "
        "ORDER BY state = 'running' DESC, queued_at, entry_id")]


def start(store: Store, entry_id: int, lang: str) -> None:
    now = time.time()
    store.execute("UPDATE caption_jobs SET state = 'running', detail = '', attempts = attempts + 1, "
                  "started_at = ?, updated_at = ? WHERE entry_id = ? AND lang = ?", (now, now, entry_id, lang))


def set_progress(store: Store, entry_id: int, lang: str, fraction: float, eta: float | None) -> None:
    store.execute("UPDATE caption_jobs SET progress = ?, eta = ?, updated_at = ? WHERE entry_id = ? AND lang = ?",
                  (fraction, eta, time.time(), entry_id, lang))


def save_checkpoint(store: Store, entry_id: int, lang: str, checkpoint: dict[str, Any]) -> None:
    store.execute("UPDATE caption_jobs SET checkpoint = ?, updated_at = ? WHERE entry_id = ? AND lang = ?",
                  (json.dumps(checkpoint, ensure_ascii=False), time.time(), entry_id, lang))


def checkpoint(store: Store, entry_id: int, lang: str) -> dict[str, Any] | None:
    row = store.query_one("SELECT checkpoint FROM caption_jobs WHERE entry_id = ? AND lang = ?", (entry_id, lang))
    return dict(json.loads(row[0])) if row and row[0] else None


def pause(store: Store, entry_id: int, lang: str, detail: str) -> None:
    """Back in the queue (it made way for a live session, or the panel closes): the checkpoint stays."""
    # a run that made way ended properly: it does not count among the runs that never ended
    store.execute("UPDATE caption_jobs SET state = 'queued', detail = ?, eta = NULL, attempts = MAX(attempts - 1, 0),"
                  " updated_at = ? WHERE entry_id = ? AND lang = ?", (detail, time.time(), entry_id, lang))


def finish(store: Store, entry_id: int, lang: str, state: str, detail: str) -> None:
    """Done or failed: the checkpoint goes (a new run starts from the beginning)."""
    if state not in ("done", "failed"):
        raise ValueError(f"unknown final state {state!r}")
    now = time.time()
    store.execute("UPDATE caption_jobs SET state = ?, detail = ?, progress = CASE WHEN ? = 'done' THEN 1 "
                  "ELSE progress END, eta = NULL, checkpoint = NULL, finished_at = ?, updated_at = ? "
                  "WHERE entry_id = ? AND lang = ?", (state, detail, state, now, now, entry_id, lang))
