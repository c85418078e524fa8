"""De-identification: the adapter that owns deduce (LGPL-3.0) and the one scrubber every caller uses.

Public API (see studio/deid/scrubber.py):
    Scrubber, ScrubberStatus, Readiness        load in the background, readiness for the panel, scrub
    DeidError, ScrubberNotReady                the adapter's errors (Dutch)
    prepare()                                  build the lookup data (scripts/bootstrap.sh runs it)
The findings model (Finding, Mask, Restore, ScrubResult, compose) is pure and lives in
studio.domain.redaction; the rules that need no library live in studio.domain.
"""

from __future__ import annotations

from studio.deid.errors import DeidError, ScrubberNotReady
from studio.deid.lookups import build as prepare
from studio.deid.scrubber import Readiness, Scrubber, ScrubberStatus

__all__ = ["DeidError", "Readiness", "Scrubber", "ScrubberNotReady", "ScrubberStatus", "prepare"]
