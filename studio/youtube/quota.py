"""The YouTube quota: one cost table, and a ledger per Pacific-time day in SQLite.

Google resets the daily quota at midnight Pacific time, so the ledger's "day" is the date in
America/Los_Angeles, not the local one. Costs follow Google's published table; where Google publishes
none (most live-streaming methods) they are counted conservatively: 50 for a write, 1 for a read.
Every call is recorded, including failed ones that reached YouTube (invalid requests cost too).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from studio.store import Store
from studio.store import youtube as repo

PACIFIC = ZoneInfo("America/Los_Angeles")

# resource.method -> units. The one place this number lives (the emulator counts with it too).
COSTS: dict[str, int] = {
    "liveBroadcasts.list": 1,
    "liveBroadcasts.insert": 50,
    "liveBroadcasts.update": 50,
    "liveBroadcasts.delete": 50,
    "liveBroadcasts.bind": 50,
    "liveBroadcasts.transition": 50,
    "liveBroadcasts.control": 50,
    "liveBroadcasts.cuepoint": 50,
    "liveStreams.list": 1,
    "liveStreams.insert": 50,
    "liveStreams.update": 50,
    "liveStreams.delete": 50,
    "liveChatMessages.list": 5,
    "liveChatMessages.insert": 20,
    "liveChatMessages.delete": 20,
    "liveChatBans.insert": 50,
    "liveChatBans.delete": 50,
    "liveChatModerators.list": 1,
    "channels.list": 1,
    "videos.list": 1,
    "videos.update": 50,
    "videos.delete": 50,
    "videos.insert": 1600,
    "thumbnails.set": 50,
    "playlists.list": 1,
    "playlists.insert": 50,
    "playlistItems.list": 1,
    "playlistItems.insert": 50,
    "search.list": 100,
    # Captions: Google's quota calculator, checked 2026-12-01 (issue 14; added by the captions work).
    "captions.list": 50,
    "captions.insert": 400,
    "captions.update": 450,
    "captions.delete": 50,
}

READ_COST = 1
WRITE_COST = 50


def cost_of(method: str) -> int:
    """Units one call of ``resource.method`` costs; unknown methods: 1 for reads, 50 for anything else."""
    if method in COSTS:
        return COSTS[method]
    verb = method.rsplit(".", 1)[-1]
    return READ_COST if verb in {"list", "get"} else WRITE_COST


def pacific_day(at: float | None = None) -> str:
    """The quota day (YYYY-MM-DD in Pacific time) of unix time ``at`` (default: now)."""
    when = datetime.fromtimestamp(time.time() if at is None else at, tz=UTC)
    return when.astimezone(PACIFIC).date().isoformat()


def next_reset(at: float | None = None) -> datetime:
    """When the quota resets next (midnight Pacific), as an aware datetime in UTC."""
    now = datetime.fromtimestamp(time.time() if at is None else at, tz=UTC).astimezone(PACIFIC)
    from datetime import timedelta

    midnight = datetime(now.year, now.month, now.day, tzinfo=PACIFIC) + timedelta(days=1)
    # Normalise through UTC so a DST change on that night lands on the real midnight.
    return midnight.astimezone(UTC)


# The calls one session costs from "create" to "end", the way studio.youtube.broadcast makes them.
SESSION_CALLS: dict[str, int] = {
    "liveBroadcasts.insert": 1,
    "liveBroadcasts.bind": 1,
    "liveBroadcasts.transition": 3,  # testing, live, complete
    "liveBroadcasts.list": 25,  # status polls while going live and ending (26 in all on the emulator)
    "liveStreams.list": 25,  # waiting for the ingest to turn active; YouTube itself is slower
}


def session_forecast(chat_budget: int = 0) -> int:
    """Units one session is expected to use: the broadcast flow plus the chat budget."""
    return sum(cost_of(m) * n for m, n in SESSION_CALLS.items()) + chat_budget


@dataclass(frozen=True)
class QuotaUsage:
    day: str
    used: int
    limit: int
    by_method: dict[str, int]

    @property
    def ratio(self) -> float:
        return self.used / self.limit if self.limit > 0 else 0.0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


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
        cost = cost_of(method) if units is None else units
        repo.record_quota(self.store, target=self.target, at=at, day=pacific_day(at), method=method, units=cost, ok=ok, reason=reason)
        return cost

    def usage(self, day: str | None = None) -> QuotaUsage:
        day = day or pacific_day()
        by_method = repo.quota_by_method(self.store, self.target, day)
        return QuotaUsage(day=day, used=sum(by_method.values()), limit=self.daily_limit, by_method=by_method)

    def used_since(self, at: float) -> int:
        return repo.quota_since(self.store, self.target, at)

    def should_warn(self, extra: int = 0) -> bool:
        """True when today's use (plus ``extra`` planned units) reaches the warning share of the limit."""
        u = self.usage()
        return self.daily_limit > 0 and (u.used + extra) >= self.warn_ratio * self.daily_limit
