"""A base for the panel's screens: the shared status bar on top, the footer below, ``compose_body()`` between."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from studio.tui.widgets.status import StatusBar


class StudioBaseScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()
