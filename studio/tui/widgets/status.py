"""The status bar on every screen (and on top of every dialog): what OBS and YouTube say, never what a key hoped.

Connection word ("verbonden", "verbinden…", "verbinding kwijt") and why, OBS version, program scene, REC with
OBS's own running time, CPU and skipped frames from GetStats, and OEFENMODUS in rehearsal. LIVE/TEST/STREAM
come from the app's one air state (``app.air``, studio.domain.air_status): LIVE only when YouTube says so, with
ONE clock from YouTube's actualStartTime; TEST and STREAM with a running clock of OBS's stream; "LIVE ZONDER
BEELD" only when YouTube reports no data while live. It watches the app's reactives (``obs_snapshot``,
``obs_stats``, ``air``) and redraws its clocks once a second; the app alone talks to OBS.
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from studio.domain.air_status import AirState, clock, describe, parse_timecode
from studio.obs.state import Connection, ObsSnapshot
from studio.tui.messages import StatsView

HOW_TO_FIX = "Start OBS en zet Extra > WebSocket-serverinstellingen aan; wachtwoord in [obs] password"


def short_timecode(timecode: str) -> str:
    """OBS's "HH:MM:SS.mmm" as "h:mm:ss", like every other clock of the panel (no milliseconds)."""
    seconds = parse_timecode(timecode) if timecode else None
    return clock(seconds or 0)


def without_repeated_hint(reason: str) -> str:
    """The supervisor's "problem — hint" minus a hint that HOW_TO_FIX repeats anyway."""
    problem, sep, hint = reason.partition(" — ")
    return problem if sep and hint.casefold() in HOW_TO_FIX.casefold() else reason


class StatusBar(Widget):
    """Line 1: LIVE, REC, program scene (OEFENMODUS); line 2: OBS itself; line 3 only when OBS is not connected."""

    DEFAULT_CSS = """
    StatusBar { dock: top; height: auto; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(classes="status-line"):
            yield Static(id="status-live")
            yield Static(id="status-rec")
            yield Static(id="status-scene")
            yield Static("OEFENMODUS", id="status-rehearsal")
        with Horizontal(classes="status-line"):
            yield Static(id="status-obs")
            yield Static(id="status-version")
            yield Static(id="status-stats")
        yield Static(id="status-problem")

    def _set(self, widget_id: str, content: str | Text, *, layout: bool = False) -> None:
        """Update a label only when its text changed; fixed-width labels skip the layout pass (cheap at 1 Hz)."""
        plain = content.plain if isinstance(content, Text) else content
        if self._shown.get(widget_id) == plain:
            return
        self._shown[widget_id] = plain
        self.query_one(f"#{widget_id}", Static).update(content, layout=layout)

    def on_mount(self) -> None:
        self._shown: dict[str, str] = {}
        self.query_one("#status-rehearsal").display = bool(getattr(self.app, "rehearsal", False))
        self.watch(self.app, "obs_snapshot", self._show_snapshot)
        self.watch(self.app, "obs_stats", self._show_stats)
        self.watch(self.app, "air", lambda _air: self._show_outputs())
        self.set_interval(1.0, self._show_outputs)  # the LIVE/TEST clocks run between OBS's and YouTube's news

    # --- OBS state --------------------------------------------------------------------------------------
    def _show_snapshot(self, snap: ObsSnapshot) -> None:
        conn = self.query_one("#status-obs", Static)
        for c in Connection:
            conn.set_class(snap.connection is c, f"-{c.value}")
        self._set("status-obs", Text.assemble(("OBS ", "bold"), ("● ", ""), snap.connection.label), layout=True)

        version = snap.capabilities.obs_version
        self._set("status-version", f"OBS {version}" if version else "OBS ?", layout=True)

        scene = snap.program_scene if snap.connection is Connection.CONNECTED else None
        self._set("status-scene", Text.assemble(("Programma: ", "dim"), (scene or "–", "bold")))

        problem = self.query_one("#status-problem", Static)
        if snap.connection is Connection.CONNECTED:
            problem.display = False
        else:
            reason = snap.reason or (
                "bezig met verbinden" if snap.connection is Connection.CONNECTING else "geen verbinding"
            )
            self._set("status-problem", Text.assemble(("⚠ ", "bold"), without_repeated_hint(reason),
                                                      ("  ·  ", "dim"), HOW_TO_FIX), layout=True)
            problem.display = True
        self._show_outputs()

    def _show_stats(self, view: StatsView | None) -> None:
        stats_label = self.query_one("#status-stats", Static)
        snap: ObsSnapshot = self.app.obs_snapshot  # type: ignore[attr-defined]
        if view is None or snap.connection is not Connection.CONNECTED:
            self._set("status-stats", Text("CPU –  overgeslagen: –", style="dim"))
        else:
            s = view.stats
            skipped = s.render_skipped_frames + s.output_skipped_frames
            stats_label.set_class(skipped > 0, "-skipping")
            self._set("status-stats", f"CPU {s.cpu_usage:.1f}%  overgeslagen: {skipped} beelden")
        self._show_outputs()

    def _show_outputs(self) -> None:
        snap: ObsSnapshot = self.app.obs_snapshot  # type: ignore[attr-defined]
        view: StatsView | None = self.app.obs_stats  # type: ignore[attr-defined]
        connected = snap.connection is Connection.CONNECTED
        rec = self.query_one("#status-rec", Static)
        recording = connected and snap.recording
        rec.set_class(recording, "-on")
        if recording:
            tc = (view.record_timecode if view and view.record_timecode else "") or snap.record_timecode
            word = "REC gepauzeerd" if snap.record_paused else "REC"
            self._set("status-rec", f"● {word} {short_timecode(tc)}")
        else:
            self._set("status-rec", "○ geen opname" if connected else "○ opname ?")

        live = self.query_one("#status-live", Static)
        air: AirState = self.app.air  # type: ignore[attr-defined]
        wall = getattr(self.app, "wall", time.time)
        said = describe(air, wall())
        for tone in ("live", "test", "alarm", "warn"):
            live.set_class(said.tone == tone, f"-{'on' if tone == 'live' else tone}")
        self._set("status-live", said.text)
