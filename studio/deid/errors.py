"""The de-identification adapter's errors (Dutch, one line, with what to do)."""

from __future__ import annotations

from studio.errors import StudioError


class DeidError(StudioError):
    """The scrubber's word lists or its library could not be prepared or loaded."""


class ScrubberNotReady(DeidError):
    """Asked to scrub while the scrubber is still loading (or failed to load): nothing is scrubbed partially."""
