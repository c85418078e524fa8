"""Waiting in tests, with one meaning everywhere: wait until a condition holds; on timeout, fail and say what.

``wait_until(predicate, what)`` polls from a plain test (threads, OBS, the emulator); ``pilot_wait_until(pilot,
predicate, what)`` lets a Textual app run meanwhile (Pilot tests). Both return the predicate's first truthy value
(tests can use what they waited for) and raise AssertionError naming ``what`` and the timeout otherwise: a
wait that ran out never passes silently.
"""

from __future__ import annotations

import reprlib
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class _Deadline:
    def __init__(self, what: str, timeout: float) -> None:
        self.what, self.timeout = what, timeout
        self.end = time.monotonic() + timeout

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def fail(self, last: Any) -> AssertionError:
        return AssertionError(f"timed out after {self.timeout:g} s waiting for: {self.what} "
                              f"(last value: {reprlib.repr(last)})")


def wait_until(predicate: Callable[[], T], what: str = "the condition", timeout: float = 10.0,
               interval: float = 0.02) -> T:
    deadline = _Deadline(what, timeout)
    while True:
        value = predicate()
        if value:
            return value
        if deadline.passed:
            raise deadline.fail(value)
        time.sleep(interval)


async def pilot_wait_until(pilot: Any, predicate: Callable[[], T], what: str = "the screen",
                           timeout: float = 20.0) -> T:
    deadline = _Deadline(what, timeout)
    while True:
        value = predicate()
        if value:
            return value
        if deadline.passed:
            raise deadline.fail(value)
        await pilot.pause(0.05)
