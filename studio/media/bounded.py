"""Run a blocking device call with a deadline (PortAudio and OpenCV calls can hang on a stuck device)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def run_bounded(fn: Callable[[], T], timeout: float, name: str, on_timeout: Callable[[], Exception]) -> T:
    """Run ``fn`` in a daemon thread; raise ``on_timeout()`` if it has not returned within ``timeout`` s.

    A thread stuck in a driver cannot be killed; it is abandoned (daemon) and the caller gets an answer.
    Whatever ``fn`` raises is raised here.
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc

    t = threading.Thread(target=target, name=name, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise on_timeout()
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value
