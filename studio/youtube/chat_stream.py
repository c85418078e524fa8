"""Reading the live chat as it is pushed: liveChatMessages.streamList over Google's REST streaming.

GET ``youtube/v3/liveChat/messages/stream`` answers with one chunked HTTP response whose body is a JSON array
that grows while the call lasts: ``[`` + a LiveChatMessageListResponse, then ``,`` + the next one each time
something happens, ``]`` when the server ends the call. The discovery client (googleapiclient + httplib2)
reads a whole body before it returns, so this one call goes through an authorised requests session
(google.auth's ``AuthorizedSession``) with a streamed body, and every array element is handed over the
moment its last byte arrives.

Why a small parser of our own: google-api-core's ``rest_streaming`` parses the same framing but only into
protobuf classes, which YouTube's chat messages have none of in Python. ``JsonArrayReader`` finds the
elements with the standard library's ``raw_decode`` (an element is complete exactly when it decodes).

One connection costs 5 units (liveChatMessages.streamList), recorded in the ledger when YouTube answers,
refused or not, as every other call. A dead connection that never closes is found by TCP keepalive, and
``idle_timeout`` (real seconds without a byte) ends a connection as a last resort.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from studio.youtube.errors import (
    TESTING_EXPIRY_HINT,
    TokenRevoked,
    YouTubeError,
    YouTubeUnreachable,
    error_for,
)

STREAM_METHOD = "liveChatMessages.streamList"
STREAM_PATH = "youtube/v3/liveChat/messages/stream"
MAX_ELEMENT = 8 * 1024 * 1024  # one response message larger than this is not a chat page: the stream is broken


class StreamBroken(YouTubeUnreachable):
    """The stream ended without its closing bracket: cut mid-message, reset, idle too long, or garbled."""


class StreamUnavailable(YouTubeError):
    """YouTube does not offer the stream here (unknown method, refused route): poll instead."""


class JsonArrayReader:
    """Incremental reader of a streamed JSON array: ``feed(bytes)`` returns the elements completed so far."""

    def __init__(self, max_element: int = MAX_ELEMENT) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        self._decoder = json.JSONDecoder()
        self._text = ""
        self._state = "open"  # open: '[' expected; first/next: an element; after: ',' or ']'; done
        self.max_element = max_element

    @property
    def done(self) -> bool:
        return self._state == "done"

    def feed(self, data: bytes) -> list[Any]:
        try:
            self._text += self._utf8.decode(data)
        except UnicodeDecodeError:
            raise ValueError("the stream is not valid UTF-8") from None
        out: list[Any] = []
        text, i = self._text, 0
        while True:
            while i < len(text) and text[i] in " \t\r\n":
                i += 1
            if i >= len(text):
                break
            char = text[i]
            if self._state == "open":
                if char != "[":
                    raise ValueError("the stream is not a JSON array")
                self._state, i = "first", i + 1
            elif self._state in ("first", "next"):
                if char == "]" and self._state == "first":
                    self._state, i = "done", i + 1
                    continue
                if char != "{":
                    raise ValueError("stream elements must be JSON objects")
                try:
                    element, end = self._decoder.raw_decode(text, i)
                except json.JSONDecodeError:
                    if len(text) - i > self.max_element:
                        raise ValueError("a stream element is too large or malformed") from None
                    break  # not complete yet
                out.append(element)
                self._state, i = "after", end
            elif self._state == "after":
                if char not in ",]":
                    raise ValueError(f"unexpected {char!r} between stream elements")
                self._state, i = ("next" if char == "," else "done"), i + 1
            else:
                raise ValueError("data after the end of the stream")
        self._text = text[i:]
        return out


def _keepalive_options() -> list[tuple[int, int, int]]:
    """TCP keepalive: a peer that vanished is noticed within about a minute, at no quota cost."""
    options = [(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)]
    for name, value in (("TCP_KEEPIDLE", 30), ("TCP_KEEPINTVL", 10), ("TCP_KEEPCNT", 3)):
        if hasattr(socket, name):
            options.append((socket.IPPROTO_TCP, getattr(socket, name), value))
    return options


def streaming_session(credentials: Any) -> Any:
    """An authorised requests session whose connections use TCP keepalive (and no proxy surprises)."""
    from google.auth.transport.requests import AuthorizedSession
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection

    class KeepAliveAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            kwargs["socket_options"] = [*HTTPConnection.default_socket_options, *_keepalive_options()]
            super().init_poolmanager(*args, **kwargs)

    session = AuthorizedSession(credentials)
    adapter = KeepAliveAdapter(max_retries=0)  # a failed connect is the intake's to handle, not requests'
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class ChatStream:
    """One open streamList call. Iterate it for the response messages; ``abort()`` from any thread."""

    def __init__(self, response: Any, opened_at: float) -> None:
        self._response = response
        self.opened_at = opened_at
        self.elements = 0
        self.closed_cleanly = False
        self._aborted = threading.Event()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        import requests

        reader = JsonArrayReader()
        try:
            for data in self._response.iter_content(chunk_size=None):
                for element in reader.feed(data):
                    if isinstance(element, dict) and isinstance(element.get("error"), dict):
                        err = element["error"]
                        reason = str(((err.get("errors") or [{}])[0] or {}).get("reason") or err.get("status") or "")
                        raise error_for(int(err.get("code") or 500), reason, "chat ophalen")
                    if isinstance(element, dict):
                        self.elements += 1
                        yield element
        except (requests.RequestException, OSError, ValueError) as exc:
            if self._aborted.is_set():
                return
            raise StreamBroken("de chatstream brak af", "de studio verbindt opnieuw", reason=_why(exc)) from None
        except Exception:
            # abort() closes the response under the reader: urllib3 may then fail in any way (a read on a
            # connection that is gone). We ended it; that is not an error of the stream.
            if self._aborted.is_set():
                return
            raise
        finally:
            self.close()
        if self._aborted.is_set():
            return
        if not reader.done:
            raise StreamBroken("de chatstream hield halverwege op", "de studio verbindt opnieuw", reason="truncated")
        self.closed_cleanly = True

    def abort(self) -> None:
        """End the call now (stop of the intake): wakes the thread that is waiting for the next bytes."""
        self._aborted.set()
        connection = getattr(getattr(self._response, "raw", None), "connection", None)
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a half-read response can raise anything; it is gone
            self._response.close()


def _why(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".lower()
    if "timed out" in text or "timeout" in text:
        return "idle"
    if isinstance(exc, ValueError):
        return "garbled"
    return "dropped"


def open_chat_stream(api: Any, session: Any, live_chat_id: str, page_token: str | None, *,
                     connect_timeout: float = 10.0, idle_timeout: float | None = 300.0) -> ChatStream:
    """Connect (5 units); raise the typed error YouTube answered, else return the open stream."""
    import google.auth.exceptions
    import requests

    params: dict[str, Any] = {"liveChatId": live_chat_id, "part": "id,snippet,authorDetails"}
    if page_token:
        params["pageToken"] = page_token
    url = api.base_url + STREAM_PATH
    token_before = getattr(api.credentials, "token", None)
    opened_at = time.monotonic()
    try:
        response = session.get(url, params=params, stream=True, timeout=(connect_timeout, idle_timeout),
                               headers={"Accept": "application/json"})
    except google.auth.exceptions.RefreshError:
        raise TokenRevoked("de YouTube-aanmelding is ingetrokken of verlopen", TESTING_EXPIRY_HINT,
                           reason="invalid_grant") from None
    except (requests.RequestException, OSError):
        raise YouTubeUnreachable("YouTube is niet bereikbaar voor de chat",
                                 "controleer de internetverbinding; de studio probeert het opnieuw",
                                 reason="network") from None
    api.save_token_if_refreshed(token_before)
    status = int(response.status_code)
    if status == 200:
        api.ledger.record(STREAM_METHOD, ok=True)
        return ChatStream(response, opened_at)
    try:
        body = response.content[:65536]
    except (requests.RequestException, OSError):
        body = b""
    finally:
        response.close()
    reason = _reason(body)
    api.ledger.record(STREAM_METHOD, ok=False, reason=reason or str(status))
    if status in (404, 405, 501) and reason in ("", "notFound", "methodNotAllowed"):
        raise StreamUnavailable("YouTube biedt de chatstream hier niet aan", "de studio haalt de chat op met "
                                "gewone verzoeken", reason=reason or str(status), status=status)
    raise error_for(status, reason, "chat ophalen")


def _reason(body: bytes) -> str:
    try:
        err = json.loads(body.decode("utf-8"))["error"]
        if err.get("errors"):
            return str(err["errors"][0].get("reason", ""))
        return str(err.get("status", ""))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return ""
