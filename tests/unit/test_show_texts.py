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
