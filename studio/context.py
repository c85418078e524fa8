"""The studio's long-lived services for one run of the panel or a command: built lazily, closed once.

Screens reach them as ``self.app.ctx``; use cases take the context as their first argument. Each service is
created on first use, so `studio --help` and a command that needs only the store stay fast.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING

from studio.config import Settings

if TYPE_CHECKING:
    from studio.obs.client import ObsSupervisor
    from studio.store import Store
    from studio.youtube.service import YouTubeService


class StudioContext:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._closers: list[object] = []

    @cached_property
    def store(self) -> Store:
        from studio.store import open_store

        store = open_store(self.settings)
        self._closers.append(store)
        return store

    @cached_property
    def obs(self) -> ObsSupervisor:
        """The OBS connection supervisor, started (it connects and reconnects by itself)."""
        from studio.obs.client import ObsSupervisor

        sup = ObsSupervisor.from_settings(self.settings.obs)
        sup.start()
        self._closers.append(sup)
        return sup

    @cached_property
    def youtube(self) -> YouTubeService:
        """YouTube (or, in rehearsal, the emulator; started here when no endpoint is configured)."""
        from studio.youtube.service import YouTubeService

        service = YouTubeService(self.settings, self.store, obs=lambda: self.obs, shared_emulator=True)
        self._closers.append(service)
        return service

    def close(self) -> None:
        with self._lock:
            closers, self._closers = self._closers[::-1], []
        for c in closers:
            c.close()  # type: ignore[attr-defined]
