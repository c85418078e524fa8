"""The Questions screen's preview: the original with every finding highlighted, exactly what airs, what to look at.

Left, the original as the viewer wrote it (or as edited): each detail the privacy filter hides has a solid
background, each uncertain one ("may be a name") is underlined in yellow, a finding the moderator let through
is shown in green. Right, the final text as the card will show it, with each marker in the same colour as its
original and the uncertain pieces underlined where they air as written. Below, one line that says what was
hidden and what still needs a look (never "safe": the filter can miss things, the moderator reads).

The preview is composed by the use case (``onair.preview``: the filter's findings plus the moderator's masks
and restores from the store) in a thread worker, and again whenever the question, its text, the moderator's
decisions or the filter's readiness change. While the filter is not ready nothing is previewed: the pane says
so and ``current`` is None, so the screen has no digest to put anything on air with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from studio.domain.redaction_view import CHECK, HIDDEN, RESTORED, Segment
from studio.domain.texts import privacy_marker
from studio.errors import StudioError
from studio.usecases import onair

if TYPE_CHECKING:
    from studio.domain.questions import Question
    from studio.usecases.onair import AirPreview
    from studio.usecases.privacy import FilterStatus

# One style per role, the same in both panes: a marker on the right has the colour of what it hides on the left.
ROLE_STYLE = {
    HIDDEN: "bold black on dark_orange",
    CHECK: "bold yellow underline",
    RESTORED: "green italic",
}
WAITING = "privacyfilter wordt geladen — er gaat nog niets in beeld"


def original_text(pv: AirPreview) -> Text:
    """The original, every finding styled by its role (chat text: a Text is never parsed as markup)."""
    t = Text(end="", no_wrap=False)
    for seg in pv.segments:
        t.append(pv.original[seg.start : seg.end], style=ROLE_STYLE.get(seg.role, ""))
    return t


def aired_text(pv: AirPreview) -> Text:
    t = Text(end="", no_wrap=False)
    for seg in pv.segments:
        t.append(seg.aired, style=ROLE_STYLE.get(seg.role, ""))
    return t


def _quoted(pv: AirPreview, seg: Segment, limit: int = 30) -> str:
    piece = " ".join(pv.original[seg.start : seg.end].split())
    return f"“{piece if len(piece) <= limit else piece[: limit - 1] + '…'}”"


def privacy_line(pv: AirPreview) -> Text:
    """What was hidden and what still needs a look; never a promise that the question is safe."""
    t = Text(end="")
    hidden = pv.hidden
    check = pv.to_check
    if hidden:
        t.append("verborgen: ", style="bold")
        t.append(", ".join(f"{privacy_marker(s.kind or 'manual', 'nl')} {_quoted(pv, s)}" for s in hidden))
    else:
        t.append("niets verborgen", style="bold")
    if check:  # its own line: this is what the moderator must decide before airing
        t.append("\nnakijken: ", style="bold yellow")
        t.append(", ".join(f"mogelijk {privacy_marker(s.kind or 'manual', 'nl')} {_quoted(pv, s)}" for s in check),
                 style="yellow")
        t.append(" — komt zo in beeld tenzij u het maskeert (m)", style="dim")
    restored = [s for s in pv.segments if s.role == RESTORED]
    if restored:
        t.append(f"   hersteld: {len(restored)}", style="green")
    if pv.stale_decisions:
        t.append(f"   {pv.stale_decisions} eerdere keuze(s) vervallen: de tekst is veranderd", style="yellow")
    if not hidden and not check:
        t.append(" — lees zelf na op namen, adressen en nummers (m = maskeren)", style="dim")
    return t


@dataclass
class PreviewLoaded(Message):
    key: tuple[Any, ...]
    preview: AirPreview | None
    problem: str


class AirPreviewPane(Widget):
    """``show(question)`` previews that question (reloading only when something it depends on changed);
    ``current`` is the preview on screen (None while there is none), ``invalidate()`` forces a reload."""

    DEFAULT_CSS = """
    AirPreviewPane { height: auto; }
    AirPreviewPane #q-preview { height: auto; max-height: 12; margin-top: 1; }
    AirPreviewPane .q-pane { width: 1fr; height: auto; border: round $primary; padding: 0 1; }
    AirPreviewPane #q-aired-pane { border: round $success; }
    AirPreviewPane #q-aired-pane.-scrubbed { border: round $warning; }
    AirPreviewPane #q-aired-pane.-waiting { border: round $error; }
    AirPreviewPane #q-privacy { height: auto; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.current: AirPreview | None = None
        self.shown_original = Text()  # what the panes show (the tests look at the styles)
        self.shown_aired = Text()
        self._question: Question | None = None
        self._key: tuple[Any, ...] | None = None
        self._generation = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="q-preview"):
            with Vertical(classes="q-pane", id="q-original-pane"):
                yield Static("", id="q-original")
            with Vertical(classes="q-pane", id="q-aired-pane"):
                yield Static("", id="q-aired")
        yield Static("", id="q-privacy")

    def on_mount(self) -> None:
        self.query_one("#q-original-pane").border_title = "Origineel"
        self.query_one("#q-aired-pane").border_title = "In beeld (zo komt het op het scherm)"
        self.watch(self.app, "privacy_status", self._on_filter, init=False)

    # --- what to show -----------------------------------------------------------------------------------
    def _filter(self) -> FilterStatus:
        return self.app.privacy_status  # type: ignore[attr-defined]

    def show(self, question: Question | None) -> None:
        self._question = question
        if question is None:
            self._key = None
            self.current = None
            self._draw_empty()
            return
        key = (question.id, question.display_text, self._generation, self._filter().ready)
        if key == self._key:
            return
        self._key = key
        if self.current is not None and self.current.question_id != question.id:
            self.current = None  # never another question's digest under this one's key press
        if not self._filter().ready:
            self.current = None
            self._draw_waiting(question)
            return
        self.load(key, question)

    def invalidate(self) -> None:
        """The moderator decided something: preview again."""
        self._generation += 1
        self._key = None
        self.current = None  # the old preview's digest must not air the new decisions
        self.show(self._question)

    def _on_filter(self, _status: FilterStatus) -> None:
        self._key = None
        self.show(self._question)

    def matches(self, question: Question) -> AirPreview | None:
        """The preview on screen if it is of this question as it is now (else None: nothing to act on)."""
        pv = self.current
        if pv is None or pv.question_id != question.id or self._key is None or self._key[1] != question.display_text:
            return None
        return pv

    @work(thread=True, exclusive=True, group="air-preview", exit_on_error=False)
    def load(self, key: tuple[Any, ...], question: Question) -> None:
        try:
            pv = onair.preview(self.app.ctx, question)  # type: ignore[attr-defined]
        except StudioError as exc:
            self.post_message(PreviewLoaded(key, None, str(exc)))
            return
        self.post_message(PreviewLoaded(key, pv, ""))

    def on_preview_loaded(self, message: PreviewLoaded) -> None:
        message.stop()
        if message.key != self._key:
            return  # an older selection's answer
        if message.preview is None:
            self.current = None
            self._draw_problem(message.problem)
            return
        self.current = message.preview
        self._draw(message.preview)

    # --- drawing ----------------------------------------------------------------------------------------
    def _set(self, original: Text | str, aired: Text | str, line: Text | str, *, waiting: bool = False,
             scrubbed: bool = False) -> None:
        self.shown_original = original if isinstance(original, Text) else Text(original)
        self.shown_aired = aired if isinstance(aired, Text) else Text(aired)
        self.query_one("#q-original", Static).update(self.shown_original)
        self.query_one("#q-aired", Static).update(self.shown_aired)
        self.query_one("#q-privacy", Static).update(line if isinstance(line, Text) else Text(line))
        pane = self.query_one("#q-aired-pane")
        pane.set_class(waiting, "-waiting")
        pane.set_class(scrubbed and not waiting, "-scrubbed")

    def _draw(self, pv: AirPreview) -> None:
        self._set(original_text(pv), aired_text(pv), privacy_line(pv), scrubbed=pv.changed)

    def _draw_empty(self) -> None:
        self._set("", "", "")

    def _draw_waiting(self, question: Question) -> None:
        status = self._filter()
        self._set(Text(onair.source_text(question), end=""), Text(WAITING if status.state == "loading" else
                  f"{status.message} — er gaat niets in beeld", style="bold"), "", waiting=True)

    def _draw_problem(self, problem: str) -> None:
        question = self._question
        self._set(Text(onair.source_text(question), end="") if question else "",
                  Text(f"{problem} — er gaat niets in beeld", style="bold"), "", waiting=True)
