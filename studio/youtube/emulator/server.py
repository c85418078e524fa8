"""The HTTP side: YouTube's paths on 127.0.0.1, plus the control endpoint under ``/emulator/``.

Order of checks per request, as Google's front end does it: the path must be a discovery method (else 404),
a Bearer token must be present (else 401), an armed fault fires (logged, no quota charged), the quota must have room
(else 403 quotaExceeded), then the query and body are validated (a refused request costs 1 unit) and the method
runs (its full cost is charged, also when YouTube refuses it for the state it is in).

The same port also speaks TLS when a client opens with a TLS ClientHello (see ``tls.py``): googleapiclient
keeps ``https`` for media upload URLs even when ``api_endpoint`` is ``http://`` (it swaps only the host).
"""

from __future__ import annotations

import email.parser
import json
import socket
import ssl
import struct
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from studio.youtube.emulator import api, chat_stream, videos
from studio.youtube.emulator.control import Control
from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.state import Fault, World, cost_of
from studio.youtube.emulator.validation import Discovery, Method

UPLOAD_CHUNK_METHOD = "upload.chunk"  # fault name for the PUTs of a resumable upload
STREAM_FAULTS = frozenset({"dropMidMessage"})  # faults the chat stream carries out itself
DROP = "dropConnection"  # reset the connection without an answer (before the method runs, or after: complete)
CLOSE = "closeConnection"  # the same with a plain close instead of a reset


def has_lone_surrogate(value: Any) -> bool:
    """True when a string anywhere in a decoded JSON value has a lone surrogate (not encodable as UTF-8)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_lone_surrogate(v) for v in value)
    return False


def encode_json(payload: Any) -> bytes:
    """UTF-8 JSON. A lone surrogate cannot be UTF-8: should one ever be stored it goes out as '?' instead of
    breaking every later answer (post_chat and the JSON bodies refuse such text at the door; this is the
    second line)."""
    return json.dumps(payload, ensure_ascii=False).encode("utf-8", errors="replace")


class EmulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(
        self, address: tuple[str, int], world: World, discovery: Discovery, control: Control
    ) -> None:
        super().__init__(address, RequestHandler)
        self.world = world
        self.discovery = discovery
        self.control = control
        self.tls_context: ssl.SSLContext | None = None

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (timeouts, dropped uploads) is normal here; anything else is printed."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | ssl.SSLError | TimeoutError):
            super().handle_error(request, client_address)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}/"

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Runs in the connection's own thread: wrap TLS connections, then serve HTTP."""
        if self.tls_context is not None:
            request.settimeout(5)
            try:
                first = request.recv(1, socket.MSG_PEEK)
                if first == b"\x16":  # a TLS handshake record
                    request = self.tls_context.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError):
                return
            request.settimeout(None)
        super().finish_request(request, client_address)


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: without this, 40 ms delayed-ACK stalls
    server: EmulatorHTTPServer
    timeout = 30

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests and the foreground command print what matters

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    # --- plumbing -------------------------------------------------------------------------------------------

    def _send(
        self, status: int, payload: dict[str, Any] | None, headers: dict[str, str] | None = None
    ) -> None:
        data = b"" if payload is None else encode_json(payload)
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if data:
            self.wfile.write(data)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _drop_connection(self, reset: bool = True) -> None:
        """End the connection with no response, as a network failure would: a reset, or (``reset=False``) a
        plain close, which a client reads as 'the server closed the connection' (a stale keep-alive)."""
        self.close_connection = True
        try:
            if reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
            self.connection.close()
        except OSError:
            pass

    def _dispatch(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        try:
            if url.path.startswith("/emulator/"):
                self._control(url.path.removeprefix("/emulator/"))
                return
            if url.path == "/upload/youtube/v3/videos" and "upload_id" in query:
                self._upload_chunk(query["upload_id"][0])  # the session URI itself is the credential
                return
            self._check_auth(query)
            method = self.server.discovery.find(self.command, url.path)
            if method is None or (url.path.startswith("/upload/") and not method.media_upload):
                self._read_body()
                raise ApiError(404, "notFound", f"Not Found: {self.command} {url.path}", "global")
            self._api(method, url.path, query)
        except ApiError as exc:
            self._send(exc.code, exc.body())

    def _check_auth(self, query: dict[str, list[str]]) -> None:
        header = self.headers.get("Authorization", "")
        token = header[7:].strip() if header.startswith("Bearer ") else (query.get("access_token") or [""])[0]
        if not token:
            self._read_body()
            raise ApiError(
                401,
                "required",
                "Request is missing required authentication credential. Expected OAuth 2 access token, "
                "login cookie or other valid authentication credential.",
                "global",
                location="Authorization",
                location_type="header",
            )
        if token in self.server.world.revoked_tokens:
            self._read_body()
            raise ApiError(401, "authError", "Invalid Credentials", "global", "Authorization", "header")

    def _control(self, operation: str) -> None:
        raw = self._read_body()
        try:
            kwargs = json.loads(raw.decode("utf-8")) if raw else {}  # strict: invalid UTF-8 is refused
        except UnicodeDecodeError:
            raise ApiError(400, "parseError", "The control request body is not valid UTF-8.", "emulator") from None
        except ValueError:
            raise ApiError(400, "parseError", "The control request body is not JSON.", "emulator") from None
        if has_lone_surrogate(kwargs):
            raise ApiError(400, "parseError", "The control request body has an unpaired surrogate.", "emulator")
        if self.command == "GET":
            kwargs = {}
        try:
            result = self.server.control.call(operation, kwargs)
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(400, "badRequest", f"emulator control {operation}: {exc}", "emulator") from None
        self._send(200, {"result": result})

    # --- the API ----------------------------------------------------------------------------------------------

    def _fire_fault(self, name: str) -> Fault | None:
        """Take the armed fault for this method: wait its delay; answer its error unless it comes later
        (``complete``: the method is carried out first) or belongs to the chat stream (``dropMidMessage``)."""
        fault = self.server.world.take_fault(name)
        if fault is None:
            return None
        if fault.delay:
            time.sleep(fault.delay)
        if (fault.reason or fault.status) and not fault.complete and fault.reason not in {*STREAM_FAULTS, DROP, CLOSE}:
            error = ApiError.for_reason(fault.reason or "backendError", fault.status)
            self.server.world.record_call(name, error.code, 0)  # in the call log, at no cost
            raise error
        return fault

    def _api(self, method: Method, path: str, query: dict[str, list[str]]) -> None:
        world = self.server.world
        raw = self._read_body()
        fault = self._fire_fault(method.name)
        if fault is not None and fault.reason in (DROP, CLOSE) and not fault.complete:
            self._drop_connection(reset=fault.reason == DROP)  # nothing happened, and the client hears nothing
            return
        cost, bucket = cost_of(method.name)
        with world.lock:
            world.tick()
            try:
                world.reserve_quota(cost, bucket)
            except ApiError as exc:
                world.record_call(method.name, exc.code, 0, bucket)
                raise
            try:
                params = self.server.discovery.check_query(method, query)
                params["uploadType"] = (query.get("uploadType") or [""])[0]
                body = self._body(method, path, params, raw)
            except ApiError as exc:
                world.record_call(method.name, exc.code, 1, bucket)
                raise
            headers: dict[str, str] = {}
            try:
                if method.name == chat_stream.METHOD:
                    opened = chat_stream.open_stream(world, params)
                    status, payload = 200, None
                elif method.name == "videos.insert":
                    status, payload, headers = self._start_upload(params, body, raw)
                else:
                    status, payload = api.HANDLERS[method.name](world, params, body)
            except ApiError as exc:
                world.record_call(method.name, exc.code, cost, bucket)
                raise
            world.record_call(method.name, status, cost, bucket)
        if fault is not None and fault.complete and fault.reason in (DROP, CLOSE):
            self._drop_connection(reset=fault.reason == DROP)  # done, and the answer is lost on the way
            return
        if fault is not None and fault.complete and (fault.reason or fault.status):
            raise ApiError.for_reason(fault.reason or "backendError", fault.status)  # done, yet it says no
        if method.name == chat_stream.METHOD:
            drop = fault is not None and fault.reason == "dropMidMessage"
            chat_stream.serve(self, world, opened, drop_mid_message=drop)
            return
        self._send(status, payload, headers)

    def _body(self, method: Method, path: str, params: dict[str, Any], raw: bytes) -> Any:
        """The request body: JSON metadata, media bytes, or both (multipart)."""
        upload_type = params.get("uploadType") or ""
        content_type = self.headers.get("Content-Type", "")
        if method.media_upload and content_type.startswith("multipart/related"):
            message = email.parser.BytesParser().parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
            )
            parts: list[bytes] = [
                bytes(p.get_payload(decode=True) or b"")  # type: ignore[union-attr]
                for p in message.get_payload()
            ]
            metadata = json.loads(parts[0] or b"{}")
            self.server.discovery.check_body(method, metadata)
            return {"metadata": metadata, "media": parts[1] if len(parts) > 1 else b""}
        if method.name == "thumbnails.set" or (method.media_upload and upload_type == "media"):
            return {"metadata": {}, "media": raw} if method.request_schema else raw
        if method.request_schema is None:
            return None
        try:
            body = json.loads(raw.decode("utf-8")) if raw else ({} if method.media_upload else None)
        except ValueError:  # also invalid UTF-8 (UnicodeDecodeError is a ValueError)
            raise ApiError(400, "parseError", "Parse Error", "global") from None
        if has_lone_surrogate(body):  # "\ud800" escapes decode to text no UTF-8 can carry
            raise ApiError(400, "parseError", "Invalid JSON payload received. Invalid UTF-8.", "global")
        self.server.discovery.check_body(method, body)
        return body

    def _start_upload(
        self, params: dict[str, Any], body: Any, raw: bytes
    ) -> tuple[int, dict[str, Any] | None, dict[str, str]]:
        world = self.server.world
        if isinstance(body, dict) and "media" in body:  # multipart or media: the whole file in one request
            upload = videos.new_upload(world, params["part"], body["metadata"], len(body["media"]), "video/*")
            status, video, _ = videos.put_chunk(
                world, upload.id, f"bytes 0-{len(body['media']) - 1}/{len(body['media'])}", body["media"]
            )
            return status, api.only_parts(video or {}, params["part"]), {}
        if params.get("uploadType") != "resumable":
            raise ApiError(
                400, "badRequest", "Media upload requires uploadType=resumable, multipart or media.", "global"
            )
        length = self.headers.get("X-Upload-Content-Length")
        content_type = self.headers.get("X-Upload-Content-Type", "application/octet-stream")
        upload = videos.new_upload(
            world, params["part"], body or {}, int(length) if length else None, content_type
        )
        location = (
            f"{self.server.base_url}upload/youtube/v3/videos?uploadType=resumable&upload_id={upload.id}"
        )
        self.server.world.upload_parts[upload.id] = params["part"]
        return 200, None, {"Location": location, "X-GUploader-UploadID": upload.id}

    def _upload_chunk(self, upload_id: str) -> None:
        world = self.server.world
        length = int(self.headers.get("Content-Length") or 0)
        fault = world.take_fault(UPLOAD_CHUNK_METHOD)
        if fault is not None and fault.reason == "dropConnection":
            partial = self.rfile.read(length // 2) if length else b""
            with world.lock:
                videos.keep_partial(world, upload_id, partial)
            self._drop_connection()
            return
        data = self.rfile.read(length) if length else b""
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.reason or fault.status:
                raise ApiError.for_reason(fault.reason or "backendError", fault.status)
        with world.lock:
            status, video, headers = videos.put_chunk(
                world, upload_id, self.headers.get("Content-Range"), data
            )
            parts = world.upload_parts.get(upload_id, ["snippet", "status"])
        self._send(status, api.only_parts(video, parts) if video else None, headers)
