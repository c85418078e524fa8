"""The shared rehearsal emulator: one `studio emulator` process that outlives the panel.

In rehearsal (OEFENMODUS) without ``[youtube] endpoint`` the panel and the `studio` commands use ONE emulator
running in its own background process, found again through ``<data dir>/rehearsal-emulator.json``. So a
restart of the panel in the middle of a rehearsal finds its broadcasts, its live chat and the RTMP ingest
OBS is still sending to, exactly as with the real YouTube, which also does not go away when the panel does.
It is stopped with `stop_shared_emulator` (the panel does so when it closes with no session in progress).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.config import Settings
from studio.errors import ConfigError
from studio.files import write_atomic
from studio.youtube.errors import YouTubeError

STATE_FILE = "rehearsal-emulator.json"
START_TIMEOUT = 20.0


@dataclass(frozen=True)
class SharedEmulator:
    pid: int
    endpoint: str
    rtmp_url: str
    ca_file: str


def announce(path: str | os.PathLike[str], emu: Any) -> None:
    """Written by `studio emulator --announce FILE` once it listens (atomically)."""
    target = Path(path)
    try:
        write_atomic(target, json.dumps({"pid": os.getpid(), "endpoint": emu.endpoint, "rtmp_url": emu.rtmp_url,
                                         "ca_file": str(emu.ca_file or "")}))
    except OSError as exc:
        raise ConfigError(f"kan {target} niet schrijven: {exc.strerror or exc}",
                          "kies met --announce een bestand in een map waarin u mag schrijven") from None


def _alive(info: SharedEmulator) -> bool:
    try:
        os.kill(info.pid, 0)
    except OSError:
        return False
    try:
        with urllib.request.urlopen(info.endpoint + "emulator/state", timeout=2):
            return True
    except OSError:
        return False


def _read(path: Path) -> SharedEmulator | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SharedEmulator(int(data["pid"]), str(data["endpoint"]), str(data["rtmp_url"]),
                              str(data.get("ca_file", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def find_shared_emulator(settings: Settings) -> SharedEmulator | None:
    """The shared emulator for these settings, if one is running."""
    info = _read(Path(settings.data_dir) / STATE_FILE)
    return info if info is not None and _alive(info) else None


def shared_emulator(settings: Settings) -> SharedEmulator:
    """The running shared emulator for these settings; started (detached) when there is none."""
    path = Path(settings.data_dir) / STATE_FILE
    found = find_shared_emulator(settings)
    if found is not None:
        return found
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    log = open(path.with_suffix(".log"), "ab")  # noqa: SIM115 - handed to the child
    cmd = [sys.executable, "-m", "studio", "emulator", "--port", str(settings.youtube.emulator_port),
           "--quota", str(settings.youtube.daily_quota), "--announce", str(path)]
    try:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    finally:
        log.close()
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        info = _read(path)
        if info is not None and info.pid == proc.pid:
            return info
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    with contextlib.suppress(OSError):
        proc.kill()
    raise YouTubeError("de oefen-emulator kon niet starten",
                       f"zie {path.with_suffix('.log')}; of start hem zelf met 'studio emulator'")


def _running(pid: int) -> bool:
    """True while the process runs; reaps it when it is our own child (a zombie still answers kill 0)."""
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass  # not our child: another panel started it
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def stop_shared_emulator(settings: Settings) -> bool:
    """Stop the shared emulator (SIGINT, as Ctrl-C). True when one was running."""
    path = Path(settings.data_dir) / STATE_FILE
    info = _read(path)
    if info is None:
        return False
    try:
        os.kill(info.pid, signal.SIGINT)
    except OSError:
        return False
    for sig in (signal.SIGTERM, signal.SIGKILL):  # then firmer: it must not outlive the studio's data
        for _ in range(60):
            if not _running(info.pid):
                break
            time.sleep(0.05)
        else:
            with contextlib.suppress(OSError):
                os.kill(info.pid, sig)
            continue
        break
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return True
