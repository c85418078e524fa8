"""The quota view: YouTube units used today and needed tonight, from the store's ledger (no YouTube call).

`studio quota`, the Controle screen's quota check, the Spreekuur screen's facts and the Uitzending screen all
read it here, so that none of them starts the rehearsal emulator or spends a unit just to look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from studio.usecases.context import Studio
from studio.youtube.quota import (
    EveningForecast,
    QuotaLedger,
    QuotaUsage,
    evening_forecast,
    forecast_lines,
    method_lines,
    next_reset,
    session_forecast,
    source_line,
    usage_lines,
)


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
    """Today's use per bucket and tonight's forecast, for `studio quota` (and anything else that shows it)."""

    usage: QuotaUsage
    rehearsal: bool
    reset_at: datetime  # local time (schedule's time zone)
    sessions_left: tuple[str, ...]  # tonight's sessions that have not ended yet: "19:00 nl"
    forecast: EveningForecast

    @property
    def warning(self) -> bool:
        return self.forecast.warn or not self.forecast.fits

    @property
    def over_now(self) -> bool:
        return self.usage.limit > 0 and self.usage.used >= self.forecast.warn_ratio * self.usage.limit

    def lines(self) -> list[str]:
        """Everything `studio quota` prints, in Dutch: source, use per bucket and method, tonight."""
        out = [*usage_lines(self.usage), *method_lines(self.usage)]
        if self.sessions_left:
            out.append(f"verwacht vanavond ({', '.join(self.sessions_left)}):")
            out += [f"  {line}" for line in forecast_lines(self.forecast)]
        else:
            out.append("vanavond geen sessie gepland")
        out.append(source_line())
        return out


def view(ctx: Studio, now: datetime | None = None) -> QuotaView:
    from studio.domain.schedule import sessions_on
    from studio.usecases.evening import schedule_rule
    from studio.youtube.auth import is_rehearsal

    settings = ctx.settings
    tz = ZoneInfo(settings.schedule.timezone)
    now = now.astimezone(tz) if now else datetime.now(tz)
    tonight = [s for s in sessions_on(schedule_rule(settings), now.date()) if s.end > now]
    u = usage(ctx)
    forecast = evening_forecast(u, len(tonight), settings.chat.quota_budget,
                                warn_ratio=settings.youtube.quota_warn_ratio)
    return QuotaView(u, is_rehearsal(settings), next_reset().astimezone(tz),
                     tuple(f"{s.start:%H:%M} {s.lang}" for s in tonight), forecast)
