"""What is on air, as a picture: OBS's program output drawn in the terminal (textual-image).

The screen asks OBS for a screenshot of the program scene in a thread worker, one at a time, about once a
second while it is shown, and hands the PNG here (the same picture again is not drawn again). Where the terminal speaks a graphics protocol (Sixel, Kitty's) the
picture is drawn in pixels; elsewhere, and always in tests, with half blocks: two pixels per cell, one in the
foreground and one in the background colour. ``request_size`` says what size to ask OBS for, so that OBS does
the scaling and the panel only decodes a small picture.
"""

from __future__ import annotations

import io
from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from studio.tui import graphics

# Pixel protocols: a picture this size is sharp in a box of ~44x12 cells and cheap to send (the terminal scales).
PIXEL_REQUEST = (480, 270)


class Picture(Widget):
    """A PNG drawn with a textual-image renderable in a box of fixed size: a new picture repaints this widget
    only (textual-image's own widget would ask for a layout of the whole screen each time)."""

    def __init__(self, renderable: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self._cls = renderable
        self._png: bytes | None = None
        self._last: Any = None

    @property
    def image(self) -> bytes | None:
        return self._png

    @image.setter
    def image(self, png: bytes | None) -> None:
        self._png = png
        self.refresh()

    def render(self) -> Any:
        if self._last is not None:
            self._last.cleanup()  # Kitty's protocol: the terminal forgets the previous picture
            self._last = None
        if not self._png:
            return ""
        width, height = self.content_size
        self._last = self._cls(io.BytesIO(self._png), max(1, width), max(1, height))
        return self._last

    def on_unmount(self) -> None:
        if self._last is not None:
            self._last.cleanup()


class ProgramPreview(Widget):
    """The program picture, or one calm line saying why there is none (OBS away, preview off)."""

    DEFAULT_CSS = """
    ProgramPreview { width: 44; height: 12; }
    ProgramPreview > .preview-picture { width: 100%; height: 100%; }
    ProgramPreview > .preview-note {
        width: 100%; height: 100%; content-align: center middle; color: $text-muted; background: $panel;
    }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.protocol = "halfcell"
        self.frames = 0  # pictures shown (tests, bench)
        self._picture: Any = None
        self._shown: bytes | None = None

    def compose(self) -> ComposeResult:
        self.protocol = graphics.protocol(self.app.is_headless)
        if self.protocol == "sixel":
            self._picture = graphics.sixel_widget()(classes="preview-picture")
        else:
            self._picture = Picture(graphics.renderable_class(self.protocol), classes="preview-picture")
        yield self._picture
        yield Static("Nog geen beeld", classes="preview-note")

    def on_mount(self) -> None:
        self._picture.display = False

    def request_size(self) -> tuple[int, int]:
        """The screenshot size to ask OBS for: one pixel per half cell, or enough for a pixel protocol."""
        if self.protocol in ("sixel", "tgp"):
            return PIXEL_REQUEST
        width, height = self.size.width or 44, self.size.height or 12
        return max(8, width), max(8, 2 * height)

    def show_png(self, png: bytes) -> None:
        self.frames += 1
        if png == self._shown and self._picture.display:
            return  # the same picture (a slate, a still scene): nothing to draw
        self._shown = png
        self._picture.image = png if isinstance(self._picture, Picture) else io.BytesIO(png)
        if not self._picture.display:
            self._picture.display = True
            self.query_one(".preview-note", Static).display = False

    def show_note(self, text: str) -> None:
        """No picture: say why, in one line."""
        note = self.query_one(".preview-note", Static)
        note.update(text)
        note.display = True
        self._picture.display = False
