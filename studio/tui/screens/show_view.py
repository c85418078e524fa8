"""What the Show screen says, built from the evening's state: pure functions of their inputs (no widgets, no I/O).

`EveningView` is a snapshot of the screen's state (tonight's plans, the current session's flow state, whether a
step is running); the screen renders its texts. Kept apart so that every sentence the officer reads can be
tested without running the panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.text import Text

from studio.domain import labels
from studio.usecases.evening import LiveFacts
from studio.usecases.show import STEPS, FlowState, SessionPlan, still_streaming

LANG_NL = {"nl": "Nederlands", "ar": "Arabisch"}
# Every step but the final 'done' is one line in the step list.
VISIBLE_STEPS = tuple(s for s in STEPS if s.id != "done")


clock_text = labels.clock  # the panel's running clocks


def quote(text: str, width: int = 60) -> str:
    """A question quoted in a notification: one line, cut with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def session_line(plan: SessionPlan, now: datetime) -> str:
    """Which session a confirmation is about: 'Nederlands, dinsdag 24 november 2026 om 19:00 (vandaag)'.

    Named in every confirmation, so that nobody starts next week's session tonight without seeing it.
    """
    from studio.domain.broadcast_texts import format_date

    start = datetime.fromisoformat(plan.starts_at)
    local = start.astimezone(now.tzinfo) if now.tzinfo else start
    day = "vandaag" if local.date() == now.date() else "LET OP: niet vandaag"
    what = "oefensessie" if plan.rehearsal else "sessie"
    return (f"{what.capitalize()}: {LANG_NL.get(plan.lang, plan.lang)}, {format_date(start, 'nl')} om "
            f"{start:%H:%M} ({day})")


def countdown(start: datetime, now: datetime) -> str:
    delta = (start - now).total_seconds()
    if delta <= 0:
        return "begint nu" if delta > -60 else f"begon {clock_text(-delta)} geleden"
    days = (start.date() - now.date()).days
    if days >= 1:
        return "morgen" if days == 1 else f"over {days} dagen"
    return f"begint over {clock_text(delta)}"


@dataclass(frozen=True)
class EveningView:
    plans: tuple[SessionPlan, ...]
    plan: SessionPlan | None  # the session the screen is on
    state: FlowState | None  # its flow state
    busy: bool = False  # a step is being run right now
    load_error: str = ""
    log: tuple[dict[str, Any], ...] = ()  # the flow's step log
    now: float = 0.0  # unix time, for the countdowns of timed steps
    end_slate_seconds: float = 30.0
    golive_timeout: float = 120.0
    test_picture: bool = False  # a rehearsal without camera: OBS shows a test picture as the camera

    def _running_since(self, step: str) -> float | None:
        """When the current run of ``step`` began (its first 'running' entry after anything else)."""
        since = None
        for e in self.log:
            if e["step"] == step and e["status"] == "running":
                since = e["at"] if since is None else since
            elif e["step"] == step:
                since = None
        return since

    def countdown_text(self) -> str:
        """A countdown for a step that takes a known time ('' for the others)."""
        st = self.state
        if st is None or st.status != "running":
            return ""
        since = self._running_since(st.step)
        if since is None or not self.now or self.now < since:
            return ""  # no time, or the clock went back: better no countdown than a wrong one
        passed = self.now - since
        if st.step == "end_slate":
            left = max(0, round(self.end_slate_seconds - passed))
            return (f"Eindbeeld in beeld (112 en 0900-8844): nog {left} s, daarna stopt de uitzending "
                    "vanzelf.")
        if st.step in ("stream", "live"):
            left = max(0, round(self.golive_timeout - passed))
            return f"YouTube heeft nog tot {left} s om te antwoorden (daarna: r = opnieuw)."
        return ""

    def next_plan(self) -> SessionPlan | None:
        if self.plan is None or self.plan not in self.plans:
            return None
        i = self.plans.index(self.plan)
        return self.plans[i + 1] if i + 1 < len(self.plans) else None

    def next_step(self) -> tuple[str, str]:
        """What the officer should do now, and a CSS class for how loud it is."""
        st = self.state
        if self.load_error:
            return f"Het rooster kon niet worden geladen: {self.load_error}", "-failed"
        if self.plan is None or st is None:
            if self.plans:
                return "Alle sessies van vanavond zijn klaar. Goed gedaan!", ""
            return "Er is vanavond geen spreekuur gepland (zie 'studio schedule').", ""
        if self.busy or st.status == "running":
            count = self.countdown_text()
            return f"Bezig: {st.detail or st.spec.label} … even geduld" + (f"\n{count}" if count else ""), ""
        if st.status == "failed" and still_streaming(self.log):
            # The flow could not end the broadcast by itself: it may still be live. Say so, loud, with the
            # one key that ends it (x runs the end sequence, or tries the failed end step again).
            return (f"✘ {st.spec.label} lukte niet: {st.detail}\n"
                    "DE UITZENDING IS NOG NIET BEËINDIGD: druk op  x  om haar te beëindigen"), "-unended"
        if st.status == "failed":
            skip = " · o = overslaan" if st.spec.skippable or st.step == "preflight" else ""
            return (f"✘ {st.spec.label} lukte niet: {st.detail}\n"
                    f"r = opnieuw proberen{skip} · x = stoppen"), "-failed"
        if st.step == STEPS[0].id and st.status == "pending":
            return "Druk op  s  om het spreekuur te starten (controle, scènes, opname, stream).", ""
        if st.step == "live":
            start = datetime.fromisoformat(self.plan.starts_at)
            auto = ""
            if not self.plan.rehearsal:
                left = start.timestamp() - self.now if self.now else 0
                wait = f", over {clock_text(left)}" if left > 0 else ""
                auto = f" (gaat vanzelf live om {start:%H:%M}{wait})"
            return f"Alles staat klaar. Druk op  l  om LIVE te gaan{auto}.", ""
        if st.step == "on_air":
            return ("LIVE · 2 wijkagent · 3 met gast · 5 pauze · b vraag in beeld · k beantwoord · u uit beeld · "
                    "e einde"), "-live"
        if st.finished:
            nxt = self.next_plan()
            if nxt:
                return (f"Sessie klaar en gearchiveerd. Druk op  n  voor de volgende: "
                        f"{LANG_NL[nxt.lang]} om {datetime.fromisoformat(nxt.starts_at):%H:%M}."), ""
            return "Sessie klaar en gearchiveerd. Dit was de laatste sessie van vanavond.", ""
        return f"{st.spec.label}: {st.detail}", ""

    def tonight(self, now: datetime) -> Text:
        t = Text()
        if not self.plans:
            t.append("Geen sessies gevonden in het rooster.")
            return t
        day = datetime.fromisoformat(self.plans[0].starts_at)
        label = "Vanavond" if day.date() == now.date() else f"Eerstvolgende avond: {day:%d-%m-%Y}"
        t.append(f"{label}\n", style="bold")
        for p in self.plans:
            start = datetime.fromisoformat(p.starts_at)
            mark = "▶" if p == self.plan else "·"
            t.append(f"{mark} {start:%H:%M}  {LANG_NL.get(p.lang, p.lang):<11} onderwerp: {p.topic}   ")
            t.append(self.session_when(p, start, now), style="italic")
            if p == self.plan and self.state and self.state.broadcast_id:
                t.append(f"   uitzending {self.state.broadcast_id}")
            if p.rehearsal:
                t.append("   OEFENMODUS", style="bold magenta")
            t.append("\n")
        if self.test_picture:
            t.append("Geen camera gevonden: OBS toont een bewegend testbeeld als camera (alleen bij het oefenen).\n",
                     style="magenta")
        return t

    def session_when(self, plan: SessionPlan, start: datetime, now: datetime) -> str:
        """Countdown before a session; what it is doing once it runs; 'klaar' after."""
        if plan == self.plan and self.state is not None:
            st = self.state
            if st.finished:
                return "klaar"
            if st.step in ("on_air", "end_slate"):
                return "nu LIVE"
            if st.step in ("end_broadcast", "stop_record", "archive"):
                return "wordt afgesloten"
            if st.step != STEPS[0].id or st.status != "pending":
                return "wordt klaargezet · " + countdown(start, now)
        elif self.plan is not None and self.plan in self.plans and plan in self.plans and \
                self.plans.index(plan) < self.plans.index(self.plan):
            return "klaar"
        return countdown(start, now)

    def steps(self) -> Text:
        t = Text()
        st = self.state
        if st is None:
            return t
        done = {e["step"] for e in self.log if e["status"] in ("done", "skipped")}
        for spec in VISIBLE_STEPS:
            if spec.id == st.step and not st.finished:
                sym = {"failed": "✘", "running": "▶", "waiting": "●"}.get(st.status, "▶")
                style = "bold red" if st.status == "failed" else "bold"
            elif spec.id in done or st.finished:
                sym, style = "✔", "green"
            else:
                sym, style = "·", "dim"
            t.append(f"{sym} {spec.label}\n", style=style)
        return t


def facts_line(f: LiveFacts) -> str:
    """Stream health, quota and disk in one quiet line under the clock."""
    parts = []
    if f.health:
        parts.append(f"beeld bij YouTube: {f.health}")
    parts.append(f"YouTube-quotum: {f.quota_ratio:.0%} gebruikt")
    if f.disk_free_minutes is not None:
        parts.append(f"schijf: ~{f.disk_free_minutes:.0f} min opname vrij")
    return "  ·  ".join(parts)


def live_warnings(f: LiveFacts, quota_warn_ratio: float, mic_silent_seconds: float,
                  mic_silent_limit: float) -> list[str]:
    """The banner's warnings (OBS lost is not repeated here: the status bar above says it, with the fix)."""
    out = []
    if f.health_bad:
        out.append(f"Streamkwaliteit slecht: {f.health}")
    if f.quota_ratio >= quota_warn_ratio:
        out.append(f"YouTube-quotum {f.quota_ratio:.0%} gebruikt")
    if f.disk_free_minutes is not None and f.disk_free_minutes < 30:
        out.append(f"Schijf bijna vol: nog ~{f.disk_free_minutes:.0f} min opname")
    if mic_silent_seconds > mic_silent_limit:
        out.append(f"Microfoon stil sinds {mic_silent_seconds:.0f} s: staat hij aan en niet op stil?")
    return out
