"""The Show screen's small texts: countdowns and the next step, in plain Dutch."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from studio.tui.screens.show_view import clock_text as _clock
from studio.tui.screens.show_view import countdown as _countdown

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 11, 24, 19, 0, tzinfo=AMS)


def test_clock_format():
    assert _clock(0) == "0:00:00" and _clock(3725) == "1:02:05" and _clock(-5) == "0:00:00"


def test_countdown_same_evening():
    assert _countdown(START, START - timedelta(minutes=30)) == "begint over 0:30:00"
    assert _countdown(START, START + timedelta(seconds=20)) == "begint nu"
    assert _countdown(START, START + timedelta(minutes=5)) == "begon 0:05:00 geleden"


def test_countdown_days_ahead_in_words():
    assert _countdown(START, datetime(2026, 11, 23, 21, 0, tzinfo=AMS)) == "morgen"
    assert _countdown(START, datetime(2026, 11, 21, 3, 0, tzinfo=AMS)) == "over 3 dagen"


def _state(step, status="pending", detail="", **kw):
    from studio.usecases.show import FlowState

    return FlowState("2026-11-24-nl", step, status, detail, kw.get("broadcast_id"), kw.get("live_since"), None)


def test_next_step_says_one_thing_to_do():
    from studio.tui.screens.show_view import EveningView
    from studio.usecases.show import SessionPlan

    nl = SessionPlan("2026-11-24-nl", "nl", "inbraak", "2026-11-24T19:00:00+01:00")
    ar = SessionPlan("2026-11-24-ar", "ar", "inbraak", "2026-11-24T20:00:00+01:00")
    view = EveningView((nl, ar), nl, _state("scenes"))
    assert "s " in view.next_step()[0]
    text, cls = EveningView((nl, ar), nl, _state("preflight", "failed", "microfoon stil")).next_step()
    assert cls == "-failed" and "microfoon stil" in text and "o = overslaan" in text
    text, _ = EveningView((nl, ar), nl, _state("record", "failed", "schijf vol")).next_step()
    assert "overslaan" not in text  # recording is never skipped
    assert "vanzelf live om 19:00" in EveningView((nl, ar), nl, _state("live", "waiting")).next_step()[0]
    text, _ = EveningView((nl, ar), nl, _state("done", "done")).next_step()
    assert "n " in text and "Arabisch om 20:00" in text
    assert "laatste sessie" in EveningView((nl, ar), ar, _state("done", "done")).next_step()[0]
    assert EveningView((nl, ar), nl, _state("stream", "running", "wacht op YouTube"), busy=True).next_step()[0] \
        .startswith("Bezig: wacht op YouTube")


def test_arabic_slate_names_the_topic_in_arabic_and_counts_down_only_near_the_start():
    from studio.domain.texts import starting_lines

    lines = starting_lines("ar", "diefstal", START, now=START - timedelta(minutes=30))
    assert any("السرقة" in line for line in lines) and not any("diefstal" in line for line in lines)
    assert any("30" in line for line in lines)
    far = starting_lines("nl", "diefstal", START, now=START - timedelta(hours=16))
    assert not any("minuten" in line for line in far) and any("diefstal" in line for line in far)


def test_timed_steps_count_down():
    """The end slate (30 s) and the wait for YouTube have a countdown; a step of unknown length has none."""
    from studio.tui.screens.show_view import EveningView
    from studio.usecases.show import SessionPlan

    nl = SessionPlan("2026-11-24-nl", "nl", "inbraak", "2026-11-24T19:00:00+01:00")
    t0 = START.timestamp() + 3600
    log = ({"step": "on_air", "status": "waiting", "detail": "", "at": t0 - 600},
           {"step": "end_slate", "status": "running", "detail": "", "at": t0})
    view = EveningView((nl,), nl, _state("end_slate", "running", "Eindbeeld in beeld…"), log=log, now=t0 + 6,
                       end_slate_seconds=30)
    text, _ = view.next_step()
    assert "nog 24 s" in text and "112 en 0900-8844" in text
    assert "nog 0 s" in EveningView((nl,), nl, view.state, log=log, now=t0 + 99).next_step()[0]
    # a retry starts the count again
    log2 = (*log, {"step": "end_slate", "status": "failed", "detail": "x", "at": t0 + 10},
            {"step": "end_slate", "status": "running", "detail": "", "at": t0 + 20})
    assert "nog 28 s" in EveningView((nl,), nl, view.state, log=log2, now=t0 + 22).next_step()[0]
    wait = ({"step": "stream", "status": "running", "detail": "", "at": t0},)
    text = EveningView((nl,), nl, _state("stream", "running", "wacht…"), log=wait, now=t0 + 20,
                       golive_timeout=120).next_step()[0]
    assert "nog tot 100 s" in text
    assert "nog" not in EveningView((nl,), nl, _state("archive", "running", "archiveren…"),
                                    log=({"step": "archive", "status": "running", "detail": "", "at": t0},),
                                    now=t0 + 5).next_step()[0]
    # the clock went back: no countdown rather than a wrong one
    assert "nog" not in EveningView((nl,), nl, view.state, log=log, now=t0 - 5).next_step()[0]
    # the live gate counts down to the automatic start
    live = EveningView((nl,), nl, _state("live", "waiting"), now=START.timestamp() - 90).next_step()[0]
    assert "vanzelf live om 19:00, over 0:01:30" in live


def test_every_confirmation_names_the_session_and_its_date():
    from studio.tui.screens.show_view import session_line
    from studio.usecases.show import SessionPlan

    nl = SessionPlan("2026-11-24-nl", "nl", "inbraak", "2026-11-24T19:00:00+01:00")
    assert session_line(nl, START - timedelta(hours=2)) == \
        "Sessie: Nederlands, dinsdag 24 november 2026 om 19:00 (vandaag)"
    assert "LET OP: niet vandaag" in session_line(nl, START - timedelta(days=7))
    practice = SessionPlan("2026-12-01-oefen1626-nl", "nl", "inbraak", "2026-12-01T16:26:00+01:00", True)
    assert session_line(practice, datetime(2026, 12, 1, 16, 21, tzinfo=AMS)).startswith(
        "Oefensessie: Nederlands, dinsdag 1 december 2026 om 16:26 (vandaag)")


def test_facts_line_is_dutch():
    from studio.tui.screens.show_view import facts_line
    from studio.usecases.evening import LiveFacts

    line = facts_line(LiveFacts(health="goed", quota_ratio=0.12, disk_free_minutes=90))
    assert line == "beeld bij YouTube: goed  ·  YouTube-quotum: 12% gebruikt  ·  schijf: ~90 min opname vrij"


def test_preflight_values_have_their_unit():
    from studio.usecases.preflight import CheckResult

    def value(check_id, v):
        return CheckResult(check_id, "", "ok", v, "", True).value_text

    assert value("disk.recordings", 83.1) == "83.1 GB vrij"
    assert value("audio.microphone", -23.456) == "-23.5 dBFS"
    assert value("youtube.quota", 9200) == "9200 eenheden over"
    assert value("obs.mic_input", "pulse_input_capture") == "microfoon (PulseAudio)"
    assert value("obs.camera_input", "v4l2_input") == "camera (V4L2)"
    assert value("obs.connection", "OBS 30.1 / WebSocket 5.4") == "OBS 30.1 / WebSocket 5.4"
    assert value("disk.recordings", None) == ""
