"""The captions of one recording, to review before they are published (Archief, o).

Every cue with its times; the ones to check first carry a "!" and say why: heard with low confidence, a word
in another script than the session's language, or personal details the privacy filter found in what was
said. A person corrects a cue's text (w), drops a cue where nobody spoke (d), jumps to the next one to check
(n), and marks the whole track reviewed (a); publishing waits for that. Any change after a review asks for a
new one: what is published is what someone looked at.

Texts come from the speech model and are shown as plain text (never markup). The work (store, files beside
the recording, the privacy filter) runs in thread workers through the archive use cases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from studio.domain import labels
from studio.errors import StudioError
from studio.tui import keymap
from studio.tui.screens.base import StudioBaseScreen
from studio.tui.widgets.confirm import ConfirmScreen
from studio.tui.widgets.prompts import TextPrompt
from studio.usecases import archive

if TYPE_CHECKING:
    from studio.domain.caption_track import CaptionTrack, TrackCue
    from studio.tui.app import StudioApp

MARK = Text("!", style="bold white on dark_orange3")


class TrackLoaded(Message):
    def __init__(self, track: CaptionTrack | None, state: str, done: str = "", failed: bool = False) -> None:
        super().__init__()
        self.track, self.state, self.done, self.failed = track, state, done, failed


def cue_reasons(cue: TrackCue) -> str:
    return "; ".join(f"{m.label}: {', '.join(m.words)}" for m in cue.marks) if cue.to_check else ""


def header(title: str, track: CaptionTrack | None, state: str) -> str:
    if track is None:
        return f"{title}\n{state}"
    check = len(track.to_check())
    review = "NAGEKEKEN: mag gepubliceerd worden" if track.reviewed else (
        f"NOG NIET NAGEKEKEN · {check} om eerst na te kijken (!)" if check else "NOG NIET NAGEKEKEN")
    return f"{title}\n{len(track.cues)} ondertitels ({track.language}, model {track.model or '?'}) · {review}"


class CaptionsScreen(StudioBaseScreen):
    DEFAULT_CSS = """
    #cap-body { padding: 0 1; height: 1fr; }
    #cap-header { height: auto; }
    #cap-table { height: 1fr; min-height: 6; margin-top: 1; }
    #cap-cue { height: auto; margin-top: 1; }
    #cap-result { height: auto; margin-top: 1; }
    #cap-result.-failed { color: $error; text-style: bold; }
    """
    KEY_MODE = "archive_captions"  # its keys in the panel's key table (the help shows them)
    KEY_LABEL = "ondertitels"
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings(KEY_MODE)

    app: StudioApp

    def __init__(self, entry_id: int, title: str) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.title_text = f"Ondertitels van #{entry_id}: {title}"
        self.track: CaptionTrack | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="cap-body"):
            yield Static(self.title_text, id="cap-header", markup=False)
            table: DataTable[Any] = DataTable(id="cap-table", cursor_type="row", zebra_stripes=True)
            table.add_column("", key="mark", width=1)
            table.add_column("nr", key="nr", width=4)
            table.add_column("van", key="start", width=8)
            table.add_column("tot", key="end", width=8)
            table.add_column("tekst", key="text", width=56)
            table.add_column("na te kijken", key="why", width=36)
            yield table
            yield Static("", id="cap-cue", markup=False)
            yield Static("w = wijzigen · n = volgende ! · d = verwijderen · a = akkoord (nagekeken) · Esc = terug",
                         id="cap-result", markup=False)

    def on_mount(self) -> None:
        self.load()

    # --- loading --------------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="cap-load", exit_on_error=False)
    def load(self) -> None:
        try:
            state = archive.caption_state(self.app.ctx, self.entry_id)
            self.post_message(TrackLoaded(state.track, state.line))
        except StudioError as exc:
            self.post_message(TrackLoaded(None, str(exc), str(exc), failed=True))

    def on_track_loaded(self, msg: TrackLoaded) -> None:
        table = self.query_one("#cap-table", DataTable)
        keep = table.cursor_row if self.track is not None else 0
        self.track = msg.track
        self.query_one("#cap-header", Static).update(header(self.title_text, msg.track, msg.state))
        table.clear()
        for i, cue in enumerate(msg.track.cues if msg.track else ()):
            table.add_row(MARK if cue.to_check else Text(""), Text(str(i + 1)), Text(labels.clock(cue.start)),
                          Text(labels.clock(cue.end)), Text(" / ".join(cue.lines), no_wrap=True, overflow="ellipsis"),
                          Text(cue_reasons(cue), no_wrap=True, overflow="ellipsis"), key=str(i))
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self.show_cue()
        if msg.done:
            result = self.query_one("#cap-result", Static)
            result.update(("✗ " if msg.failed else "✓ ") + msg.done)
            result.set_class(msg.failed, "-failed")

    def selected(self) -> int | None:
        table = self.query_one("#cap-table", DataTable)
        if self.track is None or not self.track.cues or table.row_count == 0:
            return None
        return table.cursor_row if 0 <= table.cursor_row < len(self.track.cues) else None

    @on(DataTable.RowHighlighted, "#cap-table")
    def show_cue(self) -> None:
        i = self.selected()
        if i is None or self.track is None:
            self.query_one("#cap-cue", Static).update("" if self.track else "Nog geen ondertitels.")
            return
        cue = self.track.cues[i]
        lines = [f"Ondertitel {i + 1}: {labels.clock(cue.start)} – {labels.clock(cue.end)}"
                 f"{' · verbeterd' if cue.edited else ''}", *cue.lines]
        lines += [f"! {m.label}: {', '.join(m.words)}" for m in cue.marks] if cue.to_check else []
        self.query_one("#cap-cue", Static).update("\n".join(lines))

    # --- changes -------------------------------------------------------------------------------------------
    def _change(self, what: str, fn: Any) -> None:
        self.change_worker(what, fn)

    @work(thread=True, exclusive=True, group="cap-change", exit_on_error=False)
    def change_worker(self, what: str, fn: Any) -> None:
        try:
            track = fn()
            state = archive.caption_state(self.app.ctx, self.entry_id).line
            self.post_message(TrackLoaded(track, state, what))
        except StudioError as exc:
            self.post_message(TrackLoaded(self.track, "", f"{what}: {exc}", failed=True))

    def action_edit(self) -> None:
        i = self.selected()
        if i is None or self.track is None:
            return
        ctx, entry_id = self.app.ctx, self.entry_id

        def answered(text: str | None) -> None:
            if text is not None and text.strip() != " ".join(self.track.cues[i].lines if self.track else ()):
                self._change(f"ondertitel {i + 1} verbeterd",
                             lambda: archive.edit_caption(ctx, entry_id, i, text))

        self.app.push_screen(TextPrompt(f"Ondertitel {i + 1} verbeteren (Enter = bewaren, Esc = annuleren)",
                                        " ".join(self.track.cues[i].lines)), answered)

    def action_next_to_check(self) -> None:
        if self.track is None:
            return
        todo = self.track.to_check()
        if not todo:
            self.notify("Er is niets meer gemarkeerd om na te kijken.", markup=False)
            return
        current = self.selected() or 0
        after = next((i for i in todo if i > current), todo[0])
        self.query_one("#cap-table", DataTable).move_cursor(row=after)

    def action_remove(self) -> None:
        i = self.selected()
        if i is None or self.track is None:
            return
        ctx, entry_id = self.app.ctx, self.entry_id
        text = " / ".join(self.track.cues[i].lines)

        def answered(yes: bool | None) -> None:
            if yes:
                self._change(f"ondertitel {i + 1} verwijderd", lambda: archive.remove_caption(ctx, entry_id, i))

        self.app.push_screen(ConfirmScreen(f"Ondertitel {i + 1} verwijderen?\n{text}", yes="Verwijderen"), answered)

    def action_approve(self) -> None:
        if self.track is None:
            return
        ctx, entry_id = self.app.ctx, self.entry_id
        left = len(self.track.to_check())
        warn = (f"Er zijn nog {left} ondertitels gemarkeerd (!) die niet verbeterd zijn. " if left else "")

        def answered(yes: bool | None) -> None:
            if yes:
                self._change("ondertitels nagekeken: ze gaan mee bij het publiceren",
                             lambda: archive.approve_captions(ctx, entry_id))

        self.app.push_screen(ConfirmScreen(f"{warn}Alle ondertitels van #{entry_id} zijn nagekeken en mogen "
                                           "gepubliceerd worden?", yes="Akkoord"), answered)

    def action_back(self) -> None:
        self.app.pop_screen()
