"""YouTube broadcasts by hand and by schedule: the Uitzending screen (F3), `studio broadcast` and `studio schedule`.

The show flow takes tonight's broadcast live and off air by itself (studio.usecases.show_steps); these are the
same operations for a person who wants to do one step alone, and the overview the screen shows.

A broadcast's title and description carry the session's topic and stay public for years: before a broadcast
is made by hand or by schedule, the topic passes the privacy filter (``checked_topic``). A topic in which it
finds a name, an address or a number is refused with the topic as it would have to read, so a person chooses
another; nothing is made. The show flow, which must not stop at 19:00 over a word in the configuration, uses
the topic with those details hidden instead (``public_topic``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studio.errors import ConfigError, StudioError
from studio.usecases import evening, quota
from studio.usecases.context import Studio

if TYPE_CHECKING:
    from studio.domain.air_status import YouTubeReport
    from studio.domain.schedule import Session
    from studio.store.youtube import BroadcastRecord
    from studio.youtube.broadcast import BroadcastStatus
    from studio.youtube.quota import QuotaUsage

Progress = Callable[[str], None]


def coming_sessions(ctx: Studio, count: int = 3, now: datetime | None = None) -> list[Session]:
    """The next sessions of the series (no YouTube needed)."""
    from studio.domain.schedule import next_sessions

    try:
        return next_sessions(evening.schedule_rule(ctx.settings), now or datetime.now(UTC), count)
    except ConfigError:
        return []


@dataclass(frozen=True)
class Overview:
    records: list[BroadcastRecord]  # what this studio made on this target, newest first
    pending: list[BroadcastRecord]  # being taken live or ended when the panel stopped
    sessions: list[Session]
    usage: QuotaUsage
    rehearsal: bool
    endpoint: str


def overview(ctx: Studio, now: datetime | None = None) -> Overview:
    """What the Uitzending screen shows (may start the rehearsal emulator: call it from a worker)."""
    yt = ctx.youtube
    return Overview(yt.broadcasts.known(50), yt.broadcasts.pending(), coming_sessions(ctx, now=now),
                    yt.ledger.usage(), yt.rehearsal, yt.endpoint)


def status(ctx: Studio, broadcast_id: str, *, with_health: bool = True) -> BroadcastStatus:
    return ctx.youtube.broadcasts.status(broadcast_id, with_health=with_health)


def usage(ctx: Studio) -> QuotaUsage:
    """Quota used today: YouTube's own ledger when this run talks to YouTube, else the store's (no call)."""
    yt = ctx.youtube_if_started()
    return yt.ledger.usage() if yt is not None else quota.usage(ctx)


def public_topic(ctx: Studio, topic: str, lang: str) -> str:
    """The topic as it may go into a public title: what the privacy filter finds in it hidden."""
    from studio.usecases import privacy

    return privacy.scrub_for_publication(ctx, topic, lang)


def checked_topic(ctx: Studio, topic: str, lang: str) -> str:
    """``topic`` when the privacy filter finds nothing in it; otherwise a StudioError that shows what it found
    hidden (never the detail itself)."""
    from studio.usecases import privacy

    public = privacy.public_text(ctx, topic, lang)
    if public is None:
        raise StudioError("de privacyfilter kon het onderwerp niet controleren: er is geen uitzending gemaakt",
                          "probeer het over een minuut opnieuw; zie 'studio check' als het blijft gebeuren")
    if public != topic:
        raise StudioError(f"het onderwerp '{public}' bevat mogelijk een naam, adres of nummer en komt in een "
                          "openbare titel: er is geen uitzending gemaakt",
                          "kies een onderwerp zonder persoonsgegevens, bv. 'inbraak' of 'overlast'")
    return topic


def create(ctx: Studio, topic: str, lang: str, start: datetime, session_key: str | None = None) -> BroadcastStatus:
    """A broadcast for this topic and start (the one that exists already when there is one)."""
    topic = checked_topic(ctx, topic, lang)
    yt = ctx.youtube
    rec = yt.broadcasts.create(topic, lang, start, session_key=session_key)
    if not rec.broadcast_id:
        raise StudioError("YouTube gaf geen uitzending terug", "probeer opnieuw")
    return yt.broadcasts.status(rec.broadcast_id, with_health=False)


def create_for_next_session(ctx: Studio, sessions: Sequence[Session], now: datetime | None = None) -> tuple[Session, str]:
    """The broadcast of the first session that has not started yet; (session, broadcast id)."""
    now = now or datetime.now(UTC)
    session = next((s for s in sessions if s.start_utc > now), None)
    if session is None:
        raise StudioError("geen komende sessie in het schema", "controleer [schedule]")
    checked_topic(ctx, session.topic, session.lang)
    rec = ctx.youtube.broadcasts.create(session.topic, session.lang, session.start, session_key=session.key)
    if not rec.broadcast_id:
        raise StudioError("YouTube gaf geen uitzending terug", "probeer opnieuw")
    return session, rec.broadcast_id


@dataclass(frozen=True)
class Created:
    session: Session
    broadcast_id: str
    fresh: bool  # made now (False: it existed already)


def create_for_sessions(ctx: Studio, sessions: Sequence[Session], now: datetime | None = None) -> list[Created]:
    """Broadcasts for every future session (`studio schedule --create`); existing ones are kept."""
    now = now or datetime.now(UTC)
    coming = [s for s in sessions if s.start_utc > now]
    for s in coming:  # every topic first: none made when one would put a name in a title
        checked_topic(ctx, s.topic, s.lang)
    yt = ctx.youtube
    out = []
    for s in coming:
        before = yt.broadcasts.known_for_session(s.key)
        rec = yt.broadcasts.create(s.topic, s.lang, s.start, session_key=s.key)
        out.append(Created(s, str(rec.broadcast_id), before is None or before.broadcast_id != rec.broadcast_id))
    return out


def go_live(ctx: Studio, broadcast_id: str, progress: Progress = lambda _m: None) -> BroadcastStatus:
    """OBS streams to the broadcast, YouTube tests it, then live; carries on where a previous run stopped."""
    return ctx.youtube.broadcasts.go_live(broadcast_id, progress)


def end(ctx: Studio, broadcast_id: str, progress: Progress = lambda _m: None) -> BroadcastStatus:
    return ctx.youtube.broadcasts.end(broadcast_id, progress)


def list_on_youtube(ctx: Studio) -> list[tuple[BroadcastStatus, BroadcastRecord | None]]:
    """Every broadcast of the channel, with this studio's record of it when it made it."""
    yt = ctx.youtube
    known = {r.broadcast_id: r for r in yt.broadcasts.known(200) if r.broadcast_id}
    return [(b, known.get(b.broadcast_id)) for b in yt.broadcasts.list_mine()]


def write_calendar(path: Path, sessions: Sequence[Session], links: dict[str, str]) -> Path:
    """The sessions as an iCalendar file (atomically; a file that cannot be written is a usage error)."""
    from studio.domain import broadcast_texts as texts
    from studio.domain.schedule import CalendarEntry, to_ics
    from studio.files import write_atomic

    entries = [CalendarEntry(s, texts.calendar_summary(s.topic, s.lang),
                             texts.broadcast_description(s.topic, s.start, s.lang),
                             links.get(s.key, texts.CHANNEL_URL)) for s in sessions]
    try:
        return write_atomic(path, to_ics(entries, datetime.now(UTC)))
    except OSError as exc:
        raise ConfigError(f"kan {path} niet schrijven: {exc.strerror}",
                          "kies met --ics een bestand in een map waarin u mag schrijven") from None


def air_report(st: BroadcastStatus, at: float | None = None) -> YouTubeReport:
    """YouTube's answer about a broadcast as the panel's status needs it (studio.domain.air_status)."""
    import time

    from studio.domain.air_status import YouTubeReport, parse_youtube_time

    stream = st.stream
    return YouTubeReport(st.broadcast_id, st.lifecycle, time.time() if at is None else at,
                         parse_youtube_time(st.actual_start), stream.stream_status if stream else "",
                         stream.health if stream else "")
