"""The speech models for captions (`studio models`): which are on this PC, which one captions use, fetching one.

The CLI (and later the panel) asks here; the speech adapter (studio.speech.models) knows the folders and the
Hugging Face hub. Fetching happens only when a person asks, on a PC with internet; making captions never
downloads anything (the studio PC may be offline).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studio.errors import ConfigError, StudioError
from studio.usecases.context import Studio

if TYPE_CHECKING:
    from studio.speech.models import ModelInfo

FetchProgress = Callable[[int, int], None]  # (bytes so far, bytes in all; 0 while unknown)


@dataclass(frozen=True)
class ModelsOverview:
    folder: Path  # where named models live (<data dir>/models)
    models: tuple[ModelInfo, ...]
    configured: str  # [captions] model as set
    in_use: tuple[str, Path] | None  # (name, folder) of the model captions use, when it is usable
    problem: StudioError | None  # why captions cannot use the configured model (with what to do)


def overview(ctx: Studio) -> ModelsOverview:
    from studio.speech import models
    from studio.speech.errors import ModelError

    folder = models.models_dir(ctx.settings.data_dir)
    configured = ctx.settings.captions.model
    found = tuple(models.list_models(folder, configured))
    try:
        return ModelsOverview(folder, found, configured, models.resolve_model(configured, folder), None)
    except ModelError as exc:
        return ModelsOverview(folder, found, configured, None, exc)


@dataclass(frozen=True)
class Fetched:
    info: ModelInfo
    already: bool  # it was there and complete: nothing was fetched


def fetch(ctx: Studio, name: str, progress: FetchProgress | None = None) -> Fetched:
    """Fetch the named model once into <data dir>/models (already there and complete: nothing happens)."""
    from studio.speech import models

    if not name.strip():
        raise ConfigError("welk model?", "bijvoorbeeld: studio models fetch small")
    folder = models.models_dir(ctx.settings.data_dir)
    target = folder / name.replace("/", "--")
    if target.is_dir() and not models.folder_problem(target):
        return Fetched(models.ModelInfo(target.name, target, models.model_size(target)), True)
    return Fetched(models.fetch_model(name, folder, progress=progress), False)
