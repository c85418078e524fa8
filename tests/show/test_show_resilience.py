"""The panel killed at every step of a session in turn, and started again: it ends where an uninterrupted
run ends, with nothing done twice (one broadcast, one recording, one archive entry, the questions intact).

The panel here is the headless driver (tests/show/driver.py): the same ShowFlow and the same real actions
as the Show screen, against the real OBS and the YouTube emulator, in a process of its own that is
SIGKILLed right after a step did its work and before that was recorded: the worst moment to die.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from studio.usecases.show import STEP_IDS

pytestmark = [pytest.mark.obs, pytest.mark.timeout(900)]


def run_driver(settings, session, *extra, timeout=240):
    return subprocess.run([sys.executable, "-m", "tests.show.driver", "--config", settings.source,
                           "--session", session, *extra], capture_output=True, text=True, timeout=timeout)


def test_killed_after_every_step_then_restarted(evening_settings, emulator, obs):
    from studio.store import archive as archive_repo
    from studio.usecases.context import Studio
    from studio.usecases.evening import tonight
    from studio.usecases.show import SessionPlan, ShowFlow

    s = evening_settings
    ctx = Studio(s)
    plan: SessionPlan = tonight(ctx)[0]
    ctx.close()
    assert plan.lang == "nl"
    killed = []
    for step in STEP_IDS[:-1]:
        if step in ("preflight", "on_air"):
            continue  # no effect to repeat (a check; a gate): their restarts are covered by the unit tests
        out = run_driver(s, plan.session_id, "--kill-after", step)
        assert out.returncode == -9, (step, out.stdout + out.stderr)
        killed.append(step)
    final = run_driver(s, plan.session_id)
    assert final.returncode == 0, final.stdout + final.stderr

    ctx = Studio(s)
    try:
        flow = ShowFlow(ctx.store, plan, actions=None)  # only reading
        st = flow.state
        assert st.finished, st
        # exactly one broadcast for the Dutch session, and it is over
        state = emulator.control.state()
        assert len(state["broadcasts"]) == 1, state["broadcasts"]
        writes = [c[0] for c in state["calls"] if not c[0].endswith(".list")]
        assert writes.count("liveBroadcasts.insert") == 1 and writes.count("liveStreams.insert") == 1, writes
        assert next(iter(state["broadcasts"].values()))["lifeCycleStatus"] == "complete"
        # one archive entry, for the one recording
        entries = archive_repo.list_entries(ctx.store, plan.session_id)
        assert len(entries) == 1, entries
        assert entries[0].original_path == st.record_path
        # OBS is quiet again
        client = obs.client()
        try:
            assert not client.get_record_status().output_active
            assert not client.get_stream_status().output_active
        finally:
            client.disconnect()
        recordings = [p for p in s.recordings_dir.iterdir() if p.suffix == ".mkv"]
        assert len(recordings) == 1, recordings
    finally:
        ctx.close()
