"""The one place that imports deduce (LGPL-3.0), and undoes what importing it does to the whole process.

``import deduce`` runs ``logging.basicConfig(stream=sys.stdout, level=logging.DEBUG)`` and
``warnings.simplefilter("default")`` (deduce 3.0.6, deduce/deduce.py and deduce/annotator.py). In the panel
that would print every library's debug lines (request URLs among them) over the terminal UI, and show
warnings the project silences. So the import happens here, under a lock, with the root logger's handlers
and level and the warning filters put back exactly as they were.
"""

from __future__ import annotations

import importlib.metadata
import logging
import threading
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any, cast

from studio.deid.errors import DeidError

_lock = threading.Lock()
_module: ModuleType | None = None


def import_deduce() -> ModuleType:
    """``deduce``, imported once, without its side effects on logging and warnings."""
    global _module
    with _lock:
        if _module is None:
            root = logging.getLogger()
            handlers, level = list(root.handlers), root.level
            filters: list[Any] = list(warnings.filters)
            try:
                import deduce
            except ImportError as exc:
                raise DeidError(f"de bibliotheek deduce ontbreekt ({exc})",
                                "voer 'scripts/bootstrap.sh' uit om de afhankelijkheden te installeren") from exc
            finally:
                for handler in root.handlers[:]:
                    if handler not in handlers:
                        root.removeHandler(handler)
                root.setLevel(level)
                cast(list[Any], warnings.filters)[:] = filters  # in place: _warnings holds this list
                warnings._filters_mutated()  # type: ignore[attr-defined]  # keep the cache in step
            _module = deduce
        return _module


def deduce_version() -> str:
    try:
        return importlib.metadata.version("deduce")
    except importlib.metadata.PackageNotFoundError as exc:
        raise DeidError("de bibliotheek deduce is niet geïnstalleerd",
                        "voer 'scripts/bootstrap.sh' uit om de afhankelijkheden te installeren") from exc


def deduce_package_dir() -> Path:
    """Where deduce's files are, found without importing it (importing is slow and has side effects)."""
    try:
        dist = importlib.metadata.distribution("deduce")
    except importlib.metadata.PackageNotFoundError as exc:
        raise DeidError("de bibliotheek deduce is niet geïnstalleerd",
                        "voer 'scripts/bootstrap.sh' uit om de afhankelijkheden te installeren") from exc
    init = dist.locate_file("deduce/__init__.py")
    return Path(str(init)).parent
