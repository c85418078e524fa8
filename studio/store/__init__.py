"""SQLite in WAL mode: the only place that writes SQL.

Everything that must survive a crash of the panel lives here. Schema changes are SQL files in
``studio/store/migrations/`` named ``NNNN_area.sql``; each is applied once, in name order, and recorded
in ``schema_migrations``. Never edit a migration that has landed: add a new one.

Repository functions for each area live beside this module (``studio/store/<area>.py``) and take a Store.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from studio.config import Settings
from studio.domain.labels import shown
from studio.errors import ConfigError
from studio.files import create_private, make_private

_SECRET_WORDS = ("password", "passwd", "token", "secret", "stream_key", "streamkey", "key", "authorization")


def redact(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """A copy of params with every value whose name suggests a secret replaced by '***'."""
    out: dict[str, Any] = {}
    for k, v in (params or {}).items():
        low = k.lower()
        if any(w in low for w in _SECRET_WORDS):
            out[k] = "***"
        elif isinstance(v, Mapping):
            out[k] = redact(v)
        else:
            out[k] = v
    return out


class Store:
    """One SQLite database. Thread-safe: one connection, used under a lock."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # 0600 before SQLite opens it: its -wal and -shm files take the database file's mode
            create_private(self.path)
            self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"kan de database {self.path} niet openen: {exc}",
                              "controleer [paths] data_dir en de schrijfrechten") from None
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        for extra in ("-wal", "-shm", "-journal"):  # made 0644 by an older version: ours only
            with contextlib.suppress(OSError):
                os.chmod(f"{self.path}{extra}", 0o600)
        self.migrate()

    # -- plumbing -------------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``with store.transaction() as db: db.execute(...)``: all or nothing."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._conn.execute(sql, params)

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        with self._lock:
            return self._conn.execute(sql, params).fetchone()

    def migrate(self) -> list[str]:
        """Apply every migration not applied yet; return their names."""
        applied: list[str] = []
        with self._lock:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
            )
            done = {r[0] for r in self._conn.execute("SELECT name FROM schema_migrations")}
            files = sorted(
                (f for f in resources.files("studio.store.migrations").iterdir() if f.name.endswith(".sql")),
                key=lambda f: f.name,
            )
            for f in files:
                if f.name in done:
                    continue
                sql = f.read_text(encoding="utf-8")
                # One script, one transaction: a migration is applied whole or not at all.
                try:
                    self._conn.executescript(
                        "BEGIN IMMEDIATE;\n" + sql + "\n;INSERT INTO schema_migrations VALUES ("
                        + repr(f.name) + f", {time.time()!r});\nCOMMIT;"
                    )
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
                applied.append(f.name)
        return applied

    # -- audit log ------------------------------------------------------------------------------
    def audit(self, action: str, params: Mapping[str, Any] | None = None, result: str = "ok") -> None:
        """Record a control action. Secrets in params are redacted before they are written."""
        self.execute(
            "INSERT INTO audit_log (at, action, params, result) VALUES (?, ?, ?, ?)",
            (time.time(), action, shown(json.dumps(redact(params), ensure_ascii=False, default=str)),
             shown(result)),
        )

    def audit_entries(self, limit: int = 100, action: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, at, action, params, result FROM audit_log"
        args: tuple[Any, ...] = ()
        if action:
            sql += " WHERE action = ?"
            args = (action,)
        rows = self.query(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))
        return [{**dict(r), "params": json.loads(r["params"])} for r in rows]

    # -- small key/value state (e.g. the panel's current step) ----------------------------------
    def get_state(self, key: str, default: Any = None) -> Any:
        row = self.query_one("SELECT value FROM kv_state WHERE key = ?", (key,))
        return default if row is None else json.loads(row["value"])

    def set_state(self, key: str, value: Any) -> None:
        self.execute(
            "INSERT INTO kv_state (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, json.dumps(value, ensure_ascii=False), time.time()),
        )


def path_to_db(path: str | os.PathLike[str] | None) -> str | bytes | None:
    """A file name as SQLite can keep it: the text itself, or (a name that is not UTF-8, e.g. a Latin-1 name
    from an old PC or a USB stick) its exact bytes as a BLOB. ``path_from_db`` gives the same name back."""
    if path is None:
        return None
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text)
    return text


def path_from_db(value: Any) -> Any:
    """The inverse of ``path_to_db``: a BLOB back to the str the OS gave (undecodable bytes as surrogates)."""
    if isinstance(value, bytes | memoryview):
        return os.fsdecode(bytes(value))
    return value


def open_store(settings: Settings) -> Store:
    """The Store for these Settings (``settings.database_file``); the data folder is made private first
    (0700, its files 0600), also when an older version left it readable for others."""
    with contextlib.suppress(OSError):  # a folder we cannot change: Store says so if it cannot open either
        make_private(settings.data_dir)
    return Store(settings.database_file)
