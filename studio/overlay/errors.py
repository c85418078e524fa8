"""Errors of the overlay renderer."""

from __future__ import annotations

from studio.errors import StudioError


class OverlayError(StudioError):
    """The overlay cannot be rendered or written (missing raqm, font, theme, disk)."""
