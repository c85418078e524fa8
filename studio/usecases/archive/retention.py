"""Retention: originals and processed files are kept for configurable periods, then pruned.

Rules (the first ones are not configurable):
- Nothing of an entry that is not published yet is pruned: its original and its processed file may still
  be needed to publish it (a failed or unfinished publish, an upload in progress).
- An original goes only when a verified processed file exists or the entry was published, and only after
  ``[archive] keep_originals_days`` from the recording.
- A processed file goes ``[archive] keep_processed_days`` after publication.
The catalogue keeps the entry (with its checksums and the pruned date) and the sidecar says the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from studio.domain.labels import archive_state
from studio.store import Store
from studio.store import archive as repo
from studio.usecases.archive import catalog

DAY = 86_400.0


@dataclass(frozen=True)
class Due:
    entry_id: int
    kind: str  # origineel | verwerkt
    paths: tuple[str, ...]
    size: int
    reason: str  # Dutch


@dataclass(frozen=True)
class Kept:
    entry_id: int
    reason: str


def plan(store: Store, keep_originals_days: int, keep_processed_days: int,
         now: float | None = None) -> tuple[list[Due], list[Kept]]:
    now = time.time() if now is None else now
    due: list[Due] = []
    kept: list[Kept] = []
    for e in repo.list_entries(store):
        if e.state != "published" or e.published_at is None:
            if e.created_at + min(keep_originals_days, keep_processed_days) * DAY < now:
                kept.append(Kept(e.id, f"nog niet gepubliceerd (status: {archive_state(e.state)}): alles blijft bewaard"))
            continue
        if e.original_pruned_at is None and e.created_at + keep_originals_days * DAY < now:
            paths = tuple(s.path for s in e.sources if Path(s.path).exists())
            if paths:
                due.append(Due(e.id, "origineel", paths, sum(Path(p).stat().st_size for p in paths),
                               f"ouder dan {keep_originals_days} dagen en gepubliceerd"))
        if (e.processed_path and e.processed_pruned_at is None
                and e.published_at + keep_processed_days * DAY < now and Path(e.processed_path).exists()):
            due.append(Due(e.id, "verwerkt", (e.processed_path,), Path(e.processed_path).stat().st_size,
                           f"{keep_processed_days} dagen na publicatie"))
    return due, kept


def prune(store: Store, keep_originals_days: int, keep_processed_days: int, *, dry_run: bool = False,
          now: float | None = None) -> list[Due]:
    """Remove what is due (or only say so with ``dry_run``); returns what was (or would be) removed."""
    due, _kept = plan(store, keep_originals_days, keep_processed_days, now)
    if dry_run:
        return due
    for d in due:
        entry = catalog.get(store, d.entry_id)
        if entry.state != "published":  # re-checked right before deleting: the rule above all
            continue
        for p in d.paths:
            Path(p).unlink(missing_ok=True)
        stamp = time.time()
        if d.kind == "origineel":
            catalog.update(store, d.entry_id, original_pruned_at=stamp)
        else:
            catalog.update(store, d.entry_id, processed_pruned_at=stamp)
        store.audit("archive.prune", {"entry": d.entry_id, "kind": d.kind, "files": list(d.paths)})
    return due
