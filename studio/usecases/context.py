"""The Studio: the long-lived services of one run of the panel or a command, typed, built in one place.

Every use case takes a ``Studio`` as its first argument; the panel holds one as ``app.ctx`` and the CLI builds
one per command (``Studio(settings)``). Its fields are explicit and fixed: settings, store, obs, youtube,
questions (the question book), chat (the chat desk: the running intake), theme (the overlay theme) and
scrubber (the privacy filter: made on first use and loading in its own thread from then on; the panel asks
for it at start so that it is ready before the first question is looked at) and captions (the background
caption queue; the panel starts it, studio/usecases/archive/caption_queue.py). Nothing else is ever hung on it.

Each service is created on first use, exactly once even when two worker threads ask at the same moment (each
has its own lock, so creating YouTube, which can start the rehearsal emulator, never holds up a thread that
only wants the store). ``close()`` closes what was created, once, users before what they use: the chat
intake stops before YouTube it reads and the store it writes to, and the store closes last.
Tests hand in stand-ins through the constructor (``Studio(settings, obs=fake)``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from studio.config import Settings
from studio.errors import StudioError

if TYPE_CHECKING:
    from studio.deid import Scrubber
    from studio.obs.commands import Obs
    from studio.overlay.theme import Theme
    from studio.store import Store
    from studio.store.questions import QuestionBook
    from studio.usecases.archive.caption_queue import CaptionQueue
    from studio.usecases.moderation import ChatDesk
    from studio.youtube.service import YouTubeService

T = TypeVar("T")
# Users before what they use: the intake reads YouTube and writes the store; YouTube's ledger is in the store;
# the caption queue reads OBS's state, the filter and the store.
_CLOSE_ORDER = ("captions", "chat", "youtube", "obs", "questions", "theme", "scrubber", "store")


class _Lazy(Generic[T]):
    """One service: made by ``make`` on first ``get()``, by one thread only."""

    def __init__(self, name: str, make: Callable[[], T], created: Callable[[str, Any], None]) -> None:
        self.name = name
        self._make = make
        self._created = created
        self._lock = threading.Lock()
        self.value: T | None = None

    def get(self) -> T:
        value = self.value
        if value is not None:
            return value
        with self._lock:
            if self.value is not None:
                return self.value
            made = self._make()
            self._created(self.name, made)
            self.value = made
            return made

    def given(self, value: T) -> None:
        self.value = value


class Studio:
    def __init__(self, settings: Settings, *, store: Store | None = None, obs: Obs | None = None,
                 youtube: YouTubeService | None = None, scrubber: Scrubber | None = None,
                 shared_emulator: bool = True) -> None:
        self.settings = settings
        # In rehearsal without an endpoint: True uses (or starts) the emulator process that outlives a restart
        # of the panel; False starts one for this run only (a one-off command).
        self.shared_emulator = shared_emulator
        self._lock = threading.Lock()
        self._closed = False
        self._open: dict[str, Any] = {}  # created here (handed-in services are the caller's to close)
        self._store: _Lazy[Store] = _Lazy("store", self._make_store, self._note)
        self._obs: _Lazy[Obs] = _Lazy("obs", self._make_obs, self._note)
        self._youtube: _Lazy[YouTubeService] = _Lazy("youtube", self._make_youtube, self._note)
        self._questions: _Lazy[QuestionBook] = _Lazy("questions", self._make_questions, self._note)
        self._chat: _Lazy[ChatDesk] = _Lazy("chat", self._make_chat, self._note)
        self._theme: _Lazy[Theme] = _Lazy("theme", self._make_theme, self._note)
        self._scrubber: _Lazy[Scrubber] = _Lazy("scrubber", self._make_scrubber, self._note)
        self._captions: _Lazy[CaptionQueue] = _Lazy("captions", self._make_captions, self._note)
        # Handed in (tests, benches): the caller closes these.
        if store is not None:
            self._store.given(store)
        if obs is not None:
            self._obs.given(obs)
        if youtube is not None:
            self._youtube.given(youtube)
        if scrubber is not None:
            self._scrubber.given(scrubber)

    # -- the services ---------------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        return self._store.get()

    @property
    def obs(self) -> Obs:
        """The studio's OBS, started (it connects and reconnects by itself)."""
        return self._obs.get()

    @property
    def youtube(self) -> YouTubeService:
        """YouTube (or, in rehearsal, the emulator; started here when no endpoint is configured)."""
        return self._youtube.get()

    @property
    def questions(self) -> QuestionBook:
        return self._questions.get()

    @property
    def chat(self) -> ChatDesk:
        return self._chat.get()

    @property
    def theme(self) -> Theme:
        return self._theme.get()

    @property
    def scrubber(self) -> Scrubber:
        """The privacy filter, loading in the background from its first use (studio.usecases.privacy asks
        whether it is ready; it refuses to scrub until it is)."""
        return self._scrubber.get()

    @property
    def captions(self) -> CaptionQueue:
        """The background caption queue (not started: the panel calls ``start()``)."""
        return self._captions.get()

    def captions_if_started(self) -> CaptionQueue | None:
        return self._captions.value

    def obs_if_started(self) -> Obs | None:
        """OBS only if this run already uses it: never connect just to look."""
        return self._obs.value

    def youtube_if_started(self) -> YouTubeService | None:
        """YouTube only if this run already uses it: never start the emulator just to stop it."""
        return self._youtube.value

    # -- making and closing ---------------------------------------------------------------------------
    def _note(self, name: str, service: Any) -> None:
        with self._lock:
            if self._closed:
                _close(service)
                raise StudioError("de studio wordt afgesloten", "start het paneel of de opdracht opnieuw")
            self._open[name] = service

    def _make_store(self) -> Store:
        from studio.store import open_store

        return open_store(self.settings)

    def _make_obs(self) -> Obs:
        from studio.obs.commands import Obs

        return Obs.from_settings(self.settings.obs).start()

    def _make_youtube(self) -> YouTubeService:
        from studio.youtube.service import YouTubeService

        return YouTubeService(self.settings, self.store, obs=lambda: self.obs, shared_emulator=self.shared_emulator)

    def _make_questions(self) -> QuestionBook:
        from studio.store.questions import QuestionBook

        return QuestionBook(self.store)

    def _make_chat(self) -> ChatDesk:
        from studio.usecases.moderation import ChatDesk

        return ChatDesk(self)

    def _make_captions(self) -> CaptionQueue:
        from studio.usecases.archive.caption_queue import CaptionQueue

        return CaptionQueue(self)

    def _make_theme(self) -> Theme:
        from studio.overlay.theme import load_theme

        return load_theme()

    def _make_scrubber(self) -> Scrubber:
        from studio.deid import Scrubber

        return Scrubber().start()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            services, self._open = self._open, {}
        for name in _CLOSE_ORDER:
            if name in services:
                _close(services[name])

    def __enter__(self) -> Studio:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _close(service: Any) -> None:
    close = getattr(service, "close", None)
    if callable(close):
        close()
