"""The archive catalogue: a recording becomes an entry in SQLite and a JSON sidecar beside the recording.

The original recording is evidence of what was said on air. Cataloguing only reads it: checksum, probe,
and the readable duration (a Matroska file from an OBS that was killed says more in its header than it
holds, or nothing at all; it is archived anyway, marked ``truncated``).

The sidecar (``<recording>.json``) repeats the entry so that a folder of recordings explains itself even
without the database; it is written atomically (temporary file in the same folder, fsync, rename).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from studio.domain import labels
from studio.errors import StudioError
from studio.files import write_json_atomic
from studio.media import ffmpeg
from studio.store import Store
from studio.store import archive as repo

CHUNK = 8 * 1024 * 1024
SIDECAR_SUFFIX = ".json"
SIDECAR_VERSION = 1


class ArchiveError(StudioError):
    """An archive action could not be done (one Dutch line)."""


class EntryNotFound(ArchiveError):
    exit_code = 2


class AlreadyArchived(ArchiveError):
    """The same recording (same sha256) is already an entry: never two entries for one recording."""

    def __init__(self, entry_id: int, name: str) -> None:
        super().__init__(f"{name} staat al in het archief als nummer {entry_id} (zelfde sha256)",
                         f"zie 'studio archive show {entry_id}'")
        self.entry_id = entry_id


@dataclass(frozen=True)
class SessionInfo:
    session_id: str | None
    date: str  # YYYY-MM-DD
    topic: str
    lang: str
    starts_at: datetime | None
    record_started_at: float | None


def sha256_file(path: str | Path, progress: Callable[[int], None] | None = None,
                cancel: Callable[[], bool] | None = None) -> str:
    """Hex SHA-256 of a file, read in large chunks; ``progress(bytes_read)`` after each chunk."""
    h = hashlib.sha256()
    done = 0
    with open(path, "rb", buffering=0) as f:
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        while n := f.readinto(buf):
            h.update(view[:n])
            done += n
            if progress is not None:
                progress(done)
            if cancel is not None and cancel():
                raise ArchiveError("afgebroken tijdens het berekenen van de controlesom")
    return h.hexdigest()


def sidecar_path(original: str | Path) -> Path:
    p = Path(original)
    return p.with_name(p.name + SIDECAR_SUFFIX)


def write_sidecar(entry: repo.Entry) -> Path:
    """The entry as JSON beside the original (skipped, not failed, once the original has been pruned)."""
    path = sidecar_path(entry.original_path)
    if not path.parent.is_dir():
        return path
    data = {"studio_archive": SIDECAR_VERSION, **entry.as_dict()}
    try:
        write_json_atomic(path, data)
    except OSError as exc:
        raise ArchiveError(f"kan {path.name} niet schrijven: {exc.strerror or exc}",
                           "controleer de schrijfrechten en de vrije ruimte in de opnamemap") from None
    return path


def read_sidecar(original: str | Path) -> dict[str, Any] | None:
    try:
        data = json.loads(sidecar_path(original).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def session_info(store: Store, session_id: str | None, fallback_file: Path | None = None) -> SessionInfo:
    """What the show flow knows about a session (show_sessions), else what the file itself tells."""
    row: dict[str, Any] | None = None
    if session_id:
        from studio.store import session as sessions

        try:
            row = sessions.get_session(store, session_id)
        except Exception:  # the table may not exist in an old database: the file is enough
            row = None
    if row:
        starts: datetime | None
        try:
            starts = datetime.fromisoformat(str(row["starts_at"]))
        except ValueError:
            starts = None
        date = starts.date().isoformat() if starts else str(row["starts_at"])[:10]
        return SessionInfo(session_id, date, str(row.get("topic") or ""), str(row.get("lang") or "nl"), starts,
                           row.get("record_started_at"))
    mtime = fallback_file.stat().st_mtime if fallback_file and fallback_file.exists() else time.time()
    when = datetime.fromtimestamp(mtime).astimezone()
    lang = "nl"
    topic = ""
    if session_id and session_id.endswith("-ar"):
        lang = "ar"
    if session_id and len(session_id) >= 10:
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(session_id[:10]).astimezone()
    return SessionInfo(session_id, when.date().isoformat(), topic, lang, None, None)


def default_title(info: SessionInfo) -> str:
    from studio.domain.broadcast_texts import broadcast_title

    when = info.starts_at or datetime.fromisoformat(info.date)
    return broadcast_title(info.topic or "wijkspreekuur", when, info.lang)


def inspect_source(path: Path, seq: int) -> tuple[repo.Source, bool]:
    """Checksum, probe and readable duration of one file (read in parallel); (source, truncated)."""
    info = ffmpeg.probe(path)  # raises NotAVideo first: no hashing of a file that is not a recording
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        digest = pool.submit(sha256_file, path)
        readable = pool.submit(ffmpeg.readable_duration, path)
        sha, seconds = digest.result(), readable.result()
    truncated = info.duration <= 0 or seconds + 2.0 < info.duration
    return repo.Source(seq, str(path), path.stat().st_size, sha, seconds or info.duration), truncated


def add_recording(
    store: Store,
    files: Sequence[str | Path],
    session_id: str | None = None,
    *,
    topic: str | None = None,
    lang: str | None = None,
    title: str | None = None,
    record_started_at: float | None = None,
    settle: float = 0.0,
) -> repo.Entry:
    """Catalogue a recording (one or more split files, in order). Returns the existing entry if known.

    ``settle``: first wait until each file has not changed for that many seconds (a file found by a person
    may still be written; after Obs.stop_record the file is final already).
    """
    paths = [Path(f).expanduser().resolve() for f in files]
    if not paths:
        raise ArchiveError("geen opnamebestand opgegeven")
    for p in paths:
        if p.is_dir():
            raise ArchiveError(f"{labels.shown(p)} is een map, geen opnamebestand",
                               "geef het bestand in die map op (MKV of MP4)")
        if not p.is_file():
            what = "bestaat niet" if not p.exists() else "is geen gewoon bestand"
            raise ArchiveError(f"opname {labels.shown(p)} {what}", "controleer het pad")
    existing = repo.entry_by_path(store, str(paths[0]))
    if existing is not None:
        return existing
    if settle > 0:
        for p in paths:
            wait_until_stable(p, settle)
    inspected = [inspect_source(p, i) for i, p in enumerate(paths)]
    for (source, _), p in zip(inspected, paths, strict=True):
        known = repo.entry_by_sha256(store, source.sha256)
        if known is not None:
            raise AlreadyArchived(known.id, labels.file_name(p))
    info = session_info(store, session_id, paths[0])
    info = SessionInfo(info.session_id, info.date, topic if topic is not None else info.topic,
                       lang if lang is not None else info.lang, info.starts_at,
                       record_started_at if record_started_at is not None else info.record_started_at)
    entry = repo.add_entry(
        store,
        session_id=session_id,
        session_date=info.date,
        topic=info.topic,
        lang=info.lang,
        title=title or default_title(info),
        sources=[s for s, _ in inspected],
        truncated=any(t for _, t in inspected),
        record_started_at=info.record_started_at,
    )
    store.audit("archive.add", {"entry": entry.id, "session": session_id, "files": [str(p) for p in paths],
                                "truncated": entry.truncated})
    try:
        write_sidecar(entry)
    except ArchiveError as exc:  # the database is the truth; the sidecar is written again on the next change
        entry = repo.update_entry(store, entry.id, error=exc.message)
    return entry


def wait_until_stable(path: Path, quiet: float = 2.0, timeout: float = 30.0) -> None:
    """A file changed in the last ``quiet`` seconds may still be written (OBS, a copy): wait until it rests."""
    deadline = time.monotonic() + timeout
    last = path.stat()
    while time.time() - last.st_mtime < quiet:
        if time.monotonic() > deadline:
            raise ArchiveError(f"{path.name} wordt nog geschreven", "wacht tot de opname of kopie klaar is")
        time.sleep(min(0.5, quiet))
        now = path.stat()
        if (now.st_size, now.st_mtime) == (last.st_size, last.st_mtime) and time.time() - now.st_mtime >= quiet:
            break
        last = now


def get(store: Store, entry_id: int) -> repo.Entry:
    entry = repo.get_entry(store, entry_id)
    if entry is None:
        raise EntryNotFound(f"archiefnummer {entry_id} bestaat niet", "zie 'studio archive list'")
    return entry


def update(store: Store, entry_id: int, **fields: Any) -> repo.Entry:
    """Change the entry in SQLite first (the truth), then refresh its sidecar."""
    entry = repo.update_entry(store, entry_id, **fields)
    write_sidecar(entry)
    return entry


@dataclass(frozen=True)
class FileCheck:
    role: str  # origineel, verwerkt
    path: str
    ok: bool
    detail: str  # Dutch, one line


def verify(store: Store, entry_id: int, progress: Callable[[int], None] | None = None) -> list[FileCheck]:
    """Re-check every file of the entry against its stored checksum, and that it still probes as video."""
    entry = get(store, entry_id)
    checks: list[FileCheck] = []
    files: list[tuple[str, str, str | None, float | None]] = []
    if entry.original_pruned_at is None:
        files += [("origineel", s.path, s.sha256, None) for s in entry.sources]
    if entry.processed_path and entry.processed_pruned_at is None:
        files.append(("verwerkt", entry.processed_path, entry.processed_sha256, entry.processed_duration))
    for role, path, expected, duration in files:
        p = Path(path)
        if not p.is_file():
            checks.append(FileCheck(role, path, False, "bestand ontbreekt"))
            continue
        try:
            ffmpeg.probe(p)
        except ffmpeg.MediaError as exc:
            checks.append(FileCheck(role, path, False, exc.message))
            continue
        actual = sha256_file(p, progress)
        if actual != expected:
            checks.append(FileCheck(role, path, False, "controlesom wijkt af: het bestand is veranderd"))
        else:
            extra = f", {duration:.0f} s" if duration else ""
            checks.append(FileCheck(role, path, True, f"controlesom klopt{extra}"))
    store.audit("archive.verify", {"entry": entry_id}, "ok" if all(c.ok for c in checks) else "afwijking")
    return checks
