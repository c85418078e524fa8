"""The one door to the YouTube Data API: every call goes through ``YouTubeApi.execute``.

It runs a googleapiclient request, records its quota cost in the ledger (also when YouTube refuses: those
calls cost too), retries server trouble (5xx, backendError, rate limits, network errors) a bounded number
of times with exponential backoff, and turns HttpError into the typed errors of studio.youtube.errors with
YouTube's reason. Messages never contain a URL, a token or a stream key.

Calls that create something (``CREATES``) are never sent twice by this door: a timeout, a 5xx or a dropped
connection may mean YouTube made it anyway, so they raise ``OutcomeUnknown`` and the caller reconciles
(looks for what the first attempt made) before it inserts again. They go out over a single-shot transport,
because httplib2 itself re-sends a request once when a connection drops before the answer. Only a refusal
that says nothing happened (429, rate limits) or a connection that never opened is retried.

Thread-safe: each call gets its own HTTP connection object (httplib2 is not thread-safe).
"""

from __future__ import annotations

import json
import random
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.config import Settings
from studio.store import Store
from studio.youtube import auth
from studio.youtube.errors import (
    TESTING_EXPIRY_HINT,
    OutcomeUnknown,
    TokenRevoked,
    YouTubeError,
    YouTubeUnreachable,
    error_for,
)
from studio.youtube.quota import QuotaLedger

# Methods that make something new on YouTube: sent at most once per call of ``execute``.
CREATES = frozenset({"liveBroadcasts.insert", "liveStreams.insert", "videos.insert", "playlists.insert",
                     "playlistItems.insert", "thumbnails.set", "captions.insert", "liveChatMessages.insert",
                     "liveChatBans.insert", "liveChatModerators.insert"})
REFUSED_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})  # nothing was done: safe to resend
DEFAULT_BASE_URL = "https://youtube.googleapis.com/"

RETRY_REASONS = frozenset({"backendError", "internalError", "errorExecutingTransition", "rateLimitExceeded",
                           "userRateLimitExceeded", "serviceUnavailable"})


def http_error_reason(exc: Any) -> str:
    """YouTube's reason code of a googleapiclient HttpError ('' when the body has none)."""
    details = getattr(exc, "error_details", None)
    if isinstance(details, list) and details and isinstance(details[0], dict) and details[0].get("reason"):
        return str(details[0]["reason"])
    try:
        data = json.loads(exc.content.decode("utf-8"))
        err = data["error"]
        if err.get("errors"):
            return str(err["errors"][0].get("reason", ""))
        return str(err.get("status", ""))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return ""


def is_retryable(status: int, reason: str) -> bool:
    return status >= 500 or status == 429 or reason in RETRY_REASONS


class YouTubeApi:
    """Wraps the googleapiclient ``youtube`` v3 service. ``service`` builds requests; ``execute`` runs them."""

    def __init__(self, service: Any, credentials: Any, ledger: QuotaLedger, *, token_file: Path | None = None,
                 timeout: float = 20.0, max_retries: int = 4, backoff: float = 0.5, max_backoff: float = 8.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.service = service
        self.credentials = credentials
        self.ledger = ledger
        self.token_file = token_file  # None in rehearsal: nothing to write back
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep

    # -- the one door ----------------------------------------------------------------------------------
    def execute(self, request: Any, what: str = "") -> dict[str, Any]:
        """Run ``request`` (a googleapiclient HttpRequest); return the decoded response body.

        A call that creates something (``CREATES``) is sent once: a 5xx or a timeout may hide a success, so it
        raises ``OutcomeUnknown`` and the caller reconciles (looks for what the first attempt made).
        """
        import httplib2
        from googleapiclient.errors import HttpError

        method = str(getattr(request, "methodId", "") or "unknown").removeprefix("youtube.")
        creates = method in CREATES
        attempt = 0
        while True:
            token_before = getattr(self.credentials, "token", None)
            http = self._http(single_shot=creates)
            try:
                result = request.execute(http=http, num_retries=0)
            except HttpError as exc:
                status = int(exc.resp.status)
                reason = http_error_reason(exc)
                self.ledger.record(method, ok=False, reason=reason or str(status))
                if creates and status >= 500:
                    raise _unknown(what, reason or str(status), status) from None
                retry = reason in REFUSED_REASONS or status == 429 if creates else is_retryable(status, reason)
                if retry and attempt < self.max_retries:
                    self._backoff(attempt)
                    attempt += 1
                    continue
                raise error_for(status, reason, what) from None
            except YouTubeError:
                raise
            except _NotSent as exc:  # the connection never opened: nothing can have happened
                refused = _transport_error(exc.cause, httplib2) or _unreachable()
                if isinstance(refused, YouTubeUnreachable) and attempt < min(self.max_retries, 2):
                    self._backoff(attempt)
                    attempt += 1
                    continue
                raise refused from None
            except Exception as exc:
                mapped = _transport_error(exc, httplib2)
                if mapped is None:
                    raise
                if creates and isinstance(mapped, YouTubeUnreachable):
                    self.ledger.record(method, ok=False, reason="timeout")  # most likely done and charged
                    raise _unknown(what, "timeout", 0) from None
                if isinstance(mapped, YouTubeUnreachable) and attempt < min(self.max_retries, 2):
                    self._backoff(attempt)
                    attempt += 1
                    continue
                raise mapped from None
            finally:
                http.http.close()  # one transport per call: its sockets are closed here, not left to the GC
            self.ledger.record(method, ok=True)
            self.save_token_if_refreshed(token_before)
            return result if isinstance(result, dict) else {}

    def _http(self, single_shot: bool = False) -> Any:
        import google_auth_httplib2
        import httplib2

        transport = _SingleShotHttp(self.timeout) if single_shot else httplib2.Http(timeout=self.timeout)
        return google_auth_httplib2.AuthorizedHttp(self.credentials, http=transport)

    @property
    def base_url(self) -> str:
        """Where the API lives ('https://youtube.googleapis.com/', or the emulator's address)."""
        base = str(getattr(self.service, "_baseUrl", "") or DEFAULT_BASE_URL)
        return base if base.endswith("/") else base + "/"

    def _backoff(self, attempt: int) -> None:
        delay = min(self.max_backoff, self.backoff * (2**attempt))
        self._sleep(delay * (0.75 + random.random() / 2))

    def save_token_if_refreshed(self, token_before: Any) -> None:
        if self.token_file is not None and getattr(self.credentials, "token", None) != token_before:
            auth.write_token_atomic(self.token_file, self.credentials.to_json())

    # -- the calls this project makes ------------------------------------------------------------------
    def list_broadcasts(self, *, ids: list[str] | None = None, mine: bool = False, page_token: str | None = None,
                        max_results: int = 50) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"part": "id,snippet,contentDetails,status"}
        if ids:
            kwargs["id"] = ",".join(ids)
        else:
            kwargs["mine"] = True
            kwargs["maxResults"] = max_results
            if page_token:
                kwargs["pageToken"] = page_token
        return self.execute(self.service.liveBroadcasts().list(**kwargs), "uitzendingen opvragen")

    def get_broadcast(self, broadcast_id: str) -> dict[str, Any] | None:
        items = self.list_broadcasts(ids=[broadcast_id]).get("items") or []
        return items[0] if items else None

    def insert_broadcast(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.execute(self.service.liveBroadcasts().insert(part="snippet,contentDetails,status", body=body),
                            "uitzending aanmaken")

    def bind_broadcast(self, broadcast_id: str, stream_id: str) -> dict[str, Any]:
        return self.execute(self.service.liveBroadcasts().bind(id=broadcast_id, streamId=stream_id,
                                                               part="id,contentDetails,status"),
                            "uitzending aan de stream koppelen")

    def transition_broadcast(self, broadcast_id: str, status: str) -> dict[str, Any]:
        return self.execute(self.service.liveBroadcasts().transition(broadcastStatus=status, id=broadcast_id,
                                                                     part="id,status"),
                            f"uitzending naar '{status}' zetten")

    def delete_broadcast(self, broadcast_id: str) -> None:
        self.execute(self.service.liveBroadcasts().delete(id=broadcast_id), "uitzending verwijderen")

    def list_streams(self, *, ids: list[str] | None = None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"part": "id,snippet,cdn,status"}
        if ids:
            kwargs["id"] = ",".join(ids)
        else:
            kwargs["mine"] = True
            kwargs["maxResults"] = 50
        return self.execute(self.service.liveStreams().list(**kwargs), "streams opvragen")

    def get_stream(self, stream_id: str) -> dict[str, Any] | None:
        items = self.list_streams(ids=[stream_id]).get("items") or []
        return items[0] if items else None

    def insert_stream(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.execute(self.service.liveStreams().insert(part="snippet,cdn,contentDetails,status", body=body),
                            "stream aanmaken")


class _NotSent(Exception):
    def __init__(self, cause: Exception) -> None:
        super().__init__(type(cause).__name__)
        self.cause = cause


class _SingleShotHttp:
    """The httplib2 interface over one requests exchange that is never re-sent (httplib2 re-sends once when
    a connection drops; urllib3 with max_retries=0 does not). Used for the calls in CREATES. Like httplib2,
    it honours the proxy settings of the environment."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.connections: dict[str, Any] = {}
        self.follow_redirects = False
        self.redirect_codes: set[int] = set()

    def close(self) -> None:
        """Nothing stays open: each request's session is closed when it is done."""

    def request(self, uri: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None,
                redirections: int = 0, connection_type: Any = None) -> tuple[Any, bytes]:
        import httplib2
        import requests
        from requests.adapters import HTTPAdapter

        with requests.Session() as session:
            adapter = HTTPAdapter(max_retries=0)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            try:
                answer = session.request(method, uri, data=body, headers=headers, timeout=self.timeout,
                                         allow_redirects=False)
            except (requests.ConnectTimeout, requests.exceptions.ProxyError) as exc:
                raise _NotSent(exc) from None
            except requests.ConnectionError as exc:
                if _never_connected(exc):
                    raise _NotSent(exc) from None
                raise OSError(f"connection lost: {type(exc).__name__}") from None
            except requests.Timeout:
                raise TimeoutError("timed out waiting for YouTube's answer") from None
            content = answer.content  # already decompressed: say so, as httplib2 does
            info = {k: v for k, v in answer.headers.items() if k.lower() not in ("content-encoding", "content-length")}
            info["status"] = str(answer.status_code)
            return httplib2.Response(info), content


def _never_connected(exc: BaseException) -> bool:
    """True when the connection was never made (refused, no route, name not found): nothing was sent."""
    from urllib3.exceptions import MaxRetryError, NewConnectionError

    inner = exc.args[0] if exc.args else None
    if isinstance(inner, MaxRetryError):
        inner = inner.reason
    return isinstance(inner, NewConnectionError)  # NameResolutionError is one too


def _unknown(what: str, reason: str, status: int) -> OutcomeUnknown:
    prefix = f"{what}: " if what else ""
    return OutcomeUnknown(prefix + "YouTube gaf geen duidelijk antwoord; misschien is het toch gelukt",
                          "de studio kijkt eerst wat er op YouTube staat voordat hij het opnieuw probeert",
                          reason=reason, status=status)


def _unreachable() -> YouTubeUnreachable:
    return YouTubeUnreachable("YouTube is niet bereikbaar",
                              "controleer de internetverbinding (of in de oefenmodus: draait de emulator?)",
                              reason="network")


def _transport_error(exc: Exception, httplib2: Any) -> YouTubeError | None:
    import google.auth.exceptions

    if isinstance(exc, google.auth.exceptions.RefreshError):
        return TokenRevoked("de YouTube-aanmelding is ingetrokken of verlopen", TESTING_EXPIRY_HINT,
                            reason="invalid_grant")
    import http.client

    if isinstance(exc, google.auth.exceptions.TransportError | OSError | socket.timeout | httplib2.HttpLib2Error
                  | http.client.HTTPException):
        return _unreachable()
    return None


def build_youtube(settings: Settings, store: Store, *, endpoint: str | None = None, **options: Any) -> YouTubeApi:
    """The API wrapper for these settings: the emulator in rehearsal, else YouTube with the stored token.

    ``endpoint`` overrides ``settings.youtube.endpoint`` (the panel passes the emulator it started).
    """
    from googleapiclient.discovery import build

    rehearsal = auth.is_rehearsal(settings)
    credentials = auth.load_credentials(settings)
    endpoint = endpoint if endpoint is not None else settings.youtube.endpoint
    client_options = {"api_endpoint": endpoint} if endpoint else None
    service = build("youtube", "v3", credentials=credentials, static_discovery=True, cache_discovery=False,
                    client_options=client_options)
    ledger = QuotaLedger(store, settings.youtube.daily_quota, settings.youtube.quota_warn_ratio,
                         target=auth.target_name(settings))
    return YouTubeApi(service, credentials, ledger, token_file=None if rehearsal else Path(settings.token_file),
                      **options)
