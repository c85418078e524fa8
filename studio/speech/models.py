"""Which speech model, where it is, how big, and fetching one once from the Hugging Face hub.

``[captions] model`` (or ``STUDIO_CAPTIONS_MODEL``) is either a name (``small``: the folder
``<data dir>/models/small`` that ``studio models fetch small`` fills) or a folder holding a CTranslate2
Whisper model (config.json, model.bin, tokenizer.json, vocabulary.*). Nothing is ever downloaded
while making captions: the studio PC may be offline; a missing model is an error that says how to fetch it.

Fetching uses ``huggingface_hub.snapshot_download`` directly with the repository faster-whisper names
for the size: faster-whisper's own ``download_model`` still passes ``local_dir_use_symlinks``, which the
current hub client no longer accepts. The files arrive in a hidden folder beside the target and are
renamed into place only when complete, so an interrupted fetch never looks like a model.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.speech.errors import FETCH_HINT, ModelBroken, ModelFetchFailed, ModelMissing, ModelNotConfigured

REQUIRED_FILES = ("config.json", "model.bin", "tokenizer.json")
FETCH_PATTERNS = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]
FetchProgress = Callable[[int, int], None]  # (bytes so far, bytes in all; 0 while unknown)


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: Path
    size: int  # bytes on disk
    problem: str = ""  # empty when usable

    @property
    def usable(self) -> bool:
        return not self.problem


def models_dir(data_dir: str | Path) -> Path:
    return Path(data_dir) / "models"


def known_names() -> list[str]:
    """Model sizes faster-whisper knows how to fetch (tiny, base, small, medium, large-v3, turbo...)."""
    from faster_whisper.utils import available_models

    return list(available_models())


def _repo_id(name: str) -> str:
    if "/" in name:
        return name
    import faster_whisper.utils as fw_utils

    table: dict[str, str] = getattr(fw_utils, "_MODELS", {})
    if name not in table:
        raise ModelMissing(f"onbekend model '{name}'", f"kies uit: {', '.join(known_names())}")
    return table[name]


def folder_problem(folder: Path) -> str:
    """Why this folder is not a usable model ('' when it looks complete)."""
    if not folder.is_dir():
        return "map bestaat niet"
    missing = [f for f in REQUIRED_FILES if not (folder / f).is_file()]
    if not any(folder.glob("vocabulary.*")):
        missing.append("vocabulary.txt")
    if missing:
        return "onvolledig: " + ", ".join(missing) + " ontbreekt"
    if (folder / "model.bin").stat().st_size < 1024 * 1024:
        return "model.bin is te klein (afgebroken download?)"
    return ""


def model_size(folder: Path) -> int:
    # huggingface_hub keeps download metadata in <model>/.cache: not part of the model
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and ".cache" not in p.relative_to(folder).parts)


def looks_like_path(setting: str) -> bool:
    return os.sep in setting or "/" in setting or setting.startswith(("~", ".")) or Path(setting).is_dir()


def resolve_model(setting: str, folder: Path) -> tuple[str, Path]:
    """(name, folder) of the configured model, checked; raises a ModelError with what to do."""
    setting = (setting or "").strip()
    if not setting:
        raise ModelNotConfigured("er is geen spraakmodel ingesteld",
                                 "zet [captions] model in studio.toml (bijvoorbeeld \"small\") of STUDIO_CAPTIONS_MODEL")
    if looks_like_path(setting):
        path = Path(setting).expanduser()
        name = path.name
    else:
        name, path = setting, folder / setting
    problem = folder_problem(path)
    if problem == "map bestaat niet":
        hint = (FETCH_HINT.format(name=name) if not looks_like_path(setting)
                else "controleer [captions] model: het moet de map met model.bin zijn")
        raise ModelMissing(f"spraakmodel '{name}' staat niet op deze pc ({path})", hint)
    if problem:
        raise ModelBroken(f"het spraakmodel in {path} is beschadigd: {problem}",
                          FETCH_HINT.format(name=name) + " of kopieer de map opnieuw")
    return name, path


def list_models(folder: Path, configured: str = "") -> list[ModelInfo]:
    """The models in ``folder`` (and the configured folder, if it is elsewhere), with size and state."""
    seen: dict[Path, ModelInfo] = {}
    if folder.is_dir():
        for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            seen[sub.resolve()] = ModelInfo(sub.name, sub, model_size(sub), folder_problem(sub))
    if configured.strip() and looks_like_path(configured):
        path = Path(configured).expanduser()
        if path.resolve() not in seen:
            seen[path.resolve()] = ModelInfo(path.name, path, model_size(path) if path.is_dir() else 0,
                                             folder_problem(path))
    return list(seen.values())


def _progress_bar_class(report: FetchProgress) -> type[Any]:
    """A tqdm class for huggingface_hub that reports the bytes written instead of drawing a bar."""
    import io

    from tqdm.auto import tqdm

    class _Report(tqdm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.pop("name", None)
            kwargs["file"] = io.StringIO()  # nothing on the terminal: the caller draws its own bar
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            shown = super().update(n)
            if self.unit == "B":
                report(int(self.n), int(self.total or 0))
            return shown

    return _Report


def fetch_model(name: str, folder: Path, progress: FetchProgress | None = None) -> ModelInfo:
    """Fetch ``name`` into ``folder/name`` once (already there and complete: nothing is fetched)."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError

    target = folder / name.replace("/", "--")
    if target.is_dir() and not folder_problem(target):
        return ModelInfo(target.name, target, model_size(target))
    repo = _repo_id(name)
    partial = folder / f".{target.name}.partial"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        snapshot_download(repo, local_dir=partial, allow_patterns=FETCH_PATTERNS,
                          tqdm_class=_progress_bar_class(progress) if progress else None)
    except (OSError, HfHubHTTPError) as exc:  # no connection, repository gone, disk full...
        detail = "geen verbinding met Hugging Face" if "connect" in str(exc).lower() or "internet" in str(exc).lower() \
            else type(exc).__name__
        raise ModelFetchFailed(
            f"kan spraakmodel '{name}' niet ophalen: {detail}",
            f"doe dit op een pc met internet en kopieer daarna de map {target.name} naar {folder}") from None
    shutil.rmtree(partial / ".cache", ignore_errors=True)
    problem = folder_problem(partial)
    if problem:
        raise ModelBroken(f"het opgehaalde model '{name}' is onvolledig: {problem}", "probeer het opnieuw")
    if target.exists():
        shutil.rmtree(target)
    os.replace(partial, target)
    return ModelInfo(target.name, target, model_size(target))
