"""The Archive screen (F6 "Archief"): every recording with its state; process, publish, verify and report.

All work (ffmpeg, checksums, YouTube) runs in thread workers of one group, so only one action runs at a
time; their progress comes back as messages that replace their pending predecessor. Publishing first shows
what is left to do and its quota cost, and asks. Texts from the catalogue (titles, paths, errors) are shown
without markup.

Keys (the panel's key table, studio.tui.keymap): ``p`` process, ``y`` publish on YouTube (asks first; mode from
config, ``Y`` the other mode), ``c`` verify, ``v`` session report (verslag), ``r`` refresh, ``o`` the captions
to review (studio.tui.screens.archive_captions), ``m`` make the captions (in the background queue, which waits
while a session is on air).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, ProgressBar, Static

from studio.domain import labels
from studio.errors import StudioError
from studio.tui import keymap
from studio.tui.screens.base import StudioBaseScreen
from studio.tui.widgets.caption_queue import CaptionQueueLine
from studio.tui.widgets.confirm import ConfirmScreen
from studio.usecases import archive

if TYPE_CHECKING:
    from studio.store.archive import Entry
    from studio.tui.app import StudioApp

class EntriesLoaded(Message):
    def __init__(self, entries: list[Entry], captions: dict[int, str] | None = None) -> None:
        super().__init__()
        self.entries = entries
        self.captions = captions or {}  # entry id -> its captions in one line


class ActionProgress(Message):
    def __init__(self, fraction: float, label: str) -> None:
        super().__init__()
        self.fraction, self.label = fraction, label

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ActionProgress)


class ActionDone(Message):
    def __init__(self, text: str, failed: bool = False) -> None:
        super().__init__()
        self.text, self.failed = text, failed


class PlanReady(Message):
    def __init__(self, entry_id: int, mode: str, question: str) -> None:
        super().__init__()
        self.entry_id, self.mode, self.question = entry_id, mode, question


def entry_details(e: Entry, captions: str = "") -> str:
    lines = [f"#{e.id}  {e.title}",
             f"Sessie {e.session_id or '—'} · {e.session_date} · {e.topic or 'geen onderwerp'} · {e.lang}",
             f"Origineel: {labels.recording_files(e.original_path, len(e.sources))} · {labels.duration(e.duration)} · {labels.size(e.size)}"
             + (" · AFGEBROKEN OPNAME" if e.truncated else "")
             + (" · opgeruimd" if e.original_pruned_at else ""),
             f"sha256 {e.sha256}"]
    if e.processed_path:
        lines.append(f"Verwerkt: {labels.file_name(e.processed_path)} · {labels.duration(e.processed_duration)} · "
                     f"{labels.size(e.processed_size)} (ingekort vanaf {e.trim_start or 0:.0f} s)")
    if e.video_id:
        lines.append(f"YouTube-video: {e.video_id}")
    if captions:
        lines.append(captions)
    if e.error:
        lines.append(f"Melding: {e.error}")
    return "\n".join(lines)


class ArchiveScreen(StudioBaseScreen):
    DEFAULT_CSS = """
    #ar-body { padding: 0 1; height: 1fr; }
    #ar-table { height: 1fr; min-height: 6; margin-top: 1; }
    #ar-details { height: auto; margin-top: 1; }
    #ar-progress-row { height: auto; margin-top: 1; }
    #ar-progress-label { width: 1fr; margin-left: 2; }
    #ar-result { height: auto; margin-top: 1; }
    #ar-result.-failed { color: $error; text-style: bold; }
    #ar-buttons { height: auto; margin-top: 1; }
    #ar-buttons Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("archive")  # the panel's key table

    app: StudioApp

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.captions: dict[int, str] = {}
        self.busy = False
        self.cancel = threading.Event()

    def compose_body(self) -> ComposeResult:
        with Vertical(id="ar-body"):
            yield Static("Archief   p = verwerken · y = publiceren · c = controleren · v = verslag · r = vernieuwen"
                         " · o = ondertitels", classes="section-title")
            yield CaptionQueueLine(id="ar-captions-queue")
            table: DataTable[Any] = DataTable(id="ar-table", cursor_type="row", zebra_stripes=True)
            for label, key in (("nr", "id"), ("datum", "date"), ("sessie", "session"), ("duur", "duration"),
                               ("grootte", "size"), ("status", "state")):
                table.add_column(label, key=key)
            yield table
            yield Static("Geen opname gekozen", id="ar-details", markup=False)
            with Horizontal(id="ar-progress-row"):
                yield ProgressBar(total=100, id="ar-progress", show_eta=False)
                yield Static("", id="ar-progress-label", markup=False)
            yield Static("", id="ar-result", markup=False)
            with Horizontal(id="ar-buttons"):
                yield Button("Verwerken (p)", id="ar-process", variant="primary")
                yield Button("Publiceren… (y)", id="ar-publish", variant="warning")
                yield Button("Controleren (c)", id="ar-verify")
                yield Button("Verslag (v)", id="ar-report")

    def on_mount(self) -> None:
        self.query_one("#ar-progress-row").display = False
        self.load()

    # --- loading ---------------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="ar-load", exit_on_error=False)
    def load(self) -> None:
        ctx = self.app.ctx
        entries = archive.entries(ctx)
        self.post_message(EntriesLoaded(entries, {e.id: archive.caption_state(ctx, e.id).line for e in entries}))

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load()  # back from the captions view: the review may have changed

    def on_entries_loaded(self, msg: EntriesLoaded) -> None:
        table = self.query_one("#ar-table", DataTable)
        selected = self.selected_entry()
        keep = selected.id if selected else None
        self.entries = msg.entries
        self.captions = msg.captions
        table.clear()
        for e in msg.entries:
            state = labels.archive_state(e.state, e.truncated)
            table.add_row(str(e.id), e.session_date, e.session_id or "—", labels.duration(e.duration), labels.size(e.size), state,
                          key=str(e.id))
        if keep is not None and any(e.id == keep for e in msg.entries):
            table.move_cursor(row=table.get_row_index(str(keep)))
        self.show_details()
        if not msg.entries:
            self.query_one("#ar-details", Static).update(
                "Het archief is leeg. Opnamen komen hier na 'Opname stoppen', of met 'studio archive add'.")

    def selected_entry(self) -> Entry | None:
        table = self.query_one("#ar-table", DataTable)
        if not self.entries or table.row_count == 0:
            return None
        row = table.cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    @on(DataTable.RowHighlighted, "#ar-table")
    def show_details(self) -> None:
        e = self.selected_entry()
        if e is not None:
            self.query_one("#ar-details", Static).update(entry_details(e, self.captions.get(e.id, "")))

    # --- progress and results ----------------------------------------------------------------------------
    def start_action(self, label: str) -> bool:
        if self.busy:
            self.notify("Er loopt al een actie; wacht tot die klaar is.", severity="warning", markup=False)
            return False
        self.busy = True
        self.cancel.clear()
        self.query_one("#ar-progress-row").display = True
        self.query_one("#ar-progress", ProgressBar).update(progress=0)
        self.query_one("#ar-progress-label", Static).update(label)
        result = self.query_one("#ar-result", Static)
        result.update("")
        result.remove_class("-failed")
        return True

    def on_action_progress(self, msg: ActionProgress) -> None:
        self.query_one("#ar-progress", ProgressBar).update(progress=round(msg.fraction * 100))
        self.query_one("#ar-progress-label", Static).update(msg.label)

    def on_action_done(self, msg: ActionDone) -> None:
        self.busy = False
        self.query_one("#ar-progress-row").display = False
        result = self.query_one("#ar-result", Static)
        result.update(("✗ " if msg.failed else "✓ ") + msg.text)
        result.set_class(msg.failed, "-failed")
        self.load()

    def _progress(self, fraction: float, label: str) -> None:
        self.post_message(ActionProgress(fraction, label))

    def _run(self, what: str, fn: Any) -> None:
        """Run ``fn()`` (in a worker thread) and report its one-line result or its one-line error."""
        try:
            text = fn()
        except StudioError as exc:
            self.post_message(ActionDone(f"{what}: {exc}", failed=True))
        except Exception as exc:  # one line, never a traceback on the panel
            self.post_message(ActionDone(f"{what}: onverwachte fout {type(exc).__name__}: {exc}", failed=True))
        else:
            self.post_message(ActionDone(text))

    # --- actions ---------------------------------------------------------------------------------------
    def action_refresh(self) -> None:
        self.load()

    def action_process(self) -> None:
        e = self.selected_entry()
        if e is not None and self.start_action(f"#{e.id} verwerken…"):
            self.process_worker(e.id)

    @work(thread=True, exclusive=True, group="ar-action", exit_on_error=False)
    def process_worker(self, entry_id: int) -> None:
        def run() -> str:
            return archive.process_summary(
                archive.process(self.app.ctx, entry_id, progress=self._progress, cancel=self.cancel))

        self._run(f"#{entry_id} verwerken", run)

    def action_verify(self) -> None:
        e = self.selected_entry()
        if e is not None and self.start_action(f"#{e.id} controleren…"):
            self.verify_worker(e.id)

    @work(thread=True, exclusive=True, group="ar-action", exit_on_error=False)
    def verify_worker(self, entry_id: int) -> None:
        def run() -> str:
            return archive.verify_summary(archive.verify(self.app.ctx, entry_id), entry_id)

        self._run(f"#{entry_id} controleren", run)

    def action_report(self) -> None:
        e = self.selected_entry()
        if e is None or not e.session_id:
            self.notify("Deze opname hoort bij geen sessie: geen verslag.", severity="warning", markup=False)
            return
        if self.start_action(f"verslag {e.session_id}…"):
            self.report_worker(e.session_id)

    @work(thread=True, exclusive=True, group="ar-action", exit_on_error=False)
    def report_worker(self, session_id: str) -> None:
        def run() -> str:
            md, cs = archive.write_report(self.app.ctx, session_id)
            return f"verslag geschreven: {md} en {cs.name}"

        self._run(f"verslag {session_id}", run)

    def action_captions(self) -> None:
        from studio.tui.screens.archive_captions import CaptionsScreen

        e = self.selected_entry()
        if e is not None:
            self.app.push_screen(CaptionsScreen(e.id, e.title))

    def action_make_captions(self) -> None:
        e = self.selected_entry()
        if e is not None and self.start_action(f"#{e.id} ondertitels in de wachtrij zetten…"):
            self.make_captions_worker(e.id)

    @work(thread=True, exclusive=True, group="ar-action", exit_on_error=False)
    def make_captions_worker(self, entry_id: int) -> None:
        def run() -> str:
            track = archive.caption_track(self.app.ctx, entry_id)
            if track is not None and (track.reviewed or any(c.edited for c in track.cues)):
                raise StudioError(f"#{entry_id} heeft al nagekeken of verbeterde ondertitels",
                                  f"opnieuw maken kan met 'studio archive caption {entry_id} --opnieuw'")
            archive.queue_captions(self.app.ctx, entry_id, again=True)
            return (f"#{entry_id}: ondertitels in de wachtrij; ze worden gemaakt zodra er geen sessie bezig is "
                    "(de voortgang staat bovenaan)")

        self._run(f"#{entry_id} ondertitels", run)

    def action_publish(self) -> None:
        self._publish(None)

    def action_publish_other(self) -> None:
        self._publish(archive.other_mode(self.app.ctx))

    def _publish(self, mode: str | None) -> None:
        e = self.selected_entry()
        if e is not None and self.start_action(f"#{e.id} publicatie voorbereiden…"):
            self.plan_worker(e.id, mode)

    @work(thread=True, exclusive=True, group="ar-action", exit_on_error=False)
    def plan_worker(self, entry_id: int, mode: str | None) -> None:
        def run() -> None:
            plan = archive.publish_plan(self.app.ctx, entry_id, mode)
            question = f"#{entry_id}: " + "\n".join(archive.describe_plan(plan))
            self.post_message(PlanReady(entry_id, plan.mode, question))

        try:
            run()
        except StudioError as exc:
            self.post_message(ActionDone(f"#{entry_id} publiceren: {exc}", failed=True))
        except Exception as exc:
            self.post_message(ActionDone(f"#{entry_id} publiceren: onverwachte fout {type(exc).__name__}: {exc}",
                                         failed=True))

    def on_plan_ready(self, msg: PlanReady) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.query_one("#ar-progress-label", Static).update(f"#{msg.entry_id} publiceren…")
                self.publish_worker(msg.entry_id, msg.mode)
            else:
                self.post_message(ActionDone(f"#{msg.entry_id}: publiceren niet gestart", failed=False))

        self.app.push_screen(ConfirmScreen(msg.question, yes="Publiceren"), answered)

    @work(thread=True, exclusive=True, group="ar-action", exit_on_error=False)
    def publish_worker(self, entry_id: int, mode: str) -> None:
        def run() -> str:
            r = archive.publish(self.app.ctx, entry_id, mode, progress=self._progress, cancel=self.cancel)
            return f"#{entry_id} gepubliceerd: video {r.video_id}"

        self._run(f"#{entry_id} publiceren", run)

    @on(Button.Pressed)
    def on_button(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"ar-process": self.action_process, "ar-publish": self.action_publish,
                   "ar-verify": self.action_verify, "ar-report": self.action_report}
        if event.button.id in actions:
            actions[event.button.id]()

    def on_unmount(self) -> None:
        self.cancel.set()  # an upload stops between chunks and resumes next time
