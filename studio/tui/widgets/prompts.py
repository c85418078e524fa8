"""Small dialogs that ask for one line: a note or an edit (``TextPrompt``), a question by phone (``ManualQuestion``)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from studio.domain.questions import Source


def plain(text: str) -> Text:
    """Chat text for the screen: a Text object is never parsed for markup, so '[b]' stays '[b]'."""
    return Text(text, no_wrap=False, end="")


class TextPrompt(ModalScreen[str | None]):
    """One line of text (a note, an edit): Enter keeps it, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 90; height: auto; border: thick $primary; background: $panel; padding: 1 2; }
    TextPrompt Label { margin-bottom: 1; }
    """

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(plain(self.title_text))
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ManualQuestion(ModalScreen[tuple[str, Source] | None]):
    """A question sent in advance on social media or taken by phone."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]
    DEFAULT_CSS = """
    ManualQuestion { align: center middle; }
    ManualQuestion > Vertical { width: 90; height: auto; border: thick $primary; background: $panel; padding: 1 2; }
    ManualQuestion Select { margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Nieuwe vraag (Enter = toevoegen, Esc = annuleren)")
            yield Select([(Source.PHONE.label, Source.PHONE), (Source.SOCIAL.label, Source.SOCIAL)],
                         value=Source.PHONE, allow_blank=False, id="manual-source")
            yield Input(placeholder="de vraag", id="manual-text")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        source = self.query_one(Select).value
        self.dismiss((event.value, source if isinstance(source, Source) else Source.PHONE))

    def action_cancel(self) -> None:
        self.dismiss(None)
