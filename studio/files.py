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
    # A lone surrogate (a file name that is not UTF-8) cannot be UTF-8: written as the JSON escape \udcXX,
    # which json.loads reads back as the same name; everything else stays readable as it is.
    return write_atomic(path, text.encode("utf-8", "backslashreplace"))


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


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def make_private(root: str | os.PathLike[str]) -> int:
    """``root`` and everything in it for the studio's own user only: folders 0700, files 0600.

    The data folder holds chat text, the audit log, cards, reports and recordings: other local users must not
    read them, also when an older version made them 0644. Only the group's and others' bits are taken away
    (a data file 0644 becomes 0600; the owner's own bits, e.g. an executable's x, stay). Symbolic links are
    not followed, files of other users are left alone, and a data folder that is the home folder (or above
    it, or /) is not walked: [paths] data_dir pointing there must not touch the user's other files.
    Returns how many modes were changed.
    """
    base = Path(root)
    base.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    uid = os.getuid() if hasattr(os, "getuid") else None
    changed = 0

    def fix(path: str | Path, is_dir: bool) -> None:
        nonlocal changed
        try:
            st = os.lstat(path)
            if (uid is not None and st.st_uid != uid) or os.path.islink(path):
                return
            mode = st.st_mode & 0o777
            wanted = (mode & 0o700) | (PRIVATE_DIR if is_dir else PRIVATE_FILE)
            if mode != wanted:
                os.chmod(path, wanted)
                changed += 1
        except OSError:  # gone meanwhile, or not ours to change: the folder's own 0700 still protects it
            pass

    resolved = base.resolve()
    home = Path.home().resolve()
    if resolved == home or resolved in home.parents or resolved == Path(resolved.anchor):
        return 0
    fix(base, True)
    for folder, dirs, names in os.walk(base, followlinks=False):
        for d in dirs:
            fix(os.path.join(folder, d), True)
        for n in names:
            fix(os.path.join(folder, n), False)
    return changed


def create_private(path: str | os.PathLike[str]) -> None:
    """Make sure ``path`` exists with mode 0600 before a library opens it (SQLite gives its -wal and -shm
    files the mode of the database file)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
    os.close(fd)
    with contextlib.suppress(OSError):
        os.chmod(target, PRIVATE_FILE)


class PanelLock:
    """An advisory lock (flock) on a file: held while the panel runs, released by the kernel when the process
    ends in any way (also SIGKILL or a power cut), so nobody has to clean up a stale lock.

    ``studio show status`` asks ``held()`` to tell a step that is being run from one that was interrupted.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; False when another process holds it."""
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None

    def held(self) -> bool:
        """Another process (or this one) holds the lock now."""
        import fcntl

        if self._fd is not None:
            return True
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False
