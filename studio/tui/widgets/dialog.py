"""A base for the panel's dialogs: the status bar stays on top, so LIVE and REC stay in sight while one is open.

A dialog (a note to forward a question, a yes/no question, the help) is often opened in the middle of the show;
the officer must still see that the studio is live and recording. Subclasses compose their box in
``compose_dialog``; the shared ``StatusBar`` (it watches the app's state itself) is docked above it.
"""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.screen import ModalScreen

from studio.tui.widgets.status import StatusBar

T = TypeVar("T")


class Dialog(ModalScreen[T]):
    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield from self.compose_dialog()

    def compose_dialog(self) -> ComposeResult:
        yield from ()
