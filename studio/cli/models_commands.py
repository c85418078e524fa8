"""`studio models`: the speech models on this PC and their size; `studio models fetch NAME` fetches one once.

Stands on the use case studio.usecases.speech_models (the CLI itself never touches the speech adapter).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from studio.domain.labels import size
from studio.usecases import speech_models
from studio.usecases.context import Studio


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "models",
        help="spraakmodellen voor ondertitels: welke er zijn, en er een ophalen",
        description=(
            "Zonder actie: de spraakmodellen op deze pc met hun grootte, en welk model [captions] model "
            "gebruikt. 'fetch NAAM' haalt een model één keer op van Hugging Face (alleen op een pc met "
            "internet; daarna werkt alles zonder internet). Namen: tiny, base, small, medium, large-v3, turbo."
        ),
    )
    p.add_argument("action", nargs="?", choices=["list", "fetch"], default="list",
                   help="list (standaard): toon de modellen; fetch: haal een model op")
    p.add_argument("name", nargs="?", help="bij fetch: de naam van het model, bijvoorbeeld small")
    p.set_defaults(func=_models)


def _models(args: argparse.Namespace, settings: Any) -> int:
    with Studio(settings) as ctx:
        if args.action == "fetch":
            return _fetch(ctx, args.name or "")
        view = speech_models.overview(ctx)
    if not view.models:
        print(f"geen spraakmodellen in {view.folder}")
    for info in view.models:
        state = "in orde" if info.usable else info.problem
        print(f"{info.name:<20} {size(info.size):>8}  {state}  ({info.path})")
    if view.in_use is not None:
        name, path = view.in_use
        print(f"ondertitels gebruiken: {name} ({path})")
        return 0
    problem = view.problem
    hint = f": {problem.hint}" if problem is not None and problem.hint else ""
    print(f"ondertitels: {problem.message if problem is not None else 'geen model'}{hint}")
    return 1


class _Bar:
    """One line on the terminal, redrawn at most ten times a second."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        if total > 0:
            fraction = min(1.0, done / total)
            filled = int(fraction * 30)
            line = f"{self.label} [{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} {size(done)} van {size(total)}"
        else:
            line = f"{self.label} {size(done)}"
        print("\r" + line, end="", file=sys.stderr, flush=True)
        self.drawn = True


def _fetch(ctx: Studio, name: str) -> int:
    bar = _Bar(f"spraakmodel '{name}' ophalen")
    try:
        got = speech_models.fetch(ctx, name, progress=bar)
    finally:
        if bar.drawn:
            print(file=sys.stderr)
    if got.already:
        print(f"spraakmodel '{name}' staat er al ({got.info.path})")
    else:
        print(f"spraakmodel '{got.info.name}' opgehaald: {size(got.info.size)} in {got.info.path}")
    return 0
