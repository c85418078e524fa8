"""The OBS connection supervisor: one object owns the obsws-python clients and never lies about the connection.

What it adds to obsws-python (whose quirks are in docs/obs-notes.md; the library itself is wrapped in
studio.obs.wire):
- one ReqClient, every request serialised by a lock (obsws-python matches no reply ids); after a timeout or
  a broken socket the client is thrown away, never reused (a late reply would be read as the next answer);
- one EventClient (LOW_VOLUME | INPUTVOLUMEMETERS) whose reader thread is watched: when it ends, the
  connection is lost at once; a heartbeat (GetStats) catches a half-open connection;
- reconnecting with a short, capped backoff, then a full resync (scenes, program scene, inputs with kind and
  mute, stream and record status) published as one StateChanged;
- every library error becomes an ObsError with a Dutch line a technician can act on;
- listeners get StateChanged / MetersUpdated / ObsEvent from one dispatcher thread, in order.

Why this file is longer than 400 lines: connecting, resyncing, dispatching events and waiting for an output's
own event all hang on one state lock and one connection generation (events of an older connection are
ignored); keeping them together keeps that invariant in one place. The library glue is in studio.obs.wire and
the named operations in studio.obs.commands.

The password and stream key are never logged: obsws-python's own logger (which prints the password when
connecting) is silenced here.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import obsws_python as obsws

from studio.obs import wire
from studio.obs.errors import (
    ObsAuthFailed,
    ObsError,
    ObsRequestFailed,
    ObsTimeout,
    ObsUnreachable,
)
from studio.obs.reduce import (
    apply_event,
    levels_from,
    replace,
    scene_names,
    stats_from,
)
from studio.obs.state import (
    Capabilities,
    Connection,
    Event,
    InputInfo,
    MetersUpdated,
    ObsEvent,
    ObsSnapshot,
    StateChanged,
    Stats,
)

if TYPE_CHECKING:
    from studio.config import ObsSettings

log = logging.getLogger(__name__)
# obsws-python logs the password at INFO when it connects and a traceback for every refused connection.
logging.getLogger("obsws_python").setLevel(logging.CRITICAL + 1)

Listener = Callable[[Event], None]


_BACKOFF_FIRST = 0.25
_BACKOFF_MAX = 1.0  # a refused connect on the studio PC costs nothing; being back quickly matters more
_BACKOFF_AUTH = 5.0  # a wrong password will not fix itself every second
_HEARTBEAT_TIMEOUT_MAX = 1.5  # a half-open connection must show as lost within ~2 s

class Waiter:
    """Waits for the first OBS event of one name whose data satisfies a predicate."""

    def __init__(self, name: str, predicate: Callable[[Mapping[str, Any]], bool]) -> None:
        self.name = name
        self.predicate = predicate
        self.data: Mapping[str, Any] | None = None
        self.done = threading.Event()


class ObsSupervisor:
    """Owns the connection to OBS. ``start()`` it once; it connects and reconnects by itself until ``close()``."""

    def __init__(self, host: str, port: int, password: str, *, connect_timeout: float = 3.0,
                 request_timeout: float = 3.0, heartbeat_interval: float = 0.5) -> None:
        self.host = host
        self.port = port
        self._password = password
        self.connect_timeout = connect_timeout
        self.request_timeout = request_timeout
        self.heartbeat_interval = heartbeat_interval
        self._heartbeat_timeout = min(request_timeout, _HEARTBEAT_TIMEOUT_MAX)

        self._req_lock = threading.Lock()  # one request at a time on the ReqClient
        self._state_lock = threading.RLock()  # snapshot, generation, waiters
        self._connected_cond = threading.Condition(self._state_lock)
        self._req: Any = None
        self._events: Any = None
        self._gen = 0  # connection generation: callbacks of an older connection are ignored
        self._snapshot = ObsSnapshot(Connection.CONNECTING, reason=f"verbinden met OBS op {host}:{port}…")
        self._last_error: ObsError | None = None
        self._resyncing = False
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._waiters: list[Waiter] = []
        self._record_file = ""  # RecordFileChanged (obs-websocket >= 5.5)
        self._last_stats: Stats | None = None

        self._listeners: list[Listener] = []
        self._queue: queue.SimpleQueue[Event | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._resync_wanted = threading.Event()
        self._thread: threading.Thread | None = None
        self._dispatcher: threading.Thread | None = None

    @classmethod
    def from_settings(cls, obs: ObsSettings) -> ObsSupervisor:
        return cls(obs.host, obs.port, obs.password, connect_timeout=obs.connect_timeout,
                   request_timeout=obs.request_timeout, heartbeat_interval=obs.heartbeat_interval)

    def __repr__(self) -> str:  # never the password
        return f"ObsSupervisor({self.host}:{self.port}, {self._snapshot.connection.value})"

    # -- life cycle ------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._dispatcher = threading.Thread(target=self._dispatch_loop, name="obs-dispatch", daemon=True)
        self._dispatcher.start()
        self._thread = threading.Thread(target=self._run, name="obs-supervisor", daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self.connect_timeout * 2 + 2)
        self._drop(None, "gestopt", Connection.STOPPED)
        self._queue.put(None)
        if self._dispatcher is not None and self._dispatcher is not threading.current_thread():
            self._dispatcher.join(5)

    def __enter__(self) -> ObsSupervisor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait_connected(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._connected_cond:
            while self._snapshot.connection is not Connection.CONNECTED:
                left = deadline - time.monotonic()
                if left <= 0 or self._stop.is_set():
                    return False
                self._connected_cond.wait(left)
            return True

    def ensure_connected(self, timeout: float | None = None) -> None:
        """Start if needed and wait for the connection; raise the reason (ObsAuthFailed, ObsUnreachable...)."""
        self.start()
        deadline = time.monotonic() + (self.connect_timeout + 1.0 if timeout is None else timeout)
        with self._connected_cond:
            while self._snapshot.connection is not Connection.CONNECTED:
                left = deadline - time.monotonic()
                # A refused password will not change by waiting; OBS still starting up might.
                if left <= 0 or isinstance(self._last_error, ObsAuthFailed) or self._stop.is_set():
                    raise self._last_error or ObsUnreachable(self._unreachable_text())
                self._connected_cond.wait(left)

    @property
    def snapshot(self) -> ObsSnapshot:
        return self._snapshot

    @property
    def capabilities(self) -> Capabilities:
        return self._snapshot.capabilities

    @property
    def last_stats(self) -> Stats | None:
        """The heartbeat's latest GetStats (no request needed), None before the first one."""
        return self._last_stats

    def add_listener(self, fn: Listener) -> Callable[[], None]:
        with self._state_lock:
            self._listeners = [*self._listeners, fn]

        def unsubscribe() -> None:
            with self._state_lock:
                self._listeners = [f for f in self._listeners if f is not fn]

        return unsubscribe

    # -- requests --------------------------------------------------------------------------------
    def request(self, name: str, **data: Any) -> dict[str, Any]:
        """Any obs-websocket request by name (camelCase fields); the response data, {} when there is none."""
        return self._request(name, data, self.request_timeout)

    def _request(self, name: str, data: Mapping[str, Any] | None, timeout: float) -> dict[str, Any]:
        with self._req_lock:
            client, gen = self._req, self._gen
            if client is None:
                raise self._last_error or ObsUnreachable(self._unreachable_text())
            try:
                return self._call(client, name, data, timeout)
            except (ObsTimeout, ObsUnreachable) as exc:
                self._drop(gen, exc.message, Connection.LOST, exc)
                raise

    def _call(self, client: Any, name: str, data: Mapping[str, Any] | None, timeout: float) -> dict[str, Any]:
        """One request on one client, errors translated. Caller holds the request lock (or owns the client)."""
        return wire.call(client, name, data, timeout)

    # -- for the commands (studio.obs.commands): waiting for an output's own word -----------------------
    @property
    def record_file(self) -> str:
        """The file OBS said it records to (RecordFileChanged, obs-websocket 5.5+); '' when not told."""
        return self._record_file

    def note_record_path(self, path: str) -> None:
        """The finished recording's path, into the snapshot (the panel shows it)."""
        with self._state_lock:
            self._set_snapshot(replace(self._snapshot, record_path=path))

    def note_stats(self, stats: Stats) -> None:
        self._last_stats = stats

    def await_output(self, waiter: Waiter, status_request: str, active: bool,
               deadline: float) -> Mapping[str, Any] | None:
        """The waited-for event's data; or, when events got lost, {} once the status request agrees."""
        polls = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if waiter.done.wait(min(left, 0.5)):
                if waiter.data is None:  # released because the connection dropped
                    raise self._last_error or ObsUnreachable(self._unreachable_text())
                return waiter.data
            polls += 1
            if polls >= 2 and self._poll_active(status_request) is active:
                # Confirmed by polling; give a late event a moment to bring the output path.
                waiter.done.wait(0.2)
                return waiter.data if waiter.data is not None else {}

    def _poll_active(self, status_request: str) -> bool | None:
        try:
            return bool(self.request(status_request).get("outputActive"))
        except ObsError:
            return None

    def expect(self, name: str, predicate: Callable[[Mapping[str, Any]], bool]) -> Waiter:
        """Start listening for event ``name`` BEFORE sending the request that causes it (no race)."""
        waiter = Waiter(name, predicate)
        with self._state_lock:
            self._waiters.append(waiter)
        return waiter

    def unexpect(self, waiter: Waiter) -> None:
        with self._state_lock, contextlib.suppress(ValueError):
            self._waiters.remove(waiter)

    # -- the supervisor thread ---------------------------------------------------------------------
    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            if self._req is None:
                try:
                    self._connect()
                    attempt = 0
                    continue
                except ObsError as exc:
                    self._last_error = exc
                    self._set_lost(str(exc))
                    delay = _BACKOFF_AUTH if isinstance(exc, ObsAuthFailed) else min(
                        _BACKOFF_MAX, _BACKOFF_FIRST * (2**attempt))
                    attempt += 1
                    self._stop.wait(delay)
                    continue
            self._wake.wait(self.heartbeat_interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            if self._req is None:
                continue
            events = self._events
            if events is not None and not events.worker.is_alive():
                self._drop(self._gen, "verbinding met OBS verbroken", Connection.LOST)
                continue
            if self._resync_wanted.is_set():
                self._resync_wanted.clear()
                gen = self._gen
                try:
                    self._resync()
                except ObsRequestFailed:
                    self._resync_wanted.set()  # e.g. 207 NotReady while OBS loads the collection: retry
                except ObsError as exc:  # timeout or broken socket: this client cannot be trusted any more
                    self._drop(gen, exc.message, Connection.LOST, exc)
                continue
            with contextlib.suppress(ObsError):  # a failure drops the connection and sets the reason
                self._last_stats = stats_from(self._request("GetStats", None, self._heartbeat_timeout))

    def _connect(self) -> None:
        gen = self._gen + 1
        req = wire.open_client(obsws.ReqClient, self.host, self.port, self._password, self.connect_timeout)
        try:
            events = wire.open_client(
                lambda **kw: wire.EventClient(lambda name, data: self._on_event(gen, name, data),
                                          lambda: self._on_events_closed(gen), **kw),
                self.host, self.port, self._password, self.connect_timeout,
                subs=obsws.Subs.LOW_VOLUME | obsws.Subs.INPUTVOLUMEMETERS,
            )
        except BaseException:
            wire.close_ws(req)
            raise
        with self._req_lock, self._state_lock:
            closing = self._stop.is_set()
            if not closing:
                self._req, self._events, self._gen = req, events, gen
        if closing:
            wire.close_ws(req)
            wire.close_ws(events)
            raise ObsUnreachable("gestopt")
        try:
            self._resync()
        except ObsError as exc:
            self._drop(gen, exc.message, Connection.LOST, exc)
            raise
        self._last_error = None
        log.info("verbonden met OBS %s op %s:%s", self._snapshot.capabilities.obs_version, self.host, self.port)

    def _resync(self) -> None:
        """Read the whole state from OBS; events arriving meanwhile are applied on top afterwards."""
        with self._state_lock:
            self._resyncing = True
            self._pending = []
        try:
            with self._req_lock:
                client = self._req
                if client is None:
                    raise ObsUnreachable(self._unreachable_text())

                def call(name: str, **data: Any) -> dict[str, Any]:
                    return self._call(client, name, data, self.request_timeout)

                version = call("GetVersion")
                kinds = call("GetInputKindList", unversioned=False).get("inputKinds", [])
                scene_list = call("GetSceneList")
                inputs: dict[str, InputInfo] = {}
                for item in call("GetInputList").get("inputs", []):
                    name, kind = str(item["inputName"]), str(item.get("inputKind") or "")
                    inputs[name] = InputInfo(name, kind, wire.muted(call, name))
                stream = call("GetStreamStatus")
                record = call("GetRecordStatus")
        except BaseException:
            with self._state_lock:
                self._resyncing = False
                self._pending = []
            raise
        caps = Capabilities(
            obs_version=str(version.get("obsVersion", "")),
            websocket_version=str(version.get("obsWebSocketVersion", "")),
            platform=str(version.get("platform", "")),
            available_requests=frozenset(version.get("availableRequests", [])),
            input_kinds=frozenset(kinds),
            image_formats=frozenset(version.get("supportedImageFormats", [])),
            rpc_version=int(version.get("rpcVersion", 0)),
        )
        snap = ObsSnapshot(
            connection=Connection.CONNECTED,
            reason="",
            capabilities=caps,
            scenes=scene_names(scene_list.get("scenes", [])),
            program_scene=scene_list.get("currentProgramSceneName"),
            inputs=MappingProxyType(inputs),
            streaming=bool(stream.get("outputActive")),
            stream_timecode=str(stream.get("outputTimecode", "")),
            recording=bool(record.get("outputActive")),
            record_paused=bool(record.get("outputPaused")),
            record_timecode=str(record.get("outputTimecode", "")),
            record_path=self._snapshot.record_path,
        )
        with self._state_lock:
            for name, data in self._pending:
                snap = apply_event(snap, name, data)
            self._pending = []
            self._resyncing = False
            self._set_snapshot(snap)

    def _drop(self, gen: int | None, reason: str, state: Connection, error: ObsError | None = None) -> None:
        """Throw the clients of connection ``gen`` away (None: whatever is current) and publish the state."""
        with self._state_lock:
            if gen is not None and gen != self._gen:
                return
            req, events = self._req, self._events
            self._req = self._events = None
            self._gen += 1
            if error is not None:
                self._last_error = error
            self._set_snapshot(replace(self._snapshot, connection=state, reason=reason,
                                        streaming=False, recording=False, record_paused=False))
            waiters = list(self._waiters)
        for w in waiters:  # nobody keeps waiting for an event of a dead connection
            w.done.set()
        if req is not None or events is not None:
            log.info("OBS-verbinding: %s", reason)
        wire.close_ws(req)
        wire.close_ws(events)
        self._wake.set()

    def _set_lost(self, reason: str) -> None:
        with self._state_lock:
            if self._snapshot.connection is Connection.LOST and self._snapshot.reason == reason:
                return
            self._set_snapshot(replace(self._snapshot, connection=Connection.LOST, reason=reason))

    def _unreachable_text(self) -> str:
        return f"OBS draait niet of de WebSocket-server staat uit ({self.host}:{self.port})"

    # -- events ----------------------------------------------------------------------------------
    def _on_events_closed(self, gen: int) -> None:
        if not self._stop.is_set():
            self._drop(gen, "verbinding met OBS verbroken", Connection.LOST)

    def _on_event(self, gen: int, name: str, data: dict[str, Any]) -> None:
        if gen != self._gen:
            return
        if name == "InputVolumeMeters":
            self._queue.put(MetersUpdated(levels_from(data)))
            return
        if name == "RecordFileChanged":
            self._record_file = str(data.get("newOutputPath", ""))
        with self._state_lock:
            for w in self._waiters:
                if w.name == name and not w.done.is_set() and w.predicate(data):
                    w.data = data
                    w.done.set()
            if self._resyncing:
                self._pending.append((name, data))
            else:
                self._set_snapshot(apply_event(self._snapshot, name, data))
            self._queue.put(ObsEvent(name, MappingProxyType(data)))
        if name == "ExitStarted":
            self._drop(gen, "OBS wordt afgesloten", Connection.LOST,
                       ObsUnreachable("OBS is afgesloten", "start OBS opnieuw; het paneel verbindt vanzelf"))
        elif name in ("CurrentSceneCollectionChanged", "CurrentProfileChanged"):
            self._resync_wanted.set()
            self._wake.set()

    def _set_snapshot(self, snap: ObsSnapshot) -> None:
        """Caller holds the state lock: replace the snapshot and publish it, in order, when it changed."""
        if snap == self._snapshot:
            return
        self._snapshot = snap
        self._queue.put(StateChanged(snap))
        self._connected_cond.notify_all()

    def _dispatch_loop(self) -> None:
        while True:
            event = self._queue.get()
            if event is None:
                return
            for fn in self._listeners:
                try:
                    fn(event)
                except Exception:
                    log.exception("fout in een luisteraar naar OBS")
