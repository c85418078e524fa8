"""The Questions screen: the moderation queue, a preview of exactly what will air, and the keys to act.

The preview (studio.tui.widgets.air_preview) shows the original with every finding of the privacy filter
highlighted beside the final text; 'm' masks words by hand, 'h' restores a finding that was a false positive
(studio.tui.widgets.redaction_pickers). 's' and 'b' hand the digest of the previewed final text to the use
case, which refuses when what would air differs from it; with no preview (the filter still loading) nothing
goes on air.

Everything shown comes from the question book in SQLite. The table shows the current session's queue (the
Arabic session's is its own; ``f`` shows every session's, closed questions too): loaded once, then followed by
the queue's events, so each poll touches only the rows that changed (a flood of chat questions, or 10,000
waiting, costs the event loop what arrived, not what is queued). A thread worker reads; it never overlaps
itself. The cursor stays on the selected question whatever moves around it. Chat text is untrusted: it is
shown as plain ``Text`` (never parsed as markup) after the sanitiser has already removed control and bidi
characters on entry.

Urgent questions show their age ("! 2 min") until they are handled (a canned reply in the chat, on air,
answered, forwarded or rejected). Canned replies go out in the session's language unless ``t`` says otherwise.

Blocking calls (OBS, YouTube, SQLite) run in thread workers; a StudioError becomes the app's calm
notification.

Why this file is longer than 400 lines: it is the moderator's whole screen, with sixteen keys (each a few
lines that ask and hand over to the use cases) around one table that follows the queue incrementally and keeps
the cursor on the selected question. The row values live in questions_view and the privacy keys in
questions_privacy; what is left shares the cursor and the selected question, and splitting it further would
put that in two places.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Static

from studio.domain.questions import Question, Source, State, urgent_age
from studio.errors import StudioError
from studio.tui import keymap
from studio.tui.screens.base import StudioBaseScreen
from studio.tui.screens.questions_privacy import PrivacyActions
from studio.tui.screens.questions_view import (
    TEXT_WIDTH,
    OrderedCell,
    RowIds,
    RowOrder,
    one_line,
    row_order,
    same_cell,
    state_style,
)
from studio.tui.screens.show_view import quote
from studio.tui.widgets.air_preview import AirPreviewPane
from studio.tui.widgets.prompts import ManualQuestion, ReplyChooser, TextPrompt, plain
from studio.usecases import moderation, onair

if TYPE_CHECKING:
    from studio.tui.app import StudioApp
    from studio.usecases.moderation import SessionRef
    from studio.youtube.chat import IntakeStatus

RELOAD_INTERVAL = 0.5
AGE_INTERVAL = 15.0  # seconds between redraws of the urgent questions' age
URGENT_WIDTH = 9  # "! 12 min"
# The table shows the first MAX_ROWS questions in order (the rest follow as these are handled): what the panel
# draws and keeps stays the same with 400 or 10,000 questions waiting, and nobody reads further down anyway.
MAX_ROWS = 400

Scope = tuple[str | None, bool]  # (session id or None for every session, closed questions too)


@dataclass
class QueueLoaded(Message):
    questions: list[Question]
    intake: IntakeStatus | None
    session: SessionRef | None = None
    scope: Scope = (None, False)
    full: bool = True  # the whole view (else: only the questions that changed)
    last_event: int = 0
    total: int = -1  # questions in the view's scope (-1: unchanged)


class QuestionsScreen(PrivacyActions, StudioBaseScreen):
    # From the panel's one key table (studio.tui.keymap): b/u/k mean the same here as on the Spreekuur screen.
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("questions")
    DEFAULT_CSS = """
    QuestionsScreen #q-body { padding: 0 1; }
    QuestionsScreen #q-intake { height: 1; color: $text-muted; }
    QuestionsScreen #q-intake.-running { color: $success; }
    QuestionsScreen #q-intake.-problem { color: $warning; }
    QuestionsScreen #q-table { height: 1fr; min-height: 6; }
    QuestionsScreen #q-meta { height: auto; color: $text-muted; }
    """

    app: StudioApp

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        super().__init__()
        self.questions: dict[str, Question] = {}  # the rows of the table, by id
        self.show_all = False
        self.session: SessionRef | None = None
        self.lang = "nl"  # canned replies: the session's language unless the moderator chose with 't'
        self._lang_chosen = False
        self.merge_target: str | None = None
        self._preloaded: tuple[str, str] | None = None
        self._wall = wall
        self._scope: Scope | None = None  # what the table holds; None: nothing loaded yet
        self._last_event = -1
        self._last_order: RowOrder | None = None  # the largest order in the table (appending keeps it sorted)
        self._loading = False
        self._again = False
        self.total = 0  # questions in the scope (the table shows at most MAX_ROWS of them)

    @property
    def order(self) -> RowIds:
        """The question ids in the table's order (a view: its length costs nothing with 10,000 rows)."""
        return RowIds(self.query_one(DataTable))

    def compose_body(self) -> ComposeResult:
        with Vertical(id="q-body"):
            yield Static("chat: nog niet gestart (c = starten)", id="q-intake", markup=False)
            table: DataTable[Any] = DataTable(id="q-table", cursor_type="row", zebra_stripes=True)
            yield table
            yield AirPreviewPane(id="q-airpreview")
            yield Static("", id="q-meta")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("status", key="state", width=12)
        table.add_column("!", key="urgent", width=URGENT_WIDTH)
        table.add_column("taal", key="lang", width=4)
        table.add_column("bron", key="source", width=8)
        table.add_column("×", key="count", width=3)
        table.add_column("vraag", key="text", width=TEXT_WIDTH)
        table.focus()
        self.set_interval(RELOAD_INTERVAL, self.load_queue)
        self.set_interval(AGE_INTERVAL, self._refresh_ages)
        self.load_queue()

    # --- loading: the whole view once, then only what changed ------------------------------------------
    def load_queue(self) -> None:
        """Read the queue in a worker, unless a read is under way (then once more right after it)."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        self._read_queue(self._scope, self._last_event, self.show_all)

    @work(thread=True, group="questions-load", exit_on_error=False)
    def _read_queue(self, loaded: Scope | None, since: int, show_all: bool) -> None:
        ctx = self.app.ctx
        desk = ctx.chat
        try:
            session = moderation.current_session(ctx)
            scope: Scope = (None if show_all or session is None else session.session_id, show_all)
            if scope != loaded:
                questions, last = moderation.queue_view(ctx, scope[0], include_closed=show_all, limit=MAX_ROWS)
                total = moderation.queue_size(ctx, scope[0], include_closed=show_all)
                message = QueueLoaded(questions, desk.status, session, scope, True, last, total)
            else:
                changed, last = moderation.queue_changes(ctx, since, scope[0])
                total = moderation.queue_size(ctx, scope[0], include_closed=show_all) if changed else -1
                message = QueueLoaded(changed, desk.status, session, scope, False, last, total)
        except StudioError:
            message = QueueLoaded([], desk.status, None, (None, show_all), False, since)
        self.post_message(message)

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        self._loading = False
        self._set_session(message.session)
        if message.total >= 0:
            self.total = message.total
        self._show_intake(message.intake)
        if message.full:
            self._fill_table(message.questions, message.scope)
            self._last_event = message.last_event
        elif message.scope == self._scope and message.last_event > self._last_event:
            self._update_rows(message.questions)
            self._last_event = message.last_event
        if self._again:
            self._again = False
            self.load_queue()

    def _set_session(self, session: SessionRef | None) -> None:
        if session != self.session:
            self.session = session
            if session is not None and not self._lang_chosen:
                self.lang = session.lang  # an Arabic session answers in Arabic

    def _visible(self, q: Question) -> bool:
        if q.state in (State.MERGED, State.REMOVED):
            return False
        return self.show_all or q.is_open

    def _fill_table(self, questions: Iterable[Question], scope: Scope) -> None:
        """The whole view (first load, another session, 'f'): the selected question stays selected."""
        table = self.query_one(DataTable)
        selected = self.selected_id
        visible = sorted((q for q in questions if self._visible(q)), key=row_order)
        table.clear()
        for q in visible:
            table.add_row(*self._cells(q), key=q.id)
        self.questions = {q.id: q for q in visible}
        self._last_order = row_order(visible[-1]) if visible else None
        self._scope = scope
        self._keep_cursor(selected)

    def _update_rows(self, changed: Iterable[Question]) -> None:
        """Only the rows that changed: added, redrawn cell by cell, removed; sorted again only when a row's
        place changed. The cursor stays on the question it was on."""
        table = self.query_one(DataTable)
        selected = self.selected_id
        resort = False
        for q in changed:
            old = self.questions.get(q.id)
            if not self._visible(q):
                if old is not None:
                    table.remove_row(q.id)
                    del self.questions[q.id]
                continue
            order = row_order(q)
            if old is None:
                if self._last_order is not None and order > self._last_order and table.row_count >= MAX_ROWS:
                    continue  # below the window: counted in the total, shown when there is room
                table.add_row(*self._cells(q), key=q.id)
                self.questions[q.id] = q
                if self._last_order is not None and order < self._last_order:
                    resort = True  # not at the end: e.g. a new urgent question
                else:
                    self._last_order = order
                continue
            self.questions[q.id] = q
            if row_order(old) != order:
                resort = True
            self._redraw_row(table, old, q)
        if resort:
            table.sort("state", key=lambda cell: cell.order)
        while table.row_count > MAX_ROWS:  # the window keeps its size: the last rows wait below it
            last = table.coordinate_to_cell_key(Coordinate(table.row_count - 1, 0)).row_key
            table.remove_row(last)
            self.questions.pop(str(last.value), None)
        self._last_order = max(map(row_order, self.questions.values()), default=None)
        self._keep_cursor(selected)
        if table.row_count < min(MAX_ROWS, self.total):
            self._scope = None  # room in the window for questions waiting below it: read the view again
            self.load_queue()

    def _redraw_row(self, table: DataTable[Any], old: Question, new: Question) -> None:
        for column, before, after in zip(("state", "urgent", "lang", "source", "count", "text"),
                                         self._cells(old), self._cells(new), strict=True):
            if column == "state" or not same_cell(before, after):  # the status cell carries the order
                table.update_cell(new.id, column, after)

    def _keep_cursor(self, selected: str | None) -> None:
        table = self.query_one(DataTable)
        if selected is not None and selected in self.questions:
            row = table.get_row_index(selected)
            if table.cursor_row != row:
                table.move_cursor(row=row, animate=False)
        self._show_preview()

    def _redraw_all_cells(self) -> None:
        """Every row's cells again (the merge mark came or went); rows and order stay."""
        table = self.query_one(DataTable)
        for q in self.questions.values():
            for column, cell in zip(("state", "urgent", "lang", "source", "count", "text"), self._cells(q),
                                    strict=True):
                table.update_cell(q.id, column, cell)

    def _refresh_ages(self) -> None:
        """The age of each urgent question that is still waiting ("! 3 min")."""
        table = self.query_one(DataTable)
        for q in self.questions.values():
            if q.needs_attention:
                table.update_cell(q.id, "urgent", self._urgent_cell(q))

    def _urgent_cell(self, q: Question) -> Text:
        if not q.urgent:
            return Text("")
        if q.needs_attention:
            return Text(urgent_age(q, self._wall()), style="bold white on red", no_wrap=True)
        return Text("! ✓", style="bold red", no_wrap=True)  # urgent, handled (reply, on air, closed)

    def _cells(self, q: Question) -> tuple[Any, ...]:
        state = Text(q.state.label, style=state_style(q.state))
        if q.id == self.merge_target:
            state = Text("samenvoegen→", style="bold magenta")
        return (OrderedCell(state, row_order(q)), self._urgent_cell(q), Text(q.lang.upper()),
                Text(q.source.label[:8]), Text(str(q.count) if q.count > 1 else ""), one_line(q.display_text))

    def _show_intake(self, status: IntakeStatus | None) -> None:
        line = self.query_one("#q-intake", Static)
        line.remove_class("-running", "-problem")
        session = f"sessie {self.session.session_id}   " if self.session is not None and not self.show_all else ""
        if self.show_all:
            session = "alle sessies   "
        if self.total > MAX_ROWS:
            session += f"{self.total} vragen, de eerste {MAX_ROWS} in de lijst   "
        if status is None:
            text = f"{session}chat: niet actief (c = starten)   antwoorden in: {self.lang.upper()} (t)"
            if not self.app.privacy_status.ready:  # calmly, where the moderator looks: nothing airs yet
                text += f"   · {self.app.privacy_status.message}"
                line.add_class("-problem")
            line.update(plain(text))
            return
        words = {"idle": "start", "running": "actief", "backoff": "wacht", "ended": "afgelopen",
                 "stopped": "gestopt", "failed": "gestopt"}
        how = {"stream": "direct (stream)", "poll": "opvragen"}.get(status.method, "")
        text = (f"{session}chat: {words.get(status.state, status.state)}{f' · {how}' if how else ''}   "
                f"{status.questions} binnengekomen   quotum {status.units} van {self.app.ctx.settings.chat.quota_budget} "
                f"eenheden   antwoorden in: {self.lang.upper()} (t)")
        if status.message:
            text += f"   — {status.message}"
        problem = status.state != "running"
        if not self.app.privacy_status.ready:
            text += f"   · {self.app.privacy_status.message}"
            problem = True
        line.update(plain(text))
        line.add_class("-problem" if problem else "-running")

    @property
    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count or not 0 <= table.cursor_row < table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return str(key) if key is not None else None

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
        if any(x.state is State.ON_AIR for x in self.questions.values()) or not self.app.privacy_status.ready:
            return
        self._preloaded = key
        self.preload(q)

    @work(thread=True, exclusive=True, group="questions-preload", exit_on_error=False)
    def preload(self, q: Question) -> None:
        try:
            if not onair.preload_card(self.app.ctx, q):  # e.g. the privacy filter was not ready: try again later
                self._preloaded = None
        except Exception:  # only a head start: put_on_air itself says what is wrong, if anything
            self._preloaded = None

    def _show_preview(self) -> None:
        q = self.selected
        meta = self.query_one("#q-meta", Static)
        self.preview_pane.show(q)
        if q is None:
            meta.update(plain("geen vragen" if not self.order else ""))
            return
        self._maybe_preload(q)
        facts = [f"{q.state.label}", f"bron: {q.source.label}", f"taal: {q.lang}"]
        if q.urgent:
            facts.append("DRINGEND (wijs op 112)")
        if q.count > 1:
            facts.append(f"{q.count}× gevraagd")
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
        """A queue change or an OBS/YouTube action, off the event loop; the changed rows follow at once.

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
            pv = self.preview_pane.matches(q)
            shown = pv.digest if pv is not None else None  # choosing is no airing: approved only if previewed
            self.act("question.shortlist", {"id": q.id},
                     lambda: moderation.shortlist(self.app.ctx, q.id, shown=shown))

    def action_on_air(self) -> None:
        q = self._need()
        if q is None:
            return
        pv = self._previewed(q, "Niet in beeld gebracht")
        if pv is not None:
            self.act("question.put_on_air", {"id": q.id},
                     lambda: onair.put_on_air(self.app.ctx, q.id, shown=pv.digest),
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
                session_id = self.session.session_id if self.session is not None else None
                self.act("question.add", {"source": source.value, "session": session_id},
                         lambda: moderation.add_manual(self.app.ctx, text, source, session_id))

        self.app.push_screen(ManualQuestion(), done)

    def action_merge(self) -> None:
        q = self._need()
        if q is None:
            return
        if self.merge_target is None or self.merge_target not in self.questions:
            self.merge_target = q.id
            self.notify("Kies de dubbele vraag en druk nogmaals v (Esc = stoppen)")
            self._redraw_all_cells()
            return
        keep, duplicate = self.merge_target, q.id
        self.merge_target = None
        self._redraw_all_cells()
        self.act("question.merge", {"keep": keep, "duplicate": duplicate},
                        lambda: moderation.merge(self.app.ctx, keep, duplicate))

    def action_cancel_merge(self) -> None:
        if self.merge_target is not None:
            self.merge_target = None
            self._redraw_all_cells()

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
        """Canned reply in the chat, in the session's language; it answers the selected question (an urgent
        question is handled from then on)."""
        lang, session = self.lang, self.session
        replies = moderation.canned_replies(self.app.ctx, lang)
        if not 0 <= index < len(replies):
            self.notify(f"Geen standaardantwoord {index + 1}", severity="warning")
            return
        q = self.selected
        qid = q.id if q is not None else None

        def post() -> None:
            text = moderation.post_canned_reply(self.app.ctx, index, lang, question_id=qid, session=session)
            handled = " (dringende vraag afgehandeld)" if q is not None and q.needs_attention else ""
            self.app.call_from_thread(self.notify, f"In de chat gezet: {text}{handled}", markup=False)

        self.act("chat.canned_reply", {"index": index, "lang": lang, "question": qid}, post)

    def action_toggle_lang(self) -> None:
        self.lang = "ar" if self.lang == "nl" else "nl"
        self._lang_chosen = True
        self.notify(f"Standaardantwoorden in het {'Arabisch' if self.lang == 'ar' else 'Nederlands'}")
        self.load_queue()

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        self.load_queue()  # another scope: the whole view is read again (all sessions, closed too)

    def action_toggle_chat(self) -> None:
        desk = self.app.ctx.chat
        if desk.running:
            self.act("chat.stop", {}, desk.stop)
        else:
            self.act("chat.start", {}, desk.start_found)
