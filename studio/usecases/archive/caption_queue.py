"""Captions in the background: a queue of jobs that run only while no session is on air.

Why: hearing an hour of speech takes most of both cores for about twenty minutes; while a session is
prepared or on air, OBS needs them (dropped frames are lost for good). So a job runs only while
``on_air_reason`` finds nothing:
- OBS (as far as this run is connected to it) is not recording and not streaming, and
- no session of the show flow is between its check before the show ('preflight') and its recording being
  stopped ('stop_record'): the steps where OBS works for viewers. A session that has not moved for
  ``STALE_AFTER`` (a crash days ago) no longer counts; OBS itself still does.
A running job is watched every few seconds: when a session starts, the job stops at once (within a window
of speech), keeps its checkpoint and goes back in the queue; it goes on after the session from the last
piece it finished. The queue is in SQLite, so it also survives a restart of the panel or the PC.

Jobs come in when the show archives a recording (the archive step), when a recording is processed, and
by hand (Archief: m; ``studio archive caption ID`` runs one at once, in the foreground, with the same rule).

``CaptionQueue`` is the panel's service (``ctx.captions``): one thread, one job at a time. The screens read
the state from the store (``status``), so a job the CLI runs shows in the panel as well.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studio.errors import StudioError
from studio.store import caption_jobs as jobs
from studio.usecases.archive import captions

if TYPE_CHECKING:
    from studio.speech.transcribe import Progress
    from studio.usecases.context import Studio

log = logging.getLogger(__name__)

# The show flow's steps in which OBS works for viewers (studio.usecases.show.STEPS, from the check before
# the show up to the recording being stopped).
ON_AIR_STEPS = ("preflight", "slate", "record", "stream", "live", "on_air", "end_slate", "end_broadcast",
                "stop_record")
STALE_AFTER = 12 * 3600.0  # a session that has not moved for this long is a leftover of a crash
HEARTBEAT = 120.0  # a 'running' job not updated for this long has lost its process: another may take it
MAX_ATTEMPTS = 3  # runs that never ended (the process died with them) before the job is given up
POLL = 10.0  # seconds between looks at the queue when there is nothing to do
WATCH = 3.0  # seconds between looks at the sessions while a job runs
PAUSED_FOR_SHOW = "wacht tot de uitzending voorbij is"


def on_air_reason(sessions: Iterable[Mapping[str, Any]], *, obs_recording: bool = False,
                  obs_streaming: bool = False, now: float | None = None) -> str:
    """Why captions may not run now, in Dutch ('' when they may). Pure: the rule of the module docstring."""
    if obs_streaming:
        return "OBS zendt uit"
    if obs_recording:
        return "OBS neemt op"
    now = time.time() if now is None else now
    for row in sessions:
        if row.get("step") in ON_AIR_STEPS and now - float(row.get("updated_at") or 0.0) < STALE_AFTER:
            return f"sessie {row.get('session_id')} is bezig"
    return ""


def busy_reason(ctx: Studio) -> str:
    """``on_air_reason`` for this studio: its sessions in the store, and OBS if this run is connected to it."""
    from studio.store import session as sessions

    obs = ctx.obs_if_started()
    snap = obs.snapshot if obs is not None else None
    return on_air_reason(sessions.unfinished_sessions(ctx.store),
                         obs_recording=bool(snap and snap.recording), obs_streaming=bool(snap and snap.streaming))


class Paused(StudioError):
    """The job made way (a session started, or the panel closes); it goes on later from its checkpoint."""


def enqueue(ctx: Studio, entry_id: int, *, again: bool = False) -> jobs.Job:
    from studio.store import archive as repo

    entry = repo.get_entry(ctx.store, entry_id)
    if entry is None:
        raise captions.ArchiveError(f"archiefnummer {entry_id} bestaat niet", "zie 'studio archive list'")
    job = jobs.enqueue(ctx.store, entry_id, captions.language_of(entry), again=again)
    service = ctx.captions_if_started()
    if service is not None:
        service.wake()
    return job


def taken_elsewhere(job: jobs.Job, now: float | None = None) -> bool:
    """A run of this job is under way in another process (its heartbeat is recent)."""
    now = time.time() if now is None else now
    return job.state == "running" and now - job.updated_at < HEARTBEAT


def run_job(ctx: Studio, entry_id: int, *, progress: captions.ProgressFn | None = None,
            cancel: threading.Event | None = None, check_language: bool = True, again: bool = False,
            watch: float = WATCH) -> captions.Made:
    """Run one entry's captions now, with the queue's bookkeeping: state, progress and ETA in the store, a
    checkpoint per piece, paused (``Paused``) when a session starts, failed with its Dutch line."""
    from studio.store import archive as repo

    entry = repo.get_entry(ctx.store, entry_id)
    if entry is None:
        raise captions.ArchiveError(f"archiefnummer {entry_id} bestaat niet", "zie 'studio archive list'")
    lang = captions.language_of(entry)
    job = jobs.enqueue(ctx.store, entry_id, lang, again=again)
    if taken_elsewhere(job):
        raise captions.ArchiveError(f"de ondertitels van #{entry_id} worden al gemaakt ({job.progress:.0%})",
                                    "zie het Archief of het Spreekuur-scherm van het paneel")
    reason = busy_reason(ctx)
    if reason:
        raise Paused(f"nu geen ondertitels: {reason}; ondertitelen neemt rekenkracht van OBS weg",
                     "de ondertitels staan in de wachtrij: het paneel maakt ze na de uitzending")
    jobs.start(ctx.store, entry_id, lang)
    stop = threading.Event()
    why: list[str] = []
    done = threading.Event()

    def watcher() -> None:  # a session starting, or the caller cancelling, stops the job
        while not done.wait(watch):
            if cancel is not None and cancel.is_set():
                why.append("onderbroken")
            else:
                try:
                    reason = busy_reason(ctx)
                except Exception:  # the store closing under us: stop like a cancel
                    reason = "onderbroken"
                if reason:
                    why.append(reason)
            if why:
                stop.set()
                return

    beat = [0.0]

    def heard(p: Progress) -> None:
        now = time.monotonic()
        if now - beat[0] >= 2.0 or p.fraction >= 1.0:  # a heartbeat, not a write per segment
            beat[0] = now
            jobs.set_progress(ctx.store, entry_id, lang, p.fraction, p.eta)

    threading.Thread(target=watcher, name=f"captions-watch-{entry_id}", daemon=True).start()
    try:
        made = captions.make(ctx.store, ctx.settings, entry_id, progress=progress, on_progress=heard, cancel=stop,
                             check_language=check_language, again=again,
                             finder_for=lambda lang: captions.privacy_finder(ctx.scrubber, lang))
    except StudioError as exc:
        if stop.is_set():
            detail = PAUSED_FOR_SHOW if why and why[0] != "onderbroken" else "onderbroken; gaat later verder"
            jobs.pause(ctx.store, entry_id, lang, detail)
            raise Paused(f"ondertitelen gepauzeerd: {why[0] if why else 'onderbroken'}",
                         "het gaat later verder waar het was") from None
        jobs.finish(ctx.store, entry_id, lang, "failed", str(exc))
        ctx.store.audit("captions.failed", {"entry": entry_id, "lang": lang}, exc.message)
        raise
    except BaseException as exc:
        jobs.finish(ctx.store, entry_id, lang, "failed", f"onverwachte fout: {type(exc).__name__}")
        raise
    finally:
        done.set()
    jobs.finish(ctx.store, entry_id, lang, "done", captions.summary(made))
    return made


# --- what the screens show -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueStatus:
    running: jobs.Job | None
    queued: int
    waiting_for: str  # '' or why nothing runs now (Dutch)
    failed: tuple[jobs.Job, ...] = ()

    @property
    def line(self) -> str:
        """One Dutch line for the Spreekuur and Archief screens ('' when there is nothing to say)."""
        if self.running is not None:
            j = self.running
            left = f" · {captions.time_left(j.eta)}" if j.eta is not None else ""
            more = f" · daarna nog {self.queued}" if self.queued else ""
            return f"Ondertitels #{j.entry_id} ({j.lang}) worden gemaakt: {j.progress:.0%}{left}{more}"
        if self.queued:
            n = f"{self.queued} opname{'n' if self.queued != 1 else ''}"
            if self.waiting_for:
                return f"Ondertitels voor {n} wachten tot de uitzending voorbij is ({self.waiting_for})"
            return f"Ondertitels voor {n} in de wachtrij"
        return ""


def status(ctx: Studio) -> QueueStatus:
    now = time.time()
    waiting = jobs.waiting(ctx.store)
    running = next((j for j in waiting if taken_elsewhere(j, now)), None)
    queued = [j for j in waiting if j is not running]
    reason = busy_reason(ctx) if queued and running is None else ""
    return QueueStatus(running, len(queued), reason)


# --- the panel's service ---------------------------------------------------------------------------------------
class CaptionQueue:
    """One background thread that runs the queue's jobs one by one while nothing is on air."""

    def __init__(self, ctx: Studio, *, poll: float = POLL, watch: float = WATCH,
                 on_change: Callable[[], None] | None = None) -> None:
        self.ctx = ctx
        self.poll = poll
        self.watch = watch
        self.on_change = on_change
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> CaptionQueue:
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="captions-queue", daemon=True)
                self._thread.start()
        return self

    def wake(self) -> None:
        """Look at the queue now (a job came in, a session ended)."""
        self._wake.set()

    def close(self, timeout: float = 30.0) -> None:
        """Stop: a running job keeps its checkpoint and goes back in the queue."""
        self._stop.set()
        self._cancel.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def next_job(self) -> jobs.Job | None:
        now = time.time()
        for job in jobs.waiting(self.ctx.store):
            if taken_elsewhere(job, now):
                continue
            if job.state == "running" and job.attempts >= MAX_ATTEMPTS:
                # the process died during this job every time: do not let it take the panel down again
                jobs.finish(self.ctx.store, job.entry_id, job.lang, "failed",
                            f"ondertitelen is {job.attempts} keer afgebroken; start het opnieuw met m in het Archief")
                continue
            return job
        return None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self._once()
            except Exception:  # never let the thread die: the next look may work (a store being closed...)
                log.exception("caption queue")
                worked = False
            if not worked:
                self._wake.wait(self.poll)
                self._wake.clear()

    def _once(self) -> bool:
        job = self.next_job()
        if job is None or busy_reason(self.ctx):
            return False
        self._changed()
        try:
            run_job(self.ctx, job.entry_id, cancel=self._cancel, watch=self.watch)
        except Paused:
            pass
        except StudioError as exc:  # stored with the job; the screens show it
            log.info("captions of #%s failed: %s", job.entry_id, exc.message)
        finally:
            self._changed()
        return not self._stop.is_set()

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:
                log.exception("caption queue listener")
