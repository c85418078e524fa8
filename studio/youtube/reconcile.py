"""Reconciliation: after a create whose outcome is unknown, look for what the first attempt made.

YouTube can carry out an insert and still answer 5xx, or take longer than the client waits (the insert then
finishes on its own). Sending the insert again would make a second broadcast, stream or playlist entry, so
the callers (broadcast, streams, publish) first look with a cheap read for the thing the first attempt would
have made, for a while, and adopt it when it appears. Only when the window passes without it do they insert
again (``create_once``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from studio.youtube.errors import OutcomeUnknown

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_WINDOW = 60.0  # seconds to look for a late insert after a timeout (YouTube's slowest seen: ~40 s)
SERVER_ERROR_WINDOW = 5.0  # after a 5xx the answer came back: whatever was done is visible at once


def look_for(find: Callable[[], T | None], *, window: float, sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic, first_wait: float = 0.5, max_wait: float = 5.0) -> T | None:
    """Call ``find`` now and then with growing pauses until it returns something or ``window`` passes."""
    deadline = clock() + max(0.0, window)
    wait = first_wait
    while True:
        found = find()
        if found is not None:
            return found
        left = deadline - clock()
        if left <= 0:
            return None
        sleep(min(wait, left))
        wait = min(max_wait, wait * 2)


def create_once(insert: Callable[[], T], find: Callable[[], T | None], *, what: str, window: float = DEFAULT_WINDOW,
                sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                attempts: int = 2, on_adopt: Callable[[T], None] | None = None) -> T:
    """``insert()``; when its outcome is unknown, ``find()`` what it made before any further attempt.

    Returns the made (or adopted) thing. After ``attempts`` unknown outcomes with nothing found, the last
    ``OutcomeUnknown`` is raised: the caller shows it, and a later run reconciles again first.
    """
    for attempt in range(1, attempts + 1):
        try:
            return insert()
        except OutcomeUnknown as exc:
            span = min(SERVER_ERROR_WINDOW, window) if exc.status >= 500 else window
            log.info("%s: outcome unknown (%s); looking for it for up to %.0f s", what, exc.reason, span)
            found = look_for(find, window=span, sleep=sleep, clock=clock)
            if found is not None:
                if on_adopt is not None:
                    on_adopt(found)
                return found
            if attempt >= attempts:
                raise
    raise AssertionError("unreachable")  # the loop returns or raises
