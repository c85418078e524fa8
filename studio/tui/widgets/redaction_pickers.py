"""The moderator's two privacy dialogs on the Questions screen: mask (m) and restore (h).

Both are quick to use under pressure: a short list, arrows to move, and a live line "Zo komt het in beeld:"
that shows the final text as it will be after the choice, before anything is stored. What the dialog hands
back carries the digest of that final text, so the use case can tell that the moderator saw it.

* ``MaskPicker``: first what the filter was unsure about ("mogelijk naam: Henk Berg"), then findings the
  moderator let through earlier, then every word of the question that is not hidden yet. Space ticks,
  Enter masks what is ticked (or, when nothing is ticked, the highlighted line), Escape cancels.
* ``RestorePicker``: every hidden piece: a finding of the filter (restore: it airs as written) or a mask made
  by hand (taken back). Enter restores the highlighted one, Escape cancels.

Chat text is hostile: every label is a ``Text`` (never parsed as markup).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from studio.domain.redaction import MANUAL, Mask, Restore, compose
from studio.domain.redaction_view import HIDDEN, RESTORED, word_spans
from studio.domain.texts import privacy_marker
from studio.usecases.onair import AirPreview, air_digest

_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 100; height: auto; max-height: 90%; border: thick $primary; background: $panel;
                     padding: 1 2; }}
{name} SelectionList, {name} OptionList {{ height: auto; max-height: 16; margin-bottom: 1; }}
{name} #pick-result {{ height: auto; border: round $warning; padding: 0 1; }}
"""


def _piece(text: str, start: int, end: int, limit: int = 60) -> str:
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= limit else piece[: limit - 1] + "…"


def _result_text(aired: str) -> Text:
    t = Text("Zo komt het in beeld: ", style="bold", end="")
    t.append(aired)
    return t


@dataclass(frozen=True)
class MaskChoice:
    masks: tuple[Mask, ...]
    shown: str  # digest of the final text the dialog showed


@dataclass(frozen=True)
class RestoreChoice:
    restore: Restore | None  # a finding to let through ...
    unmask: Mask | None  # ... or a mask to take back
    shown: str


class MaskPicker(ModalScreen[MaskChoice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren"),
        Binding("enter", "confirm", "Maskeren", priority=True),
    ]
    DEFAULT_CSS = _CSS.format(name="MaskPicker")

    def __init__(self, pv: AirPreview) -> None:
        super().__init__()
        self.pv = pv
        self.candidates: list[Mask] = []
        self.labels: list[Text] = []
        self._collect()

    def _collect(self) -> None:
        pv = self.pv
        hidden = [(s.start, s.end) for s in pv.segments if s.role == HIDDEN]
        for seg in pv.to_check:
            self._add(Mask(seg.start, seg.end, seg.kind or MANUAL), "mogelijk " + privacy_marker(seg.kind or MANUAL, "nl"),
                      "bold yellow")
        for seg in pv.segments:
            if seg.role == RESTORED:
                self._add(Mask(seg.start, seg.end, seg.kind or MANUAL), "hersteld " + privacy_marker(seg.kind or MANUAL, "nl"),
                          "green")
        listed = {(m.start, m.end) for m in self.candidates}
        for start, end in word_spans(pv.original):
            if (start, end) in listed or any(s <= start and end <= e for s, e in hidden):
                continue
            self._add(Mask(start, end, MANUAL), "", "")

    def _add(self, mask: Mask, what: str, style: str) -> None:
        label = Text(end="")
        if what:
            label.append(f"{what}: ", style=style)
        label.append(_piece(self.pv.original, mask.start, mask.end))
        self.candidates.append(mask)
        self.labels.append(label)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Maskeren: kies wat niet in beeld mag (spatie = aanvinken, Enter = maskeren, Esc = terug)")
            yield SelectionList[int](*(Selection(label, i) for i, label in enumerate(self.labels)), id="pick-list")
            yield Static(_result_text(self.pv.aired), id="pick-result")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def chosen(self) -> list[Mask]:
        picks = self.query_one(SelectionList).selected
        if not picks:  # nothing ticked: the highlighted line, so that one mask is two keys (m, Enter)
            highlighted = self.query_one(SelectionList).highlighted
            picks = [highlighted] if highlighted is not None else []
        return [self.candidates[i] for i in sorted(picks)]

    def final(self, masks: list[Mask]) -> str:
        pv = self.pv
        return compose(pv.original, pv.findings, (*pv.masks, *masks), pv.restores, pv.lang)

    @on(SelectionList.SelectedChanged)
    @on(SelectionList.SelectionHighlighted)
    def _changed(self) -> None:
        self.query_one("#pick-result", Static).update(_result_text(self.final(self.chosen())))

    def action_confirm(self) -> None:
        masks = self.chosen()
        if not masks:
            self.dismiss(None)
            return
        self.dismiss(MaskChoice(tuple(masks), air_digest(self.pv.lang, self.final(masks))))

    def action_cancel(self) -> None:
        self.dismiss(None)


class RestorePicker(ModalScreen[RestoreChoice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren"),
        Binding("enter", "confirm", "Herstellen", priority=True),
    ]
    DEFAULT_CSS = _CSS.format(name="RestorePicker")

    def __init__(self, pv: AirPreview) -> None:
        super().__init__()
        self.pv = pv
        self.choices: list[tuple[Restore | None, Mask | None]] = []
        options = []
        restored = {(r.kind, r.start, r.end) for r in pv.restores}
        for f in pv.result.certain:
            if (f.kind, f.start, f.end) in restored:
                continue
            self.choices.append((Restore.of(f), None))
            options.append(self._label(f.marker, f.start, f.end, "door de filter"))
        for m in pv.masks:
            self.choices.append((None, m))
            options.append(self._label(privacy_marker(m.kind, "nl"), m.start, m.end, "met de hand"))
        self.options = options

    def _label(self, marker: str, start: int, end: int, how: str) -> Option:
        label = Text(f"{marker} ", style="bold", end="")
        label.append(_piece(self.pv.original, start, end))
        label.append(f"  ({how} verborgen)", style="dim")
        return Option(label)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Herstellen: wat mag toch in beeld? (pijltjes, Enter = herstellen, Esc = terug)")
            yield OptionList(*self.options, id="pick-list", markup=False)
            yield Static(_result_text(self.final(0) if self.choices else self.pv.aired), id="pick-result")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.choices:
            options.highlighted = 0

    def final(self, index: int) -> str:
        pv = self.pv
        restore, unmask = self.choices[index]
        masks = [m for m in pv.masks if m != unmask]
        restores = [*pv.restores, *([restore] if restore else [])]
        return compose(pv.original, pv.findings, masks, restores, pv.lang)

    @on(OptionList.OptionHighlighted)
    def _changed(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#pick-result", Static).update(_result_text(self.final(event.option_index)))

    def action_confirm(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.choices:
            self.dismiss(None)
            return
        restore, unmask = self.choices[index]
        self.dismiss(RestoreChoice(restore, unmask, air_digest(self.pv.lang, self.final(index))))

    def action_cancel(self) -> None:
        self.dismiss(None)
