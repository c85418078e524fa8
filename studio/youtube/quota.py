"""The YouTube quota: one cost table with its source and date, buckets, and a ledger per Pacific-time day.

``TABLE`` is the single place a cost lives: the ledger, the emulator, the chat governor, the session and
publish forecasts all read it. When Google changes its figures, change ``TABLE`` (and ``TABLE_CHECKED``) and
nothing else. Google keeps most methods in the project's daily quota (``[youtube] daily_quota``, 10,000 by
default); ``videos.insert`` and ``search.list`` each have a bucket of their own (100 calls a day, 1 unit a
call), so an upload no longer eats the evening's live budget.

Google resets the daily quota at midnight Pacific time, so the ledger's "day" is the date in
America/Los_Angeles, not the local one. Every call is recorded, including failed ones that reached YouTube
(invalid requests cost too). The bucket of a ledger row follows from its method through ``TABLE``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from studio.store import Store
from studio.store import youtube as repo

PACIFIC = ZoneInfo("America/Los_Angeles")

TABLE_SOURCE = "Google's YouTube Data API quota calculator (developers.google.com/youtube/v3/determine_quota_cost)"
TABLE_CHECKED = "2026-12-01"

DEFAULT_BUCKET = "default"


@dataclass(frozen=True)
class Bucket:
    """A separate daily allowance. ``daily_limit`` None: the project's daily quota from the settings."""

    name: str
    label: str  # Dutch, for the quota view
    daily_limit: int | None


BUCKETS: dict[str, Bucket] = {
    DEFAULT_BUCKET: Bucket(DEFAULT_BUCKET, "dagquotum", None),
    "videos.insert": Bucket("videos.insert", "video-uploads", 100),
    "search.list": Bucket("search.list", "zoekopdrachten", 100),
}


@dataclass(frozen=True)
class Cost:
    units: int
    bucket: str = DEFAULT_BUCKET


def _each(units: int, *methods: str, bucket: str = DEFAULT_BUCKET) -> dict[str, Cost]:
    return {m: Cost(units, bucket) for m in methods}


# resource.method -> cost, as Google's quota calculator listed it on TABLE_CHECKED.
TABLE: dict[str, Cost] = {
    **_each(1, *(f"liveBroadcasts.{m}" for m in ("bind", "delete", "insert", "insertCuepoint", "list",
                                                 "transition", "update"))),
    **_each(1, *(f"liveStreams.{m}" for m in ("delete", "insert", "list", "update"))),
    **_each(5, "liveChatMessages.list", "liveChatMessages.streamList"),
    **_each(20, "liveChatMessages.insert", "liveChatMessages.delete", "liveChatMessages.transition"),
    **_each(200, "liveChatBans.insert", "liveChatBans.delete"),
    **_each(200, "liveChatModerators.insert", "liveChatModerators.delete"),
    "liveChatModerators.list": Cost(50),
    **_each(50, "captions.list", "captions.delete"),
    "captions.insert": Cost(400),
    "captions.update": Cost(450),
    **_each(50, "videos.update", "thumbnails.set", "playlistItems.insert", "playlistItems.update",
            "playlistItems.delete"),
    **_each(50, "videos.delete", "playlists.insert", "playlists.update", "playlists.delete"),
    **_each(1, "videos.list", "channels.list", "playlists.list", "playlistItems.list"),
    "videos.insert": Cost(1, "videos.insert"),
    "search.list": Cost(1, "search.list"),
}

# Discovery method ids whose names differ from the calculator's (the streaming chat sits in a nested resource).
DISCOVERY_ALIASES: dict[str, str] = {"youtube.v3.liveChat.messages.stream": "liveChatMessages.streamList"}

READ_COST = 1  # "other lists 1"
WRITE_COST = 50  # a write the table does not know: counted like the dearest ordinary write


def method_name(discovery_id: str) -> str:
    """The table's name for a discovery method id ('youtube.liveBroadcasts.insert' -> 'liveBroadcasts.insert')."""
    name = discovery_id.removeprefix("youtube.")
    return DISCOVERY_ALIASES.get(name, name)


def cost(method: str) -> Cost:
    found = TABLE.get(method)
    if found is not None:
        return found
    verb = method.rsplit(".", 1)[-1]
    return Cost(READ_COST if verb in {"list", "get"} else WRITE_COST)


def cost_of(method: str) -> int:
    """Units one call of ``resource.method`` costs; unknown methods: 1 for reads, 50 for anything else."""
    return cost(method).units


def bucket_of(method: str) -> str:
    return cost(method).bucket


def pacific_day(at: float | None = None) -> str:
    """The quota day (YYYY-MM-DD in Pacific time) of unix time ``at`` (default: now)."""
    when = datetime.fromtimestamp(time.time() if at is None else at, tz=UTC)
    return when.astimezone(PACIFIC).date().isoformat()


def next_reset(at: float | None = None) -> datetime:
    """When the quota resets next (midnight Pacific), as an aware datetime in UTC."""
    now = datetime.fromtimestamp(time.time() if at is None else at, tz=UTC).astimezone(PACIFIC)
    midnight = datetime(now.year, now.month, now.day, tzinfo=PACIFIC) + timedelta(days=1)
    # Normalise through UTC so a DST change on that night lands on the real midnight.
    return midnight.astimezone(UTC)


# --- what things cost: typed, for the quota view and the publish confirmation ------------------------
@dataclass(frozen=True)
class CallCost:
    """``calls`` calls of one method: which bucket they use and how many units in all."""

    method: str
    calls: int
    units: int
    bucket: str

    @property
    def bucket_label(self) -> str:
        return BUCKETS[self.bucket].label if self.bucket in BUCKETS else self.bucket


@dataclass(frozen=True)
class CostSheet:
    """A set of calls priced with ``TABLE``: per call, and per bucket."""

    calls: tuple[CallCost, ...]

    @property
    def by_bucket(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.calls:
            out[c.bucket] = out.get(c.bucket, 0) + c.units
        return out

    @property
    def units(self) -> int:
        """Units in the project's daily quota (the other buckets count separately)."""
        return self.by_bucket.get(DEFAULT_BUCKET, 0)

    def __add__(self, other: CostSheet) -> CostSheet:
        merged: dict[str, int] = {}
        for c in (*self.calls, *other.calls):
            merged[c.method] = merged.get(c.method, 0) + c.calls
        return price(merged)


def price(calls: Mapping[str, int] | Iterable[str]) -> CostSheet:
    """Price calls: ``{"liveBroadcasts.list": 25, ...}`` or an iterable of method names (one call each)."""
    counts: dict[str, int] = {}
    if isinstance(calls, Mapping):
        counts = {m: int(n) for m, n in calls.items() if n}
    else:
        for m in calls:
            counts[m] = counts.get(m, 0) + 1
    return CostSheet(tuple(CallCost(m, n, cost(m).units * n, cost(m).bucket) for m, n in counts.items()))


# The calls one session costs from "create" to "end", the way studio.youtube.broadcast makes them. The
# emulator needs 18 broadcast and 7 stream look-ups (bench/chat_quota.py, youtube_session_quota_table);
# YouTube's testing and live phases take longer, so the forecast counts more status polls.
SESSION_CALLS: dict[str, int] = {
    "liveBroadcasts.insert": 1,
    "liveBroadcasts.bind": 1,
    "liveBroadcasts.transition": 3,  # testing, live, complete
    "liveBroadcasts.list": 25,  # status polls while going live and ending
    "liveStreams.list": 12,  # finding the reusable stream, waiting for the ingest to turn active
}


def session_sheet() -> CostSheet:
    return price(SESSION_CALLS)


def session_forecast(chat_budget: int = 0) -> int:
    """Units (daily quota) one session is expected to use: the broadcast flow plus the chat budget."""
    return session_sheet().units + chat_budget


# --- the ledger --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BucketUsage:
    name: str
    label: str
    used: int  # units (for the 1-unit buckets: also calls)
    limit: int

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    @property
    def ratio(self) -> float:
        return self.used / self.limit if self.limit > 0 else 0.0


@dataclass(frozen=True)
class QuotaUsage:
    """Today's use. ``used``/``limit`` are the project's daily quota; ``buckets`` lists every bucket."""

    day: str
    used: int
    limit: int
    by_method: dict[str, int]
    buckets: tuple[BucketUsage, ...] = field(default_factory=tuple)

    @property
    def ratio(self) -> float:
        return self.used / self.limit if self.limit > 0 else 0.0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def bucket(self, name: str) -> BucketUsage:
        for b in self.buckets:
            if b.name == name:
                return b
        spec = BUCKETS[name]
        return BucketUsage(name, spec.label, 0, self.limit if spec.daily_limit is None else spec.daily_limit)


def usage_from(day: str, by_method: Mapping[str, int], daily_limit: int) -> QuotaUsage:
    """Split per-method units into the buckets of ``TABLE``."""
    used: dict[str, int] = dict.fromkeys(BUCKETS, 0)
    for method, units in by_method.items():
        b = bucket_of(method)
        used[b] = used.get(b, 0) + units
    buckets = tuple(BucketUsage(name, spec.label, used.get(name, 0),
                                daily_limit if spec.daily_limit is None else spec.daily_limit)
                    for name, spec in BUCKETS.items())
    return QuotaUsage(day=day, used=used[DEFAULT_BUCKET], limit=daily_limit, by_method=dict(by_method),
                      buckets=buckets)


class QuotaLedger:
    """Records each call's cost in SQLite and answers "how much did we use today (Pacific)?"."""

    def __init__(self, store: Store, daily_limit: int = 10_000, warn_ratio: float = 0.8,
                 target: str = "youtube") -> None:
        self.store = store
        self.target = target
        self.daily_limit = daily_limit
        self.warn_ratio = warn_ratio

    def record(self, method: str, *, ok: bool = True, reason: str = "", units: int | None = None,
               at: float | None = None) -> int:
        at = time.time() if at is None else at
        units = cost_of(method) if units is None else units
        repo.record_quota(self.store, target=self.target, at=at, day=pacific_day(at), method=method, units=units,
                          ok=ok, reason=reason)
        return units

    def usage(self, day: str | None = None) -> QuotaUsage:
        day = day or pacific_day()
        return usage_from(day, repo.quota_by_method(self.store, self.target, day), self.daily_limit)

    def used_since(self, at: float) -> int:
        return repo.quota_since(self.store, self.target, at)

    def should_warn(self, extra: int = 0) -> bool:
        """True when today's use (plus ``extra`` planned units) reaches the warning share of the daily quota."""
        u = self.usage()
        return self.daily_limit > 0 and (u.used + extra) >= self.warn_ratio * self.daily_limit


# --- the evening -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EveningForecast:
    """What tonight's sessions (and publishing their recordings) will take from each bucket.

    ``chat_budget`` is the governor's ceiling per session (``[chat] quota_budget``): what polling spends at
    most; a chat read over the stream spends a fraction of it. ``chat_room`` is what the daily quota leaves
    per session for chat after the broadcast flows, the publishing and the reserve.
    """

    usage: QuotaUsage
    sessions: int
    session: CostSheet  # one session's broadcast flow
    chat_budget: int
    publishing: CostSheet  # all publications tonight
    warn_ratio: float
    reserve: int

    @property
    def planned(self) -> dict[str, int]:
        out = {name: self.session.by_bucket.get(name, 0) * self.sessions for name in BUCKETS}
        out[DEFAULT_BUCKET] += self.chat_budget * self.sessions
        for name, units in self.publishing.by_bucket.items():
            out[name] = out.get(name, 0) + units
        return out

    @property
    def per_session(self) -> int:
        return self.session.units + self.chat_budget

    @property
    def total(self) -> int:
        """Daily-quota units used by the end of the evening (today's use plus the plan)."""
        return self.usage.used + self.planned[DEFAULT_BUCKET]

    @property
    def fits(self) -> bool:
        return all(self.usage.bucket(name).used + units <= self.usage.bucket(name).limit
                   for name, units in self.planned.items() if self.usage.bucket(name).limit > 0)

    @property
    def warn(self) -> bool:
        limit = self.usage.limit
        return limit > 0 and max(self.usage.used, self.total) >= self.warn_ratio * limit

    @property
    def chat_room(self) -> int:
        if self.sessions <= 0:
            return 0
        flows = self.session.units * self.sessions + self.publishing.units
        left = self.usage.remaining - flows - self.reserve
        return max(0, left // self.sessions)


def evening_forecast(usage: QuotaUsage, sessions: int, chat_budget: int, *, publications: Iterable[CostSheet] = (),
                     warn_ratio: float = 0.8, reserve_ratio: float = 0.05) -> EveningForecast:
    """Tonight's forecast: ``sessions`` broadcast flows with ``chat_budget`` each, plus ``publications``."""
    publishing = price({})
    for sheet in publications:
        publishing = publishing + sheet
    return EveningForecast(usage=usage, sessions=max(0, sessions), session=session_sheet(), chat_budget=chat_budget,
                           publishing=publishing, warn_ratio=warn_ratio,
                           reserve=int(usage.limit * reserve_ratio))


# --- Dutch lines for `studio quota` and the publish confirmation (phase 2 prints them) -----------------
def usage_lines(usage: QuotaUsage) -> list[str]:
    """One line per bucket: 'dagquotum: 57 van 10000 eenheden (1%)', 'video-uploads: 1 van 100 keer'."""
    lines = []
    for b in usage.buckets:
        unit = "eenheden" if b.name == DEFAULT_BUCKET else "keer"
        lines.append(f"{b.label}: {b.used} van {b.limit} {unit} ({b.ratio:.0%})")
    return lines


def method_lines(usage: QuotaUsage) -> list[str]:
    """Today's units per method, dearest first, each with the bucket it counts in."""
    lines = []
    for method, units in sorted(usage.by_method.items(), key=lambda kv: (-kv[1], kv[0])):
        bucket = bucket_of(method)
        label = BUCKETS[bucket].label if bucket in BUCKETS else bucket
        lines.append(f"  {method:<30} {units:>6} ({label})")
    return lines


def sheet_lines(sheet: CostSheet) -> list[str]:
    """Per call: method, how often, units and bucket; then the total per bucket."""
    lines = [f"  {c.method:<30} {c.calls:>3}x {c.units:>6} ({c.bucket_label})" for c in sheet.calls]
    totals = ", ".join(f"{BUCKETS[name].label if name in BUCKETS else name}: {units}"
                       for name, units in sheet.by_bucket.items())
    lines.append(f"  totaal per bucket: {totals or 'niets'}")
    return lines


def forecast_lines(f: EveningForecast) -> list[str]:
    """The evening in a few lines: per session, tonight per bucket, and the room left for chat."""
    limit = f.usage.limit
    share = f" ({f.total / limit:.0%})" if limit > 0 else ""
    lines = [f"per sessie: {f.session.units} eenheden voor de uitzending + ten hoogste {f.chat_budget} voor de chat",
             f"vanavond ({f.sessions} sessie{'s' if f.sessions != 1 else ''}): {f.planned[DEFAULT_BUCKET]} eenheden "
             f"uit het dagquotum -> {f.total} van {limit}{share}"]
    for name, units in f.planned.items():
        if name != DEFAULT_BUCKET and units:
            b = f.usage.bucket(name)
            lines.append(f"{b.label}: {units} keer (vandaag al {b.used} van {b.limit})")
    if f.sessions:
        lines.append(f"ruimte voor de chat per sessie: {f.chat_room} eenheden")
    if not f.fits:
        lines.append("LET OP: dit past niet in het quotum van vandaag")
    return lines


def source_line() -> str:
    return f"kosten volgens {TABLE_SOURCE}, gecontroleerd op {TABLE_CHECKED}"
