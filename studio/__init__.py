"""Wijkspreekuur Studio: the studio controller for the digitaal wijkspreekuur Heerlen."""

__version__ = "0.1.0"
