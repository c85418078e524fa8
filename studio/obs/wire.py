"""obsws-python on the wire: the studio's event client, connecting, one request, and every library error translated.

obsws-python 1.8 has no reconnection, is not thread-safe, matches event callbacks by function name and raises
whatever its socket layer raises (the pitfalls are in docs/obs-notes.md). This module hides that: the
supervisor (studio.obs.supervisor) gets raw event dicts, ``ObsError`` subclasses with a Dutch line, and a
socket that can be dropped at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

import obsws_python as obsws
from obsws_python.error import OBSSDKError, OBSSDKRequestError, OBSSDKTimeoutError
from websocket import WebSocketException, WebSocketTimeoutException

from studio.obs.errors import ObsAuthFailed, ObsRequestFailed, ObsTimeout, ObsUnreachable

log = logging.getLogger(__name__)

# Lower-level failures that mean "the connection is gone" (JSONDecodeError: OBS closed cleanly).
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # ConnectionRefusedError, ConnectionResetError, socket.gaierror, BrokenPipeError
    WebSocketException,  # WebSocketConnectionClosedException, WebSocketAddressException, bad handshake
    json.JSONDecodeError,
    KeyError,  # a malformed or unexpected frame (e.g. an event read as a reply)
    TypeError,
)
CONNECT_ERRORS: tuple[type[BaseException], ...] = (*CONNECTION_ERRORS, ValueError)


class RawCallback:
    """Replaces obsws-python's Callback (which matches function names and builds dataclasses): raw dicts."""

    def __init__(self, dispatch: Callable[[str, dict[str, Any]], None]) -> None:
        self._dispatch = dispatch

    def trigger(self, event: str, data: dict[str, Any]) -> None:
        try:
            self._dispatch(event, data)
        except Exception:  # a bug in a handler must not end the reader thread
            log.exception("fout bij het verwerken van OBS-gebeurtenis %s", event)


class EventClient(obsws.EventClient):
    """EventClient that hands raw events to the supervisor and reports when its reader thread ends."""

    def __init__(self, dispatch: Callable[[str, dict[str, Any]], None], on_closed: Callable[[], None],
                 **kwargs: Any) -> None:
        self._studio_dispatch = dispatch
        self._studio_on_closed = on_closed
        super().__init__(**kwargs)

    def subscribe(self) -> None:
        self.callback = RawCallback(self._studio_dispatch)
        super().subscribe()

    def trigger(self, stop_event: threading.Event) -> None:
        try:
            super().trigger(stop_event)
        except Exception as exc:
            log.debug("OBS-gebeurtenissen gestopt: %s", type(exc).__name__)
        finally:
            self._studio_on_closed()


def close_ws(client: Any) -> None:
    """Drop a client's socket at once (no close handshake: the peer may be gone or hanging)."""
    ws = getattr(getattr(client, "base_client", None), "ws", None)
    if ws is None:
        return
    with contextlib.suppress(Exception):
        ws.abort()
    with contextlib.suppress(Exception):
        ws.shutdown()


def call(client: Any, name: str, data: Mapping[str, Any] | None, timeout: float) -> dict[str, Any]:
    """One request on one client (the caller makes sure nobody else uses it meanwhile), errors translated."""
    try:
        ws = client.base_client.ws
        if ws.gettimeout() != timeout:
            ws.settimeout(timeout)
        response = client.base_client.req(name, dict(data) if data else None)
        status = response["requestStatus"]
    except (OBSSDKTimeoutError, WebSocketTimeoutException, TimeoutError):
        raise ObsTimeout(f"OBS antwoordt niet op {name} binnen {timeout:g} s") from None
    except CONNECTION_ERRORS as exc:
        raise ObsUnreachable(f"verbinding met OBS verbroken ({type(exc).__name__})") from None
    if response.get("requestType") not in (None, name):
        raise ObsUnreachable("OBS gaf een antwoord op een ander verzoek") from None
    if not status.get("result"):
        raise ObsRequestFailed(name, int(status.get("code", 0)), str(status.get("comment") or ""))
    result = response.get("responseData") or {}
    return dict(result)


def open_client(factory: Callable[..., Any], host: str, port: int, password: str, timeout: float,
          **kwargs: Any) -> Any:
    """Connect and identify, with obsws-python's exceptions turned into ObsError."""
    where = f"{host}:{port}"
    try:
        return factory(host=host, port=port, password=password, timeout=timeout, **kwargs)
    except OBSSDKTimeoutError:
        raise ObsTimeout(f"OBS op {where} antwoordt niet bij het verbinden") from None
    except OBSSDKRequestError as exc:
        raise ObsRequestFailed("Identify", exc.code) from None
    except OBSSDKError as exc:
        if "no password" in str(exc):
            raise ObsAuthFailed("OBS vraagt een wachtwoord maar er is er geen ingesteld") from None
        raise ObsAuthFailed(f"wachtwoord klopt niet (OBS op {where} weigert de verbinding)") from None
    except (WebSocketTimeoutException, TimeoutError):
        raise ObsTimeout(f"OBS op {where} antwoordt niet bij het verbinden",
                         "controleer host en poort in [obs]; hangt OBS?") from None
    except CONNECT_ERRORS:
        raise ObsUnreachable(f"OBS draait niet of de WebSocket-server staat uit ({where})") from None


def muted(call: Callable[..., dict[str, Any]], name: str) -> bool:
    try:
        return bool(call("GetInputMute", inputName=name).get("inputMuted"))
    except ObsRequestFailed:  # inputs without audio (images, cameras without sound)
        return False
