"""Files on the studio PC: the one way to write a file that others read while we write it, and small helpers.

``write_atomic`` writes to a temporary file in the same folder, fsyncs it, renames it over the target and
fsyncs the folder: a reader (OBS loading a card, a person opening a sidecar, the next run reading a report)
sees the old file or the new one, never half of one, also after a power cut. The temporary file is made by
``tempfile.mkstemp``, so the result has mode 0600 (only the studio's own user reads chat-derived files).
Nothing is left behind when writing fails (a full disk): the temporary file is removed and the old file
stays as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (bytes, or text in ``encoding`` with newlines as given) to ``path`` atomically."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if hasattr(os, "fchmod"):  # POSIX: mkstemp already made it 0600; said here so nobody loosens it
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)
    return target


def write_json_atomic(path: str | os.PathLike[str], data: Any) -> Path:
    """JSON (UTF-8, indented, keys sorted: a diff of two versions reads well), written atomically."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"
    return write_atomic(path, text)


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a rename in ``folder`` durable (not every platform can open a folder: then it is skipped)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_file(path: str | os.PathLike[str]) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def free_bytes(folder: str | os.PathLike[str]) -> int:
    """Free space where ``folder`` lives; 0 when it cannot be read (treated as full: the careful answer)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 0
