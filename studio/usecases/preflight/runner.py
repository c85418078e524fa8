"""The preflight checklist's machinery: registering checks, running them at once, each bounded by its deadline.

A check is one function registered with ``@check(id, label, blocking=..., timeout=...)``; it gets a
:class:`CheckEnv` (settings, the Studio, a connected OBS) and returns an :class:`Outcome`. It may raise
:class:`Unavailable` (a part of the studio is switched off in the settings: status 'unavailable') or a
StudioError (status 'fail' with its Dutch line). :func:`run_checks` runs them all at once, each in its own
daemon thread with its own deadline: a check that hangs becomes 'fail' ("geen antwoord binnen N s"), nothing
ever hangs the checklist and no exception escapes it.

Statuses: ok | warning | fail | unavailable. A checklist *passes* when no blocking check failed
('unavailable' does not block: it is shown, and the technician decides). The checks themselves live beside
this module, one module per system (media, OBS, system, YouTube).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studio.errors import StudioError

if TYPE_CHECKING:
    from studio.config import Settings
    from studio.obs.commands import Obs
    from studio.usecases.context import Studio

STATUSES = ("ok", "warning", "fail", "unavailable")
SYMBOLS = {"ok": "✔", "warning": "!", "fail": "✘", "unavailable": "–"}


class Unavailable(Exception):
    """This check cannot run here (part not built yet, or switched off in the settings); Dutch reason."""


@dataclass(frozen=True)
class Outcome:
    status: str
    value: Any = None  # JSON-able: a number or a short text
    advice: str = ""  # Dutch, one line; what is wrong and what to do (empty when ok)
    detail: dict[str, Any] | None = None  # the full measurement (audio/camera report...)


@dataclass(frozen=True)
class CheckResult:
    id: str
    label: str
    status: str
    value: Any
    advice: str
    blocking: bool
    seconds: float = 0.0
    detail: dict[str, Any] | None = None
    unit: str = ""  # what a number in ``value`` counts ("dBFS", "GB vrij"...)

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    @property
    def value_text(self) -> str:
        """The value as people read it: a number with its unit, an OBS input kind in words ('' when none)."""
        from studio.domain.labels import input_kind

        v = self.value
        if v is None:
            return ""
        if isinstance(v, bool):
            return "ja" if v else "nee"
        if isinstance(v, float):
            text = f"{v:.1f}"  # a point, like every other figure on the panel (CPU 4.2%, -12.0 dB)
        elif isinstance(v, int):
            text = str(v)
        else:
            return input_kind(str(v))
        spec = REGISTRY.get(self.id)
        unit = self.unit or (spec.unit if spec else "")
        return f"{text} {unit}" if unit else text

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id, "label": self.label, "status": self.status, "value": self.value,
            "advice": self.advice, "blocking": self.blocking, "seconds": round(self.seconds, 2),
        }
        if self.detail is not None:
            d["detail"] = self.detail
        return d


@dataclass(frozen=True)
class Checklist:
    results: tuple[CheckResult, ...]
    seconds: float = 0.0

    @property
    def blocking_failures(self) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.blocking and r.failed)

    @property
    def passed(self) -> bool:
        """Every blocking check passed (ok, warning or unavailable): the show may start."""
        return not self.blocking_failures

    @property
    def any_failed(self) -> bool:
        return any(r.failed for r in self.results)

    def summary(self) -> str:
        """One Dutch line for the show flow and the screen."""
        fails = self.blocking_failures
        if not fails:
            warn = sum(r.status == "warning" for r in self.results)
            return "alle blokkerende controles in orde" + (f" ({warn} waarschuwing(en))" if warn else "")
        return "niet klaar: " + "; ".join(f"{r.label}: {r.advice}" for r in fails)


@dataclass(frozen=True)
class CheckSpec:
    id: str
    label: str
    fn: Callable[[CheckEnv], Outcome]
    blocking: bool
    timeout: float
    group: str  # audio, camera, obs, system, youtube
    unit: str = ""  # the unit of a numeric value (shown after it)


REGISTRY: dict[str, CheckSpec] = {}


def check(id: str, label: str, *, blocking: bool = True, timeout: float = 10.0, group: str = "system",
          unit: str = "") -> Callable[[Callable[[CheckEnv], Outcome]], Callable[[CheckEnv], Outcome]]:
    def register(fn: Callable[[CheckEnv], Outcome]) -> Callable[[CheckEnv], Outcome]:
        REGISTRY[id] = CheckSpec(id, label, fn, blocking, timeout, group, unit)
        return fn

    return register


class CheckEnv:
    """What the checks share: the settings, the studio context (store, OBS) and a once-only OBS connect."""

    def __init__(self, ctx: Studio, *, audio_seconds: float | None = None) -> None:
        self.ctx = ctx
        self.settings: Settings = ctx.settings
        self.audio_seconds = ctx.settings.preflight.audio_seconds if audio_seconds is None else audio_seconds

    def obs(self, *, primary: bool = False) -> Obs:
        """The studio's OBS, connected. Not connected: the primary check (obs.connection) gets the ObsError
        that says why; the others a short line pointing at it."""
        from studio.obs.errors import ObsError

        obs = self.ctx.obs  # the Studio makes it once, whichever check thread asks first
        try:
            obs.ensure_connected()
        except ObsError:
            if primary:
                raise
            raise StudioError("overgeslagen: geen verbinding met OBS (zie 'OBS bereikbaar')") from None
        return obs


# --- running -----------------------------------------------------------------------------------------
Progress = Callable[[CheckResult, int, int], object]


def _run_one(spec: CheckSpec, env: CheckEnv) -> CheckResult:
    start = time.monotonic()
    try:
        out = spec.fn(env)
        if out.status not in STATUSES:
            out = Outcome("fail", out.value, f"interne fout: onbekende status {out.status!r}")
    except Unavailable as exc:
        out = Outcome("unavailable", None, f"niet beschikbaar: {exc}")
    except StudioError as exc:
        out = Outcome("fail", None, str(exc))
    except Exception as exc:  # a check must never take the checklist down
        out = Outcome("fail", None, f"controle mislukt: {type(exc).__name__}: {exc}")
    return CheckResult(spec.id, spec.label, out.status, out.value, out.advice, spec.blocking,
                       time.monotonic() - start, out.detail, spec.unit)


def selected(ids: Iterable[str] | None = None, groups: Iterable[str] | None = None) -> list[CheckSpec]:
    specs = list(REGISTRY.values())
    if ids is not None:
        wanted = set(ids)
        specs = [s for s in specs if s.id in wanted]
    if groups is not None:
        g = set(groups)
        specs = [s for s in specs if s.group in g]
    return specs


def run_checks(env: CheckEnv, specs: Sequence[CheckSpec] | None = None, *,
               on_result: Progress | None = None) -> Checklist:
    """Run the checks concurrently; each one bounded by its own timeout. Results in registry order."""
    specs = list(REGISTRY.values()) if specs is None else list(specs)
    start = time.monotonic()
    results: dict[str, CheckResult] = {}
    done: queue.SimpleQueue[CheckResult] = queue.SimpleQueue()
    deadlines: dict[str, float] = {}
    for spec in specs:
        deadlines[spec.id] = start + spec.timeout
        threading.Thread(target=lambda s=spec: done.put(_run_one(s, env)), name=f"check:{spec.id}",
                         daemon=True).start()
    by_id = {s.id: s for s in specs}

    def finish(r: CheckResult) -> None:
        results[r.id] = r
        if on_result is not None:
            with contextlib.suppress(Exception):
                on_result(r, len(results), len(specs))

    while len(results) < len(specs):
        pending = [i for i in deadlines if i not in results]
        wait = min(deadlines[i] for i in pending) - time.monotonic()
        try:
            r = done.get(timeout=max(0.0, wait))
            if r.id not in results:
                finish(r)
        except queue.Empty:
            now = time.monotonic()
            for i in pending:
                if deadlines[i] <= now and i not in results:
                    s = by_id[i]
                    finish(CheckResult(i, s.label, "fail", None,
                                       f"geen antwoord binnen {s.timeout:.0f} s: controle afgebroken",
                                       s.blocking, s.timeout))
    return Checklist(tuple(results[s.id] for s in specs), time.monotonic() - start)



# --- entry points ----------------------------------------------------------------------------------------
def doctor(ctx: Studio, *, on_result: Progress | None = None, ids: Iterable[str] | None = None,
           groups: Iterable[str] | None = None) -> Checklist:
    """Every (selected) check, concurrently: what `studio doctor` and the Preflight screen run."""
    return run_checks(CheckEnv(ctx), selected(ids, groups), on_result=on_result)


def format_line(r: CheckResult) -> str:
    value = f" ({r.value_text})" if r.value_text else ""
    advice = f"\n    {r.advice}" if r.advice else ""
    flag = "" if r.blocking else " [niet blokkerend]"
    return f"{SYMBOLS[r.status]} {r.label}{value}{flag}{advice}"
