"""Quota cost table, Pacific-day ledger, forecast and warning."""

from __future__ import annotations

from datetime import UTC, datetime

from studio.youtube.quota import COSTS, QuotaLedger, cost_of, next_reset, pacific_day, session_forecast


def ts(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


def test_cost_table_known_and_conservative_fallbacks():
    assert cost_of("liveChatMessages.list") == 5
    assert cost_of("liveBroadcasts.insert") == 50
    assert cost_of("videos.insert") == 1600
    assert cost_of("somethingNew.list") == 1
    assert cost_of("somethingNew.frobnicate") == 50
    assert all(v >= 1 for v in COSTS.values())


def test_pacific_day_boundaries_in_winter_and_summer():
    # PST = UTC-8: 07:59 UTC is still the previous day, 08:00 UTC the new one.
    assert pacific_day(ts(2026, 1, 10, 7, 59)) == "2026-01-09"
    assert pacific_day(ts(2026, 1, 10, 8, 0)) == "2026-01-10"
    # PDT = UTC-7
    assert pacific_day(ts(2026, 7, 10, 6, 59)) == "2026-07-09"
    assert pacific_day(ts(2026, 7, 10, 7, 0)) == "2026-07-10"
    # New Year in Amsterdam (23:00 UTC) is still 31 December in California.
    assert pacific_day(ts(2026, 12, 31, 23, 30)) == "2026-12-31"


def test_next_reset_is_midnight_pacific():
    assert next_reset(ts(2026, 1, 10, 12, 0)) == datetime(2026, 1, 11, 8, 0, tzinfo=UTC)
    assert next_reset(ts(2026, 7, 10, 12, 0)) == datetime(2026, 7, 11, 7, 0, tzinfo=UTC)
    # The night Pacific time springs forward (8 March 2026) midnight is still 08:00 UTC (PST).
    assert next_reset(ts(2026, 3, 7, 20, 0)) == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)


def test_ledger_sums_per_pacific_day_and_target(store):
    ledger = QuotaLedger(store, daily_limit=1000, warn_ratio=0.8)
    rehearsal = QuotaLedger(store, daily_limit=1000, target="oefen")
    ledger.record("liveBroadcasts.insert", at=ts(2026, 1, 10, 7, 0))  # day 9
    ledger.record("liveBroadcasts.insert", at=ts(2026, 1, 10, 9, 0))  # day 10
    ledger.record("liveBroadcasts.list", at=ts(2026, 1, 10, 9, 1))
    ledger.record("liveBroadcasts.transition", ok=False, reason="errorStreamInactive", at=ts(2026, 1, 10, 9, 2))
    rehearsal.record("liveBroadcasts.insert", at=ts(2026, 1, 10, 9, 0))
    u = ledger.usage("2026-01-10")
    assert u.used == 101 and u.by_method == {"liveBroadcasts.insert": 50, "liveBroadcasts.list": 1,
                                             "liveBroadcasts.transition": 50}
    assert ledger.usage("2026-01-09").used == 50
    assert rehearsal.usage("2026-01-10").used == 50
    assert u.remaining == 899 and abs(u.ratio - 0.101) < 1e-9


def test_warning_at_80_percent(store):
    ledger = QuotaLedger(store, daily_limit=100, warn_ratio=0.8)
    ledger.record("x.insert", units=79)
    assert not ledger.should_warn()
    assert ledger.should_warn(extra=1)
    ledger.record("x.list", units=1)
    assert ledger.should_warn()


def test_session_forecast_includes_chat_budget():
    base = session_forecast(0)
    assert base >= 250  # insert, bind and three transitions at 50 each
    assert session_forecast(1500) == base + 1500
