"""Panel start to first screen vs a bare Textual app, both on a real pty, same machine, same run.

Each run is a fresh process (interpreter start included, as for a user typing `studio`); the child records
``time.monotonic()`` when Textual's Ready event says the first screen is on the terminal, the parent
subtracts its own spawn time (CLOCK_MONOTONIC is system-wide). The panel runs without OBS (it must start
fast no matter what); runs alternate so machine noise hits both alike. Target: <= 2x the bare app.

    python -m bench.panel_start [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time


def child(kind: str) -> None:
    from bench._panel_pty import write_result

    if kind == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Hallo")
                yield Footer()

            def on_ready(self) -> None:
                write_result({"ready": time.monotonic()})
                self.exit()

        Bare().run()
        return

    from studio.tui import graphics

    graphics.start_detection()  # as `studio` does (studio/cli): the terminal is asked while Textual loads
    from studio.config import load_settings
    from studio.tui.app import StudioApp
    from studio.usecases.context import Studio

    class TimedPanel(StudioApp):
        def on_ready(self) -> None:
            super().on_ready()
            write_result({"ready": time.monotonic(), "screen": type(self.screen).__name__})
            self.exit()

    ctx = Studio(load_settings())
    try:
        TimedPanel(ctx).run()
    finally:
        ctx.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.panel_start")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=["bare", "panel"])
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0

    from bench._panel_pty import run_child

    times: dict[str, list[float]] = {"bare": [], "panel": []}
    run_child(["-m", "bench.panel_start", "--child", "panel"], 60)  # warm the file cache once
    for _ in range(args.runs):
        for kind in ("bare", "panel"):
            t0 = time.monotonic()
            result, _ = run_child(["-m", "bench.panel_start", "--child", kind], 60)
            times[kind].append((result["ready"] - t0) * 1000)
    panel = statistics.median(times["panel"])
    bare = statistics.median(times["bare"])
    print(json.dumps({
        "bench": "panel_start_to_first_screen",
        "value_ms": round(panel, 1),
        "baseline_ms": round(bare, 1),
        "baseline": "bare Textual app (Static + Footer), same pty, median of runs",
        "ratio": round(panel / bare, 2),
        "runs": args.runs,
        "panel_ms_all": [round(t) for t in times["panel"]],
        "bare_ms_all": [round(t) for t in times["bare"]],
        "target": "<=2x",
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
