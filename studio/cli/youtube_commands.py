"""Subcommands of this area; see studio/cli/__init__.py for the conventions."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to `studio`."""
