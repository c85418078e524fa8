"""The privacy filter as the panel and every exit of text use it: readiness, scrubbing, text for publication.

One scrubber (``ctx.scrubber``, studio.deid) serves everything that lets text leave the panel: question cards
(studio.usecases.onair, with the moderator's decisions), slates, session reports and their CSV, archive
descriptions and chapter titles, `studio overlay render`, `studio scrub`, and captions.

* ``start(ctx)`` makes the scrubber (it loads in its own thread) and says where it is: ``FilterStatus``.
  The panel calls it at start and reports each change as a message; ``wait(ctx, timeout)`` blocks.
* ``scrub(ctx, text, lang)`` gives every finding (a ScrubResult); it raises ScrubberNotReady while the filter
  loads, so nothing is ever scrubbed half (the rules alone would let names and addresses through).
* ``scrub_for_publication(ctx, text, lang)`` is the text as it may leave the studio where no moderator looks
  at it first (reports, descriptions, chapter titles, slates, captions): every certain finding AND every
  uncertain one hidden, plus the moderator's masks when given; restores are not honoured there (a restore is
  a decision about one card on air, not about an archive that stays public for years). If the filter is not
  ready within ``timeout`` or fails on this text, the WHOLE text is replaced by one marker: a report without
  question texts is better than one with a name in it.
* ``PublicationScrub``: the same as a callable to hand to workers that take plain values (the archive's
  report and publishing), counting the texts it had to hide whole so they can say so.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from studio.domain.redaction import Mask, compose
from studio.domain.texts import privacy_marker
from studio.errors import StudioError

if TYPE_CHECKING:
    from studio.domain.redaction import ScrubResult
    from studio.usecases.context import Studio

log = logging.getLogger(__name__)

LOADING = "loading"
READY = "ready"
FAILED = "failed"
# How long an export waits for the filter when it is still loading (at panel start it takes about a second
# warm; building the lists on a machine without them a few seconds more).
PUBLICATION_WAIT = 30.0


@dataclass(frozen=True)
class FilterStatus:
    """Where the privacy filter is, for the panel: ``state`` is loading / ready / failed; ``message`` is Dutch."""

    state: str
    message: str

    @property
    def ready(self) -> bool:
        return self.state == READY


def _status(ctx: Studio) -> FilterStatus:
    from studio.deid import Readiness

    st = ctx.scrubber.status
    state = {Readiness.LOADING: LOADING, Readiness.READY: READY}.get(st.state, FAILED)
    return FilterStatus(state, st.message)


def start(ctx: Studio) -> FilterStatus:
    """The filter made and loading (in its own thread) if it was not yet; its status now."""
    try:
        return _status(ctx)
    except StudioError as exc:  # the studio is closing, or the adapter could not even be made
        return FilterStatus(FAILED, f"privacyfilter niet beschikbaar: {exc}")


def wait(ctx: Studio, timeout: float | None = None) -> FilterStatus:
    """Block until the filter is ready or failed, or ``timeout`` seconds passed; its status then."""
    with contextlib.suppress(StudioError):  # the status says why
        ctx.scrubber.wait(timeout)
    return start(ctx)


def scrub(ctx: Studio, text: str, lang: str) -> ScrubResult:
    """Every finding in ``text`` (offsets into it as given). Raises ScrubberNotReady (a StudioError) while
    the filter is not ready, DeidError when it cannot process this text."""
    return ctx.scrubber.scrub(text, lang)


def whole_text_marker(lang: str) -> str:
    return privacy_marker("manual", lang)


def public_text(ctx: Studio, text: str, lang: str, masks: Sequence[Mask] = (), *,
                timeout: float = PUBLICATION_WAIT) -> str | None:
    """``text`` with every finding (certain and uncertain) and ``masks`` hidden; None when that could not be
    done (filter not ready in time, or it failed on this text)."""
    if not text.strip():
        return text
    if not wait(ctx, timeout).ready:
        return None
    try:
        result = scrub(ctx, text, lang)
        valid = [m for m in masks if 0 <= m.start < m.end <= len(text)]
        every = [replace(f, certain=True) for f in result.findings]  # nobody looks: uncertain is hidden too
        return compose(text, every, valid, (), result.lang)
    except (StudioError, ValueError) as exc:  # never the text in the log: only why
        log.warning("text for publication hidden whole: %s", getattr(exc, "message", type(exc).__name__))
        return None


def scrub_for_publication(ctx: Studio, text: str, lang: str, masks: Sequence[Mask] = (), *,
                          timeout: float = PUBLICATION_WAIT) -> str:
    """The text as it may leave the studio unseen (see the module doc); the whole text hidden on failure.

    Captions call this per line (``timeout`` as short as they can afford: the first lines of a show may come
    while the filter still loads; they then air as one marker, never unscrubbed)."""
    out = public_text(ctx, text, lang, masks, timeout=timeout)
    return whole_text_marker(lang) if out is None else out


class TextScrub(Protocol):
    """What the archive's workers take to make a text public (``PublicationScrub`` in the studio)."""

    hidden_whole: int

    def __call__(self, text: str, lang: str, masks: Sequence[Mask] = ()) -> str: ...


class PublicationScrub:
    """``scrub_for_publication`` bound to one studio, for workers that take plain values; thread-safe.

    ``hidden_whole`` counts the texts it had to hide whole (the report says so in its header)."""

    def __init__(self, ctx: Studio, timeout: float = PUBLICATION_WAIT) -> None:
        self._ctx = ctx
        self._timeout = timeout
        self._lock = threading.Lock()
        self.hidden_whole = 0

    def __call__(self, text: str, lang: str, masks: Sequence[Mask] = ()) -> str:
        out = public_text(self._ctx, text, lang, masks, timeout=self._timeout)
        if out is None:
            with self._lock:
                self.hidden_whole += 1
            return whole_text_marker(lang)
        return out


def moderator() -> str:
    """Who is deciding: the account the panel runs under (the audit's "who"; the studio has no log-in)."""
    try:
        return getpass.getuser() or "onbekend"
    except (OSError, KeyError, ImportError):
        return "onbekend"
