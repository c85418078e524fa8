"""The series schedule: intervals, Arabic evenings, DST, year ends, topics, ICS."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.domain.schedule import (
    CalendarEntry,
    SeriesRule,
    add_months,
    fold_line,
    next_sessions,
    rule_from_settings,
    sessions_between,
    sessions_for_months,
    sessions_on,
    to_ics,
)

TOPICS = ("diefstal", "inbraak", "vernieling", "huiselijk geweld", "overlast")


def rule(**kw) -> SeriesRule:
    base = dict(timezone="Europe/Amsterdam", first_dutch=date(2026, 1, 6), dutch_every_weeks=2,
                dutch_time=time(19, 0), first_arabic=date(2026, 1, 6), arabic_every_months=2,
                arabic_time=time(20, 0), duration_minutes=60, topics=TOPICS)
    base.update(kw)
    return SeriesRule(**base)


def test_dutch_every_two_weeks_at_19_local():
    out = [s for s in sessions_for_months(rule(), date(2026, 1, 1), 3) if s.lang == "nl"]
    assert [s.start.date() for s in out[:4]] == [date(2026, 1, 6), date(2026, 1, 20), date(2026, 2, 3),
                                                 date(2026, 2, 17)]
    assert all(s.start.hour == 19 and s.start.minute == 0 for s in out)
    assert all((b.start.date() - a.start.date()).days == 14 for a, b in itertools.pairwise(out))


def test_dst_spring_forward_keeps_wall_clock_and_moves_utc():
    # Summer time starts on Sunday 29 March 2026: 31 March is CEST (UTC+2), 17 March CET (UTC+1).
    out = {s.start.date(): s for s in sessions_between(rule(), date(2026, 3, 10), date(2026, 4, 10))
           if s.lang == "nl"}
    before, after = out[date(2026, 3, 17)], out[date(2026, 3, 31)]
    assert before.start.hour == after.start.hour == 19
    assert before.start_utc.hour == 18 and after.start_utc.hour == 17
    assert after.start.utcoffset() == timedelta(hours=2)


def test_dst_fall_back_and_session_end_across_change():
    # Winter time starts Sunday 25 October 2026: 13 Oct CEST, 27 Oct CET.
    out = {s.start.date(): s for s in sessions_between(rule(), date(2026, 10, 1), date(2026, 11, 1))
           if s.lang == "nl"}
    assert out[date(2026, 10, 13)].start_utc.hour == 17
    assert out[date(2026, 10, 27)].start_utc.hour == 18
    s = out[date(2026, 10, 27)]
    assert s.end - s.start == timedelta(hours=1)


def test_session_crossing_the_dst_night_lasts_its_real_duration():
    # A late session that runs over 02:00 on the night summer time starts: wall clock jumps, duration does not.
    r = rule(first_dutch=date(2026, 3, 28), dutch_time=time(23, 30), duration_minutes=180)
    s = next(x for x in sessions_on(r, date(2026, 3, 28)) if x.lang == "nl")
    assert s.end.astimezone(UTC) - s.start.astimezone(UTC) == timedelta(hours=3)
    assert s.end.hour == 3 and s.end.utcoffset() == timedelta(hours=2)


def test_time_in_the_spring_gap_moves_forward():
    r = rule(first_dutch=date(2026, 3, 29), dutch_time=time(2, 30))
    s = next(x for x in sessions_on(r, date(2026, 3, 29)) if x.lang == "nl")
    assert s.start.hour == 3 and s.start.utcoffset() == timedelta(hours=2)


def test_year_end_dutch_and_arabic_continue():
    r = rule(first_dutch=date(2026, 12, 22), first_arabic=date(2026, 12, 22))
    out = sessions_between(r, date(2026, 12, 1), date(2027, 3, 1))
    nl = [s.start.date() for s in out if s.lang == "nl"]
    ar = [s.start.date() for s in out if s.lang == "ar"]
    assert nl[:3] == [date(2026, 12, 22), date(2027, 1, 5), date(2027, 1, 19)]
    assert ar == [date(2026, 12, 22), date(2027, 2, 16)]  # 22 Feb is nearest 16 Feb (6 d) not 2 Mar (8 d)


def test_arabic_on_a_dutch_evening_after_the_dutch_session():
    out = sessions_for_months(rule(), date(2026, 1, 1), 24)
    by_day: dict[date, list] = {}
    for s in out:
        by_day.setdefault(s.start.date(), []).append(s)
    arabic = [s for s in out if s.lang == "ar"]
    assert len(arabic) == 12
    for s in arabic:
        langs = [x.lang for x in by_day[s.start.date()]]
        assert langs == ["nl", "ar"]  # same evening, Dutch first
        assert s.start.hour == 20
    gaps = [(b.start.date() - a.start.date()).days for a, b in itertools.pairwise(arabic)]
    assert all(49 <= g <= 75 for g in gaps)


def test_topics_rotate_and_are_stable_whatever_the_range():
    whole = sessions_for_months(rule(), date(2026, 1, 1), 12)
    part = sessions_for_months(rule(), date(2026, 6, 1), 2)
    topics = {s.key: s.topic for s in whole}
    assert all(topics[s.key] == s.topic for s in part)
    nl = [s.topic for s in whole if s.lang == "nl"]
    assert nl[:6] == [*TOPICS, TOPICS[0]]


def test_nothing_before_the_first_session():
    assert sessions_between(rule(), date(2025, 1, 1), date(2026, 1, 6)) == []


def test_add_months_clamps_and_crosses_years():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 12, 15), 2) == date(2028, 2, 15)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_next_sessions_skips_ended_ones():
    now = datetime(2026, 1, 6, 19, 30, tzinfo=UTC)  # 20:30 Amsterdam: Dutch ended, Arabic running
    nxt = next_sessions(rule(), now, 2)
    assert [s.key for s in nxt] == ["2026-01-06-ar", "2026-01-20-nl"]


def test_rule_from_settings_rejects_bad_values(settings):
    assert rule_from_settings(settings.schedule).dutch_time == time(19, 0)
    settings.schedule.dutch_time = "7 uur"
    with pytest.raises(ValueError, match="ongeldige"):
        rule_from_settings(settings.schedule)
    settings.schedule.dutch_time = "19:00"
    settings.schedule.timezone = "Europe/Atlantis"
    with pytest.raises(ValueError):
        rule_from_settings(settings.schedule)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2035, 12, 1)), st.integers(1, 6))
def test_property_sessions_sorted_unique_and_in_range(start, months):
    out = sessions_for_months(rule(), start, months)
    keys = [s.key for s in out]
    assert len(keys) == len(set(keys))
    assert all(start <= s.start.date() < add_months(start, months) for s in out)
    assert [s.start_utc for s in out] == sorted(s.start_utc for s in out)
    assert all(s.start.tzinfo is not None and s.start.hour in (19, 20) for s in out)


def test_arabic_series_older_than_the_dutch_one_has_one_evening_per_target():
    # Arabic every two months since January; the Dutch series only starts on 24 November: the old targets
    # (January to November) have no Dutch evening of their own and must not all land on 24 November.
    r = rule(first_dutch=date(2026, 11, 24), first_arabic=date(2026, 1, 6))
    out = sessions_between(r, date(2026, 11, 1), date(2027, 3, 1))
    arabic = [s for s in out if s.lang == "ar"]
    assert [s.start.date() for s in arabic] == [date(2027, 1, 5)]
    assert len({s.key for s in out}) == len(out)
    assert [s.key for s in next_sessions(r, datetime(2026, 11, 24, 17, 30, tzinfo=UTC), 3)] == [
        "2026-11-24-nl", "2026-12-08-nl", "2026-12-22-nl"]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)),
       st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)), st.integers(1, 12))
def test_property_any_two_series_starts_give_unique_evenings(first_dutch, first_arabic, months):
    r = rule(first_dutch=first_dutch, first_arabic=first_arabic)
    out = sessions_for_months(r, date(2026, 6, 1), months)
    keys = [s.key for s in out]
    assert len(keys) == len(set(keys))
    dutch_days = {s.start.date() for s in out if s.lang == "nl"}
    assert all(s.start.date() in dutch_days for s in out if s.lang == "ar")  # on a Dutch evening, after it


# --- iCalendar ------------------------------------------------------------------------------------------
def test_fold_line_limits_octets_and_keeps_characters_whole():
    line = "DESCRIPTION:" + "لقاء الحي الرقمي " * 20
    folded = fold_line(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_ics_is_valid_rfc5545_with_stable_uids():
    sessions = sessions_for_months(rule(), date(2026, 3, 1), 2)
    entries = [CalendarEntry(s, f"Wijkspreekuur: {s.topic}", "Bij spoed; altijd 112, ook\n\\ 's nachts")
               for s in sessions]
    stamp = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
    text = to_ics(entries, stamp)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert unfolded.count("BEGIN:VEVENT") == len(sessions) == unfolded.count("END:VEVENT")
    assert "UID:2026-03-03-ar@wijkspreekuur.heerlen.nl" in unfolded
    assert "DTSTART:20260303T190000Z" in unfolded  # 20:00 CET
    assert "DTSTART:20260331T170000Z" in unfolded  # 19:00 CEST
    assert "DTSTAMP:20260201T120000Z" in unfolded
    assert "Bij spoed\\; altijd 112\\, ook\\n\\\\ 's nachts" in unfolded
    # stable: the same sessions give the same UIDs on another day
    again = to_ics(entries, stamp + timedelta(days=3)).replace("\r\n ", "")
    uids = [x for x in unfolded.split("\r\n") if x.startswith("UID:")]
    assert uids == [x for x in again.split("\r\n") if x.startswith("UID:")]


def test_ics_parses_with_the_standard_library_email_style_unfolding():
    sessions = sessions_on(rule(), date(2026, 1, 6))
    text = to_ics([CalendarEntry(s, "x" * 200, "y") for s in sessions], datetime(2026, 1, 1, tzinfo=UTC))
    props = {}
    for line in text.replace("\r\n ", "").split("\r\n"):
        if line:
            name, _, value = line.partition(":")
            props.setdefault(name, []).append(value)
    assert props["SUMMARY"] == ["x" * 200, "x" * 200]
    assert props["DTEND"] == ["20260106T190000Z", "20260106T200000Z"]
