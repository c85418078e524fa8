"""`studio check audio`, `studio check camera` and `studio doctor` (issue 5).

Exit codes: 0 when nothing failed (warnings allowed), 1 when a check failed, 2 for usage errors.
``--json`` prints one JSON document on stdout and nothing else there; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from typing import Any

from studio.config import Settings

VERDICT_WORDS = {"ok": "in orde", "warning": "let op", "fail": "NIET in orde"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Add this area's subcommands to `studio`."""
    chk = sub.add_parser("check", help="controleer microfoon of camera los")
    what = chk.add_subparsers(dest="check_what", metavar="WAT", parser_class=type(chk))
    what.required = True

    a = what.add_parser("audio", help="neem even op van de microfoon (of lees een WAV) en beoordeel het geluid")
    a.add_argument("--device", type=int, default=None, metavar="N", help="PyAudio-invoerapparaat (zie --list)")
    a.add_argument("--seconds", type=float, default=None, metavar="S", help="hoe lang luisteren (standaard 3)")
    a.add_argument("--file", metavar="WAV", help="beoordeel een opname in plaats van de microfoon")
    a.add_argument("--list", action="store_true", help="toon de invoerapparaten en stop")
    a.add_argument("--json", action="store_true", help="uitvoer als JSON")
    a.set_defaults(func=_check_audio)

    c = what.add_parser("camera", help="lees een seconde beeld van de camera (of een video) en beoordeel het")
    src = c.add_mutually_exclusive_group()
    src.add_argument("--device", type=int, default=None, metavar="N", help="OpenCV-camera-index (standaard 0)")
    src.add_argument("--file", metavar="F", help="beoordeel een videobestand in plaats van de camera")
    c.add_argument("--json", action="store_true", help="uitvoer als JSON")
    c.set_defaults(func=_check_camera)

    d = sub.add_parser("doctor", help="alle controles vóór de uitzending tegelijk, met een checklist")
    d.add_argument("--json", action="store_true", help="uitvoer als JSON (id, status, value, advice, blocking)")
    d.add_argument("--only", metavar="GROEP", action="append",
                   choices=("audio", "camera", "obs", "system", "youtube"),
                   help="alleen deze groep(en): audio, camera, obs, system, youtube")
    d.set_defaults(func=_doctor)


def _print_report(report: Any, fields: list[tuple[str, str]]) -> None:
    print(f"{VERDICT_WORDS[report.verdict]}: {report.source}".rstrip(": "))
    from studio.domain.labels import exposure

    words = {"exposure": exposure}  # the report's own values ('over') in words
    for key, label in fields:
        value = getattr(report, key)
        print(f"  {label:<14} {words[key](value) if key in words else value}")
    for p in report.problems:
        print(f"  - {p}")


def _check_audio(args: argparse.Namespace, settings: Settings) -> int:
    from studio.media.audio_analysis import AudioError
    from studio.usecases.preflight import devices as checks

    if args.list:
        try:
            devices = checks.audio_devices()
        except AudioError as exc:
            print(f"fout: {exc}", file=sys.stderr)
            return 1
        if args.json:
            print(json.dumps([d.__dict__ for d in devices], ensure_ascii=False, indent=2))
        else:
            for d in devices:
                star = "*" if d.is_default else " "
                print(f"{star}{d.index:3d}  {d.name}  ({d.channels} kan., {d.default_rate} Hz, {d.host_api})")
            if not devices:
                print("geen invoerapparaten gevonden")
        return 0 if devices else 1
    report = checks.check_audio(settings, device=args.device, seconds=args.seconds, file=args.file)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_report(report, [("rms_dbfs", "RMS (dBFS)"), ("peak_dbfs", "piek (dBFS)"),
                               ("clipped_ratio", "geclipt"), ("hum_ratio", "netbrom"), ("dc_offset", "DC-offset")])
    return 1 if report.verdict == "fail" else 0


def _check_camera(args: argparse.Namespace, settings: Settings) -> int:
    from studio.usecases.preflight import devices as checks

    report = checks.check_camera(settings, device=args.device, file=args.file)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_report(report, [("width", "breedte"), ("height", "hoogte"), ("fps", "beelden/s"),
                               ("blur_score", "scherpte"), ("exposure", "belichting")])
    return 1 if report.verdict == "fail" else 0


class _Progress:
    """A live line on stderr while the checks run (a terminal), or one line per finished check (a pipe)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.last = ""
        self.tty = sys.stderr.isatty()
        self.start = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)

    def __enter__(self) -> _Progress:
        if self.tty:
            self._ticker.start()
        return self

    def _tick(self) -> None:
        while not self._stop.wait(0.2):
            self._draw()

    def _draw(self) -> None:
        with self._lock:
            line = (f"\r\x1b[2Kcontroles {self.done}/{self.total}  {time.monotonic() - self.start:4.1f} s"
                    f"  {self.last}")
            sys.stderr.write(line[:200])
            sys.stderr.flush()

    def result(self, r: Any, done: int, total: int) -> None:
        from studio.usecases.preflight import SYMBOLS

        self.done = done
        self.last = f"{SYMBOLS[r.status]} {r.label}"
        if self.tty:
            self._draw()
        else:
            with self._lock:
                print(f"[{done}/{total}] {self.last}", file=sys.stderr, flush=True)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.tty:
            with self._lock:
                sys.stderr.write("\r\x1b[2K")
                sys.stderr.flush()


def _doctor(args: argparse.Namespace, settings: Settings) -> int:
    from studio.usecases import preflight
    from studio.usecases.context import Studio

    ctx = Studio(settings)
    try:
        with _Progress(len(preflight.selected(groups=args.only))) as progress:
            checklist = preflight.doctor(ctx, groups=args.only, on_result=progress.result)
    finally:
        closer = threading.Thread(target=ctx.close, daemon=True)
        closer.start()
        closer.join(3.0)  # never wait long on an OBS that does not answer
    if args.json:
        doc = {"passed": checklist.passed, "seconds": round(checklist.seconds, 2),
               "checks": [r.to_json() for r in checklist.results]}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for r in checklist.results:
            print(preflight.format_line(r))
        print()
        print(("KLAAR VOOR DE UITZENDING: " if checklist.passed else "NIET KLAAR: ")
              + f"{sum(r.status == 'ok' for r in checklist.results)} in orde, "
              f"{sum(r.status == 'warning' for r in checklist.results)} waarschuwing(en), "
              f"{sum(r.failed for r in checklist.results)} fout(en) ({checklist.seconds:.1f} s)")
    return 1 if checklist.any_failed else 0
