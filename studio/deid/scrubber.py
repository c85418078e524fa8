"""The one scrubber every caller uses: load it in the background, ask whether it is ready, scrub.

    scrubber = Scrubber().start()            # panel start: loads in a thread ("deid-loader")
    scrubber.status                          # ScrubberStatus: LOADING / READY / FAILED, with a Dutch message
    scrubber.wait(timeout=5)                 # block until READY or FAILED (or the timeout)
    result = scrubber.scrub(text, "nl")      # ScrubResult; raises ScrubberNotReady while not READY
    result.text, result.findings, result.final(masks, restores)

Nothing is ever scrubbed "partially": until deduce and the word lists are loaded, ``scrub`` refuses (the
pure rules alone would let names and addresses through, and a caller could mistake that for a full scrub).
Callers wait or show the status; the panel's preview stays closed until READY (phase 2).

Loading: the prepared lookup data (studio.deid.lookups) is normally built at set-up by
``scripts/bootstrap.sh``; if it is missing, the loader builds it first (a second or two) and says so.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from studio.deid import lookups
from studio.deid.engine import DeidEngine
from studio.deid.errors import DeidError, ScrubberNotReady
from studio.domain.redaction import ScrubResult, settle
from studio.domain.scrub_rules import scan

log = logging.getLogger(__name__)


class Readiness(StrEnum):
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class ScrubberStatus:
    state: Readiness
    message: str  # Dutch, one line, for the panel's status bar
    load_seconds: float | None = None

    @property
    def ready(self) -> bool:
        return self.state is Readiness.READY


_LOADING = ScrubberStatus(Readiness.LOADING, "privacyfilter wordt geladen")
_PREPARING = ScrubberStatus(Readiness.LOADING, "privacyfilter: naamlijsten worden eenmalig voorbereid")


class Scrubber:
    """Thread-safe: any number of threads may scrub at once once it is READY."""

    def __init__(self, cache_root: Path | None = None,
                 on_status: Callable[[ScrubberStatus], None] | None = None) -> None:
        self._cache_root = cache_root
        self._on_status = on_status
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._engine: DeidEngine | None = None
        self._status = _LOADING
        self._thread: threading.Thread | None = None

    # --- loading ------------------------------------------------------------------------------------
    def start(self) -> Scrubber:
        """Load in a background thread (once); returns self. Follow progress with ``status`` or ``wait``."""
        with self._lock:
            if self._thread is None and not self._done.is_set():
                self._thread = threading.Thread(target=self._load, name="deid-loader", daemon=True)
                self._thread.start()
        return self

    def load(self) -> ScrubberStatus:
        """Load in the calling thread (the CLI); returns the final status."""
        with self._lock:
            started = self._thread is not None
        if started:
            return self.wait()
        self._load()
        return self.status

    def _set(self, status: ScrubberStatus) -> None:
        with self._lock:
            self._status = status
        if self._on_status is not None:
            try:
                self._on_status(status)
            except Exception:  # a listener's bug must not stop the loader
                log.exception("scrubber status listener failed")

    def _load(self) -> None:
        started = time.perf_counter()
        try:
            directory = lookups.cache_dir(self._cache_root)
            if not lookups.is_built(directory):
                self._set(_PREPARING)
                directory = lookups.build(self._cache_root)
            engine = DeidEngine.load(directory)
            engine.names("Warm")  # first call compiles deduce's patterns: not on the first real question
            with self._lock:
                self._engine = engine
            self._set(ScrubberStatus(Readiness.READY, "privacyfilter klaar", time.perf_counter() - started))
        except DeidError as exc:
            self._set(ScrubberStatus(Readiness.FAILED, f"privacyfilter niet beschikbaar: {exc}"))
        except Exception as exc:  # never a traceback in the panel; the log has it
            log.exception("scrubber failed to load")
            self._set(ScrubberStatus(
                Readiness.FAILED,
                f"privacyfilter niet beschikbaar: onverwachte fout ({type(exc).__name__}) — voer "
                "'scripts/bootstrap.sh' opnieuw uit en start het paneel opnieuw",
            ))
        finally:
            self._done.set()

    @property
    def status(self) -> ScrubberStatus:
        with self._lock:
            return self._status

    @property
    def ready(self) -> bool:
        return self.status.ready

    def wait(self, timeout: float | None = None) -> ScrubberStatus:
        """Block until loading finished (READY or FAILED) or ``timeout`` seconds passed; the status then."""
        self._done.wait(timeout)
        return self.status

    # --- scrubbing ----------------------------------------------------------------------------------
    def scrub(self, text: str, lang: str = "nl") -> ScrubResult:
        """Every finding in ``text`` (offsets into it as given). Raises ScrubberNotReady unless READY."""
        with self._lock:
            engine, status = self._engine, self._status
        if engine is None:
            hint = ("wacht tot de privacyfilter klaar is" if status.state is Readiness.LOADING
                    else "zie de melding in de statusbalk; zonder privacyfilter gaat er niets in beeld")
            raise ScrubberNotReady(status.message, hint)
        try:
            return settle(scan(text, lang, engine.is_street, (engine.names,)),
                          lambda aired: scan(aired, lang, engine.is_street, (engine.names,)))
        except Exception as exc:  # never air what could not be scrubbed; never put the text in the error
            log.error("scrubbing failed: %s", type(exc).__name__)
            raise DeidError("de privacyfilter kon deze vraag niet verwerken",
                            "maskeer de vraag met de hand of wijs haar af") from exc
