"""The panel's CPU and memory while it shows 20 Hz audio meters, on a real pty (120x36).

The child runs the real StudioApp on the Studio screen; a stand-in supervisor (same listener interface as
ObsSupervisor) publishes InputVolumeMeters-like updates for a microphone (speech-like, changing every update)
and a second input, 20 times a second, plus a state snapshot (the panel merges updates that come sooner
than 90 ms after the last one it drew, keeping their peaks: see METER_INTERVAL in studio/tui/app.py). The panel's own process CPU time (all threads,
so the app's message handling and drawing, not OBS) is divided by the wall time: % of one core. Baseline in the
same run: a bare Textual app sitting idle on the same pty for the same time.
Target: <= 3% of one core and <= 120 MB RSS.

    python -m bench.panel_meters [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import threading
import time
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

RATE_HZ = 20


class MeterFeed:
    """The supervisor's listener side only: snapshot, add_listener, and a 20 Hz meter thread."""

    def __init__(self) -> None:
        from studio.obs.state import Capabilities, Connection, InputInfo, ObsSnapshot

        self.snapshot = ObsSnapshot(
            connection=Connection.CONNECTED,
            capabilities=Capabilities(obs_version="29.0.2"),
            scenes=("Starten", "Wijkagent", "Wijkagent met gast", "Vraag in beeld", "Pauze", "Einde"),
            program_scene="Wijkagent",
            inputs=MappingProxyType({
                "Microfoon": InputInfo("Microfoon", "pulse_input_capture"),
                "Camera": InputInfo("Camera", "v4l2_input"),
                "Muziek": InputInfo("Muziek", "ffmpeg_source"),
            }),
        )
        self.listeners: list[Callable[[Any], None]] = []
        self.stop = threading.Event()
        self.sent = 0

    def add_listener(self, fn: Callable[[Any], None]) -> Callable[[], None]:
        self.listeners.append(fn)
        return lambda: None

    def get_stats(self) -> Any:
        from studio.obs.state import Stats

        return Stats(cpu_usage=3.0)

    def request(self, name: str, **data: Any) -> dict[str, Any]:
        return {}

    def close(self) -> None:
        self.stop.set()

    def run(self) -> None:
        from studio.obs.state import ChannelLevel, MetersUpdated

        rng = random.Random(7)
        t = 0.0
        next_at = time.monotonic()
        while not self.stop.is_set():
            t += 1 / RATE_HZ
            # Speech-like: syllables (4 Hz envelope) with random loudness, silence now and then.
            speech = -22 + 12 * math.sin(t * 2 * math.pi * 4) * rng.random() - (30 if int(t) % 7 == 0 else 0)
            music = -28 + 4 * rng.random()
            levels = {
                "Microfoon": tuple(ChannelLevel(speech, speech + 4, speech + 4) for _ in range(2)),
                "Muziek": tuple(ChannelLevel(music, music + 3, music + 3) for _ in range(2)),
            }
            event = MetersUpdated(MappingProxyType(levels))
            for fn in self.listeners:
                fn(event)
            self.sent += 1
            next_at += 1 / RATE_HZ
            self.stop.wait(max(0.0, next_at - time.monotonic()))


def child(kind: str, seconds: float) -> None:
    from bench._panel_pty import rss_mb, write_result

    result: dict[str, Any] = {}

    def measure(app: Any, on_start: Callable[[], None] | None = None) -> None:
        def worker() -> None:
            time.sleep(2.0)  # let start-up finish; it is not what is measured
            if on_start:
                on_start()
            cpu0, wall0 = time.process_time(), time.monotonic()
            time.sleep(seconds)
            cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
            rss, peak = rss_mb()
            result.update(cpu_percent=100 * cpu / wall, rss_mb=rss, peak_rss_mb=peak, seconds=wall)
            app.call_from_thread(app.exit)

        threading.Thread(target=worker, daemon=True).start()

    if kind == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Hallo")
                yield Footer()

            def on_ready(self) -> None:
                measure(self)

        Bare().run()
    else:
        from studio.config import load_settings
        from studio.tui.app import StudioApp
        from studio.tui.screens import SCREENS
        from studio.usecases.context import Studio

        feed = MeterFeed()
        ctx = Studio(load_settings(), obs=feed)  # type: ignore[arg-type]  # the feed stands in for OBS

        class MeteredPanel(StudioApp):
            def on_ready(self) -> None:
                def start() -> None:
                    threading.Thread(target=feed.run, daemon=True).start()

                measure(self, start)

        app = MeteredPanel(ctx, screens=[e for e in SCREENS if e.mode == "studio"])
        app.run()
        feed.close()
        result["meter_updates"] = feed.sent
    write_result(result)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.panel_meters")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--baseline-seconds", type=float, default=None,
                        help="idle bare app measured this long (default: min(seconds, 20))")
    parser.add_argument("--child", choices=["bare", "panel"])
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.seconds)
        return 0

    from bench._panel_pty import run_child

    base_seconds = args.baseline_seconds or min(args.seconds, 20.0)
    bare, _ = run_child(["-m", "bench.panel_meters", "--child", "bare", "--seconds", str(base_seconds)],
                        base_seconds + 60)
    panel, _ = run_child(["-m", "bench.panel_meters", "--child", "panel", "--seconds", str(args.seconds)],
                         args.seconds + 60)
    print(json.dumps({
        "bench": "panel_meters_cpu",
        "value_percent_of_core": round(panel["cpu_percent"], 2),
        "baseline_percent_of_core": round(bare["cpu_percent"], 2),
        "baseline": "bare Textual app idle on the same pty",
        "ratio": round(panel["cpu_percent"] / max(bare["cpu_percent"], 0.01), 2),
        "seconds": round(panel["seconds"], 1),
        "meter_updates_sent": panel.get("meter_updates"),
        "target": "<=3% of one core",
    }))
    print(json.dumps({
        "bench": "panel_meters_rss",
        "value_mb": round(panel["rss_mb"], 1),
        "peak_mb": round(panel["peak_rss_mb"], 1),
        "baseline_mb": round(bare["rss_mb"], 1),
        "baseline": "bare Textual app idle on the same pty",
        "ratio": round(panel["rss_mb"] / bare["rss_mb"], 2),
        "target": "<=120 MB",
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
