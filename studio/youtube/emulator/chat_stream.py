"""The streaming live chat (GET youtube/v3/liveChat/messages/stream), as Google's REST streaming serves it.

Google's HTTP/JSON transcoding of a server-streaming RPC sends ONE chunked HTTP response whose body, once
complete, is a JSON array of response messages: ``[`` + first message, then ``,`` + each next message as it
happens, and ``]`` when the server ends the call (gapic-showcase's ServerStreamer; google-api-core's
rest_streaming parses it element by element). Each message here is a LiveChatMessageListResponse: on connect
the history from ``pageToken`` (or from the start), then the messages as they are posted, each with the
``nextPageToken`` to resume from. Deletions and bans arrive as messageDeletedEvent/userBannedEvent items;
when the chat ends the last message carries the chatEndedEvent and ``offlineAt`` and the array closes.

Before the first byte the request is an ordinary call (validated, 5 units, errors as JSON): 404
liveChatNotFound, 400 pageTokenInvalid, 403 liveChatEnded for a reader that has seen everything of an ended
chat, and any injected fault. Afterwards: ``stream_lifetime`` (seconds, per emulator or per chat; None: open
until the chat ends) closes the array, and the fault ``dropMidMessage`` cuts the first message after the
history in half and resets the connection.
"""

from __future__ import annotations

import select
import socket
import time
from dataclasses import dataclass
from typing import Any

from studio.youtube.emulator import chat as chats
from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.state import Chat, World, etag

METHOD = "liveChatMessages.streamList"
WAIT_STEP = 0.25  # seconds between checks for a client that went away or an emulator that stops


@dataclass
class OpenStream:
    chat: Chat
    position: int
    parts: list[str]
    lifetime: float | None


def open_stream(world: World, params: dict[str, Any]) -> OpenStream:
    """Check the request under the world lock (errors are ordinary JSON answers); nothing is sent yet."""
    live_chat_id = params.get("liveChatId")
    if not live_chat_id:
        raise ApiError(400, "required", "Required parameter: liveChatId", "global", location="liveChatId",
                       location_type="parameter")
    chat = chats.get_chat(world, live_chat_id)
    start = chats.decode_token(chat, params["pageToken"]) if params.get("pageToken") else 0
    if chat.ended_at and start >= len(chat.messages):
        raise ApiError(403, "liveChatEnded", "The live chat is no longer live.", chats.DOMAIN)
    lifetime = chat.stream_lifetime if chat.lifetime_set else world.config.stream_lifetime
    return OpenStream(chat, start, list(params.get("part") or ["id", "snippet", "authorDetails"]), lifetime)


def _element(world: World, stream: OpenStream) -> dict[str, Any]:
    """The next response message: everything visible after the stream's position; advances it."""
    from studio.youtube.emulator.api import only_parts

    chat = stream.chat
    items = [only_parts(m, stream.parts) for m in chat.messages[stream.position:] if m["id"] not in chat.deleted]
    stream.position = len(chat.messages)
    element: dict[str, Any] = {
        "kind": "youtube#liveChatMessageListResponse",
        "etag": etag(),
        "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
        "nextPageToken": chats.encode_token(chat.id, stream.position),
        "items": items,
    }
    if chat.ended_at:
        element["offlineAt"] = chat.ended_at
    return element


def _client_gone(connection: socket.socket) -> bool:
    """The client closed its end (the intake stopped or reconnected): readable with nothing to read.

    Peeks at the plain socket underneath (a TLS socket refuses MSG_PEEK); a TLS close_notify is not seen
    here, and the next write finds that client gone instead."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and socket.socket.recv(connection, 1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def serve(handler: Any, world: World, stream: OpenStream, *, drop_mid_message: bool = False) -> None:
    """Send the chunked JSON array on ``handler``'s connection until the lifetime ends, the chat ends, the
    client goes away or the emulator stops."""
    from studio.youtube.emulator.server import encode_json

    handler.send_response(200)
    handler.send_header("Content-Type", "application/json; charset=UTF-8")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.send_header("Cache-Control", "no-cache")
    handler.end_headers()

    def chunk(data: bytes) -> None:
        handler.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")

    deadline = None if stream.lifetime is None else time.monotonic() + max(0.0, stream.lifetime)
    try:
        with world.lock:
            first = _element(world, stream)
            ended = stream.chat.ended_at is not None
        chunk(b"[" + encode_json(first))
        while not ended and not world.stopping.is_set():
            with world.lock:
                if stream.position >= len(stream.chat.messages):
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        break
                    world.changed.wait(WAIT_STEP if left is None else min(WAIT_STEP, left))
                if stream.position >= len(stream.chat.messages):
                    element = None
                else:
                    element = _element(world, stream)
                    ended = stream.chat.ended_at is not None
            if element is None:
                if _client_gone(handler.connection):
                    handler.close_connection = True
                    return
                continue
            data = b"," + encode_json(element)
            if drop_mid_message:
                handler.wfile.write(f"{len(data):X}\r\n".encode() + data[: len(data) // 2])
                handler._drop_connection()
                return
            chunk(data)
        if world.stopping.is_set():
            handler._drop_connection()  # the server goes away: no orderly end
            return
        chunk(b"]")
        handler.wfile.write(b"0\r\n\r\n")
    except (ConnectionError, TimeoutError, OSError):
        handler.close_connection = True
