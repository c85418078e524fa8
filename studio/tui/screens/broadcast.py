"""The Broadcast screen (F3 "Uitzending"): tonight's session, its YouTube broadcast, go live and end.

What it shows, all from YouTube's own answers (never from the key that was pressed):
- tonight's (or the next) sessions from the series schedule: time, language, topic;
- the broadcasts the studio knows (this target: YouTube or the rehearsal emulator) with the lifecycle state
  YouTube reports and the studio's own step;
- for the selected broadcast: lifecycle, stream status, health and configuration issues, polled in a thread
  worker that re-arms itself only after the previous poll finished (1-2 quota units per poll);
- quota used today (Pacific day) with a warning from 80 %;
- progress of go-live and end, line by line.

Keys (from the panel's key table, studio.tui.keymap): ``a`` create the broadcast of the next session, ``l`` go
live (asks first), ``x`` end it without the end slate (asks first; the ordinary end with the end slate is ``e``
on the Spreekuur screen), ``r`` refresh. After a restart a broadcast that was going live or ending is selected
and the screen says so: ``l`` / ``x`` carry on from where it was.

Every answer of YouTube about a broadcast also goes to the app's one air state (``app.youtube_reported``), which
takes only the followed broadcast's reports: polling an older broadcast here never changes LIVE in the bar.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, DataTable, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from studio.domain import labels
from studio.errors import StudioError
from studio.tui import keymap
from studio.tui.screens.base import StudioBaseScreen
from studio.tui.widgets.confirm import ConfirmScreen
from studio.usecases import broadcasts

if TYPE_CHECKING:
    from studio.domain.air_status import YouTubeReport
    from studio.store.youtube import BroadcastRecord
    from studio.tui.app import StudioApp
    from studio.usecases.context import Studio
    from studio.youtube.broadcast import BroadcastStatus
    from studio.youtube.quota import QuotaUsage

POLL_INTERVAL = 15.0  # seconds between status polls (each costs quota on the real YouTube)
LANG_NL = {"nl": "Nederlands", "ar": "Arabisch"}


class Loaded(Message):
    def __init__(self, records: list[BroadcastRecord], pending: list[BroadcastRecord], sessions: list[Any],
                 usage: QuotaUsage, rehearsal: bool, endpoint: str) -> None:
        super().__init__()
        self.records, self.pending, self.sessions = records, pending, sessions
        self.usage, self.rehearsal, self.endpoint = usage, rehearsal, endpoint


class SessionsOnly(Message):
    """The schedule without YouTube (no credentials): the coming sessions are still shown."""

    def __init__(self, sessions: list[Any]) -> None:
        super().__init__()
        self.sessions = sessions


class StatusPolled(Message):
    def __init__(self, status: BroadcastStatus | None, usage: QuotaUsage | None, error: str = "",
                 report: YouTubeReport | None = None) -> None:
        super().__init__()
        self.status, self.usage, self.error, self.report = status, usage, error, report


class Progress(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ActionDone(Message):
    def __init__(self, text: str, broadcast_id: str | None = None, failed: bool = False,
                 reload: bool = True, report: YouTubeReport | None = None) -> None:
        super().__init__()
        self.text, self.broadcast_id, self.failed, self.reload = text, broadcast_id, failed, reload
        self.report = report


def session_line(s: Any) -> str:
    from studio.domain.broadcast_texts import format_date, topic_label

    return f"{format_date(s.start, 'nl')} {s.start:%H:%M}  {LANG_NL.get(s.lang, s.lang)}  ·  {topic_label(s.topic, 'nl')}"


def health_text(st: BroadcastStatus) -> Text:
    """YouTube's state of the broadcast and its stream, in Dutch words only."""
    out = Text.assemble(("YouTube: ", "dim"), (st.label, "bold red" if st.lifecycle == "live" else "bold"))
    if st.stream is not None:
        style = {"good": "green", "ok": "yellow", "bad": "bold red", "noData": "bold red"}.get(st.stream.health, "")
        out.append("\nStream: ")
        out.append(labels.stream_status(st.stream.stream_status), "bold" if st.stream.active else "")
        out.append("  ·  kwaliteit: ")
        out.append(labels.stream_health(st.stream.health), style)
        for issue in st.stream.issues:
            out.append(f"\n  ⚠ {issue}")  # YouTube's text: appended as plain text, never parsed as markup
    else:
        out.append("\nStream: nog niet gekoppeld", "dim")
    return out


def _usage_or_none(ctx: Studio) -> QuotaUsage | None:
    try:
        return broadcasts.usage(ctx)
    except StudioError:
        return None


class BroadcastScreen(StudioBaseScreen):
    DEFAULT_CSS = """
    #bc-body { padding: 0 1; height: 1fr; }
    #bc-tonight, #bc-mode, #bc-quota, #bc-status, #bc-progress, #bc-resume { height: auto; margin-top: 1; }
    #bc-table { height: 10; margin-top: 1; }
    #bc-quota.-warn { color: $warning; text-style: bold; }
    #bc-resume { color: $warning; text-style: bold; }
    #bc-buttons { height: auto; margin-top: 1; }
    #bc-buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("broadcast")

    app: StudioApp

    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self._now = now or (lambda: datetime.now(UTC))
        self.records: list[BroadcastRecord] = []
        self.sessions: list[Any] = []
        self.selected: str | None = None
        self.busy = False
        self.last_status: BroadcastStatus | None = None
        self._poll_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="bc-body"):
            yield Static("Uitzending (YouTube)   a = aanmaken · l = live · x = stoppen (zonder eindbeeld) · r = vernieuwen",
                         classes="section-title")
            yield Static("", id="bc-mode", markup=False)
            yield Static("Sessies: laden…", id="bc-tonight", markup=False)
            yield Static("", id="bc-resume", markup=False)
            table: DataTable[Any] = DataTable(id="bc-table", cursor_type="row", zebra_stripes=True)
            for label, key in (("id", "id"), ("sessie", "session"), ("gepland (UTC)", "start"),
                               ("YouTube", "youtube"), ("studio", "step")):
                table.add_column(label, key=key)
            yield table
            yield Static("Geen uitzending gekozen", id="bc-status")
            yield Static("", id="bc-progress", markup=False)
            yield Static("Quotum: …", id="bc-quota", markup=False)
            with Horizontal(id="bc-buttons"):
                yield Button("Aanmaken (a)", id="bc-create", variant="primary")
                yield Button("Live gaan… (l)", id="bc-golive", variant="error")
                yield Button("Stoppen… (x)", id="bc-end", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#bc-resume").display = False
        self.load()

    # --- loading and polling (thread workers) ---------------------------------------------------------
    @work(thread=True, exclusive=True, group="bc-load", exit_on_error=False)
    def load(self) -> None:
        try:
            o = broadcasts.overview(self.app.ctx, self._now())  # may start the emulator: never on the event loop
        except StudioError as exc:
            self.post_message(ActionDone(f"YouTube niet beschikbaar: {exc}", failed=True, reload=False))
            # the schedule needs no YouTube
            self.post_message(SessionsOnly(broadcasts.coming_sessions(self.app.ctx, now=self._now())))
            return
        self.post_message(Loaded(o.records, o.pending, o.sessions, o.usage, o.rehearsal, o.endpoint))

    def on_sessions_only(self, msg: SessionsOnly) -> None:
        self.query_one("#bc-tonight", Static).update(
            "Volgende sessies:\n" + "\n".join(f"  {session_line(s)}" for s in msg.sessions)
            if msg.sessions else "Geen komende sessies in het schema")

    def on_loaded(self, msg: Loaded) -> None:
        self.records, self.sessions = msg.records, msg.sessions
        mode = self.query_one("#bc-mode", Static)
        mode.update("OEFENMODUS — tegen de YouTube-emulator, er gaat niets naar YouTube" if msg.rehearsal
                    else "Echte YouTube (kanaal van de studio)")
        tonight = self.query_one("#bc-tonight", Static)
        tonight.update("Volgende sessies:\n" + "\n".join(f"  {session_line(s)}" for s in msg.sessions)
                       if msg.sessions else "Geen komende sessies in het schema")
        table = self.query_one("#bc-table", DataTable)
        table.clear()
        for r in msg.records:
            if r.broadcast_id:
                table.add_row(r.broadcast_id, Text(f"{r.session_key} {r.topic}"), r.scheduled_start,
                              labels.youtube_lifecycle(r.yt_status), labels.broadcast_step(r.step),
                              key=r.broadcast_id)
        resume = self.query_one("#bc-resume", Static)
        pending_id = msg.pending[0].broadcast_id if msg.pending else None
        if pending_id:
            p = msg.pending[0]
            what = "bezig met beëindigen" if p.step == "ending" else "bezig met live gaan"
            if p.step == "live":
                what = "live"
            resume.update(f"Uitzending {p.broadcast_id} was {what} (stap '{labels.broadcast_step(p.step)}'). "
                          f"{'Druk x om te beëindigen.' if p.step in ('live', 'ending') else 'Druk l om verder te gaan.'}")
            resume.display = True
            self.select(pending_id)
        else:
            resume.display = False
            known = {r.broadcast_id for r in msg.records}
            if self.selected is not None and self.selected in known:
                self.select(self.selected)
            elif msg.records and msg.records[0].broadcast_id:
                self.select(msg.records[0].broadcast_id)
        self.show_usage(msg.usage)

    def select(self, broadcast_id: str) -> None:
        self.selected = broadcast_id
        table = self.query_one("#bc-table", DataTable)
        with contextlib.suppress(RowDoesNotExist):  # not (yet) in the table
            table.move_cursor(row=table.get_row_index(broadcast_id))
        self.poll_now()

    @on(DataTable.RowHighlighted, "#bc-table")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        if key and key != self.selected:
            self.selected = key
            self.poll_now()

    def poll_now(self) -> None:
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None
        if self.selected:
            self.poll_status(self.selected)

    @work(thread=True, exclusive=True, group="bc-poll", exit_on_error=False)
    def poll_status(self, broadcast_id: str) -> None:
        ctx = self.app.ctx
        try:
            st = broadcasts.status(ctx, broadcast_id)
        except StudioError as exc:  # YouTube not configured (any more), or it did not answer: say so
            self.post_message(StatusPolled(None, _usage_or_none(ctx), str(exc)))
            return
        self.post_message(StatusPolled(st, _usage_or_none(ctx), report=broadcasts.air_report(st)))

    def on_status_polled(self, msg: StatusPolled) -> None:
        status = self.query_one("#bc-status", Static)
        if msg.status is not None:
            self.last_status = msg.status
            self.app.youtube_reported(msg.report)  # counts only for the broadcast the status bar follows
            status.update(Text.assemble((msg.status.broadcast_id + "  ", "bold"), msg.status.title, "\n",
                                        health_text(msg.status)))
            table = self.query_one("#bc-table", DataTable)
            with contextlib.suppress(RowDoesNotExist, CellDoesNotExist):  # not (yet) in the table
                table.update_cell(msg.status.broadcast_id, "youtube", labels.youtube_lifecycle(msg.status.lifecycle))
        else:
            status.update(Text(f"Status niet op te halen: {msg.error}"))
        if msg.usage is not None:
            self.show_usage(msg.usage)
        if self._poll_timer is not None:
            self._poll_timer.stop()
        self._poll_timer = self.set_timer(POLL_INTERVAL, self.poll_now)  # re-armed only after a poll finished

    def show_usage(self, usage: QuotaUsage) -> None:
        quota = self.query_one("#bc-quota", Static)
        warn = usage.limit > 0 and usage.ratio >= self.app.ctx.settings.youtube.quota_warn_ratio
        quota.set_class(warn, "-warn")
        text = f"Quotum vandaag ({usage.day}, Pacific): {usage.used} van {usage.limit} eenheden ({usage.ratio:.0%})"
        quota.update(("⚠ " + text + " — bijna op: beperk het chat-pollen") if warn else text)

    # --- actions ----------------------------------------------------------------------------------------
    def _progress(self, text: str) -> None:
        self.post_message(Progress(text))  # called from the worker thread: post, never touch widgets

    def on_progress(self, msg: Progress) -> None:
        self.query_one("#bc-progress", Static).update(msg.text)

    def on_action_done(self, msg: ActionDone) -> None:
        self.busy = False
        self.app.youtube_reported(msg.report)
        if msg.failed and msg.broadcast_id and msg.broadcast_id == self.app.air.broadcast_id:
            self.app.follow_broadcast(msg.broadcast_id, ending=False)  # not ended after all: say what YouTube says
        progress = self.query_one("#bc-progress", Static)
        progress.update(("✗ " if msg.failed else "✓ ") + msg.text)
        if msg.failed:
            self.app.notify(msg.text, title="Niet gelukt", severity="error", markup=False, timeout=8)
        if msg.broadcast_id:
            self.selected = msg.broadcast_id
        if msg.reload:
            self.load()

    def _start(self, what: str) -> bool:
        if self.busy:
            self.app.notify("Even geduld: de vorige actie loopt nog", timeout=3)
            return False
        self.busy = True
        self.query_one("#bc-progress", Static).update(what)
        return True

    @on(Button.Pressed, "#bc-create")
    def action_create(self) -> None:
        if self._start("uitzending aanmaken…"):
            self.create_broadcast()

    @work(thread=True, exclusive=True, group="bc-action", exit_on_error=False)
    def create_broadcast(self) -> None:
        try:  # YouTube not configured: a failed action, never a crash of the panel
            session, bid = broadcasts.create_for_next_session(self.app.ctx, self.sessions, self._now())
            self.post_message(ActionDone(f"uitzending {bid} voor {session.key}", bid))
        except StudioError as exc:
            self.post_message(ActionDone(str(exc), failed=True))

    @on(Button.Pressed, "#bc-golive")
    def action_go_live(self) -> None:
        bid = self.selected
        if not bid:
            self.app.notify("Kies eerst een uitzending (of maak er een aan met a)", timeout=4)
            return

        def answered(yes: bool | None) -> None:
            if yes and self._start("live gaan…"):
                self.app.follow_broadcast(bid, ending=False)  # the status bar follows this one from now on
                self.go_live(bid)

        title = self.last_status.title if self.last_status and self.last_status.broadcast_id == bid else bid
        self.app.push_screen(ConfirmScreen(f"Uitzending live zetten?\n{title}", yes="Live gaan"), answered)

    @work(thread=True, exclusive=True, group="bc-action", exit_on_error=False)
    def go_live(self, broadcast_id: str) -> None:
        try:
            st = broadcasts.go_live(self.app.ctx, broadcast_id, self._progress)
            self.post_message(ActionDone(f"LIVE: {st.broadcast_id}", broadcast_id, report=broadcasts.air_report(st)))
        except StudioError as exc:
            self.post_message(ActionDone(f"{exc} (l = opnieuw, gaat verder waar het was)", broadcast_id, True))

    @on(Button.Pressed, "#bc-end")
    def action_stop(self) -> None:
        bid = self.selected
        if not bid:
            self.app.notify("Kies eerst een uitzending", timeout=4)
            return

        def answered(yes: bool | None) -> None:
            if yes and self._start("uitzending beëindigen…"):
                if self.app.air.broadcast_id in (None, bid):
                    self.app.follow_broadcast(bid, ending=True)
                self.end_broadcast(bid)

        self.app.push_screen(ConfirmScreen(
            f"Uitzending {bid} nu beëindigen, zonder eindbeeld (x = Stoppen)? Kijkers zien meteen het einde.\n"
            "Het gewone einde, met het eindbeeld (112 en 0900-8844) en de opname netjes afgesloten, is e (Einde) "
            "op het Spreekuur-scherm (F7).", yes="Beëindigen"), answered)

    @work(thread=True, exclusive=True, group="bc-action", exit_on_error=False)
    def end_broadcast(self, broadcast_id: str) -> None:
        try:
            st = broadcasts.end(self.app.ctx, broadcast_id, self._progress)
            self.post_message(ActionDone(f"beëindigd: {st.broadcast_id} ({st.label})", broadcast_id,
                                         report=broadcasts.air_report(st)))
        except StudioError as exc:
            self.post_message(ActionDone(f"{exc} (x = opnieuw)", broadcast_id, True))

    def action_refresh(self) -> None:
        self.load()
