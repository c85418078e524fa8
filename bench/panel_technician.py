"""The Studio screen's (F2) CPU with its meters and its program picture running, against the same screen idle.

Three children, one after the other, each on a real pty (120x36, bench/_panel_pty.py), each the real StudioApp
on the Studio screen connected to a stand-in OBS (the listener interface of ObsSupervisor plus the named
operations F2 uses, answering at once):
- ``idle``: connected, the stats poll running (1 s), no meters, the picture switched off ('p');
- ``meters``: plus InputVolumeMeters for two inputs 20 times a second (as bench/panel_meters.py), picture off;
- ``technician``: plus the program picture (a new 44x24 PNG each time, as OBS would render the moving program:
  the panel decodes and draws it; OBS's own cost of making the screenshot is OBS's, not the panel's) and the
  audio-route poll, with stream figures changing every second.
The panel's own process CPU time (all threads) over the wall time: % of one core. On a pty that answers no
graphics query the picture is drawn with half blocks, as on most terminals.
Target: the technician child <= 5% of one core.

A last line prices the pixel protocols for terminals that have one (Sixel, Kitty's): the time to turn one
480x270 picture into terminal output for a 44x12-cell box, in process, against the half-block drawing of the
same picture, and what one picture a second (the Studio screen's rate) costs at that rate.

    python -m bench.panel_technician [--seconds 40]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import threading
import time
from typing import Any

from bench.panel_meters import MeterFeed

PREVIEW_FRAMES = 12


def frames_png(width: int, height: int, n: int = PREVIEW_FRAMES) -> list[bytes]:
    """``n`` different pictures (a figure that moves across a room), PNG, as OBS's screenshot would be."""
    from PIL import Image, ImageDraw

    out = []
    for i in range(n):
        img = Image.new("RGB", (320, 180), (64, 86, 112))
        d = ImageDraw.Draw(img)
        d.rectangle((0, 120, 320, 180), fill=(120, 92, 60))
        x = 60 + 15 * i
        d.ellipse((x, 30, x + 60, 95), fill=(236, 190, 150))
        d.rectangle((x - 20, 95, x + 80, 150), fill=(20, 32, 80))
        buf = io.BytesIO()
        img.resize((width, height)).save(buf, format="PNG")
        out.append(buf.getvalue())
    return out


class TechnicianFeed(MeterFeed):
    """MeterFeed plus what F2 asks: screenshots, stream status, audio routes and levels, growing counters."""

    def __init__(self) -> None:
        import dataclasses

        super().__init__()
        self.snapshot = dataclasses.replace(self.snapshot, streaming=True, recording=True)
        self._frames: dict[tuple[int, int], list[bytes]] = {}
        self.screenshots = 0
        self.started = time.monotonic()

    def _elapsed_ms(self) -> int:
        return int((time.monotonic() - self.started) * 1000)

    def get_stats(self) -> Any:
        from studio.obs.state import Stats

        frames = 30 * self._elapsed_ms() // 1000 + 100_000
        return Stats(cpu_usage=12.0, render_skipped_frames=frames // 200, render_total_frames=frames,
                     output_skipped_frames=0, output_total_frames=frames)

    def record_status(self) -> Any:
        from studio.obs.state import OutputStatus

        return OutputStatus(True, "00:10:00.000", self._elapsed_ms())

    def stream_status(self) -> Any:
        from studio.obs.state import OutputStatus

        ms = self._elapsed_ms() + 1
        return OutputStatus(True, "00:10:00.000", ms, bytes=ms * 560, skipped_frames=ms // 5000,
                            total_frames=30 * ms // 1000, congestion=0.02)

    def screenshot(self, source: str, width: int, height: int) -> bytes:
        frames = self._frames.get((width, height))
        if frames is None:
            frames = self._frames[(width, height)] = frames_png(width, height)
        self.screenshots += 1
        return frames[self.screenshots % len(frames)]

    def audio_route(self, name: str) -> Any:
        from studio.obs.state import AudioRoute

        return AudioRoute(name, in_program=name != "Muziek", volume_db=-3.0)

    def input_volume_db(self, name: str) -> float:
        return -3.0


def child(kind: str, seconds: float) -> None:
    from bench._panel_pty import rss_mb, write_result
    from studio.config import load_settings
    from studio.tui.app import StudioApp
    from studio.tui.screens import SCREENS
    from studio.usecases.context import Studio

    feed = TechnicianFeed()
    ctx = Studio(load_settings(), obs=feed)  # type: ignore[arg-type]  # the feed stands in for OBS
    result: dict[str, Any] = {}

    class Panel(StudioApp):
        def on_ready(self) -> None:
            super().on_ready()
            if kind in ("idle", "meters"):
                self.call_later(lambda: self.screen.action_toggle_preview())  # type: ignore[attr-defined]

            def worker() -> None:
                time.sleep(3.0)  # start-up and the first pictures are not what is measured
                if kind != "idle":
                    threading.Thread(target=feed.run, daemon=True).start()
                shots0 = feed.screenshots
                cpu0, wall0 = time.process_time(), time.monotonic()
                time.sleep(seconds)
                cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
                rss, peak = rss_mb()
                screen = self.screen
                result.update(cpu_percent=100 * cpu / wall, rss_mb=rss, peak_rss_mb=peak, seconds=wall,
                              pictures=feed.screenshots - shots0, meter_updates=feed.sent,
                              protocol=getattr(getattr(screen, "preview", None), "protocol", "?"))
                self.call_from_thread(self.exit)

            threading.Thread(target=worker, daemon=True).start()

    app = Panel(ctx, screens=[e for e in SCREENS if e.mode == "studio"])
    app.run()
    feed.close()
    write_result(result)


def pixel_protocol_cost(repeat: int = 10) -> dict[str, float]:
    """Milliseconds to turn one 480x270 picture into terminal output for a 44x12 box, per protocol.

    Run in a child on the pty: Kitty's protocol sends the picture to the terminal itself (stdout)."""
    from rich.console import Console
    from textual_image.renderable.halfcell import Image as Halfcell
    from textual_image.renderable.sixel import Image as Sixel
    from textual_image.renderable.tgp import Image as TGP

    pictures = frames_png(480, 270, repeat)
    halfcell_pics = frames_png(44, 24, repeat)
    console = Console(file=io.StringIO(), width=120, height=36, force_terminal=True, color_system="truecolor")
    out: dict[str, float] = {}
    for name, cls, pics in (("halfcell", Halfcell, halfcell_pics), ("sixel", Sixel, pictures),
                            ("tgp", TGP, pictures)):
        t0 = time.process_time()
        for png in pics:
            r = cls(io.BytesIO(png), 44, 12)
            console.print(r)
            r.cleanup()
        out[name] = 1000 * (time.process_time() - t0) / len(pics)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.panel_technician")
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--child", choices=["idle", "meters", "technician", "protocols"])
    args = parser.parse_args(argv)
    if args.child == "protocols":
        from bench._panel_pty import write_result

        write_result(pixel_protocol_cost())
        return 0
    if args.child:
        child(args.child, args.seconds)
        return 0

    from bench._panel_pty import run_child

    runs = {kind: run_child(["-m", "bench.panel_technician", "--child", kind, "--seconds", str(args.seconds)],
                            args.seconds + 60)[0] for kind in ("idle", "meters", "technician")}
    idle, meters, tech = runs["idle"], runs["meters"], runs["technician"]
    print(json.dumps({
        "bench": "panel_technician_cpu",
        "value_percent_of_core": round(tech["cpu_percent"], 2),
        "meters_only_percent_of_core": round(meters["cpu_percent"], 2),
        "baseline_percent_of_core": round(idle["cpu_percent"], 2),
        "baseline": "the same Studio screen, connected, idle (no meters, picture off), same pty, same run",
        "ratio": round(tech["cpu_percent"] / max(idle["cpu_percent"], 0.01), 2),
        "pictures_per_second": round(tech["pictures"] / tech["seconds"], 2),
        "picture_protocol": tech["protocol"],
        "meter_updates_sent": tech["meter_updates"],
        "seconds": round(tech["seconds"], 1),
        "target": "<=5% of one core",
    }))
    print(json.dumps({
        "bench": "panel_technician_rss",
        "value_mb": round(tech["rss_mb"], 1),
        "peak_mb": round(tech["peak_rss_mb"], 1),
        "baseline_mb": round(idle["rss_mb"], 1),
        "baseline": "the same Studio screen idle",
        "ratio": round(tech["rss_mb"] / idle["rss_mb"], 2),
        "target": "<=120 MB",
    }))
    cost, _ = run_child(["-m", "bench.panel_technician", "--child", "protocols"], 120)
    print(json.dumps({
        "bench": "panel_picture_protocol_cost",
        "value_ms_per_picture": {k: round(v, 2) for k, v in cost.items()},
        "baseline": "half blocks for the same picture (44x24 pixels), in process",
        "ratio": {k: round(v / max(cost["halfcell"], 0.01), 2) for k, v in cost.items()},
        "percent_of_core_at_1_per_second": {k: round(v / 10, 2) for k, v in cost.items()},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
