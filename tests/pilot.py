"""Small helpers for Pilot tests of the panel (shared by tests/tui and tests/show)."""

from __future__ import annotations

from tests.fixtures._obs_process import free_port
from tests.waiting import pilot_wait_until as wait_until

__all__ = ["free_port", "wait_until"]
