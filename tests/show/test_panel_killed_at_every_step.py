"""The real panel killed at every step of an evening, and started again: the evening still completes.

The panel runs as `python -m studio` in a pseudo-terminal (tests/fixtures/_panel_process.py), read through a
VT100 screen; the officer's keys are written to that terminal. Real OBS (headless, one for the whole evening),
the YouTube emulator (one for the whole evening) with its RTMP ingest. The test watches the store read-only
and SIGKILLs the panel's process group the moment a step is under way ('running'), then starts a new panel,
which must take the interrupted step up by itself (the screen says so) and carry on. Nothing advances by
itself here except what the panel does: every gate is opened by a key press.

Covered: scenes, broadcast, preflight, slate, record, stream, waiting to go live, going live, on air, end
slate (the case of issue 12), end broadcast (also with YouTube failing: the screen says in red that the
broadcast is not ended and which key ends it), stop recording, archive, the finished session (the restarted
panel opens the next one), and a step of the second session.
"""

from __future__ import annotations

import pytest

from tests.fixtures._panel_process import PanelProcess, ShowWatch

pytestmark = [pytest.mark.obs, pytest.mark.timeout(1500)]
STEP_WAIT = 120.0  # one step of a real evening on a busy 2-core machine


def test_panel_killed_at_every_step_the_evening_completes(evening_settings, emulator, obs):
    s = evening_settings
    watch = ShowWatch(s.database_file)
    nl, ar = (f"{s.schedule.first_dutch_session}-nl", f"{s.schedule.first_arabic_session}-ar")
    killed: list[str] = []
    panel = PanelProcess(s.source).start()

    def kill_and_restart(sid: str, step: str) -> PanelProcess:
        nonlocal panel
        panel.kill()
        killed.append(f"{sid}:{step}")
        panel = PanelProcess(s.source).start()
        return panel

    def kill_while_running(sid: str, step: str) -> None:
        watch.wait(sid, step, "running", panel)
        kill_and_restart(sid, step)
        panel.wait_text("Het paneel stopte tijdens", timeout=60)  # it says so, and takes the step up

    try:
        panel.wait_text("Druk op  s", timeout=60)
        panel.press("s")
        panel.wait_text("starten?")
        panel.press("j")
        for step in ("scenes", "broadcast", "preflight", "slate", "record", "stream"):
            kill_while_running(nl, step)
        # ready to go live, waiting for the officer: killed, the new panel waits for 'l' again
        watch.wait(nl, "live", "waiting", panel)
        kill_and_restart(nl, "live-waiting")
        panel.wait_text("Druk op  l", timeout=60)
        panel.press("l")
        panel.wait_text("LIVE gaan?")
        panel.press("j")
        kill_while_running(nl, "live")
        watch.wait(nl, "on_air", "waiting", panel)
        kill_and_restart(nl, "on_air")
        panel.wait_text("e einde", timeout=60)
        assert emulator.control.state()["broadcasts"], "a broadcast"
        panel.press("e")
        panel.wait_text("afsluiten met e")
        panel.press("j")
        kill_while_running(nl, "end_slate")  # the case of issue 12: it used to hang here for ever
        # killed while ending the broadcast, and YouTube fails when the panel comes back: it cannot end the
        # broadcast by itself, and says so in red with the one key that ends it
        watch.wait(nl, "end_broadcast", "running", panel)
        emulator.control.inject_fault("liveBroadcasts.transition", 503, "backendError", times=-1)
        emulator.control.inject_fault("liveBroadcasts.list", 503, "backendError", times=-1)
        kill_and_restart(nl, "end_broadcast")
        watch.wait(nl, "end_broadcast", "failed", panel, timeout=180)
        panel.wait_text("DE UITZENDING IS NOG NIET BEËINDIGD: druk op  x", timeout=30)
        emulator.control.clear_faults()
        panel.press("x")
        panel.wait_text("beëindigen met x")
        panel.press("j")
        kill_while_running(nl, "stop_record")
        kill_while_running(nl, "archive")
        watch.wait(nl, "done", "done", panel)
        panel.wait_text("Druk op  n", timeout=60)
        # the session is finished: a new panel opens the next one
        kill_and_restart(nl, "done")
        panel.wait_text("Druk op  s", timeout=60)
        assert watch.state(ar) == ("scenes", "pending")
        panel.press("s")
        panel.wait_text("starten?")
        panel.press("j")
        kill_while_running(ar, "stream")
        watch.wait(ar, "live", "waiting", panel)
        panel.wait_text("Druk op  l", timeout=60)
        panel.press("l")
        panel.wait_text("LIVE gaan?")
        panel.press("j")
        watch.wait(ar, "on_air", "waiting", panel)
        panel.wait_text("e einde", timeout=60)
        panel.press("e")
        panel.wait_text("afsluiten met e")
        panel.press("j")
        watch.wait(ar, "done", "done", panel)
        panel.wait_text("laatste sessie", timeout=60)
        assert panel.quit() == 0
    finally:
        panel.kill()

    assert len(killed) == 15, killed
    # every step that was under way when the panel died was taken up again by the next panel
    for sid, steps in ((nl, ("scenes", "broadcast", "preflight", "slate", "record", "stream", "live",
                             "end_slate", "end_broadcast", "stop_record", "archive")), (ar, ("stream",))):
        log = watch.log(sid)
        for step in steps:
            assert (step, "interrupted") in log, (sid, step, log)
            assert (step, "done") in log, (sid, step, log)
    # exactly one broadcast per session, each over; OBS quiet; one recording and one archive entry each
    state = emulator.control.state()
    assert len(state["broadcasts"]) == 2
    assert {b["lifeCycleStatus"] for b in state["broadcasts"].values()} == {"complete"}
    writes = [c[0] for c in state["calls"] if not c[0].endswith(".list")]
    assert writes.count("liveBroadcasts.insert") == 2, writes
    client = obs.client()
    try:
        assert not client.get_record_status().output_active
        assert not client.get_stream_status().output_active
    finally:
        client.disconnect()
    entries = watch.db().execute("SELECT session_id, original_path FROM archive_entries ORDER BY id").fetchall()
    assert [e[0] for e in entries] == [nl, ar]
    recordings = sorted(p for p in s.recordings_dir.iterdir() if p.suffix == ".mkv")
    assert [str(p) for p in recordings] == sorted(e[1] for e in entries)
