"""One line on the Spreekuur and Archief screens: what the background captions are doing.

"Ondertitels #12 (nl) worden gemaakt: 43% · nog ca. 6 min", or "Ondertitels voor 2 opnamen wachten tot de
uitzending voorbij is (sessie 2026-11-24-nl is bezig)". Hidden when there is nothing to say. The state comes
from the store (studio.usecases.archive.caption_status), so a job that the CLI runs shows here too; it is
read in a thread every few seconds, never on the event loop.
"""

from __future__ import annotations

import contextlib

from textual import work
from textual.widgets import Static

from studio.usecases import archive

POLL = 2.0


class CaptionQueueLine(Static):
    DEFAULT_CSS = """
    CaptionQueueLine { height: auto; color: $accent; display: none; }
    """

    def __init__(self, *, poll: float = POLL, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.poll = poll
        self.shown = ""

    def on_mount(self) -> None:
        self.refresh_line()
        self.set_interval(self.poll, self.refresh_line)

    @work(thread=True, exclusive=True, group="caption-queue-line", exit_on_error=False)
    def refresh_line(self) -> None:
        try:
            line = archive.caption_status(self.app.ctx).line  # type: ignore[attr-defined]
        except Exception:  # a line of status is never worth a notification; the next look may work
            return
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(self._show, line)

    def _show(self, line: str) -> None:
        if line != self.shown:
            self.shown = line
            self.update(line)
            self.display = bool(line)
