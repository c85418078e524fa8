"""Resumable video upload (YouTube's protocol), built on http.client so that it can resume across restarts.

googleapiclient keeps its upload session in memory only (and keeps ``https`` for upload URLs even when the
API endpoint is the plain-HTTP emulator), so the studio speaks the protocol itself:

1. POST ``/upload/youtube/v3/videos?uploadType=resumable&part=...`` with the metadata and
   ``X-Upload-Content-Length``; the session URI comes back in ``Location``. It is saved at once (``on_session``),
   so a crash of the panel or the PC loses nothing but the chunk in flight.
2. PUT chunks with ``Content-Range: bytes a-b/total``; every chunk but the last is a multiple of 256 KiB.
   ``308 Resume Incomplete`` carries ``Range: bytes=0-N`` (N = last byte YouTube has); 200/201 is the video.
3. After a 5xx or a dropped connection: exponential backoff, then ask the session how much arrived
   (empty PUT with ``Content-Range: bytes */total``) and continue from that byte, never from our own count.
   404/410 on the session means it expired: the caller starts over.

The session URI grants upload rights: it never goes into a message, log or exception.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studio.youtube.errors import YouTubeError, YouTubeUnreachable, error_for

GRANULARITY = 256 * 1024
DEFAULT_CHUNK = 32 * GRANULARITY  # 8 MiB
_RANGE = re.compile(r"bytes=0-(\d+)")


class UploadSessionExpired(YouTubeError):
    """The server no longer knows the session (404/410): start a new one."""


class UploadCancelled(YouTubeError):
    pass


@dataclass(frozen=True)
class UploadOutcome:
    video: dict[str, Any]
    resumed_from: int  # byte the upload started at in this run (0 for a fresh one)
    retries: int


def round_chunk(size: int) -> int:
    """The largest multiple of 256 KiB not above ``size`` (at least 256 KiB)."""
    return max(GRANULARITY, size - size % GRANULARITY)


class ResumableUploader:
    """One file to one upload session. ``token`` returns a valid OAuth access token for each request."""

    def __init__(
        self,
        base_url: str,
        token: Callable[[], str],
        *,
        chunk_size: int = DEFAULT_CHUNK,
        max_retries: int = 8,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base = urllib.parse.urlsplit(base_url if base_url.endswith("/") else base_url + "/")
        self.token = token
        self.chunk_size = round_chunk(chunk_size)
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.timeout = timeout
        self._sleep = sleep
        self._conn: http.client.HTTPConnection | None = None
        self._conn_key: tuple[str, str] | None = None

    # -- connections -------------------------------------------------------------------------------
    def _connection(self, url: urllib.parse.SplitResult) -> http.client.HTTPConnection:
        key = (url.scheme, url.netloc)
        if self._conn is None or self._conn_key != key:
            self.close()
            cls = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
            self._conn = cls(url.netloc, timeout=self.timeout, blocksize=1 << 20)
            self._conn_key = key
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    def _request(self, method: str, url: str, body: Any = None,
                 headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        parts = urllib.parse.urlsplit(url)
        conn = self._connection(parts)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        hdrs = {"Authorization": f"Bearer {self.token()}", **(headers or {})}
        try:
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data

    # -- the protocol ------------------------------------------------------------------------------
    def start(self, metadata: dict[str, Any], size: int, parts: str = "snippet,status",
              content_type: str = "video/mp4") -> str:
        """Open an upload session for ``size`` bytes; return its URI (keep it secret, keep it safe)."""
        query = urllib.parse.urlencode({"uploadType": "resumable", "part": parts})
        url = f"{self.base.scheme}://{self.base.netloc}{self.base.path}upload/youtube/v3/videos?{query}"
        body = json.dumps(metadata).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=UTF-8", "X-Upload-Content-Length": str(size),
                   "X-Upload-Content-Type": content_type}
        attempt = 0
        while True:
            try:
                status, hdrs, data = self._request("POST", url, body, headers)
            except (OSError, http.client.HTTPException):
                if attempt >= self.max_retries:
                    raise _unreachable() from None
                self._wait(attempt)
                attempt += 1
                continue
            if status in (200, 201) and hdrs.get("location"):
                return hdrs["location"]
            if status >= 500 and attempt < self.max_retries:
                self._wait(attempt)
                attempt += 1
                continue
            raise _error(status, data, "upload starten")

    def query(self, session_uri: str, size: int) -> tuple[int, dict[str, Any] | None]:
        """(bytes the server has, the video if the upload is already complete)."""
        status, hdrs, data = self._request("PUT", session_uri, b"", {"Content-Range": f"bytes */{size}",
                                                                      "Content-Length": "0"})
        return self._interpret(status, hdrs, data, size)

    def _interpret(self, status: int, hdrs: dict[str, str], data: bytes,
                   size: int) -> tuple[int, dict[str, Any] | None]:
        if status in (200, 201):
            return size, _json(data)
        if status == 308:
            m = _RANGE.match(hdrs.get("range", ""))
            return (int(m.group(1)) + 1 if m else 0), None
        if status in (404, 410):
            raise UploadSessionExpired("de uploadsessie is verlopen", "de upload begint opnieuw", status=status,
                                       reason="notFound")
        raise _error(status, data, "uploaden")

    def send(
        self,
        session_uri: str,
        path: str | os.PathLike[str],
        size: int,
        *,
        offset: int | None = None,
        on_progress: Callable[[int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> UploadOutcome:
        """Send the file from ``offset`` (None: ask the server first) until YouTube returns the video.

        ``on_progress(confirmed_bytes)`` is called with what YouTube confirmed (persist it there).
        """
        retries = 0
        attempt = 0
        confirmed = offset
        resumed_from = -1
        with open(path, "rb") as f:
            while True:
                if cancel is not None and cancel.is_set():
                    raise UploadCancelled("upload onderbroken", "start opnieuw om verder te gaan")
                try:
                    if confirmed is None:  # ask how much arrived (an empty PUT, retried like a chunk)
                        status, hdrs, data = self._request("PUT", session_uri, b"", {
                            "Content-Range": f"bytes */{size}", "Content-Length": "0"})
                    else:
                        if resumed_from < 0:
                            resumed_from = confirmed
                        end = min(size, confirmed + self.chunk_size) - 1
                        f.seek(confirmed)
                        length = end - confirmed + 1
                        headers = {"Content-Range": f"bytes {confirmed}-{end}/{size}",
                                   "Content-Length": str(length), "Content-Type": "application/octet-stream"}
                        status, hdrs, data = self._request("PUT", session_uri, _Window(f, length), headers)
                except (OSError, http.client.HTTPException):
                    if attempt >= self.max_retries:
                        raise _unreachable() from None
                    self._wait(attempt)
                    attempt, retries, confirmed = attempt + 1, retries + 1, None
                    continue
                if status >= 500 or status == 429:
                    if attempt >= self.max_retries:
                        raise _error(status, data, "uploaden")
                    self._wait(attempt)
                    attempt, retries, confirmed = attempt + 1, retries + 1, None  # ask, never assume
                    continue
                have, video = self._interpret(status, hdrs, data, size)
                attempt = 0
                if on_progress is not None:
                    on_progress(have)
                if video is not None:
                    return UploadOutcome(video, max(resumed_from, have if resumed_from < 0 else 0), retries)
                confirmed = have

    def _wait(self, attempt: int) -> None:
        delay = min(self.max_backoff, self.backoff * (2**attempt))
        self._sleep(delay * (0.75 + random.random() / 2))


class _Window:
    """A file-like view of ``length`` bytes from the file's current position (http.client streams it)."""

    def __init__(self, f: Any, length: int) -> None:
        self._f = f
        self._left = length

    def read(self, n: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        n = self._left if n is None or n < 0 else min(n, self._left)
        data: bytes = self._f.read(n)
        self._left -= len(data)
        return data


def _json(data: bytes) -> dict[str, Any]:
    try:
        out = json.loads(data or b"{}")
    except ValueError:
        return {}
    return out if isinstance(out, dict) else {}


def _error(status: int, data: bytes, what: str) -> YouTubeError:
    reason = ""
    try:
        err = json.loads(data)["error"]
        reason = str((err.get("errors") or [{}])[0].get("reason", "") or err.get("status", ""))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        pass
    return error_for(status, reason, what)


def _unreachable() -> YouTubeUnreachable:
    return YouTubeUnreachable("de uploadserver van YouTube is niet bereikbaar",
                              "controleer de internetverbinding; 'studio publish' gaat verder waar hij was",
                              reason="network")


__all__ = ["GRANULARITY", "ResumableUploader", "UploadCancelled", "UploadOutcome", "UploadSessionExpired",
           "round_chunk"]
