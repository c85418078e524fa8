"""YouTube for one run of the panel or a command: rehearsal decision, emulator, API door, lifecycle, ledger.

In rehearsal ("OEFENMODUS") without ``[youtube] endpoint`` the studio starts its own emulator on loopback.
For the panel (``shared_emulator=True``) that is one emulator in a background process of its own
(studio/youtube/rehearsal_emulator.py) which survives a restart of the panel; otherwise it lives as long as
this service.
"""

from __future__ import annotations

from typing import Any

from studio.config import Settings
from studio.store import Store
from studio.youtube.api import YouTubeApi, build_youtube
from studio.youtube.auth import is_rehearsal, target_name
from studio.youtube.broadcast import BroadcastLifecycle
from studio.youtube.quota import QuotaLedger

REHEARSAL_LABEL = "OEFENMODUS"


class YouTubeService:
    def __init__(self, settings: Settings, store: Store, obs: Any = None, *, shared_emulator: bool = False,
                 **api_options: Any) -> None:
        self.settings = settings
        self.store = store
        self.rehearsal = is_rehearsal(settings)
        self.target = target_name(settings)
        self.emulator: Any = None
        endpoint = settings.youtube.endpoint
        if self.rehearsal and not endpoint and shared_emulator:
            # The panel: one emulator in its own process, so a restart of the panel finds its broadcasts.
            from studio.youtube.rehearsal_emulator import shared_emulator as find_or_start

            endpoint = find_or_start(settings).endpoint
        elif self.rehearsal and not endpoint:
            from studio.youtube.emulator import start_emulator

            self.emulator = start_emulator(port=settings.youtube.emulator_port, rtmp_port=0,
                                           quota_limit=settings.youtube.daily_quota)
            endpoint = self.emulator.endpoint
        self.endpoint = endpoint
        try:
            self.api: YouTubeApi = build_youtube(settings, store, endpoint=endpoint, **api_options)
        except BaseException:
            self.close()
            raise
        self.broadcasts = BroadcastLifecycle(self.api, store, settings, self.target, obs)

    @property
    def ledger(self) -> QuotaLedger:
        return self.api.ledger

    @property
    def temporary_emulator(self) -> bool:
        return self.emulator is not None

    def close(self) -> None:
        emu, self.emulator = self.emulator, None
        if emu is not None:
            emu.stop()
