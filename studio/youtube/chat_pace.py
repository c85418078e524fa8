"""The pace of chat intake: when to read next (QuotaGovernor) and how (MethodChooser: stream or poll).

Pure arithmetic on an injectable clock; no I/O. Costs come from the one table in studio.youtube.quota.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from studio.youtube.quota import cost_of

LIST_COST = cost_of("liveChatMessages.list")
STREAM_COST = cost_of("liveChatMessages.streamList")
STREAM, POLL = "stream", "poll"


class QuotaGovernor:
    """Decides how long to wait before the next poll. Pure arithmetic on an injectable clock (seconds).

    ``even`` is the interval that would spend exactly the remaining units in the remaining time. While the
    chat is busy (new messages in the last ``hold`` seconds) the governor polls at ``busy_ratio * even``;
    once quiet it backs off step by step to ``quiet_ratio * even``. Never sooner than the server's minimum.
    """

    def __init__(self, budget_units: int, budget_seconds: float, *, cost: int = LIST_COST,
                 clock: Callable[[], float] = time.time, busy_ratio: float = 0.25, quiet_ratio: float = 1.5,
                 hold: float = 25.0, ramp: float = 1.6, started_at: float | None = None,
                 used_units: int = 0, reserve: float = 0.05) -> None:
        # a small reserve absorbs what the governor cannot plan: refused calls, a restart's first poll
        self.budget_units = max(cost, int(budget_units * (1.0 - reserve)))
        self.budget_seconds = max(60.0, float(budget_seconds))
        self.cost = cost
        self.clock = clock
        self.busy_ratio = busy_ratio
        self.quiet_ratio = quiet_ratio
        self.hold = hold
        self.ramp = ramp
        self.started_at = clock() if started_at is None else started_at
        self.used_units = used_units
        self.polls = used_units // cost
        self._last_activity: float | None = None
        self._quiet_polls = 0

    @property
    def average_interval(self) -> float:
        return self.budget_seconds * self.cost / self.budget_units

    @property
    def remaining_units(self) -> int:
        return self.budget_units - self.used_units

    def record_poll(self, new_messages: int) -> None:
        """One round (a poll or a stream connection) spent ``cost`` units and brought ``new_messages``."""
        self.used_units += self.cost
        self.polls += 1
        if new_messages > 0:
            self.record_activity()
        else:
            self._quiet_polls += 1

    def record_activity(self) -> None:
        """Messages arrived (also in the middle of a stream connection): the chat is busy now."""
        self._last_activity = self.clock()
        self._quiet_polls = 0

    def even_interval(self) -> float:
        now = self.clock()
        remaining_time = self.started_at + self.budget_seconds - now
        if remaining_time <= 0:
            return self.average_interval  # over time: keep the budget's average pace
        if self.remaining_units < self.cost:
            return remaining_time  # budget spent: the next poll is at the end of the budget period
        return remaining_time * self.cost / self.remaining_units

    def busy(self) -> bool:
        return self._last_activity is not None and self.clock() - self._last_activity <= self.hold

    def next_interval(self, server_min: float) -> float:
        even = self.even_interval()
        fast = max(server_min, even * self.busy_ratio)
        slow = max(server_min, even * self.quiet_ratio)
        if self.remaining_units < self.cost and self.clock() < self.started_at + self.budget_seconds:
            return max(server_min, even)
        if self.busy():
            return fast
        if self._last_activity is None:
            return slow
        # just quiet after a burst: slow down step by step (a lull inside a burst is common)
        return min(slow, fast * self.ramp ** self._quiet_polls)


@dataclass(frozen=True)
class Connection:
    """One stream connection as the intake saw it (clock seconds)."""

    lifetime: float  # from connect to close; 0 for one that was refused or broke before its first message
    delivered: bool  # its first response message arrived
    interval: float  # the governor's interval at the time: what one poll would have covered


class MethodChooser:
    """Stream or poll: whichever spends fewer units for the delay the governor aims at.

    A poll costs 5 units and covers one governor interval (a message waits at most that long). A stream
    connection costs 5 units too and carries each message the moment it is posted for as long as it lasts;
    the intake reconnects no sooner than the governor's interval, so a connection that delivered covers
    max(lifetime, interval) at next to no delay: never dearer than a poll for the same delay, and far
    cheaper when connections last. Streaming costs more when its connections deliver nothing (refused with
    a 5xx, dropped before their first message): then units per covered second exceed polling's, and the
    intake polls. After ``probe_after`` it tries one stream connection again ("and back"); while probes
    keep failing that wait doubles, up to ``max_probe``.
    """

    def __init__(self, prefer: str = "auto", *, window: int = 4, probe_after: float = 300.0,
                 max_probe: float = 3600.0, clock: Callable[[], float] = time.time) -> None:
        if prefer not in ("auto", STREAM, POLL):
            raise ValueError(f"prefer must be auto, stream or poll, not {prefer!r}")
        self.prefer = prefer
        self.clock = clock
        self.base_probe = probe_after
        self.probe_after = probe_after
        self.max_probe = max_probe
        self.recent: deque[Connection] = deque(maxlen=max(2, window))
        self.connections = 0
        self.switches = 0
        self.method = POLL if prefer == POLL else STREAM
        self._probe_at: float | None = None
        self._probing = False

    # -- what the intake tells it ------------------------------------------------------------------
    def record(self, conn: Connection) -> None:
        """After every stream connection (also a refused one)."""
        self.connections += 1
        self.recent.append(conn)
        if self.prefer != "auto":
            return
        if self._probing:
            self._probing = False
            if conn.delivered:
                self.probe_after = self.base_probe
                self.recent.clear()
                self.recent.append(conn)
            else:
                self.probe_after = min(self.max_probe, self.probe_after * 2)
                self._to_poll()
            return
        failed = sum(not c.delivered for c in self.recent)
        if failed >= 2 and self.stream_rate() > self.poll_rate(conn.interval):
            self._to_poll()

    def unavailable(self) -> None:
        """The stream route is refused outright (not offered here): poll, and look again much later."""
        self.probe_after = self.max_probe
        self._probing = False
        if self.prefer == STREAM:
            return
        self._to_poll()

    # -- what it answers -----------------------------------------------------------------------------
    def next_method(self) -> str:
        """The method for the next round; in poll mode a probe of the stream once its time has come."""
        if self.method == POLL and self.prefer == "auto" and self._probe_at is not None \
                and self.clock() >= self._probe_at:
            self.method = STREAM
            self._probing = True
            self._probe_at = None
            self.switches += 1
        return self.method

    def stream_rate(self) -> float:
        """Units per covered second over the recent connections (inf when none delivered)."""
        covered = sum(max(c.lifetime, c.interval) for c in self.recent if c.delivered)
        units = STREAM_COST * len(self.recent)
        return units / covered if covered > 0 else float("inf")

    @staticmethod
    def poll_rate(interval: float) -> float:
        return LIST_COST / interval if interval > 0 else float("inf")

    @property
    def mean_lifetime(self) -> float:
        lives = [c.lifetime for c in self.recent if c.delivered]
        return sum(lives) / len(lives) if lives else 0.0

    def _to_poll(self) -> None:
        if self.method != POLL:
            self.switches += 1
        self.method = POLL
        self._probe_at = self.clock() + self.probe_after
