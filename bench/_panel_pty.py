"""Run a Textual app in a child process on a real pseudo-terminal (120x36), as a technician's terminal would.

Used by bench/panel_start.py, bench/panel_meters.py and bench/panel_technician.py. The child writes its figures
as one JSON object to the file named by $BENCH_RESULT; the parent drains the terminal output (a full pty would
block the child) and reads that file when the child has exited.

Like a plain xterm, the terminal says its size in pixels too (10x20 per cell) and answers the Primary Device
Attributes query (ESC [ c) without Sixel; it does not answer Kitty's graphics query. So the panel's question
about pictures (studio/tui/graphics.py) costs here what it costs in most terminals, and the picture is drawn
with half blocks.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COLS, ROWS = 120, 36
CELL_PIXELS = (10, 20)
DEVICE_ATTRIBUTES_QUERY = b"\x1b[c"
DEVICE_ATTRIBUTES_REPLY = b"\x1b[?62;22c"  # a VT220-class terminal with ANSI colour, no Sixel (4)
PYCACHE = Path(tempfile.gettempdir()) / "studio-bench-pycache"


def run_child(args: list[str], timeout: float) -> tuple[dict[str, Any], float]:
    """Start ``python -m bench.<...> args`` on a pty; return (its JSON result, seconds from spawn to exit)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ,
                struct.pack("HHHH", ROWS, COLS, COLS * CELL_PIXELS[0], ROWS * CELL_PIXELS[1]))
    with tempfile.TemporaryDirectory() as tmp:
        result_file = Path(tmp) / "result.json"
        env = {
            **os.environ,
            "BENCH_RESULT": str(result_file),
            "TERM": "xterm-256color",
            "COLUMNS": str(COLS),
            "LINES": str(ROWS),
            "STUDIO_DATA_DIR": str(Path(tmp) / "data"),
            "XDG_CONFIG_HOME": str(Path(tmp) / "config"),
            "STUDIO_OBS_PORT": "9",  # nobody listens: the panel starts without OBS
            # Like a user's machine: compiled bytecode is cached (this sandbox sets PYTHONDONTWRITEBYTECODE),
            # in a cache of its own so neither the repository nor the venv gets __pycache__ litter.
            "PYTHONPYCACHEPREFIX": str(PYCACHE),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdin=slave, stdout=slave,
                                stderr=slave, start_new_session=True)
        os.close(slave)
        deadline = start + timeout
        tail = b""  # the child's last output, for the error when it ends without a result
        try:
            while proc.poll() is None:
                if time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"{args} did not finish within {timeout} s")
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        out = os.read(master, 65536)
                    except OSError:
                        break
                    tail = (tail + out)[-6000:]
                    if DEVICE_ATTRIBUTES_QUERY in out:
                        os.write(master, DEVICE_ATTRIBUTES_REPLY)
            proc.wait(10)
        finally:
            os.close(master)
        elapsed = time.monotonic() - start
        result = json.loads(result_file.read_text()) if result_file.exists() else {}
        if not result:  # it crashed, or the panel in it stopped before measuring
            said = re.sub(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|.)", "", tail.decode(errors="replace"))
            lines = [line.strip() for line in said.splitlines() if line.strip()]
            raise RuntimeError(f"{args} exited with {proc.returncode} without a result; its last lines:\n"
                               + "\n".join(lines[-15:]))
        return result, elapsed


def write_result(data: dict[str, Any]) -> None:
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(data))


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            values[key] = int(value.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)
