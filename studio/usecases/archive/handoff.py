"""The recording hand-off: what the show flow calls once OBS has finished a recording.

``archive_recording(ctx, path, session_id)`` is called after ``Obs.stop_record()`` returned, i.e.
after OBS reported the output stopped and the file stopped growing; it never touches a file OBS is still
writing. It catalogues the file (checksum, probe, sidecar) under the session; processing and publishing
are separate staff actions.

``SceneMarks`` records the program scene switches of a session (StateChanged events of the supervisor)
in the store: they decide where the pre-show ends, where the show ends, and some chapters. It also notes
stream-health incidents (stream reconnecting, OBS connection lost) for the session report.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from studio.store import Store
from studio.store import archive as repo
from studio.usecases.archive import catalog
from studio.usecases.archive.catalog import ArchiveError
from studio.usecases.context import Studio


def archive_recording(ctx: Studio, path: str | Path | Sequence[str | Path], session_id: str | None,
                      *, record_started_at: float | None = None) -> repo.Entry:
    """Catalogue a finished recording (one file, or the split files in order) for ``session_id``."""
    paths = [Path(path)] if isinstance(path, str | Path) else [Path(p) for p in path]
    store = ctx.store
    if record_started_at is None and session_id:
        row = _session(store, session_id)
        if row and row.get("record_started_at"):
            record_started_at = float(row["record_started_at"])
    obs = ctx.obs_if_started()  # only if the panel already connected: never start OBS here
    if obs is not None:
        snapshot = obs.snapshot
        if snapshot.recording and snapshot.record_path and Path(snapshot.record_path) in paths:
            raise ArchiveError("OBS schrijft nog aan deze opname", "stop eerst de opname")
    try:
        entry = catalog.add_recording(store, paths, session_id, record_started_at=record_started_at)
    except Exception as exc:
        store.audit("archive.handoff", {"session": session_id, "files": [str(p) for p in paths]},
                    getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")
        raise
    store.audit("archive.handoff", {"session": session_id, "entry": entry.id})
    return entry


def _session(store: Store, session_id: str) -> dict[str, Any] | None:
    from studio.store import session as sessions

    try:
        return sessions.get_session(store, session_id)
    except Exception:
        return None


STREAM_INCIDENTS = {
    "OBS_WEBSOCKET_OUTPUT_RECONNECTING": "stream onderbroken: OBS verbindt opnieuw",
    "OBS_WEBSOCKET_OUTPUT_RECONNECTED": "stream hersteld",
}


class SceneMarks:
    """A supervisor listener that stores each change of the program scene for the session."""

    def __init__(self, store: Store, session_id: str, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.session_id = session_id
        self.clock = clock
        self._last: str | None = None
        self._connection = ""
        self._lock = threading.Lock()

    def __call__(self, event: Any) -> None:
        name = getattr(event, "name", None)
        if name is not None:  # an ObsEvent: stream health for the session report
            what = STREAM_INCIDENTS.get(str((getattr(event, "data", {}) or {}).get("outputState", "")))
            if name == "StreamStateChanged" and what:
                self.incident(what)
            return
        snapshot = getattr(event, "snapshot", None)
        if snapshot is None:
            return
        connection = getattr(getattr(snapshot, "connection", None), "name", "")
        with self._lock:
            lost = connection == "LOST" and self._connection != "LOST"
            back = connection == "CONNECTED" and self._connection == "LOST"
            self._connection = connection or self._connection
        if lost:
            self.incident("verbinding met OBS kwijt", str(getattr(snapshot, "reason", "") or ""))
        elif back:
            self.incident("verbinding met OBS hersteld")
        scene = getattr(snapshot, "program_scene", None)
        if not scene:
            return
        with self._lock:
            if scene == self._last:
                return
            self._last = scene
        repo.add_mark(self.store, self.session_id, self.clock(), "scene", scene)

    def incident(self, what: str, detail: str = "") -> None:
        """A stream-health incident for the session report (dropped frames, stream lost, reconnect...)."""
        repo.add_mark(self.store, self.session_id, self.clock(), "incident", what, detail)


def record_scene_marks(ctx: Studio, session_id: str) -> tuple[SceneMarks, Callable[[], None]]:
    """Start storing scene switches of ``session_id``; returns the recorder and the unsubscribe function."""
    from studio.obs.state import StateChanged

    marks = SceneMarks(ctx.store, session_id)
    unsubscribe = ctx.obs.add_listener(marks)
    marks(StateChanged(ctx.obs.snapshot))  # the scene on air right now is the first mark
    return marks, unsubscribe
