"""`studio models`: the speech models on this PC and their size; `studio models fetch NAME` fetches one once."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any


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


def _size(n: int) -> str:
    from studio.domain.labels import size

    return size(n)


def _models(args: argparse.Namespace, settings: Any) -> int:
    from studio.errors import ConfigError
    from studio.speech import models

    folder = models.models_dir(settings.data_dir)
    if args.action == "fetch":
        if not args.name:
            raise ConfigError("welk model?", "bijvoorbeeld: studio models fetch small")
        return _fetch(args.name, folder)
    configured = settings.captions.model
    found = models.list_models(folder, configured)
    if not found:
        print(f"geen spraakmodellen in {folder}")
    for info in found:
        state = "in orde" if info.usable else info.problem
        print(f"{info.name:<20} {_size(info.size):>8}  {state}  ({info.path})")
    try:
        name, path = models.resolve_model(configured, folder)
        print(f"ondertitels gebruiken: {name} ({path})")
    except models.ModelMissing as exc:
        print(f"ondertitels gebruiken: {configured} — ontbreekt: {exc.hint}")
        return 1
    except (models.ModelNotConfigured, models.ModelBroken) as exc:
        print(f"ondertitels: {exc}")
        return 1
    return 0


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
            line = f"{self.label} [{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} {_size(done)} van {_size(total)}"
        else:
            line = f"{self.label} {_size(done)}"
        print("\r" + line, end="", file=sys.stderr, flush=True)
        self.drawn = True


def _fetch(name: str, folder: Any) -> int:
    from studio.speech import models

    before = folder / name.replace("/", "--")
    if before.is_dir() and not models.folder_problem(before):
        print(f"spraakmodel '{name}' staat er al ({before})")
        return 0
    bar = _Bar(f"spraakmodel '{name}' ophalen")
    try:
        info = models.fetch_model(name, folder, progress=bar)
    finally:
        if bar.drawn:
            print(file=sys.stderr)
    print(f"spraakmodel '{info.name}' opgehaald: {_size(info.size)} in {info.path}")
    return 0
