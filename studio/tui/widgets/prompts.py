"""Small dialogs: one line of text (``TextPrompt``), a question by phone (``ManualQuestion``), a standard reply for
the chat (``ReplyChooser``). All keep the status bar on top (``Dialog``)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from studio.domain.questions import Source
from studio.tui.widgets.dialog import Dialog


def plain(text: str) -> Text:
    """Chat text for the screen: a Text object is never parsed for markup, so '[b]' stays '[b]'."""
    return Text(text, no_wrap=False, end="")


class TextPrompt(Dialog[str | None]):
    """One line of text (a note, an edit): Enter keeps it, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > #prompt-box { width: 90; height: auto; border: thick $primary; background: $panel; padding: 1 2; }
    TextPrompt Label { margin-bottom: 1; }
    """

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
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


class ManualQuestion(Dialog[tuple[str, Source] | None]):
    """A question sent in advance on social media or taken by phone."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Annuleren")]
    DEFAULT_CSS = """
    ManualQuestion { align: center middle; }
    ManualQuestion > #manual-box { width: 90; height: auto; border: thick $primary; background: $panel; padding: 1 2; }
    ManualQuestion Select { margin-bottom: 1; }
    """

    def compose_dialog(self) -> ComposeResult:
        with Vertical(id="manual-box"):
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


class ReplyChooser(Dialog[int | None]):
    """The standard replies for the chat, to pick one: its number, or the arrows and Enter; Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren"),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)),
    ]
    DEFAULT_CSS = """
    ReplyChooser { align: center middle; }
    ReplyChooser > #reply-box { width: 90; height: auto; border: thick $primary; background: $panel; padding: 1 2; }
    ReplyChooser OptionList { height: auto; max-height: 12; margin-top: 1; }
    """

    def __init__(self, replies: list[str], lang: str) -> None:
        super().__init__()
        self.replies = replies
        self.lang = lang

    def compose_dialog(self) -> ComposeResult:
        language = "Arabisch" if self.lang == "ar" else "Nederlands"
        with Vertical(id="reply-box"):
            yield Label(f"Standaardantwoord in de chat ({language}; t op het Vragen-scherm wisselt de taal)\n"
                        "Kies met het cijfer, of met ↑↓ en Enter; Esc = niets sturen")
            yield OptionList(*(Option(plain(f"{i}  {text}"), id=str(i - 1))
                               for i, text in enumerate(self.replies, start=1)), id="reply-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0))

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.replies):
            self.dismiss(index)

    def action_cancel(self) -> None:
        self.dismiss(None)
