"""A base for the panel's screens: the shared status bar on top, the footer below, ``compose_body()`` between,
and failed workers reported by the app as one calm Dutch notification."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from studio.tui.widgets.status import StatusBar


class StudioBaseScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key of the key table whose action this screen does not have is hidden and does nothing."""
        return hasattr(self, f"action_{action}") or "." in action

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed worker of this screen becomes the app's calm notification (the message does not bubble)."""
        if event.state is WorkerState.ERROR:
            report = getattr(self.app, "report_worker_failure", None)
            if report is not None:
                report(event.worker)
