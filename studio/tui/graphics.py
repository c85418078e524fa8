"""Which way this terminal can show a picture (textual-image): Sixel or Kitty's graphics protocol, else half blocks.

textual-image asks the terminal when it is first imported (an escape sequence and its answer on stdin, 0.1 s
at most per question) and can no longer ask once Textual reads the keyboard. So the question is put once per
process, in a thread started when the panel is made (``StudioApp.__init__``), while the rest of the start-up
goes on, and the app waits for the answer on Textual's Load event, before the terminal is taken over.

Headless (tests, snapshots) always draws half blocks: the same picture on every machine.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.widget import Widget

_lock = threading.Lock()
_thread: threading.Thread | None = None
_failed: BaseException | None = None


def _detect() -> None:
    global _failed
    try:
        import textual_image.widget  # noqa: F401  (importing it asks the terminal)
    except Exception as exc:  # a terminal that answers nonsense: half blocks will do
        _failed = exc


def start_detection() -> None:
    """Ask the terminal in the background (once per process)."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_detect, name="terminal-graphics", daemon=True)
            _thread.start()


def wait_detection(timeout: float = 2.0) -> None:
    """Block until the terminal has answered (call before Textual takes the terminal)."""
    thread = _thread
    if thread is not None:
        thread.join(timeout)


def protocol(headless: bool) -> str:
    """'sixel', 'tgp', 'halfcell' or 'unicode': what the preview draws with."""
    if headless or _failed is not None:
        return "halfcell"
    start_detection()
    wait_detection()
    from textual_image.renderable import HalfcellImage, Image, SixelImage, TGPImage

    return {SixelImage: "sixel", TGPImage: "tgp", HalfcellImage: "halfcell"}.get(Image, "unicode")


def renderable_class(kind: str) -> Any:
    """textual-image's Rich renderable for a protocol drawn in place ('tgp', 'halfcell', 'unicode')."""
    from textual_image.renderable import HalfcellImage, TGPImage, UnicodeImage

    return {"tgp": TGPImage, "halfcell": HalfcellImage, "unicode": UnicodeImage}[kind]


def sixel_widget() -> type[Widget]:
    """Sixel pictures are not drawn in place but injected by textual-image's own widget."""
    from textual_image.widget import SixelImage

    return SixelImage
