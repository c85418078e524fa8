"""Issue 12, the smaller things: a private data folder, file names that are not UTF-8, one entry per
recording (sha256), and a rehearsal audience that remembers what it posted.

Real files, the real `studio` command line, real ffmpeg (through the archive), the real store.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat

import pytest

from studio.cli import main


@pytest.fixture
def cli_env(settings, monkeypatch):
    monkeypatch.setenv("STUDIO_DATA_DIR", str(settings.data_dir))
    return settings


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_data_folder_private_also_when_an_older_version_left_it_open(settings):
    data = settings.data_dir
    (data / "kaarten").mkdir(parents=True)
    os.chmod(data, 0o755)
    os.chmod(data / "kaarten", 0o755)
    # what an older version left: a database (with its WAL) readable by everyone, a card, a log, a report
    db = sqlite3.connect(data / "studio.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (x)")
    db.close()
    for name in ("kaarten/vraag.png", "rehearsal-emulator.log", "verslag.csv"):
        (data / name).write_text("x")
    for f in data.rglob("*"):
        os.chmod(f, 0o755 if f.is_dir() else 0o644)

    from studio.store import open_store

    store = open_store(settings)
    try:
        store.audit("test", {"a": 1})  # the WAL and shared memory files exist now
        assert mode(data) == 0o700 and mode(data / "kaarten") == 0o700
        files = [f for f in data.rglob("*") if f.is_file()]
        assert {f.name for f in files} >= {"studio.sqlite3", "studio.sqlite3-wal", "studio.sqlite3-shm",
                                           "vraag.png", "rehearsal-emulator.log", "verslag.csv"}
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    finally:
        store.close()


def test_new_database_is_private_from_the_start(settings):
    from studio.store import open_store

    store = open_store(settings)
    try:
        store.audit("test")
        for suffix in ("", "-wal", "-shm"):
            assert mode(f"{settings.database_file}{suffix}") == 0o600, suffix
    finally:
        store.close()


def test_files_the_cli_makes_are_private(cli_env, recording, capsys):
    assert main(["archive", "add", str(recording), "--session", "2026-11-24-nl"]) == 0
    sidecar = recording.with_name(recording.name + ".json")
    assert mode(sidecar) == 0o600
    assert main(["report", "2026-11-24-nl"]) == 0
    reports = list((cli_env.data_dir / "verslagen").iterdir())
    assert reports and all(mode(f) == 0o600 for f in reports)


def test_name_that_is_not_utf8_is_archived_and_shown_with_replacement_characters(cli_env, recording, capsys):
    weird = recording.parent / os.fsdecode(b"opn\xe9me \xff.mkv")  # a Latin-1 name and a stray byte
    shutil.move(recording, weird)
    assert main(["archive", "add", str(weird), "--session", "2026-11-24-nl"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("archiefnummer 1: opn\ufffdme \ufffd.mkv,"), out
    assert main(["archive", "list"]) == 0
    assert main(["archive", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "opn\ufffdme \ufffd.mkv" in shown and "Traceback" not in shown
    # the catalogue keeps the exact name: verify finds the file and processing reads it
    assert main(["archive", "verify", "1"]) == 0
    assert "OK  " in capsys.readouterr().out
    from studio.store import archive as repo
    from studio.store import open_store

    store = open_store(cli_env)
    try:
        entry = repo.get_entry(store, 1)
        assert entry is not None and os.fsencode(entry.original_path) == os.fsencode(str(weird))
        assert repo.entry_by_path(store, str(weird)).id == 1
    finally:
        store.close()
    import json

    sidecar = json.loads(weird.with_name(weird.name + ".json").read_text(encoding="utf-8"))
    assert os.fsencode(sidecar["original_path"]) == os.fsencode(str(weird))
    # a name that is not UTF-8 and does not exist: one line, not "onverwachte fout"
    assert main(["archive", "add", os.fsdecode(b"/nergens/\xe9.mkv")]) == 1
    err = capsys.readouterr().err
    assert "opname /nergens/\ufffd.mkv bestaat niet" in err and "onverwachte" not in err


def test_same_recording_twice_is_refused_with_the_entry_number(cli_env, recording, tmp_path, capsys):
    assert main(["archive", "add", str(recording)]) == 0
    capsys.readouterr()
    copy = tmp_path / "kopie.mkv"
    shutil.copyfile(recording, copy)
    assert main(["archive", "add", str(copy)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "fout: kopie.mkv staat al in het archief als nummer 1 (zelfde sha256) — zie 'studio archive show 1'"
    assert main(["archive", "add", str(recording)]) == 0  # the same file again: its entry, nothing new
    assert "archiefnummer 1:" in capsys.readouterr().out
    assert main(["archive", "list"]) == 0
    assert capsys.readouterr().out.count("gearchiveerd") == 1


def test_audience_remembers_what_it_posted_across_a_restart(store):
    from studio.domain.rehearsal_script import DUTCH
    from studio.usecases.rehearsal import ScriptedAudience, StoreMemory

    posted: list[str] = []

    class Chat:
        def post_chat(self, live_chat_id, text, author="Kijker", **kw):
            posted.append(text)
            return {}

    live_since = 1000.0
    clock = [live_since + 30]
    first = ScriptedAudience(Chat(), lambda: [("chat-1", "nl", live_since)], clock=lambda: clock[0],
                             memory=StoreMemory(store))
    first.step()
    sent = len(posted)
    assert sent == len([m for m in DUTCH if m.at <= 30])
    # the panel restarts: a new audience, same store, same live_since
    clock[0] = live_since + 60
    second = ScriptedAudience(Chat(), lambda: [("chat-1", "nl", live_since)], clock=lambda: clock[0],
                              memory=StoreMemory(store))
    second.step()
    assert posted == [m.text for m in DUTCH if m.at <= 60]  # carried on; nothing posted twice


def test_audience_times_its_script_from_the_sessions_live_since(settings):
    """live_chats_from_store takes the session's live_since, not when the broadcast record last changed."""
    from studio.store import session as sessions
    from studio.store import youtube as yt_repo
    from studio.usecases.context import Studio
    from studio.usecases.rehearsal import live_chats_from_store

    with Studio(settings, shared_emulator=False) as ctx:  # an emulator of its own, stopped at close
        store = ctx.store
        sessions.ensure_session(store, "2026-11-24-nl", "nl", "t", "2026-11-24T19:00:00+01:00", True, "scenes")
        sessions.update_session(store, "2026-11-24-nl", live_since=1234.5)
        target = ctx.youtube.broadcasts.target
        yt_repo.adopt_broadcast(store, session_key="2026-11-24-nl", target=target, broadcast_id="b1", lang="nl",
                                topic="t", title="titel", scheduled_start="2026-11-24T19:00:00+01:00", step="live",
                                yt_status="live")
        yt_repo.update_broadcast(store, "2026-11-24-nl", target, live_chat_id="chat-1")
        assert live_chats_from_store(ctx)() == [("chat-1", "nl", 1234.5)]


def test_show_status_tells_an_interrupted_step_from_one_under_way(cli_env, tmp_path, capsys):
    """`studio show status` after a kill says 'onderbroken' (and what to do), not 'running'."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from studio.files import PanelLock
    from studio.store import open_store
    from studio.store import session as sessions

    s = cli_env
    today = datetime.now(ZoneInfo(s.schedule.timezone)).date().isoformat()
    config = tmp_path / "studio.toml"
    config.write_text(f'[schedule]\nfirst_dutch_session = "{today}"\nfirst_arabic_session = "{today}"\n')
    store = open_store(s)
    try:
        sessions.ensure_session(store, f"{today}-nl", "nl", "t", f"{today}T19:00:00+01:00", False, "scenes")
        sessions.record_step(store, f"{today}-nl", "end_slate", "running", "Eindbeeld in beeld…")
    finally:
        store.close()
    assert main(["--config", str(config), "show", "status"]) == 0
    out = capsys.readouterr().out
    assert "Eindbeeld in beeld: onderbroken" in out and "start het paneel" in out, out
    assert "running" not in out
    lock = PanelLock(s.panel_lock_file)
    assert lock.acquire()  # a panel runs (this process holds its lock)
    try:
        assert main(["--config", str(config), "show", "status"]) == 0
        assert "Eindbeeld in beeld: bezig" in capsys.readouterr().out
        from studio.errors import StudioError
        from studio.usecases.evening import hold_panel_lock

        with pytest.raises(StudioError, match="het paneel draait al"):
            hold_panel_lock(s)  # a second panel on the same studio is refused
    finally:
        lock.release()
    assert not PanelLock(s.panel_lock_file).held()


def test_a_data_folder_that_is_the_home_folder_is_not_walked(tmp_path, monkeypatch):
    from studio.files import make_private

    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    tool = home / "bin" / "tool"
    tool.write_text("#!/bin/sh\n")
    os.chmod(tool, 0o755)
    monkeypatch.setenv("HOME", str(home))
    assert make_private(home) == 0 and mode(tool) == 0o755
    data = home / "studio"
    (data / "kaarten").mkdir(parents=True)
    script = data / "hulp.sh"
    script.write_text("#!/bin/sh\n")
    os.chmod(script, 0o755)
    assert make_private(data) >= 1
    assert mode(script) == 0o700  # others lose their bits; the owner's x stays
