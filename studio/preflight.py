"""The checklist behind `studio doctor` and the Preflight screen (issue 5).

A check is one function registered with ``@check(id, label, blocking=..., timeout=...)``; it gets a
:class:`CheckEnv` (settings, the studio context, a shared connected OBS) and returns an :class:`Outcome`.
It may raise :class:`Unavailable` (a piece of the studio is not built or not configured: status
'unavailable') or a StudioError (status 'fail' with its Dutch line). :func:`run_checks` runs them all at
once, each in its own daemon thread with its own deadline: a check that hangs becomes 'fail' ("geen antwoord
binnen N s"), nothing ever hangs the checklist and no exception escapes it.

Statuses: ok | warning | fail | unavailable. A checklist *passes* when no blocking check failed
('unavailable' does not block: it is shown, and the technician decides). Adding a check later (for example
the YouTube broadcast check once that part exists) is one decorated function here.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.errors import StudioError

if TYPE_CHECKING:
    from studio.config import Settings
    from studio.context import StudioContext
    from studio.obs.client import ObsSupervisor

STATUSES = ("ok", "warning", "fail", "unavailable")
SYMBOLS = {"ok": "✔", "warning": "!", "fail": "✘", "unavailable": "–"}
METER_SIGNAL_DBFS = -60.0  # OBS's meter shows "signal" above this
METER_WAIT = 5.0


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

    @property
    def failed(self) -> bool:
        return self.status == "fail"

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


REGISTRY: dict[str, CheckSpec] = {}


def check(id: str, label: str, *, blocking: bool = True, timeout: float = 10.0,
          group: str = "system") -> Callable[[Callable[[CheckEnv], Outcome]], Callable[[CheckEnv], Outcome]]:
    def register(fn: Callable[[CheckEnv], Outcome]) -> Callable[[CheckEnv], Outcome]:
        REGISTRY[id] = CheckSpec(id, label, fn, blocking, timeout, group)
        return fn

    return register


class CheckEnv:
    """What the checks share: the settings, the studio context (store, OBS) and a once-only OBS connect."""

    def __init__(self, ctx: StudioContext, *, audio_seconds: float | None = None) -> None:
        self.ctx = ctx
        self.settings: Settings = ctx.settings
        self.audio_seconds = ctx.settings.preflight.audio_seconds if audio_seconds is None else audio_seconds
        self._obs_lock = threading.Lock()

    def obs(self, *, primary: bool = False) -> ObsSupervisor:
        """The context's OBS supervisor, connected. Not connected: the primary check (obs.connection) gets
        the ObsError that says why; the others a short line pointing at it."""
        from studio.obs.errors import ObsError

        with self._obs_lock:  # the context's lazy property must be built by one thread only
            sup = self.ctx.obs
        try:
            sup.ensure_connected()
        except ObsError:
            if primary:
                raise
            raise StudioError("overgeslagen: geen verbinding met OBS (zie 'OBS bereikbaar')") from None
        return sup


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
                       time.monotonic() - start, out.detail)


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


# --- audio and camera ----------------------------------------------------------------------------------
@check("audio.microphone", "Microfoon (geluid)", group="audio", timeout=12.0)
def check_microphone(env: CheckEnv) -> Outcome:
    from studio.media import audio

    dev = env.settings.preflight.audio_device
    r = audio.check_microphone(None if dev < 0 else dev, env.audio_seconds, timeout=env.audio_seconds + 6)
    return Outcome(r.verdict, r.rms_dbfs if r.seconds else None, r.advice, r.to_json())


def camera_source(settings: Settings) -> int | str | None:
    p = settings.preflight
    if p.camera_file:
        return p.camera_file
    return None if p.camera_device < 0 else p.camera_device


@check("camera.device", "Camera (beeld)", group="camera", timeout=10.0)
def check_camera(env: CheckEnv) -> Outcome:
    from studio.media import camera

    source = camera_source(env.settings)
    if source is None:
        raise Unavailable("camera niet direct gecontroleerd ([preflight] camera_device = -1); zie het OBS-beeld")
    r = camera.check_camera(source, timeout=8.0)
    value = f"{r.width}x{r.height} {r.fps:.0f} fps" if r.width else None
    return Outcome(r.verdict, value, r.advice, r.to_json())


# --- OBS -----------------------------------------------------------------------------------------------
@check("obs.connection", "OBS bereikbaar", group="obs", timeout=8.0)
def check_obs_connection(env: CheckEnv) -> Outcome:
    caps = env.obs(primary=True).capabilities
    return Outcome("ok", f"OBS {caps.obs_version} / WebSocket {caps.websocket_version}")


def _input_state(env: CheckEnv, name: str, what: str) -> tuple[ObsSupervisor, dict[str, Any]]:
    from studio.obs.errors import ObsRequestFailed

    sup = env.obs()
    names = {str(i.get("inputName")): i for i in sup.request("GetInputList").get("inputs", [])}
    if name not in names:
        raise StudioError(f"{what} '{name}' bestaat niet in OBS",
                          f"maak hem aan of zet de juiste naam in [show] {what.lower()}_input")
    try:
        active = sup.request("GetSourceActive", sourceName=name)
    except ObsRequestFailed as exc:
        raise StudioError(f"OBS kent de status van '{name}' niet ({exc.comment or exc.code})") from None
    return sup, {**names[name], **active}


@check("obs.camera_input", "Camerabron in OBS", group="obs", timeout=8.0)
def check_obs_camera_input(env: CheckEnv) -> Outcome:
    name = env.settings.show.camera_input
    _, st = _input_state(env, name, "Camera")
    kind = st.get("inputKind", "")
    if not st.get("videoActive"):
        return Outcome("fail", kind, f"camerabron '{name}' is niet actief: zet hem in de programmascène")
    return Outcome("ok", kind)


@check("obs.mic_input", "Microfoonbron in OBS", group="obs", timeout=8.0)
def check_obs_mic_input(env: CheckEnv) -> Outcome:
    name = env.settings.show.microphone_input
    sup, st = _input_state(env, name, "Microphone")
    kind = st.get("inputKind", "")
    if sup.request("GetInputMute", inputName=name).get("inputMuted"):
        return Outcome("fail", kind, f"microfoon '{name}' staat gedempt in OBS: zet het geluid aan")
    vol = sup.request("GetInputVolume", inputName=name).get("inputVolumeDb", 0.0)
    if isinstance(vol, int | float) and vol <= -60:
        return Outcome("fail", kind, f"volume van '{name}' staat op {vol:.0f} dB in OBS: schuif hem omhoog")
    return Outcome("ok", kind)


@check("obs.mic_meter", "Microfoon geeft signaal in OBS", group="obs", timeout=METER_WAIT + 5)
def check_obs_mic_meter(env: CheckEnv) -> Outcome:
    from studio.obs.state import MetersUpdated

    name = env.settings.show.microphone_input
    sup = env.obs()
    if name not in {str(i.get("inputName")) for i in sup.request("GetInputList").get("inputs", [])}:
        return Outcome("fail", None, f"microfoonbron '{name}' bestaat niet in OBS")
    best = [-math.inf]
    got = threading.Event()
    seen = threading.Event()

    def listener(event: object) -> None:
        if isinstance(event, MetersUpdated) and name in event.levels:
            seen.set()
            peak = max((c.peak_dbfs for c in event.levels[name]), default=-math.inf)
            best[0] = max(best[0], peak)
            if peak > METER_SIGNAL_DBFS:
                got.set()

    unsubscribe = sup.add_listener(listener)
    try:
        got.wait(METER_WAIT)
    finally:
        unsubscribe()
    level = None if best[0] == -math.inf else round(best[0], 1)
    if got.is_set():
        return Outcome("ok", level)
    if not seen.is_set():
        return Outcome("fail", None, f"geen meter van '{name}' in {METER_WAIT:.0f} s: "
                                     "is de bron actief en heeft hij geluid?")
    return Outcome("fail", level, f"de meter van '{name}' blijft stil (onder {METER_SIGNAL_DBFS:.0f} dBFS): "
                                  "spreek in de microfoon; controleer kabel en gain")


@check("obs.program", "Programmabeeld (uitgaand beeld)", group="obs", timeout=10.0)
def check_obs_program(env: CheckEnv) -> Outcome:
    from studio.media import camera

    sup = env.obs()
    scene = str(sup.request("GetCurrentProgramScene").get("currentProgramSceneName", ""))
    if not scene:
        return Outcome("fail", None, "OBS heeft geen programmascène")
    frames = [camera.decode_image(sup.screenshot(scene, 640, 360))]
    time.sleep(1.0)
    frames.append(camera.decode_image(sup.screenshot(scene, 640, 360)))
    r = camera.analyse_frames(frames, source=f"OBS-scène {scene}", check_format=False)
    detail = r.to_json()
    if r.black:
        return Outcome("fail", scene, f"het programmabeeld ('{scene}') is zwart: staat de camera in de scène?", detail)
    if r.frozen:
        return Outcome("fail", scene, f"het programmabeeld ('{scene}') staat stil: loopt de camera nog?", detail)
    return Outcome("ok", scene, "", detail)


# --- disk and system ---------------------------------------------------------------------------------
def needed_bytes(minutes: float, kbps: float, margin: float = 1.1) -> int:
    """Room for a recording of ``minutes`` at ``kbps`` (video plus audio), with 10 % to spare."""
    return int(minutes * 60 * kbps * 1000 / 8 * margin)


@check("disk.recordings", "Opnamemap schrijfbaar en ruimte", group="system", timeout=5.0)
def check_recordings(env: CheckEnv) -> Outcome:
    folder = env.settings.recordings_dir
    p = env.settings.preflight
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".preflight-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return Outcome("fail", str(folder), f"opnamemap {folder} is niet schrijfbaar ({exc.strerror or exc}): "
                                            "kies een andere map in [paths] recordings_dir")
    free = shutil.disk_usage(folder).free
    need = needed_bytes(p.record_minutes, p.record_bitrate_kbps)
    gb = round(free / 1e9, 1)
    if free < need:
        return Outcome("fail", gb, f"te weinig ruimte in {folder}: {gb} GB vrij, {need / 1e9:.1f} GB nodig voor "
                                   f"{p.record_minutes} min op {p.record_bitrate_kbps} kbps: ruim op of kies een andere schijf")
    if free < 2 * need:
        return Outcome("warning", gb, f"krap: {gb} GB vrij, genoeg voor één opname van {p.record_minutes} min")
    return Outcome("ok", gb)


def _overlay_function(module: str, name: str) -> Callable[..., Any] | None:
    """A function of the overlay package when it exists (it is built alongside this module)."""
    with contextlib.suppress(ImportError):
        fn = getattr(importlib.import_module(f"studio.overlay.{module}"), name, None)
        return fn if callable(fn) else None
    return None


@check("system.raqm", "Arabisch tekstzetten (raqm)", group="system", timeout=10.0)
def check_raqm(env: CheckEnv) -> Outcome:
    from PIL import features

    require = _overlay_function("fonts", "require_raqm")
    if require is not None:
        require()  # raises the overlay's own StudioError with the fix
    elif not features.check("raqm"):
        return Outcome("fail", None, "Pillow heeft geen raqm: Arabische teksten komen los en in de verkeerde "
                                     "volgorde in beeld; installeer libraqm0 of de Pillow-wheel")
    return Outcome("ok", features.version("raqm") or "raqm")


FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
             Path("C:/Windows/Fonts"), Path("/Library/Fonts"), Path("/System/Library/Fonts"))
FONT_NEEDS = {"Latijns schrift": ("NotoSans-Regular", "NotoSans[", "DejaVuSans."),
              "Arabisch schrift": ("NotoNaskhArabic", "NotoSansArabic", "NotoKufiArabic")}


def _find_fonts(roots: Iterable[Path]) -> list[str]:
    names: list[str] = []
    for root in roots:
        if root.is_dir():
            for _dirpath, _, files in os.walk(root):
                names.extend(f for f in files if f.lower().endswith((".ttf", ".otf")))
    return names


@check("system.fonts", "Lettertypen voor de overlays", group="system", timeout=10.0)
def check_fonts(env: CheckEnv) -> Outcome:
    load_theme = _overlay_function("theme", "load_theme")
    font_set = _overlay_function("fonts", "font_set")
    if load_theme is not None and font_set is not None:
        f = load_theme().fonts  # the theme's own fonts; OverlayError names a missing file
        sets = [font_set(f.latin_regular, f.arabic_regular), font_set(f.latin_bold, f.arabic_bold)]
        return Outcome("ok", f"{len({p for fs in sets for p in (fs.latin, fs.arabic)})} lettertypen (thema)")
    from studio.config import project_root

    names = _find_fonts([project_root() / "scenes" / "assets", *FONT_DIRS])
    missing = [what for what, prefixes in FONT_NEEDS.items()
               if not any(n.startswith(p) for n in names for p in prefixes)]
    if missing:
        return Outcome("fail", None, f"geen lettertype voor {', '.join(missing)}: installeer fonts-noto-core")
    return Outcome("ok", f"{len(names)} lettertypen")


# --- YouTube -------------------------------------------------------------------------------------------
def _youtube_module(name: str) -> Any:
    try:
        return importlib.import_module(f"studio.youtube.{name}")
    except ImportError:
        raise Unavailable(f"YouTube-onderdeel '{name}' is nog niet gebouwd") from None


@check("youtube.token", "YouTube-aanmelding", group="youtube", timeout=15.0)
def check_youtube_token(env: CheckEnv) -> Outcome:
    auth = _youtube_module("auth")
    if auth.is_rehearsal(env.settings):
        return Outcome("ok", "oefenmodus", "OEFENMODUS: de uitzending gaat naar de emulator, niet naar YouTube")
    creds = auth.load_credentials(env.settings)  # refreshes when due; typed errors with the fix
    if not creds.valid:
        return Outcome("fail", None, "YouTube-aanmelding is niet geldig: voer 'studio auth' uit")
    return Outcome("ok", "geldig")


@check("youtube.quota", "YouTube-quotum voor vanavond", group="youtube", timeout=10.0)
def check_youtube_quota(env: CheckEnv) -> Outcome:
    quota = _youtube_module("quota")
    auth = _youtube_module("auth")
    y = env.settings.youtube
    ledger = quota.QuotaLedger(env.ctx.store, y.daily_quota, y.quota_warn_ratio, target=auth.target_name(env.settings))
    usage = ledger.usage()
    need = quota.session_forecast(env.settings.chat.quota_budget)
    if usage.remaining < need:
        return Outcome("fail", usage.remaining, f"nog {usage.remaining} quota-eenheden over, {need} nodig voor een "
                                                "uitzending: wacht tot de reset (09:00 NL-tijd) of verlaag [chat] quota_budget")
    if ledger.should_warn(need):
        return Outcome("warning", usage.remaining, f"quotum wordt krap: {usage.used} van {usage.limit} gebruikt")
    return Outcome("ok", usage.remaining)


@check("youtube.broadcast", "Uitzending van vanavond klaar", group="youtube", blocking=False, timeout=15.0)
def check_youtube_broadcast(env: CheckEnv) -> Outcome:
    """Tonight's broadcast (the store's record for today's date) exists on YouTube and is bound to the stream.

    Not blocking: the show flow's 'broadcast' step comes after the preflight and creates and binds it when
    it is not there yet; a broadcast YouTube has ended or removed is a 'fail' the technician must see.
    """
    from datetime import datetime
    from zoneinfo import ZoneInfo

    auth = _youtube_module("auth")
    try:
        from studio.store import youtube as repo
    except ImportError:
        raise Unavailable("het uitzendregister is nog niet gebouwd") from None
    settings = env.settings
    target = auth.target_name(settings)
    today = datetime.now(ZoneInfo(settings.schedule.timezone)).date().isoformat()
    tonight = [r for r in repo.list_broadcasts(env.ctx.store, target)
               if r.session_key.startswith(today) and r.broadcast_id]
    if not tonight:
        return Outcome("warning", None, "nog geen uitzending voor vanavond klaargezet: de show-stap "
                                        "'YouTube-uitzending klaarzetten' maakt hem aan")
    rec = tonight[0]
    bid = str(rec.broadcast_id)
    if auth.is_rehearsal(settings) and not settings.youtube.endpoint:
        return Outcome("ok", bid, "OEFENMODUS: de uitzending staat in de emulator van het paneel")
    status = env.ctx.youtube.broadcasts.status(bid, with_health=False)
    if status.lifecycle in ("complete", "revoked"):
        return Outcome("fail", bid, f"de uitzending van vanavond is al {status.label}: "
                                                 "maak een nieuwe aan ('studio broadcast create')")
    if not status.bound_stream_id:
        return Outcome("warning", bid, "de uitzending is nog niet aan de stream gekoppeld: "
                                                    "de show-stap koppelt hem")
    return Outcome("ok", bid)


# --- entry points ----------------------------------------------------------------------------------------
def doctor(ctx: StudioContext, *, on_result: Progress | None = None, ids: Iterable[str] | None = None,
           groups: Iterable[str] | None = None) -> Checklist:
    """Every (selected) check, concurrently: what `studio doctor` and the Preflight screen run."""
    return run_checks(CheckEnv(ctx), selected(ids, groups), on_result=on_result)


def format_line(r: CheckResult) -> str:
    value = "" if r.value is None else f" ({r.value})"
    advice = f"\n    {r.advice}" if r.advice else ""
    flag = "" if r.blocking else " [niet blokkerend]"
    return f"{SYMBOLS[r.status]} {r.label}{value}{flag}{advice}"
