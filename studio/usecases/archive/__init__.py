"""The archive as the panel and the CLI use it: add, list, verify, process, caption, publish, report, prune.

The Archief screen (F6) and `studio archive ...` / `studio publish` / `studio report` call these functions and
only these, so that both say and do the same. Each takes the ``Studio`` and reads its settings there; the
work itself is in the modules beside this one (catalog, process, publishing, report, retention, thumbnail,
handoff, captions and caption_queue), which take the store and plain values so that they can be tested on
their own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from studio.domain import labels
from studio.errors import StudioError
from studio.usecases.context import Studio
from studio.usecases.privacy import PublicationScrub

if TYPE_CHECKING:
    from studio.domain.caption_track import CaptionTrack
    from studio.store.archive import Entry
    from studio.store.caption_jobs import Job
    from studio.store.captions import SearchHit
    from studio.usecases.archive.caption_queue import QueueStatus
    from studio.usecases.archive.captions import Made
    from studio.usecases.archive.catalog import FileCheck
    from studio.usecases.archive.processing import ProcessResult
    from studio.usecases.archive.retention import Due, Kept
    from studio.youtube.publish import PublishPlan, PublishResult

log = logging.getLogger(__name__)
ProgressFn = Callable[[float, str], None]
REPORTS_FOLDER = "verslagen"


def add(ctx: Studio, files: Sequence[str | Path], session_id: str | None = None, *, topic: str | None = None,
        lang: str | None = None) -> Entry:
    """A recording found by hand (after a crash, or from another PC) into the archive."""
    from studio.usecases.archive import catalog

    return catalog.add_recording(ctx.store, files, session_id, topic=topic, lang=lang, settle=2.0)


def entries(ctx: Studio) -> list[Entry]:
    from studio.store import archive as repo

    return repo.list_entries(ctx.store)


@dataclass(frozen=True)
class EntryDetails:
    entry: Entry
    steps: tuple[str, ...]  # publishing steps done
    upload_confirmed: int | None  # bytes YouTube has of an unfinished upload
    upload_size: int | None


def details(ctx: Studio, entry_id: int) -> EntryDetails:
    from studio.store import archive as repo
    from studio.usecases.archive import catalog

    e = catalog.get(ctx.store, entry_id)
    upload = repo.get_upload(ctx.store, e.id)
    return EntryDetails(e, tuple(sorted(repo.publish_steps(ctx.store, e.id))),
                        upload.confirmed if upload else None, upload.file_size if upload else None)


def verify(ctx: Studio, entry_id: int) -> list[FileCheck]:
    from studio.usecases.archive import catalog

    return catalog.verify(ctx.store, entry_id)


def verify_summary(checks: Sequence[FileCheck], entry_id: int) -> str:
    """One line: all files fine, or which are not (raises, so the caller shows it as a failure)."""
    bad = [c for c in checks if not c.ok]
    if bad:
        raise StudioError("; ".join(f"{c.role} {labels.file_name(c.path)}: {c.detail}" for c in bad))
    return f"#{entry_id}: alle {len(checks)} bestand(en) kloppen"


def process(ctx: Studio, entry_id: int, *, progress: ProgressFn | None = None,
            cancel: threading.Event | None = None, allow_silent: bool = False) -> ProcessResult:
    """Verify, cut pre- and post-show at keyframes, remux to MP4; the original is kept as it is."""
    from studio.usecases.archive import processing

    settings = ctx.settings
    result = processing.process(ctx.store, entry_id, progress=progress, cancel=cancel,
                                allow_silent=allow_silent or settings.archive.allow_silent,
                                end_slate_seconds=settings.show.end_slate_seconds)
    from studio.usecases.archive import captions

    try:
        captions.rewrite_files(ctx.store, entry_id)  # captions made before: now also beside the processed file
    except StudioError as exc:  # the processing itself is done and fine; the captions say so when published
        log.warning("captions beside the processed file of #%s: %s", entry_id, exc.message)
    queue_captions(ctx, entry_id)  # processed: its captions next, once nothing is on air (no-op if done)
    return result


def process_summary(r: ProcessResult) -> str:
    extra = f" · let op: {'; '.join(r.warnings)}" if r.warnings else ""
    return f"#{r.entry.id} verwerkt: {labels.duration(r.entry.processed_duration)} ({r.cut.reason}){extra}"


def publish_plan(ctx: Studio, entry_id: int, mode: str | None = None, *, unreviewed: bool = False) -> PublishPlan:
    """What publishing this entry still takes, and what it costs in quota (shown before it runs). Waits for
    reviewed captions unless ``unreviewed`` (raises ArchiveError saying so)."""
    from studio.usecases.archive import publishing
    from studio.youtube import publish as yt

    pub = publishing.prepare(ctx.store, ctx.settings, entry_id, mode, scrub=PublicationScrub(ctx),
                             with_captions=True, unreviewed=unreviewed)
    return yt.plan(ctx.store, ctx.youtube.api, pub)


def describe_plan(plan: PublishPlan) -> list[str]:
    """The plan in Dutch, one line each: what is done how, what is left, what it costs."""
    from studio.youtube import publish as yt
    from studio.youtube.quota import sheet_lines, usage_lines

    how = "de opname van de uitzending bijwerken" if plan.mode == "update" else "het verwerkte bestand uploaden"
    lines = [f"Publiceren: {how}.",
             f"Nog te doen: {', '.join(yt.STEP_LABELS[s] for s in plan.todo) or 'niets meer'}."]
    if plan.done:
        lines.append(f"Al gedaan: {', '.join(yt.STEP_LABELS[s] for s in plan.done)}.")
    if plan.captions:
        names = ", ".join({"nl": "Nederlands", "ar": "Arabisch"}.get(lang, lang) for lang in plan.captions)
        lines.append(f"Ondertitels: {names}" + (" (NIET nagekeken: --unreviewed; het verslag vermeldt dat)."
                                                if plan.unreviewed else " (nagekeken)."))
    if plan.captions_missing:
        lines.append("LET OP: de video gaat zonder ondertitels online (--unreviewed); het verslag vermeldt dat.")
    lines.append(f"Quotumkosten: {plan.cost} eenheden van het dagquotum (vandaag {plan.used_today} van "
                 f"{plan.limit} gebruikt).")
    if plan.todo:
        lines.append("Per aanroep, met het quotum waar hij van afgaat:")
        lines += sheet_lines(plan.sheet)
    if plan.usage is not None:
        lines += [f"Vandaag: {line}" for line in usage_lines(plan.usage)]
    if not plan.fits:
        lines.append("LET OP: het quotum van vandaag is hiervoor niet genoeg.")
    return lines


def publish(ctx: Studio, entry_id: int, mode: str | None = None, *, progress: ProgressFn | None = None,
            cancel: threading.Event | None = None, confirm: Callable[[PublishPlan], bool] | None = None,
            unreviewed: bool = False) -> PublishResult:
    """Prepare, show the plan (``confirm(plan)`` may refuse), run the steps that are left, the caption tracks
    among them. Waits for reviewed captions unless ``unreviewed``."""
    from studio.usecases.archive import publishing

    service = ctx.youtube
    if unreviewed:
        ctx.store.audit("publish.unreviewed", {"entry": entry_id})
    return publishing.publish(ctx.store, ctx.settings, service.api, entry_id, mode, scrub=PublicationScrub(ctx),
                              progress=progress, cancel=cancel, confirm=confirm, endpoint=service.endpoint,
                              with_captions=True, unreviewed=unreviewed)


def other_mode(ctx: Studio) -> str:
    """The publishing mode that is not the configured one (the Archief screen's 'U')."""
    return "upload" if ctx.settings.youtube.publish_mode == "update" else "update"


def write_report(ctx: Studio, session_id: str, folder: Path | None = None) -> tuple[Path, Path]:
    """The session report as Markdown and CSV (default folder: <data dir>/verslagen)."""
    from studio.usecases.archive import report
    from studio.usecases.moderation import canned_reply_texts

    return report.write(ctx.store, session_id, folder or ctx.settings.data_dir / REPORTS_FOLDER, PublicationScrub(ctx),
                        canned_reply_texts(ctx))


def prune(ctx: Studio, *, dry_run: bool = False) -> tuple[list[Due], list[Kept]]:
    """Remove what is past [archive] retention (never what is unpublished); what was (or would be) removed."""
    from studio.usecases.archive import retention

    a = ctx.settings.archive
    _due, kept = retention.plan(ctx.store, a.keep_originals_days, a.keep_processed_days)
    done = retention.prune(ctx.store, a.keep_originals_days, a.keep_processed_days, dry_run=dry_run)
    return done, kept


# --- captions ---------------------------------------------------------------------------------------------------
def caption(ctx: Studio, entry_id: int, *, progress: ProgressFn | None = None,
            cancel: threading.Event | None = None, check_language: bool = True, again: bool = False) -> Made:
    """Make the entry's captions now (`studio archive caption ID`), in the foreground: refused while a session
    is on air (the job then waits in the queue for the panel); goes on from a checkpoint when there is one."""
    from studio.usecases.archive import caption_queue

    return caption_queue.run_job(ctx, entry_id, progress=progress, cancel=cancel, check_language=check_language,
                                 again=again)


def caption_summary(made: Made) -> str:
    from studio.usecases.archive.captions import summary

    return summary(made)


def queue_captions(ctx: Studio, entry_id: int, *, again: bool = False) -> Job:
    """Put the entry's captions in the background queue (once; ``again``: also when made or failed before)."""
    from studio.usecases.archive import caption_queue

    return caption_queue.enqueue(ctx, entry_id, again=again)


def caption_status(ctx: Studio) -> QueueStatus:
    """What the background captions are doing, for the Spreekuur and Archief screens (``.line``)."""
    from studio.usecases.archive import caption_queue

    return caption_queue.status(ctx)


def start_caption_queue(ctx: Studio) -> None:
    """The panel's background captions: runs queued jobs whenever no session is on air."""
    ctx.captions.start()


@dataclass(frozen=True)
class CaptionState:
    """The entry's captions in one Dutch line, and the track when there is one."""

    line: str
    track: CaptionTrack | None
    job: Job | None


def caption_state(ctx: Studio, entry_id: int) -> CaptionState:
    from studio.store import caption_jobs
    from studio.usecases.archive import captions

    e = catalog_entry(ctx, entry_id)
    lang = captions.language_of(e)
    track = captions.get_track(ctx.store, entry_id, lang)
    job = caption_jobs.get(ctx.store, entry_id, lang)
    if track is not None:
        check = len(track.to_check())
        state = "nagekeken" if track.reviewed else (f"{check} om na te kijken" if check else "nog niet nagekeken")
        line = f"Ondertitels ({lang}): {len(track.cues)} ondertitels, {state}"
        if job is not None and job.state in ("queued", "running"):
            line += " · worden opnieuw gemaakt"
    elif job is None:
        line = "Ondertitels: nog niet gemaakt (m = maken)"
    elif job.state == "failed":
        line = f"Ondertitels: niet gelukt: {job.detail}"
    elif job.state == "running":
        line = f"Ondertitels: worden gemaakt ({job.progress:.0%})"
    else:
        line = "Ondertitels: in de wachtrij" + (f" ({job.detail})" if job.detail else "")
    return CaptionState(line, track, job)


def catalog_entry(ctx: Studio, entry_id: int) -> Entry:
    from studio.usecases.archive import catalog

    return catalog.get(ctx.store, entry_id)


def caption_track(ctx: Studio, entry_id: int) -> CaptionTrack | None:
    from studio.usecases.archive import captions

    return captions.get_track(ctx.store, entry_id)


def edit_caption(ctx: Studio, entry_id: int, index: int, text: str) -> CaptionTrack:
    """A cue's new text (its time stays); personal details in it are marked again; the review starts over."""
    from studio.usecases.archive import captions

    lang = captions.language_of(catalog_entry(ctx, entry_id))
    finder = captions.privacy_finder(ctx.scrubber, lang, wait=10.0)
    return captions.change(ctx.store, entry_id, lang, lambda t: t.edit(index, text, finder), "edited")


def remove_caption(ctx: Studio, entry_id: int, index: int) -> CaptionTrack:
    """Drop a cue (the model heard words where nobody spoke)."""
    from studio.usecases.archive import captions

    return captions.change(ctx.store, entry_id, None, lambda t: t.remove(index), "removed")


def approve_captions(ctx: Studio, entry_id: int) -> CaptionTrack:
    """Mark the captions reviewed: publishing may send them."""
    from studio.usecases.archive import captions

    return captions.change(ctx.store, entry_id, None, lambda t: t.mark_reviewed(), "reviewed")


def search_captions(ctx: Studio, words: str, entry_id: int | None = None) -> list[SearchHit]:
    """Cues with all these words (`studio archive show ID --zoek ...`), in time order."""
    from studio.store import captions as stored

    return stored.search(ctx.store, words, entry_id)
