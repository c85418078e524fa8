"""The panel's screens, one line each, imported only when first shown.

How navigation works (read this before adding a screen):

* Every entry becomes a Textual *mode* (``App.add_mode``) with its own screen stack, so switching with a
  function key keeps each screen's state (a half-edited question stays half-edited). Modal dialogs that a
  screen pushes (``push_screen``) stay on top of that screen only.
* The key switches to the mode from anywhere in the app (an app-level binding); the label is what the footer
  and the help overlay show. The FIRST entry is the home screen the panel opens on.
* ``target`` is ``"module:Class"``; the module is imported the first time the mode is entered, so the panel
  starts fast no matter how many screens exist.
* Keys reserved: F1 help, F2 Studio, F3 Uitzending, F4 Vragen, F5 Controle (preflight), F6 Archief.
  The Show/home screen (issue 7) goes on the FIRST line with key F7 ("Show") so it becomes the home screen.
* A screen composes the shared status bar itself: ``yield StatusBar()`` (``studio.tui.widgets.status``), or
  subclasses ``studio.tui.screens.base.StudioBaseScreen`` which adds status bar and footer around
  ``compose_body()``. OBS state: ``self.watch(self.app, "obs_snapshot", callback)``; raw OBS events:
  ``self.app.obs_event_signal.subscribe(self, callback)``; blocking calls in
  ``@work(thread=True, exclusive=True, group=..., exit_on_error=False)`` workers; a StudioError escaping
  one is shown as a calm notification by ``app.report_worker_failure`` (StudioBaseScreen forwards its workers'
  failures there; other screens call it from their own ``on_worker_state_changed``).

Add your screen with one line below (keep the keys unique).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class ScreenEntry:
    key: str  # Textual key name, e.g. "f2"
    mode: str  # mode name, also the screen's id in tests
    label: str  # Dutch, shown in the footer and the help overlay
    target: str  # "package.module:Class"

    def load(self) -> type[Screen]:
        module_name, _, class_name = self.target.partition(":")
        cls: type[Screen] = getattr(importlib.import_module(module_name), class_name)
        return cls

    def load_screen(self) -> Screen:
        return self.load()()


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry("f7", "show", "Spreekuur", "studio.tui.screens.show:ShowScreen"),
    ScreenEntry("f2", "studio", "Studio", "studio.tui.screens.studio:StudioScreen"),
    ScreenEntry("f5", "preflight", "Controle", "studio.tui.screens.preflight:PreflightScreen"),
    ScreenEntry("f4", "questions", "Vragen", "studio.tui.screens.questions:QuestionsScreen"),
    ScreenEntry("f3", "broadcast", "Uitzending", "studio.tui.screens.broadcast:BroadcastScreen"),
    ScreenEntry("f6", "archive", "Archief", "studio.tui.screens.archive:ArchiveScreen"),
)
