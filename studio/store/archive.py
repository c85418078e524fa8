"""Repository functions for the archive catalogue (tables in 0004_archive.sql)."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from studio.store import Store, path_from_db, path_to_db

STATES = ("archived", "processing", "processed", "publishing", "published", "failed")


@dataclass(frozen=True)
class Source:
    seq: int
    path: str
    size: int
    sha256: str
    duration: float


@dataclass(frozen=True)
class Entry:
    id: int
    session_id: str | None
    session_date: str
    topic: str
    lang: str
    title: str
    original_path: str
    duration: float
    size: int
    sha256: str
    truncated: bool
    record_started_at: float | None
    state: str
    error: str
    processed_path: str | None
    processed_sha256: str | None
    processed_size: int | None
    processed_duration: float | None
    trim_start: float | None
    trim_end: float | None
    thumbnail_path: str | None
    video_id: str | None
    publish_mode: str | None
    published_at: float | None
    original_pruned_at: float | None
    processed_pruned_at: float | None
    created_at: float
    updated_at: float
    sources: tuple[Source, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "sources"}
        d["sources"] = [s.__dict__ for s in self.sources]
        return d


@dataclass(frozen=True)
class Upload:
    entry_id: int
    file_path: str
    file_size: int
    file_sha256: str
    session_uri: str
    confirmed: int
    video_id: str | None


_PATHS = ("original_path", "processed_path", "thumbnail_path")  # may be names that are not UTF-8

_UPDATABLE = frozenset(Entry.__dataclass_fields__) - {"id", "created_at", "updated_at", "sources", "original_path"}


def _entry(store: Store, row: Any) -> Entry:
    d = dict(row)
    d["truncated"] = bool(d["truncated"])
    for key in _PATHS:
        d[key] = path_from_db(d[key])
    srcs = store.query("SELECT seq, path, size, sha256, duration FROM archive_sources WHERE entry_id = ? "
                       "ORDER BY seq", (d["id"],))
    return Entry(**d, sources=tuple(Source(**{**dict(s), "path": path_from_db(s["path"])}) for s in srcs))


def add_entry(store: Store, *, session_id: str | None, session_date: str, topic: str, lang: str, title: str,
              sources: Sequence[Source], truncated: bool, record_started_at: float | None) -> Entry:
    """Create the entry with its source files in one transaction."""
    if not sources:
        raise ValueError("an entry needs at least one source file")
    now = time.time()
    first = sources[0]
    with store.transaction() as db:
        cur = db.execute(
            "INSERT INTO archive_entries (session_id, session_date, topic, lang, title, original_path, duration,"
            " size, sha256, truncated, record_started_at, state, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'archived', ?, ?)",
            (session_id, session_date, topic, lang, title, path_to_db(first.path), sum(s.duration for s in sources),
             sum(s.size for s in sources), first.sha256, int(truncated), record_started_at, now, now),
        )
        entry_id = int(cur.lastrowid or 0)
        db.executemany(
            "INSERT INTO archive_sources (entry_id, seq, path, size, sha256, duration) VALUES (?, ?, ?, ?, ?, ?)",
            [(entry_id, s.seq, path_to_db(s.path), s.size, s.sha256, s.duration) for s in sources],
        )
    entry = get_entry(store, entry_id)
    assert entry is not None
    return entry


def get_entry(store: Store, entry_id: int) -> Entry | None:
    row = store.query_one("SELECT * FROM archive_entries WHERE id = ?", (entry_id,))
    return _entry(store, row) if row else None


def entry_by_path(store: Store, path: str) -> Entry | None:
    row = store.query_one(
        "SELECT e.* FROM archive_entries e LEFT JOIN archive_sources s ON s.entry_id = e.id"
        " WHERE e.original_path = ? OR s.path = ? LIMIT 1", (path_to_db(path), path_to_db(path)))
    return _entry(store, row) if row else None


def entry_by_sha256(store: Store, sha256: str) -> Entry | None:
    """The entry that already has a source file with this checksum (the same recording), if any."""
    row = store.query_one(
        "SELECT e.* FROM archive_entries e LEFT JOIN archive_sources s ON s.entry_id = e.id"
        " WHERE e.sha256 = ? OR s.sha256 = ? ORDER BY e.id LIMIT 1", (sha256, sha256))
    return _entry(store, row) if row else None


def list_entries(store: Store, session_id: str | None = None) -> list[Entry]:
    if session_id is None:
        rows = store.query("SELECT * FROM archive_entries ORDER BY id DESC")
    else:
        rows = store.query("SELECT * FROM archive_entries WHERE session_id = ? ORDER BY id", (session_id,))
    return [_entry(store, r) for r in rows]


def update_entry(store: Store, entry_id: int, **fields: Any) -> Entry:
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise ValueError(f"unknown archive fields: {sorted(unknown)}")
    if "state" in fields and fields["state"] not in STATES:
        raise ValueError(f"unknown archive state {fields['state']!r}")
    if "truncated" in fields:
        fields["truncated"] = int(bool(fields["truncated"]))
    for key in _PATHS:
        if key in fields:
            fields[key] = path_to_db(fields[key])
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        store.execute(f"UPDATE archive_entries SET {sets}, updated_at = ? WHERE id = ?",
                      (*fields.values(), time.time(), entry_id))
    entry = get_entry(store, entry_id)
    assert entry is not None
    return entry


# -- publish steps ----------------------------------------------------------------------------------
def publish_steps(store: Store, entry_id: int) -> dict[str, dict[str, Any]]:
    rows = store.query("SELECT step, detail FROM archive_publish_steps WHERE entry_id = ?", (entry_id,))
    return {r["step"]: json.loads(r["detail"] or "{}") for r in rows}


def mark_step_done(store: Store, entry_id: int, step: str, detail: dict[str, Any] | None = None) -> None:
    store.execute(
        "INSERT INTO archive_publish_steps (entry_id, step, detail, done_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(entry_id, step) DO UPDATE SET detail = excluded.detail, done_at = excluded.done_at",
        (entry_id, step, json.dumps(detail or {}, ensure_ascii=False), time.time()),
    )


def clear_steps(store: Store, entry_id: int) -> None:
    store.execute("DELETE FROM archive_publish_steps WHERE entry_id = ?", (entry_id,))


# -- resumable uploads ------------------------------------------------------------------------------
def get_upload(store: Store, entry_id: int) -> Upload | None:
    row = store.query_one("SELECT entry_id, file_path, file_size, file_sha256, session_uri, confirmed, video_id"
                          " FROM archive_uploads WHERE entry_id = ?", (entry_id,))
    return Upload(**{**dict(row), "file_path": path_from_db(row["file_path"])}) if row else None


def save_upload(store: Store, entry_id: int, file_path: str, file_size: int, file_sha256: str,
                session_uri: str) -> None:
    now = time.time()
    store.execute(
        "INSERT INTO archive_uploads (entry_id, file_path, file_size, file_sha256, session_uri, confirmed,"
        " started_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT(entry_id) DO UPDATE SET"
        " file_path = excluded.file_path, file_size = excluded.file_size, file_sha256 = excluded.file_sha256,"
        " session_uri = excluded.session_uri, confirmed = 0, video_id = NULL, started_at = excluded.started_at,"
        " updated_at = excluded.updated_at",
        (entry_id, path_to_db(file_path), file_size, file_sha256, session_uri, now, now),
    )


def set_upload_progress(store: Store, entry_id: int, confirmed: int, video_id: str | None = None) -> None:
    store.execute("UPDATE archive_uploads SET confirmed = ?, video_id = COALESCE(?, video_id), updated_at = ?"
                  " WHERE entry_id = ?", (confirmed, video_id, time.time(), entry_id))


def drop_upload(store: Store, entry_id: int) -> None:
    store.execute("DELETE FROM archive_uploads WHERE entry_id = ?", (entry_id,))


# -- marks (scene switches during a session) ------------------------------------------------------
def add_mark(store: Store, session_id: str, at: float, kind: str, name: str, detail: str = "") -> None:
    store.execute("INSERT INTO archive_marks (session_id, at, kind, name, detail) VALUES (?, ?, ?, ?, ?)",
                  (session_id, at, kind, name, detail))


def marks(store: Store, session_id: str, kind: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT at, kind, name, detail FROM archive_marks WHERE session_id = ?"
    args: tuple[Any, ...] = (session_id,)
    if kind:
        sql += " AND kind = ?"
        args += (kind,)
    return [dict(r) for r in store.query(sql + " ORDER BY at, id", args)]
