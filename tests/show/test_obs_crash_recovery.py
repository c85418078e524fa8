"""OBS killed in the middle of a live show, and started again: the panel puts the show back by itself.

The real panel in a pseudo-terminal (tests/fixtures/_panel_process.py), real OBS (SIGKILLed and started
again), the YouTube emulator with its RTMP ingest. While live the technician puts the guest scene on air and
mutes the camera's sound; OBS then crashes. When OBS is back the panel must restore the program scene and the
mute from the store, restart the recording in the studio's recordings folder as part 2 and the stream to the
same broadcast, and say so on the screen. After "Einde" the archive entry holds parts 1 and 2 in order and
processing joins them into one file.
"""

from __future__ import annotations

import sqlite3
import time

import pytest

from tests.fixtures._panel_process import PanelProcess, ShowWatch
from tests.fixtures.obs_supervisor import ask

pytestmark = [pytest.mark.obs, pytest.mark.timeout(900)]


def obs_state(obs) -> dict:
    client = obs.client()
    try:
        return {
            "scene": client.get_current_program_scene().current_program_scene_name,
            "camera_muted": ask(client, "GetInputMute", inputName="Camera")["inputMuted"],
            "recording": client.get_record_status().output_active,
            "streaming": client.get_stream_status().output_active,
        }
    finally:
        client.disconnect()


def wait_obs(obs, want: dict, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    last: dict = {}
    while time.monotonic() < deadline:
        try:
            last = obs_state(obs)
            if all(last.get(k) == v for k, v in want.items()):
                return last
        except Exception as exc:  # OBS still starting
            last = {"error": repr(exc)}
        time.sleep(0.1)
    raise AssertionError(f"OBS not at {want} within {timeout:.0f} s: {last}")


def test_obs_killed_while_live_comes_back_on_air(evening_settings, emulator, obs):
    s = evening_settings
    watch = ShowWatch(s.database_file)
    sid = f"{s.schedule.first_dutch_session}-nl"
    panel = PanelProcess(s.source).start()
    try:
        panel.wait_text("Druk op  s", timeout=60)
        panel.press("s")
        panel.wait_text("starten?")
        panel.press("j")
        watch.wait(sid, "live", "waiting", panel, timeout=180)
        panel.wait_text("Druk op  l", timeout=60)
        panel.press("l")
        panel.wait_text("LIVE gaan?")
        panel.press("j")
        watch.wait(sid, "on_air", "waiting", panel)
        panel.wait_text("e einde", timeout=60)
        panel.press("3")  # the guest scene (the show's order: 1 Starten, 2 Wijkagent, 3 met gast)
        client = obs.client()
        try:
            ask(client, "SetInputMute", inputName="Camera", inputMuted=True)  # the technician mutes it
        finally:
            client.disconnect()
        wait_obs(obs, {"scene": "Wijkagent met gast", "camera_muted": True, "recording": True, "streaming": True})
        time.sleep(1.0)  # the panel notes what OBS reports
        bid = watch.db().execute("SELECT broadcast_id FROM show_sessions WHERE session_id = ?", (sid,)).fetchone()[0]

        # First only the panel dies (OBS keeps running), before it noted the last scene change (found in the
        # bench: killed right after a step switched the scene). What OBS shows is what somebody chose: the new
        # panel leaves it, says nothing about a crash, and notes it.
        panel.kill()
        db = sqlite3.connect(s.database_file)
        with db:
            db.execute("UPDATE show_obs_state SET program_scene = 'Starten', mutes = '{}' WHERE session_id = ?",
                       (sid,))
        db.close()
        panel = PanelProcess(s.source).start()
        panel.wait_text("e einde", timeout=60)
        deadline = time.monotonic() + 30
        while watch.db().execute("SELECT program_scene FROM show_obs_state WHERE session_id = ?",
                                 (sid,)).fetchone()[0] != "Wijkagent met gast":
            assert time.monotonic() < deadline, "the new panel did not note the scene OBS shows"
            time.sleep(0.1)
        time.sleep(1.0)
        assert obs_state(obs) == {"scene": "Wijkagent met gast", "camera_muted": True, "recording": True,
                                  "streaming": True}
        assert not watch.db().execute("SELECT 1 FROM audit_log WHERE action = 'show.obs_restored'").fetchall()
        assert "terug na een storing" not in panel.text()

        obs.crash()  # OBS crashes
        panel.wait_text("verbinding kwijt", timeout=30)
        obs.start()  # and is started again: it comes back on its start scene, unmuted, not recording or streaming
        back = time.monotonic()
        wait_obs(obs, {"scene": "Wijkagent met gast", "camera_muted": True, "recording": True, "streaming": True},
                 timeout=60)
        restored_after = time.monotonic() - back
        panel.wait_text("OBS is terug na een storing", timeout=30)
        assert emulator.control.state()["broadcasts"][bid]["lifeCycleStatus"] == "live"  # the same broadcast
        print(f"\nOBS back -> scene, mute, recording and stream restored in {restored_after:.1f} s")
        time.sleep(3)  # part 2 gets some seconds of its own

        panel.press("e")
        panel.wait_text("afsluiten met e")
        panel.press("j")
        watch.wait(sid, "done", "done", panel, timeout=180)
        assert panel.quit() == 0
    finally:
        panel.kill()

    from studio.store import archive as archive_repo
    from studio.usecases.archive import processing
    from studio.usecases.context import Studio

    with Studio(s) as ctx:
        entries = archive_repo.list_entries(ctx.store, sid)
        assert len(entries) == 1, entries
        entry = entries[0]
        assert len(entry.sources) == 2, entry.sources  # parts 1 and 2 of the one session
        paths = [src.path for src in entry.sources]
        assert all(p.startswith(str(s.recordings_dir)) for p in paths), paths  # both in the studio's folder
        from pathlib import Path

        assert Path(paths[0]).stat().st_mtime <= Path(paths[1]).stat().st_mtime
        result = processing.process(ctx.store, entry.id, allow_silent=True, check_space=False)
        joined = result.entry.processed_duration
        assert joined is not None and abs(joined - entry.duration) <= max(2.0, 0.05 * entry.duration), (
            joined, [src.duration for src in entry.sources])
