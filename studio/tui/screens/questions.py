"""The Questions screen: the moderation queue, a preview of exactly what will air, and the keys to act.

Everything shown comes from the question book in SQLite, reloaded by a thread worker that re-arms itself
only after the previous load finished; the chat intake (its own thread) and this screen write to the same
book, so nothing is ever out of step for long. Chat text is untrusted: it is shown as plain ``Text`` (never
parsed as markup) after the sanitiser has already removed control and bidi characters on entry.

Blocking calls (OBS, YouTube, SQLite) run in thread workers; a StudioError becomes the app's calm
notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from studio.domain.questions import Question, Source, State
from studio.domain.texts import privacy_marker
from studio.errors import StudioError
from studio.tui import keymap
from studio.tui.screens.base import StudioBaseScreen
from studio.tui.screens.show_view import quote
from studio.tui.widgets.prompts import ManualQuestion, ReplyChooser, TextPrompt, plain
from studio.usecases import moderation, onair

if TYPE_CHECKING:
    from studio.tui.app import StudioApp
    from studio.youtube.chat import IntakeStatus

RELOAD_INTERVAL = 0.5
TEXT_WIDTH = 70  # characters of the question shown in the table

STATE_STYLE = {
    State.ON_AIR: "bold white on red",
    State.SHORTLISTED: "bold green",
    State.NEW: "",
    State.PARKED: "yellow",
    State.ANSWERED: "dim",
    State.FORWARDED: "dim cyan",
    State.REJECTED: "dim strike",
}


def one_line(text: str, width: int = TEXT_WIDTH) -> Text:
    """One table row: whitespace folded, cut with an ellipsis, never wrapped (a wrapped cell shows only its
    first line, which hid all but the first word of some questions)."""
    flat = " ".join(text.split())
    return Text(flat if len(flat) <= width else flat[: width - 1] + "…", no_wrap=True, overflow="ellipsis",
                end="")


@dataclass
class QueueLoaded(Message):
    questions: list[Question]
    intake: IntakeStatus | None


class QuestionsScreen(StudioBaseScreen):
    # From the panel's one key table (studio.tui.keymap): b/u/k mean the same here as on the Spreekuur screen.
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("questions")
    DEFAULT_CSS = """
    QuestionsScreen #q-body { padding: 0 1; }
    QuestionsScreen #q-intake { height: 1; color: $text-muted; }
    QuestionsScreen #q-intake.-running { color: $success; }
    QuestionsScreen #q-intake.-problem { color: $warning; }
    QuestionsScreen #q-table { height: 1fr; min-height: 6; }
    QuestionsScreen #q-preview { height: auto; max-height: 12; margin-top: 1; }
    QuestionsScreen .q-pane { width: 1fr; height: auto; border: round $primary; padding: 0 1; }
    QuestionsScreen #q-aired-pane { border: round $success; }
    QuestionsScreen #q-aired-pane.-scrubbed { border: round $warning; }
    QuestionsScreen #q-meta { height: auto; color: $text-muted; }
    """

    app: StudioApp

    def __init__(self) -> None:
        super().__init__()
        self.questions: dict[str, Question] = {}
        self.order: list[str] = []
        self.show_all = False
        self.lang = "nl"
        self.merge_target: str | None = None
        self._preloaded: tuple[str, str] | None = None
        self._signature: tuple[Any, ...] = ()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="q-body"):
            yield Static("chat: nog niet gestart (c = starten)", id="q-intake", markup=False)
            table: DataTable[Any] = DataTable(id="q-table", cursor_type="row", zebra_stripes=True)
            yield table
            with Horizontal(id="q-preview"):
                with Vertical(classes="q-pane", id="q-original-pane"):
                    yield Static("", id="q-original")
                with Vertical(classes="q-pane", id="q-aired-pane"):
                    yield Static("", id="q-aired")
            yield Static("", id="q-meta")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("status", key="state", width=12)
        table.add_column("!", key="urgent", width=2)
        table.add_column("taal", key="lang", width=4)
        table.add_column("bron", key="source", width=8)
        table.add_column("×", key="count", width=3)
        table.add_column("vraag", key="text", width=TEXT_WIDTH)
        self.query_one("#q-original-pane").border_title = "Origineel"
        self.query_one("#q-aired-pane").border_title = "In beeld (zo komt het op het scherm)"
        table.focus()
        self.load_queue()

    # --- loading ------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="questions-load", exit_on_error=False)
    def load_queue(self) -> None:
        desk = self.app.ctx.chat
        try:
            # while a chat is read: this session's questions (and those added by hand); 'a' shows everything
            scope = desk.live_chat_id if not self.show_all else None
            questions = moderation.queue(self.app.ctx, scope).ordered(include_closed=True)
        except StudioError:
            questions = []
        self.post_message(QueueLoaded(questions, desk.status))

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        self._show_intake(message.intake)
        self._show_queue(message.questions)
        self.set_timer(RELOAD_INTERVAL, self.load_queue)

    def _visible(self, q: Question) -> bool:
        if q.state in (State.MERGED, State.REMOVED):
            return False
        return self.show_all or q.is_open

    def _show_queue(self, questions: list[Question]) -> None:
        self.questions = {q.id: q for q in questions}
        visible = [q for q in questions if self._visible(q)]
        # the question on air always on top, then the rules' order (urgent first, then oldest)
        visible.sort(key=lambda q: q.state is not State.ON_AIR)
        signature = tuple((q.id, q.state, q.urgent, q.count, q.display_text) for q in visible)
        if signature != self._signature:
            self._signature = signature
            table = self.query_one(DataTable)
            selected = self.selected_id
            table.clear()
            for q in visible:
                table.add_row(*self._cells(q), key=q.id)
            self.order = [q.id for q in visible]
            if selected in self.order:
                table.move_cursor(row=self.order.index(selected))
        self._show_preview()

    def _cells(self, q: Question) -> tuple[Text, ...]:
        state = Text(q.state.label, style=STATE_STYLE.get(q.state, ""))
        if q.id == self.merge_target:
            state = Text("samenvoegen→", style="bold magenta")
        urgent = Text("!", style="bold white on red") if q.urgent else Text("")
        return (state, urgent, Text(q.lang.upper()), Text(q.source.label[:8]),
                Text(str(q.count) if q.count > 1 else ""), one_line(q.display_text))

    def _show_intake(self, status: IntakeStatus | None) -> None:
        line = self.query_one("#q-intake", Static)
        line.remove_class("-running", "-problem")
        if status is None:
            line.update(f"chat: niet actief (c = starten)   antwoorden in: {self.lang.upper()} (t)")
            return
        words = {"idle": "start", "running": "actief", "backoff": "wacht", "ended": "afgelopen",
                 "stopped": "gestopt", "failed": "gestopt"}
        how = {"stream": "direct (stream)", "poll": "opvragen"}.get(status.method, "")
        text = (f"chat: {words.get(status.state, status.state)}{f' · {how}' if how else ''}   "
                f"{status.questions} nieuw   quotum {status.units} van {self.app.ctx.settings.chat.quota_budget} "
                f"eenheden   antwoorden in: {self.lang.upper()} (t)")
        if status.message:
            text += f"   — {status.message}"
        line.update(plain(text))
        line.add_class("-running" if status.state == "running" else "-problem")

    @property
    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.order or table.cursor_row is None or not 0 <= table.cursor_row < len(self.order):
            return None
        return self.order[table.cursor_row]

    @property
    def selected(self) -> Question | None:
        qid = self.selected_id
        return self.questions.get(qid) if qid else None

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_preview()

    def _maybe_preload(self, q: Question) -> None:
        """Have OBS load the selected question's card ahead of time, so 'b' airs it at once."""
        key = (q.id, q.display_text)
        if key == self._preloaded or q.state not in (State.NEW, State.SHORTLISTED, State.PARKED):
            return
        if any(x.state is State.ON_AIR for x in self.questions.values()):
            return
        self._preloaded = key
        self.preload(q)

    @work(thread=True, exclusive=True, group="questions-preload", exit_on_error=False)
    def preload(self, q: Question) -> None:
        try:
            onair.preload_card(self.app.ctx, q)
        except Exception:  # only a head start: put_on_air itself says what is wrong, if anything
            self._preloaded = None

    def _show_preview(self) -> None:
        q = self.selected
        original = self.query_one("#q-original", Static)
        aired = self.query_one("#q-aired", Static)
        meta = self.query_one("#q-meta", Static)
        pane = self.query_one("#q-aired-pane")
        if q is None:
            original.update("")
            aired.update("")
            meta.update(plain("geen vragen" if not self.order else ""))
            return
        self._maybe_preload(q)
        pv = onair.preview(q)
        original.update(plain(pv.original))
        aired.update(plain(pv.aired))
        pane.set_class(pv.changed, "-scrubbed")
        facts = [f"{q.state.label}", f"bron: {q.source.label}", f"taal: {q.lang}"]
        if q.urgent:
            facts.append("DRINGEND (wijs op 112)")
        if q.count > 1:
            facts.append(f"{q.count}× gevraagd")
        if pv.findings:
            kinds = sorted({f.kind for f in pv.findings})
            facts.append("weggehaald: " + ", ".join(privacy_marker(k, "nl") for k in kinds))
        if q.edited_text is not None:
            facts.append("bewerkt (origineel bewaard)")
        if q.note:
            facts.append(f"notitie: {q.note}")
        meta.update(plain("   ".join(facts)))

    # --- acting -------------------------------------------------------------------------------------
    def _need(self) -> Question | None:
        q = self.selected
        if q is None:
            self.notify("Geen vraag gekozen", severity="warning")
        return q

    @work(thread=True, group="questions-act", exit_on_error=False)
    def act(self, action: str, params: dict[str, Any], fn: Any, said: Any = None) -> None:
        """A queue change or an OBS/YouTube action, off the event loop; the queue reloads afterwards.

        ``said(result)`` gives the line to show when it worked (every on-air change gets one)."""
        try:
            result = self.app.audited(action, params, fn)
            line = said(result) if said is not None else None
            if line:
                self.app.call_from_thread(self.notify, line, markup=False, timeout=5)
        except StudioError as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Niet gelukt", severity="error",
                                      markup=False, timeout=8)
        except Exception as exc:  # never a crash of the panel over one action
            self.app.call_from_thread(self.notify, f"onverwachte fout: {type(exc).__name__}: {exc}",
                                      title="Niet gelukt", severity="error", markup=False, timeout=8)
        finally:
            self.app.call_from_thread(self.load_queue)

    def action_shortlist(self) -> None:
        q = self._need()
        if q is not None:
            self.act("question.shortlist", {"id": q.id}, lambda: moderation.shortlist(self.app.ctx, q.id))

    def action_on_air(self) -> None:
        q = self._need()
        if q is not None:
            self.act("question.put_on_air", {"id": q.id}, lambda: onair.put_on_air(self.app.ctx, q.id),
                     lambda aired: f"In beeld: vraag «{quote(aired.aired)}»")

    def action_off_air(self) -> None:
        self._preloaded = None  # OBS's overlay is cleared: the next selection loads its card again
        self.act("question.take_off_air", {}, lambda: onair.take_off_air(self.app.ctx, answered=False),
                 lambda q: f"Uit beeld (terug bij de gekozen vragen): «{quote(q.display_text)}»" if q else
                 "Er stond geen vraag in beeld; de kaart is weggehaald")

    def action_answered(self) -> None:
        """k: the question in beeld is answered, whichever row is selected (as k on the Spreekuur screen)."""
        q = next((x for x in self.questions.values() if x.state is State.ON_AIR), None)
        if q is None:
            self.notify("Er staat geen vraag in beeld om als beantwoord te markeren", severity="warning")
            return
        self._preloaded = None
        self.act("question.answered", {"id": q.id}, lambda: onair.take_off_air(self.app.ctx, answered=True),
                 lambda done: f"Beantwoord en uit beeld: «{quote(done.display_text)}»" if done else None)

    def action_reject(self) -> None:
        q = self._need()
        if q is not None:
            self.act("question.reject", {"id": q.id}, lambda: moderation.reject(self.app.ctx, q.id))

    def action_park(self) -> None:
        q = self._need()
        if q is not None:
            self.act("question.park", {"id": q.id}, lambda: moderation.park(self.app.ctx, q.id))

    def action_forward(self) -> None:
        q = self._need()
        if q is None:
            return

        def done(note: str | None) -> None:
            if note is not None:
                self.act("question.forward", {"id": q.id}, lambda: moderation.forward(self.app.ctx, q.id, note))

        self.app.push_screen(TextPrompt("Doorzetten naar een collega: notitie (wie, wat, terugbellen?)",
                                        placeholder="bijv. wijkagent Heerlen-Noord, graag terugbellen"), done)

    def action_edit(self) -> None:
        q = self._need()
        if q is None:
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.act("question.edit", {"id": q.id}, lambda: moderation.edit(self.app.ctx, q.id, text))

        self.app.push_screen(TextPrompt("Vraag bewerken (het origineel blijft bewaard)", value=q.display_text), done)

    def action_new(self) -> None:
        def done(result: tuple[str, Source] | None) -> None:
            if result is not None and result[0].strip():
                text, source = result
                self.act("question.add", {"source": source.value},
                                lambda: moderation.add_manual(self.app.ctx, text, source))

        self.app.push_screen(ManualQuestion(), done)

    def action_merge(self) -> None:
        q = self._need()
        if q is None:
            return
        if self.merge_target is None or self.merge_target not in self.questions:
            self.merge_target = q.id
            self._signature = ()
            self.notify("Kies de dubbele vraag en druk nogmaals v (Esc = stoppen)")
            self._show_queue(list(self.questions.values()))
            return
        keep, duplicate = self.merge_target, q.id
        self.merge_target = None
        self._signature = ()
        self.act("question.merge", {"keep": keep, "duplicate": duplicate},
                        lambda: moderation.merge(self.app.ctx, keep, duplicate))

    def action_cancel_merge(self) -> None:
        if self.merge_target is not None:
            self.merge_target = None
            self._signature = ()
            self._show_queue(list(self.questions.values()))

    def action_reply(self) -> None:
        """r: choose a standard reply from a list (the digits stay the scene keys of the whole panel)."""
        replies = moderation.canned_replies(self.app.ctx, self.lang)
        if not replies:
            self.notify("Geen standaardantwoorden ingesteld ([chat] canned_nl / canned_ar)", severity="warning")
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                self.action_canned(index)

        self.app.push_screen(ReplyChooser(replies, self.lang), chosen)

    def action_canned(self, index: int) -> None:
        replies = moderation.canned_replies(self.app.ctx, self.lang)
        if not 0 <= index < len(replies):
            self.notify(f"Geen standaardantwoord {index + 1}", severity="warning")
            return

        def post() -> None:
            text = moderation.post_canned_reply(self.app.ctx, index, self.lang)
            self.app.call_from_thread(self.notify, f"In de chat gezet: {text}", markup=False)

        self.act("chat.canned_reply", {"index": index, "lang": self.lang}, post)

    def action_toggle_lang(self) -> None:
        self.lang = "ar" if self.lang == "nl" else "nl"
        self.notify(f"Standaardantwoorden in het {'Arabisch' if self.lang == 'ar' else 'Nederlands'}")
        self.load_queue()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self._signature = ()
        self._show_queue(list(self.questions.values()))
        self.load_queue()  # 'all' also means earlier sessions' questions

    def action_toggle_chat(self) -> None:
        desk = self.app.ctx.chat
        if desk.running:
            self.act("chat.stop", {}, desk.stop)
        else:
            self.act("chat.start", {}, desk.start_found)
