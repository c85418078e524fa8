"""Small helpers for Pilot tests of the panel (shared by tests/tui and tests/show)."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.fixtures._obs_process import free_port

__all__ = ["free_port", "wait_until"]


async def wait_until(pilot, predicate: Callable[[], object], what: str = "the screen",
                     timeout: float = 20.0) -> None:
    """Let the app run until ``predicate()`` is true; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for: {what}")
