"""The prepared lookup data: built once at set-up, loaded in well under a second at panel start.

deduce's default load builds tries of every Dutch street and healthcare institution (about 90 s cold, 10 s and
1.1 GB warm on these machines). This product needs none of the institution lists, and streets only as a set
to look a candidate street up in, so the build here makes:

* ``lookup/``: a copy of deduce's lookup lists with the lists we do not use emptied (institutions, streets,
  places, eponymous diseases): deduce then builds and caches only its name structures (first names,
  surnames, interfixes, prefixes, initials, the whitelist of common words), which takes a fraction of a
  second and a few MB;
* ``words.pickle``: plain sets, folded to lower case: every Dutch street name from deduce's street list
  (for "street + house number"), every place name from deduce's place lists (places stay visible on air),
  and deduce's first names and surnames (for lower-case names after "buurman", "meneer" ...);
* ``READY``: the cache key, written last; a directory without it is an unfinished build.

The key covers deduce's version, this builder's version and the sizes of deduce's source lists, so a new
deduce or a changed list gives a new directory; the old one is left for ``prune``. Building is atomic (a
temporary directory renamed into place), so two processes building at once cannot leave half a cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from studio.deid.errors import DeidError
from studio.deid.library import deduce_package_dir, deduce_version, import_deduce
from studio.deid.normalise import street_key

BUILD_VERSION = "1"
ENV_CACHE_DIR = "STUDIO_DEID_CACHE"
_STAMP = "READY"
_WORDS = "words.pickle"
# deduce lists emptied in our copy: not needed for names, or loaded by us as plain sets instead.
_EMPTIED = ("institutions", "locations", "whitelist/lst_eponymous_disease")


def default_cache_root() -> Path:
    """$STUDIO_DEID_CACHE, else the platform cache dir (~/.cache/wijkspreekuur-studio/deid)."""
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    from studio.config import APP_NAME

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "deid"


def _source_dir() -> Path:
    return deduce_package_dir() / "data" / "lookup" / "src"


# The code whose output the cache holds: a change in any of them is a new cache.
_BUILDERS = ("lookups.py", "normalise.py", "../domain/textnorm.py")


def cache_key() -> str:
    """Changes whenever what the build reads or does changes."""
    h = hashlib.sha256(f"{BUILD_VERSION}\0{deduce_version()}".encode())
    here = Path(__file__).parent
    for name in _BUILDERS:
        h.update((here / name).read_bytes())
    src = _source_dir()
    for path in sorted(src.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(f"{path.relative_to(src)}\0{path.stat().st_size}\0".encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Words:
    streets: frozenset[str]
    places: frozenset[str]
    first_names: frozenset[str]
    surnames: frozenset[str]


def cache_dir(root: Path | None = None) -> Path:
    return (root or default_cache_root()) / cache_key()


def is_built(directory: Path) -> bool:
    stamp = directory / _STAMP
    return stamp.is_file() and stamp.read_text().strip() == directory.name


def _read_items(path: Path) -> set[str]:
    items: set[str] = set()
    for f in path.rglob("items.txt"):
        items.update(line.strip() for line in f.read_text(encoding="utf-8").splitlines() if line.strip())
    for f in path.rglob("exceptions.txt"):
        items.difference_update(line.strip() for line in f.read_text(encoding="utf-8").splitlines())
    return items


def _build_words(src: Path) -> Words:
    streets = frozenset(filter(None, (street_key(s) for s in _read_items(src / "locations" / "lst_street"))))
    places = frozenset(filter(None, (street_key(s) for s in _read_items(src / "locations" / "lst_placename"))))
    first = frozenset(n.lower() for n in _read_items(src / "names" / "lst_first_name") if len(n) >= 2)
    last = frozenset(n.lower() for n in _read_items(src / "names" / "lst_surname") if len(n) >= 2)
    return Words(streets, places, first, last)


def build(root: Path | None = None) -> Path:
    """Build the cache (if not built yet) and return its directory. Raises DeidError with a Dutch reason."""
    target = cache_dir(root)
    if is_built(target):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
        try:
            src = _source_dir()
            shutil.copytree(src, work / "lookup" / "src", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
            for part in _EMPTIED:
                for items in (work / "lookup" / "src" / part).rglob("items.txt"):
                    items.write_text("", encoding="utf-8")
            words = _build_words(src)
            (work / _WORDS).write_bytes(pickle.dumps(words, protocol=pickle.HIGHEST_PROTOCOL))
            # Let deduce build and pickle its own (now small) structures in our copy.
            from studio.deid.engine import make_deduce

            make_deduce(work / "lookup")
            (work / _STAMP).write_text(target.name + "\n")
            try:
                work.rename(target)
            except OSError:
                if not is_built(target):  # someone else finished first: theirs is as good as ours
                    raise
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)
    except OSError as exc:
        raise DeidError(
            f"de naamlijsten konden niet worden voorbereid in {target.parent}: {exc.strerror or exc}",
            "controleer of die map beschrijfbaar is en of de schijf niet vol is; voer daarna "
            "'scripts/bootstrap.sh' opnieuw uit",
        ) from exc
    return target


def load_words(directory: Path) -> Words:
    try:
        words = pickle.loads((directory / _WORDS).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
        raise DeidError(f"de voorbereide naamlijsten in {directory} zijn onleesbaar ({exc})",
                        "verwijder die map en voer 'scripts/bootstrap.sh' opnieuw uit") from exc
    if not isinstance(words, Words):
        raise DeidError(f"de voorbereide naamlijsten in {directory} horen bij een andere versie",
                        "verwijder die map en voer 'scripts/bootstrap.sh' opnieuw uit")
    return words


def prune(root: Path | None = None) -> list[Path]:
    """Remove caches of other keys (old deduce versions) and unfinished builds; returns what was removed."""
    base = root or default_cache_root()
    keep = cache_key()
    removed = []
    if base.is_dir():
        for child in base.iterdir():
            if child.is_dir() and child.name != keep:
                shutil.rmtree(child, ignore_errors=True)
                removed.append(child)
    return removed


__all__ = ["ENV_CACHE_DIR", "Words", "build", "cache_dir", "cache_key", "default_cache_root", "import_deduce",
           "is_built", "load_words", "prune"]
