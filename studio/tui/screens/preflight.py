"""The Preflight screen (F5 "Controle"): the checklist, a live microphone level, the camera verdict, and the
gate to the show.

What it shows
- The checklist of ``studio.usecases.preflight`` (the same checks as `studio doctor`), run concurrently in a thread
  worker when the screen opens and again with ``r``; rows fill in as results arrive.
- A live microphone level read through PyAudio (``studio.usecases.preflight.devices.level_meter``) while this screen is
  shown: the technician can speak and see the level *before* OBS takes the device. The meter pauses while
  the checklist runs (the audio check needs the same device) and when the screen is left; ``m`` switches it (the panel's key table).
- The camera verdict (resolution, fps, sharpness, exposure) from the camera check, plus the program output.

The gate
- "Start de uitzending" stays disabled until every *blocking* check passed (ok, warning or unavailable).
- "Toch starten…" asks for a reason (at least 5 characters), writes ``preflight.override`` with the reason
  and the failed check ids to the audit log (``devices.record_override``), and lets the show start anyway.

Message for the show flow (issue 7)
- :class:`PreflightPassed` is posted on this screen and bubbles to the app when the technician starts the
  show: ``overridden`` (bool), ``reason`` (str, empty unless overridden) and ``checklist``
  (``studio.usecases.preflight.Checklist``, the run the decision was based on). Handle it with
  ``def on_preflight_passed(self, message: PreflightPassed)`` on the app (or switch to the show screen there).
- The last run is also kept in the store (``devices.remember_run``): state ``preflight.last`` ->
  ``{"at": unix time, "passed": bool, "checks": [{id, status, value, advice, blocking}, ...]}``.
"""

from __future__ import annotations

import contextlib
import math
import threading
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static
from textual.worker import get_current_worker

from studio.domain import labels
from studio.errors import StudioError
from studio.tui import keymap
from studio.tui.screens.base import StudioBaseScreen
from studio.tui.widgets.preflight_checklist import PreflightChecklist
from studio.tui.widgets.preflight_meter import MicLevel, PreflightMicMeter
from studio.tui.widgets.preflight_override import PreflightOverrideScreen
from studio.usecases import preflight
from studio.usecases.preflight import devices

if TYPE_CHECKING:
    from studio.tui.app import StudioApp


class PreflightPassed(Message):
    """The technician starts the show: every blocking check passed, or it was overridden with a reason."""

    def __init__(self, overridden: bool, reason: str, checklist: preflight.Checklist | None) -> None:
        super().__init__()
        self.overridden = overridden
        self.reason = reason
        self.checklist = checklist


class CheckFinished(Message):
    def __init__(self, result: preflight.CheckResult) -> None:
        super().__init__()
        self.result = result


class ChecklistFinished(Message):
    def __init__(self, checklist: preflight.Checklist) -> None:
        super().__init__()
        self.checklist = checklist


def camera_line(results: dict[str, preflight.CheckResult]) -> str:
    parts = []
    cam = results.get("camera.device")
    if cam is not None:
        d = cam.detail or {}
        sym = preflight.SYMBOLS[cam.status]
        if d.get("width"):
            parts.append(f"{sym} camera {d['width']}x{d['height']} pixels, {d.get('fps', 0):.0f} beelden/s · "
                         f"scherptescore {d.get('blur_score', 0):.0f} · "
                         f"belichting {labels.exposure(d.get('exposure'))}")
        else:
            parts.append(f"{sym} camera: {cam.advice}")
        if d.get("width") and cam.advice:
            parts.append(f"  {cam.advice}")
    prog = results.get("obs.program")
    if prog is not None:
        parts.append(f"{preflight.SYMBOLS[prog.status]} programmabeeld OBS"
                     + (f" ({prog.value})" if prog.value else "") + (f": {prog.advice}" if prog.advice else ""))
    return "\n".join(parts) or "Camera: nog niet gecontroleerd"


class PreflightScreen(StudioBaseScreen):
    DEFAULT_CSS = """
    #preflight-body { padding: 0 1; height: 1fr; }
    #preflight-camera { height: auto; margin: 1 0 0 0; }
    #preflight-summary { height: auto; margin: 1 0 0 0; text-style: bold; }
    #preflight-summary.-ok { color: $success; }
    #preflight-summary.-fail { color: $error; }
    #preflight-buttons { height: auto; margin-top: 1; }
    #preflight-buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("preflight")  # the panel's key table

    app: StudioApp

    def __init__(self) -> None:
        super().__init__()
        self.checklist: preflight.Checklist | None = None
        self.results: dict[str, preflight.CheckResult] = {}
        self.running = False
        self._meter_stop = threading.Event()
        self._meter_idle = threading.Event()
        self._meter_idle.set()
        self._meter_wanted = True

    def compose_body(self) -> ComposeResult:
        with Vertical(id="preflight-body"):
            yield Static("Controle vooraf  (r = opnieuw, m = microfoonmeter)", classes="section-title")
            yield PreflightChecklist(id="preflight-checklist")
            yield PreflightMicMeter(id="preflight-meter")
            yield Static("Camera: nog niet gecontroleerd", id="preflight-camera", markup=False)
            yield Static("", id="preflight-summary", markup=False)
            with Horizontal(id="preflight-buttons"):
                yield Button("Start de uitzending", id="preflight-start", variant="success", disabled=True)
                yield Button("Toch starten…", id="preflight-override", variant="warning", disabled=True)

    def on_mount(self) -> None:
        self.action_rerun()

    # --- the live microphone level -------------------------------------------------------------------
    def on_screen_resume(self) -> None:
        if self._meter_wanted and not self.running:
            self._start_meter()

    def on_screen_suspend(self) -> None:
        self._stop_meter("microfoonmeter gepauzeerd (ander scherm)")

    def _start_meter(self) -> None:
        self._meter_stop = threading.Event()
        self.run_meter(self._meter_stop)

    def _stop_meter(self, why: str) -> None:
        self._meter_stop.set()
        self.query_one(PreflightMicMeter).stopped(why)

    @work(thread=True, exclusive=True, group="preflight-meter", exit_on_error=False)
    def run_meter(self, stop: threading.Event) -> None:
        worker = get_current_worker()
        self._meter_idle.wait(5)  # the previous meter must have released the device
        self._meter_idle.clear()
        try:
            with devices.level_meter(self.app.ctx.settings) as meter:
                while not stop.is_set() and not worker.is_cancelled:
                    rms, peak = meter.read_level()
                    self.post_message(MicLevel(rms, peak, meter.name))
        except StudioError as exc:
            self.post_message(MicLevel(-math.inf, -math.inf, error=str(exc)))
        finally:
            self._meter_idle.set()

    def on_mic_level(self, message: MicLevel) -> None:
        if not self._meter_stop.is_set() or message.error:
            self.query_one(PreflightMicMeter).show(message)

    def action_toggle_meter(self) -> None:
        self._meter_wanted = not self._meter_wanted
        if self._meter_wanted and not self.running:
            self._start_meter()
        else:
            self._stop_meter("microfoonmeter staat uit (m = aan)")

    # --- the checklist ---------------------------------------------------------------------------------
    def action_rerun(self) -> None:
        if self.running:
            return
        self.running = True
        self.results = {}
        self.checklist = None
        self._stop_meter("microfoonmeter gepauzeerd tijdens de controle")
        specs = preflight.selected()
        self.query_one(PreflightChecklist).start(specs)
        self._show_gate()
        self.run_checklist(specs)

    @work(thread=True, exclusive=True, group="preflight", exit_on_error=False)
    def run_checklist(self, specs: list[preflight.CheckSpec]) -> None:
        self._meter_idle.wait(5)  # the audio check needs the device the meter holds
        ctx = self.app.ctx
        try:
            checklist = preflight.run_checks(preflight.CheckEnv(ctx), specs,
                                             on_result=lambda r, d, t: self.post_message(CheckFinished(r)))
        except Exception as exc:  # the runner never raises; this only keeps the screen usable if it did
            checklist = preflight.Checklist((preflight.CheckResult(
                "preflight", "Controle", "fail", None, f"controle mislukt: {exc}", True),))
        self.post_message(ChecklistFinished(checklist))
        with contextlib.suppress(Exception):  # a convenience record; the screen already has the result
            devices.remember_run(ctx, checklist)

    def on_check_finished(self, message: CheckFinished) -> None:
        self.results[message.result.id] = message.result
        self.query_one(PreflightChecklist).show_result(message.result)
        self.query_one("#preflight-camera", Static).update(camera_line(self.results))

    def on_checklist_finished(self, message: ChecklistFinished) -> None:
        self.running = False
        self.checklist = message.checklist
        for r in message.checklist.results:
            if self.results.get(r.id) != r:
                self.on_check_finished(CheckFinished(r))
        self._show_gate()
        if self._meter_wanted and self.is_current:
            self._start_meter()

    def _show_gate(self) -> None:
        summary = self.query_one("#preflight-summary", Static)
        start = self.query_one("#preflight-start", Button)
        override = self.query_one("#preflight-override", Button)
        cl = self.checklist
        summary.set_class(cl is not None and cl.passed, "-ok")
        summary.set_class(cl is not None and not cl.passed, "-fail")
        if cl is None:
            summary.update("controles lopen…")
            start.disabled = override.disabled = True
            return
        summary.update(cl.summary())
        start.disabled = not cl.passed
        override.disabled = cl.passed

    # --- starting the show -------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "preflight-start":
            self.action_start()
        elif event.button.id == "preflight-override":
            self.action_override()

    def action_start(self) -> None:
        if self.checklist is not None and self.checklist.passed and not self.running:
            self._stop_meter("microfoon vrijgegeven voor OBS")
            self.post_message(PreflightPassed(False, "", self.checklist))

    def action_override(self) -> None:
        cl = self.checklist
        if cl is None or cl.passed or self.running:
            return

        def decided(reason: str | None) -> None:
            if reason:
                self.record_override(reason, cl)

        self.app.push_screen(PreflightOverrideScreen(cl.summary()), decided)

    @work(thread=True, group="preflight-override", exit_on_error=False)
    def record_override(self, reason: str, checklist: preflight.Checklist) -> None:
        devices.record_override(self.app.ctx, reason, checklist)  # in the log BEFORE the show may start
        self._meter_stop.set()
        self.post_message(PreflightPassed(True, reason, checklist))
