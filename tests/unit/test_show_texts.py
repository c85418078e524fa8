"""The Show screen's small texts: countdowns and the next step, in plain Dutch."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from studio.tui.screens.show import _clock, _countdown

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
