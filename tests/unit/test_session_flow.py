"""ShowFlow's ordering, recording and resuming, with a recording double for the adapters' work.

The adapters' real behaviour is tested against real OBS and the emulator in tests/integration/test_show*.py;
here only the flow's own rules: order, gates, failure and retry, skip only where safe, stop never leaves a
broadcast live, and a new ShowFlow on the same store carries on where the last one was (nothing twice).
"""

from __future__ import annotations

import pytest

from studio.errors import StudioError
from studio.usecases.show import STEP_IDS, SessionPlan, ShowFlow, resume

PLAN = SessionPlan("2026-11-24-nl", "nl", "inbraak", "2026-11-24T19:00:00+01:00", rehearsal=True)


class Recorder:
    def __init__(self, fail=None):
        self.calls: list[str] = []
        self.fail = dict(fail or {})

    def _hit(self, name):
        self.calls.append(name)
        if self.fail.get(name, 0) > 0:
            self.fail[name] -= 1
            raise StudioError(f"{name} ging mis", "probeer opnieuw")

    def preflight(self, plan): self._hit("preflight")
    def scenes(self, plan): self._hit("scenes")
    def broadcast(self, plan):
        self._hit("broadcast")
        return "b-1"
    def slate(self, plan): self._hit("slate")
    def record(self, plan):
        self._hit("record")
        return 1000.0
    def stream(self, plan, bid, progress):
        self._hit("stream")
        progress("wachten op YouTube")
    def live(self, plan, bid):
        self._hit("live")
        return 2000.0
    def end_slate(self, plan, remaining):
        self._hit("end_slate")
        self.remaining = remaining
    def end_broadcast(self, plan, bid): self._hit("end_broadcast")
    def stop_record(self, plan, started):
        self._hit("stop_record")
        return "/rec/a.mkv"
    def archive(self, plan, path): self._hit(f"archive:{path}")


def test_whole_session_in_order_with_two_gates(store):
    rec = Recorder()
    flow = ShowFlow(store, PLAN, rec, end_slate_seconds=0)
    st = flow.advance()
    assert (st.step, st.status) == ("live", "waiting")
    assert rec.calls == ["scenes", "broadcast", "preflight", "slate", "record", "stream"]
    st = flow.go_live()
    assert (st.step, st.status) == ("on_air", "waiting") and st.live_since == 2000.0
    st = flow.end()
    assert st.finished and st.record_path == "/rec/a.mkv"
    assert rec.calls[6:] == ["live", "end_slate", "end_broadcast", "stop_record", "archive:/rec/a.mkv"]
    log = flow.log()
    # every step was recorded as running before it was done
    for step in STEP_IDS[:-1]:
        statuses = [e["status"] for e in log if e["step"] == step]
        assert "running" in statuses and statuses.index("running") < statuses.index("done"), step


def test_failure_then_retry(store):
    rec = Recorder(fail={"stream": 1})
    flow = ShowFlow(store, PLAN, rec)
    st = flow.advance()
    assert (st.step, st.status) == ("stream", "failed") and "stream ging mis" in st.detail
    st = flow.retry()
    assert (st.step, st.status) == ("live", "waiting")
    assert rec.calls.count("stream") == 2 and rec.calls.count("record") == 1


def test_skip_only_where_safe(store):
    flow = ShowFlow(store, PLAN, Recorder(fail={"scenes": 1}))
    flow.advance()
    with pytest.raises(StudioError, match="kan niet worden overgeslagen"):
        flow.skip()
    flow2 = ShowFlow(store, SessionPlan("x", "nl", "t", "2026-11-24T19:00:00+01:00"), Recorder(fail={"slate": 1}))
    assert flow2.advance().step == "slate"
    assert flow2.skip("beeld later").step == "live"


def test_preflight_override_needs_a_reason_and_is_audited(store):
    flow = ShowFlow(store, PLAN, Recorder(fail={"preflight": 1}))
    assert flow.advance().step == "preflight"
    with pytest.raises(StudioError, match="reden"):
        flow.skip("  ")
    assert flow.skip("camera kapot, alleen geluid").step == "live"
    audit = store.audit_entries(action="preflight.override")
    assert audit and audit[0]["params"]["reason"] == "camera kapot, alleen geluid"


def test_stop_while_streaming_ends_the_broadcast(store):
    rec = Recorder()
    flow = ShowFlow(store, PLAN, rec)
    flow.advance()
    flow.go_live()
    st = flow.stop()
    assert st.finished
    assert rec.calls[-3:] == ["end_broadcast", "stop_record", "archive:/rec/a.mkv"]
    assert "end_slate" not in rec.calls


def test_stop_before_streaming_still_keeps_the_recording(store):
    rec = Recorder(fail={"stream": 5})
    flow = ShowFlow(store, PLAN, rec)
    assert flow.advance().status == "failed"
    # at 'stream', OBS may already be sending: stop ends the broadcast too
    assert flow.stop().finished
    assert "end_broadcast" in rec.calls and "stop_record" in rec.calls


def test_restart_at_every_step_carries_on_without_repeating(store):
    """A new ShowFlow (the panel restarted) on the same store resumes; completed steps are not re-run."""
    rec = Recorder()
    flow = ShowFlow(store, PLAN, rec)
    flow.advance()
    again = ShowFlow(store, PLAN, rec)  # 'restart' at the live gate
    assert (again.state.step, again.state.status) == ("live", "waiting")
    assert again.advance().step == "live"
    assert rec.calls.count("record") == 1 and rec.calls.count("broadcast") == 1


def test_interrupted_step_is_run_again_on_resume(store):
    rec = Recorder()
    ShowFlow(store, PLAN, rec)
    # simulate a crash inside 'record': recorded as running, never done
    from studio.store import session as repo

    for step in ("scenes", "broadcast", "preflight", "slate"):
        repo.record_step(store, PLAN.session_id, step, "done")
    repo.update_session(store, PLAN.session_id, broadcast_id="b-1")
    repo.record_step(store, PLAN.session_id, "record", "running")
    st = ShowFlow(store, PLAN, rec).advance()
    assert st.step == "live" and rec.calls == ["record", "stream"]


def test_end_slate_time_left_after_restart(store):
    clock = [5000.0]
    rec = Recorder()
    flow = ShowFlow(store, PLAN, rec, end_slate_seconds=30, clock=lambda: clock[0])
    flow.advance()
    flow.go_live()
    from studio.store import session as repo

    # 'Einde' pressed; crash 12 s into the end slate (its start is recorded)
    repo.record_step(store, PLAN.session_id, "on_air", "done")
    repo.record_step(store, PLAN.session_id, "end_slate", "running")
    first = flow.log()[-1]["at"]
    clock[0] = first + 12
    ShowFlow(store, PLAN, rec, end_slate_seconds=30, clock=lambda: clock[0]).advance()
    assert 17.5 <= rec.remaining <= 18.5


def test_resume_picks_the_first_unfinished_session(store):
    ar = SessionPlan("2026-11-24-ar", "ar", "inbraak", "2026-11-24T20:00:00+01:00")
    assert resume(store, [PLAN, ar]) == PLAN
    flow = ShowFlow(store, PLAN, Recorder())
    flow.advance()
    flow.go_live()
    flow.end()
    assert resume(store, [PLAN, ar]) == ar


# -- issue 12: a step interrupted by a kill is finished after the restart ---------------------------------
def _killed_during(store, step, *, before=()):
    """The store as a panel killed while running ``step`` leaves it."""
    from studio.store import session as repo

    ShowFlow(store, PLAN, Recorder())
    for done in before:
        repo.record_step(store, PLAN.session_id, done, "done")
    repo.update_session(store, PLAN.session_id, broadcast_id="b-1", record_path="/rec/a.mkv")
    repo.record_step(store, PLAN.session_id, step, "running", "bezig")


@pytest.mark.parametrize("step", [s for s in STEP_IDS if s != "done"])
def test_resume_finishes_the_interrupted_step_whatever_it_was(store, step):
    before = STEP_IDS[:STEP_IDS.index(step)]
    _killed_during(store, step, before=before)
    rec = Recorder()
    flow = ShowFlow(store, PLAN, rec, end_slate_seconds=0)
    assert flow.needs_resume()
    st = flow.resume()
    # it ran the interrupted step again (a gate that was being opened is opened) and carried on to the next
    # gate or the end; nothing before it ran again
    expected_stop = {"live": "on_air", "on_air": "done"}.get(step)
    if STEP_IDS.index(step) < STEP_IDS.index("live"):
        expected_stop = "live"
    elif STEP_IDS.index(step) > STEP_IDS.index("on_air"):
        expected_stop = "done"
    assert st.step == expected_stop, (step, st)
    ran = [c.split(":")[0] for c in rec.calls]
    assert not set(ran) & set(before) - {step}, ran
    if step not in ("on_air",):
        assert ran[0] == step, ran
    assert any(e["step"] == step and e["status"] == "interrupted" for e in flow.log())


def test_step_interrupted_three_times_is_offered_to_the_officer(store):
    _killed_during(store, "record", before=("scenes", "broadcast", "preflight", "slate"))
    from studio.store import session as repo

    for _ in range(2):
        flow = ShowFlow(store, PLAN, KillingRecorder("record"))
        with pytest.raises(SystemExit):
            flow.resume()
        assert repo.get_session(store, PLAN.session_id)["status"] == "running"
    flow = ShowFlow(store, PLAN, Recorder())
    st = flow.resume()
    assert (st.step, st.status) == ("record", "failed") and "3 keer onderbroken" in st.detail
    assert flow.retry().step == "live"  # the officer chose r: it runs again


class KillingRecorder(Recorder):
    """Dies (like a SIGKILL: nothing after it is recorded) when it reaches one step."""

    def __init__(self, die_at):
        super().__init__()
        self.die_at = die_at

    def _hit(self, name):
        if name == self.die_at:
            raise SystemExit("killed")
        super()._hit(name)


def test_done_and_next_step_are_one_write(store):
    flow = ShowFlow(store, PLAN, KillingRecorder("slate"))
    with pytest.raises(SystemExit):
        flow.advance()
    # every step that finished left the flow on the next one, never on a step marked 'done'
    from studio.store import session as repo

    row = repo.get_session(store, PLAN.session_id)
    assert (row["step"], row["status"]) == ("slate", "running")
    done = [e for e in flow.log() if e["status"] == "done"]
    for e in done:
        nxt = STEP_IDS[STEP_IDS.index(e["step"]) + 1]
        assert any(x["step"] == nxt and x["status"] == "pending" and x["at"] == e["at"] for x in flow.log())


def test_end_that_cannot_finish_stays_live_until_x(store):
    from studio.usecases.show import still_streaming

    rec = Recorder(fail={"end_broadcast": 2})
    flow = ShowFlow(store, PLAN, rec, end_slate_seconds=0)
    flow.advance()
    flow.go_live()
    st = flow.end()
    assert (st.step, st.status) == ("end_broadcast", "failed")
    assert still_streaming(flow.log())
    st = flow.stop()  # 'x': tries the end again (YouTube still failing)
    assert (st.step, st.status) == ("end_broadcast", "failed") and still_streaming(flow.log())
    st = flow.stop()
    assert st.finished and not still_streaming(flow.log())
    assert rec.calls.count("end_broadcast") == 3
