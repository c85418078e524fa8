"""The SQLite store: WAL, migrations applied once, audit log without secrets, state that survives reopening."""

from __future__ import annotations

import threading

import pytest

from studio.store import Store, redact


def test_wal_and_migrations_applied_once(tmp_path):
    store = Store(tmp_path / "s.db")
    assert store.query_one("PRAGMA journal_mode")[0] == "wal"
    names = [r["name"] for r in store.query("SELECT name FROM schema_migrations ORDER BY name")]
    assert names[0] == "0001_core.sql"
    assert store.migrate() == []  # nothing left to apply
    store.close()
    again = Store(tmp_path / "s.db")
    assert [r["name"] for r in again.query("SELECT name FROM schema_migrations ORDER BY name")] == names


def test_audit_log_redacts_secrets(tmp_path):
    store = Store(tmp_path / "s.db")
    store.audit("obs.connect", {"host": "127.0.0.1", "password": "hunter2", "nested": {"stream_key": "abc"}})
    store.audit("youtube.golive", {"broadcast": "b1"}, result="quotaExceeded")
    entries = store.audit_entries()
    assert entries[0]["action"] == "youtube.golive" and entries[0]["result"] == "quotaExceeded"
    assert entries[1]["params"] == {"host": "127.0.0.1", "password": "***", "nested": {"stream_key": "***"}}
    raw = (tmp_path / "s.db").read_bytes() + (tmp_path / "s.db-wal").read_bytes()
    assert b"hunter2" not in raw


def test_redact_keeps_ordinary_values():
    assert redact({"scene": "Wijkagent", "token": "t", "Authorization": "Bearer x"}) == {
        "scene": "Wijkagent", "token": "***", "Authorization": "***"}


def test_state_survives_reopen(tmp_path):
    store = Store(tmp_path / "s.db")
    store.set_state("show.step", {"session": "2026-11-24-nl", "step": "live"})
    store.set_state("show.step", {"session": "2026-11-24-nl", "step": "ending"})
    store.close()
    assert Store(tmp_path / "s.db").get_state("show.step") == {"session": "2026-11-24-nl", "step": "ending"}


def test_transaction_rolls_back_on_error(tmp_path):
    store = Store(tmp_path / "s.db")
    with pytest.raises(RuntimeError, match="boom"), store.transaction() as db:
        db.execute("INSERT INTO kv_state VALUES ('a', '1', 0)")
        raise RuntimeError("boom")
    assert store.get_state("a") is None


def test_concurrent_writers_from_threads(tmp_path):
    store = Store(tmp_path / "s.db")

    def work(n):
        for i in range(50):
            store.audit("t", {"n": n, "i": i})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.query_one("SELECT count(*) FROM audit_log")[0] == 200


def test_unwritable_data_dir_is_a_config_error(tmp_path):
    import pytest

    from studio.errors import ConfigError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="kan de database"):
        Store(blocker / "sub" / "s.db")
