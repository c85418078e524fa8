"""The quota view: YouTube units used today and needed tonight, from the store's ledger (no YouTube call).

`studio quota`, the Controle screen's quota check, the Spreekuur screen's facts and the Uitzending screen all
read it here, so that none of them starts the rehearsal emulator or spends a unit just to look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from studio.usecases.context import Studio
from studio.youtube.quota import QuotaLedger, QuotaUsage, next_reset, session_forecast


def ledger(ctx: Studio) -> QuotaLedger:
    from studio.youtube.auth import target_name

    y = ctx.settings.youtube
    return QuotaLedger(ctx.store, y.daily_quota, y.quota_warn_ratio, target=target_name(ctx.settings))


def usage(ctx: Studio) -> QuotaUsage:
    return ledger(ctx).usage()


def session_need(ctx: Studio) -> int:
    """Units one session needs (setup, live, end and the chat budget)."""
    return session_forecast(ctx.settings.chat.quota_budget)


@dataclass(frozen=True)
class QuotaView:
    usage: QuotaUsage
    rehearsal: bool
    reset_at: datetime  # local time (schedule's time zone)
    sessions_left: tuple[str, ...]  # tonight's sessions that have not ended yet: "19:00 nl"
    per_session: int
    warn_ratio: float

    @property
    def forecast(self) -> int:
        return self.per_session * len(self.sessions_left)

    @property
    def expected_total(self) -> int:
        return self.usage.used + self.forecast

    @property
    def warn_at(self) -> float:
        return self.warn_ratio * self.usage.limit

    @property
    def over_now(self) -> bool:
        return self.usage.used >= self.warn_at

    @property
    def warning(self) -> bool:
        return self.over_now or self.expected_total >= self.warn_at


def view(ctx: Studio, now: datetime | None = None) -> QuotaView:
    from studio.domain.schedule import sessions_on
    from studio.usecases.evening import schedule_rule
    from studio.youtube.auth import is_rehearsal

    settings = ctx.settings
    tz = ZoneInfo(settings.schedule.timezone)
    now = now.astimezone(tz) if now else datetime.now(tz)
    tonight = [s for s in sessions_on(schedule_rule(settings), now.date()) if s.end > now]
    return QuotaView(usage(ctx), is_rehearsal(settings), next_reset().astimezone(tz),
                     tuple(f"{s.start:%H:%M} {s.lang}" for s in tonight), session_need(ctx),
                     settings.youtube.quota_warn_ratio)
