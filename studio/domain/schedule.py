"""The series schedule: Dutch sessions every few weeks, Arabic ones every few months on a Dutch evening.

Pure rules, no I/O. Times are wall-clock times in the series' time zone (Europe/Amsterdam): a session at
19:00 is at 19:00 in winter and in summer, so its UTC time moves with daylight saving time.

How the Arabic evenings are found: take ``first_arabic`` plus k times ``arabic_every_months`` months and
use the Dutch session evening nearest to that date (the earlier one on a tie). With Dutch sessions every
two weeks the nearest Dutch evening is at most a week away, so every Arabic session falls on a Dutch
evening, after the Dutch session, and no two collide.

Topics rotate per language through the editable list: the n-th session of a series (counted from its
first session, not from the date asked for) gets ``topics[n % len(topics)]``; the same session always has
the same topic, whatever range is printed.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LANGS = ("nl", "ar")


@dataclass(frozen=True)
class SeriesRule:
    timezone: str
    first_dutch: date
    dutch_every_weeks: int
    dutch_time: time
    first_arabic: date
    arabic_every_months: int
    arabic_time: time
    duration_minutes: int
    topics: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.dutch_every_weeks < 1 or self.arabic_every_months < 1:
            raise ValueError("intervals must be at least 1")
        if not self.topics:
            raise ValueError("at least one topic")
        ZoneInfo(self.timezone)  # raises on an unknown zone


@dataclass(frozen=True)
class Session:
    lang: str  # "nl" or "ar"
    start: datetime  # aware, in the series' time zone
    duration: timedelta
    topic: str
    number: int  # 0-based position in its language's series

    @property
    def key(self) -> str:
        """Stable identity of the session: local date and language ('2026-01-06-nl')."""
        return f"{self.start.date().isoformat()}-{self.lang}"

    @property
    def end(self) -> datetime:
        return (self.start.astimezone(UTC) + self.duration).astimezone(self.start.tzinfo)

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)


def parse_hhmm(text: str) -> time:
    """'19:00' -> time(19, 0); raises ValueError with a plain message otherwise."""
    try:
        hh, mm = text.strip().split(":")
        return time(int(hh), int(mm))
    except (ValueError, TypeError):
        raise ValueError(f"ongeldige tijd {text!r} (verwacht UU:MM)") from None


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def local_datetime(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Wall-clock ``at`` on ``day`` in ``tz``; a time in the spring-forward gap moves forward an hour."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    # Round-trip through UTC: a non-existent local time comes back as the real instant after the gap.
    return aware.astimezone(UTC).astimezone(tz)


def _dutch_index_nearest(rule: SeriesRule, d: date) -> int:
    period = 7 * rule.dutch_every_weeks
    delta = (d - rule.first_dutch).days
    lower = delta // period
    # nearest of lower and lower + 1; the earlier on a tie
    if (delta - lower * period) > ((lower + 1) * period - delta):
        lower += 1
    return max(0, lower)


def _dutch_date(rule: SeriesRule, index: int) -> date:
    return rule.first_dutch + timedelta(weeks=rule.dutch_every_weeks * index)


def dutch_sessions(rule: SeriesRule, start: date, end: date) -> list[Session]:
    tz = ZoneInfo(rule.timezone)
    period = 7 * rule.dutch_every_weeks
    first = max(0, -(-(start - rule.first_dutch).days // period))  # ceil division
    out = []
    n = first
    while (d := _dutch_date(rule, n)) < end:
        if d >= start:
            out.append(Session("nl", local_datetime(d, rule.dutch_time, tz),
                               timedelta(minutes=rule.duration_minutes), rule.topics[n % len(rule.topics)], n))
        n += 1
    return out


def arabic_sessions(rule: SeriesRule, start: date, end: date) -> list[Session]:
    tz = ZoneInfo(rule.timezone)
    out = []
    # Walk the months from the first Arabic session; a session can be at most a week from its target date.
    k = max(0, ((start.year - rule.first_arabic.year) * 12 + start.month - rule.first_arabic.month)
            // rule.arabic_every_months - 1)
    while True:
        target = add_months(rule.first_arabic, k * rule.arabic_every_months)
        d = _dutch_date(rule, _dutch_index_nearest(rule, target))
        if d >= end and target >= end:
            break
        # Only on a Dutch evening near its target: a target before the Dutch series began has no evening of its
        # own (it would fall on the series' first evening, as often as there are such targets).
        near = abs((d - target).days) <= 7 * rule.dutch_every_weeks / 2
        if near and start <= d < end:
            out.append(Session("ar", local_datetime(d, rule.arabic_time, tz),
                               timedelta(minutes=rule.duration_minutes), rule.topics[k % len(rule.topics)], k))
        k += 1
    return out


def sessions_between(rule: SeriesRule, start: date, end: date) -> list[Session]:
    """Every session with a local date in [start, end), in time order (Dutch before Arabic on one evening)."""
    both = dutch_sessions(rule, start, end) + arabic_sessions(rule, start, end)
    return sorted(both, key=lambda s: (s.start_utc, LANGS.index(s.lang)))


def sessions_for_months(rule: SeriesRule, start: date, months: int) -> list[Session]:
    return sessions_between(rule, start, add_months(start, months))


def sessions_on(rule: SeriesRule, day: date) -> list[Session]:
    """The sessions of one evening (e.g. tonight)."""
    return sessions_between(rule, day, day + timedelta(days=1))


def next_sessions(rule: SeriesRule, now: datetime, count: int = 1) -> list[Session]:
    """The next ``count`` sessions that have not ended yet at ``now`` (aware)."""
    day = now.astimezone(ZoneInfo(rule.timezone)).date()
    found: list[Session] = []
    months = 3
    while len(found) < count and months <= 48:
        found = [s for s in sessions_for_months(rule, day, months) if s.end > now]
        months *= 2
    return found[:count]


# --- iCalendar (RFC 5545) ----------------------------------------------------------------------------
def _ics_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold_line(line: str, limit: int = 75) -> str:
    """Fold a content line to at most ``limit`` octets per line (UTF-8), never splitting a character."""
    out: list[str] = []
    current = ""
    size = 0
    budget = limit
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > budget:
            out.append(current)
            current, size, budget = "", 0, limit - 1  # continuation lines start with one space
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def _ics_time(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class CalendarEntry:
    session: Session
    summary: str
    description: str
    url: str = ""


def to_ics(entries: list[CalendarEntry], stamp: datetime, domain: str = "wijkspreekuur.heerlen.nl") -> str:
    """An RFC 5545 calendar (UTC times, CRLF, folded lines). UIDs are stable per session."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Politie en gemeente Heerlen//Wijkspreekuur Studio//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Digitaal wijkspreekuur",
    ]
    for e in entries:
        s = e.session
        lines += [
            "BEGIN:VEVENT",
            f"UID:{s.key}@{domain}",
            f"DTSTAMP:{_ics_time(stamp)}",
            f"DTSTART:{_ics_time(s.start)}",
            f"DTEND:{_ics_time(s.end)}",
            f"SUMMARY:{_ics_escape(e.summary)}",
            f"DESCRIPTION:{_ics_escape(e.description)}",
        ]
        if e.url:
            lines.append(f"URL:{e.url}")
        lines += [f"CATEGORIES:{_ics_escape('wijkspreekuur-' + s.lang)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def rule_from_settings(schedule: object) -> SeriesRule:
    """A SeriesRule from a ``[schedule]`` settings section (duck-typed: the domain imports no config)."""
    g = schedule.__getattribute__
    try:
        return SeriesRule(
            timezone=str(g("timezone")),
            first_dutch=date.fromisoformat(str(g("first_dutch_session"))),
            dutch_every_weeks=int(g("dutch_every_weeks")),
            dutch_time=parse_hhmm(str(g("dutch_time"))),
            first_arabic=date.fromisoformat(str(g("first_arabic_session"))),
            arabic_every_months=int(g("arabic_every_months")),
            arabic_time=parse_hhmm(str(g("arabic_time"))),
            duration_minutes=int(g("duration_minutes")),
            topics=tuple(str(t) for t in g("topics")),
        )
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"ongeldige [schedule]-instelling: {exc}") from None
