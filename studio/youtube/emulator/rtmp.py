"""A small RTMP ingest on loopback: enough of the protocol for OBS and ffmpeg to publish a stream.

What it does: the simple handshake (C0/C1/C2 <-> S0/S1/S2), chunk stream parsing (chunk sizes, extended
timestamps, abort), window acknowledgements, user control pings, and the AMF0 commands of a publisher:
connect -> _result (NetConnection.Connect.Success), releaseStream / FCPublish -> _result, createStream ->
_result with stream id 1, publish(key) -> onStatus NetStream.Publish.Start (or NetStream.Publish.BadName for a
key no liveStream has, after which the connection closes). The media itself is counted, not kept: the first
audio or video message for a known key turns the stream ``active``; when the publisher unpublishes or
disconnects it turns ``inactive``. The app name must be ``live2``, as in YouTube's ingest address.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from studio.youtube.emulator import amf
from studio.youtube.emulator.state import World

log = logging.getLogger(__name__)

HANDSHAKE_SIZE = 1536
OUT_CHUNK_SIZE = 4096
WINDOW = 5_000_000
# message types
SET_CHUNK_SIZE, ABORT, ACK, USER_CONTROL, WINDOW_ACK_SIZE, PEER_BANDWIDTH = 1, 2, 3, 4, 5, 6
AUDIO, VIDEO, DATA_AMF3, COMMAND_AMF3, DATA_AMF0, COMMAND_AMF0 = 8, 9, 15, 17, 18, 20


@dataclass
class ChunkStream:
    timestamp: int = 0
    delta: int = 0
    length: int = 0
    type: int = 0
    stream_id: int = 0
    extended: bool = False
    buffer: bytearray = field(default_factory=bytearray)


class RtmpSession:
    def __init__(self, world: World, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.world = world
        self.reader = reader
        self.writer = writer
        self.in_chunk_size = 128
        self.out_chunk_size = 128
        self.peer_window = 0
        self.received = 0
        self.last_ack = 0
        self.streams: dict[int, ChunkStream] = {}
        self.app = ""
        self.key: str | None = None
        self.had_media = False
        self.media_messages = 0

    async def read(self, size: int) -> bytes:
        data = await self.reader.readexactly(size)
        self.received += size
        if self.peer_window and self.received - self.last_ack >= self.peer_window:
            self.last_ack = self.received
            self.send(2, ACK, 0, (self.received & 0xFFFFFFFF).to_bytes(4, "big"))
        return data

    async def run(self) -> None:
        try:
            await self.handshake()
            while True:
                await self.read_chunk()
        except (asyncio.IncompleteReadError, ConnectionError, amf.AmfError, _Close):
            pass
        finally:
            self.unpublish()
            with contextlib.suppress(Exception):
                self.writer.close()

    async def handshake(self) -> None:
        c0c1 = await self.read(1 + HANDSHAKE_SIZE)
        s1 = struct.pack(">II", int(time.monotonic() * 1000) & 0xFFFFFFFF, 0) + os.urandom(HANDSHAKE_SIZE - 8)
        self.writer.write(b"\x03" + s1 + c0c1[1:])
        await self.writer.drain()
        await self.read(HANDSHAKE_SIZE)  # C2: the client's echo of S1

    async def read_chunk(self) -> None:
        first = (await self.read(1))[0]
        fmt, csid = first >> 6, first & 0x3F
        if csid == 0:
            csid = 64 + (await self.read(1))[0]
        elif csid == 1:
            low, high = await self.read(2)
            csid = 64 + low + high * 256
        cs = self.streams.setdefault(csid, ChunkStream())
        new_message = not cs.buffer
        if fmt <= 2:
            header = await self.read((11, 7, 3)[fmt])
            stamp = int.from_bytes(header[0:3], "big")
            if fmt <= 1:
                cs.length = int.from_bytes(header[3:6], "big")
                cs.type = header[6]
            if fmt == 0:
                cs.stream_id = int.from_bytes(header[7:11], "little")
            cs.extended = stamp == 0xFFFFFF
            if cs.extended:
                stamp = int.from_bytes(await self.read(4), "big")
            if fmt == 0:
                cs.timestamp, cs.delta = stamp, 0
            else:
                cs.delta = stamp
                cs.timestamp += stamp
            cs.buffer.clear()
        else:
            if cs.extended:
                await self.read(4)
            if new_message:
                cs.timestamp += cs.delta
        size = min(self.in_chunk_size, cs.length - len(cs.buffer))
        if size > 0:
            cs.buffer += await self.read(size)
        if len(cs.buffer) >= cs.length:
            payload = bytes(cs.buffer)
            cs.buffer.clear()
            await self.handle(cs.type, cs.stream_id, payload)

    # --- sending ----------------------------------------------------------------------------------------

    def send(self, csid: int, msg_type: int, stream_id: int, payload: bytes) -> None:
        header = bytes([csid]) + (0).to_bytes(3, "big") + len(payload).to_bytes(3, "big") + bytes([msg_type])
        out = bytearray(header + stream_id.to_bytes(4, "little"))
        for offset in range(0, max(len(payload), 1), self.out_chunk_size):
            if offset:
                out.append(0xC0 | csid)
            out += payload[offset : offset + self.out_chunk_size]
        self.writer.write(bytes(out))

    def command(self, csid: int, stream_id: int, *values: Any) -> None:
        self.send(csid, COMMAND_AMF0, stream_id, amf.encode(*values))

    def on_status(self, level: str, code: str, description: str) -> None:
        info = {"level": level, "code": code, "description": description, "details": self.key or ""}
        self.command(5, 1, "onStatus", 0, None, info)

    # --- receiving --------------------------------------------------------------------------------------

    async def handle(self, msg_type: int, stream_id: int, payload: bytes) -> None:
        if msg_type == SET_CHUNK_SIZE:
            self.in_chunk_size = int.from_bytes(payload[:4], "big") & 0x7FFFFFFF or 128
        elif msg_type == ABORT and len(payload) >= 4:
            self.streams.pop(int.from_bytes(payload[:4], "big"), None)
        elif msg_type == WINDOW_ACK_SIZE:
            self.peer_window = int.from_bytes(payload[:4], "big")
        elif msg_type == USER_CONTROL and payload[:2] == b"\x00\x06":  # ping request -> ping response
            self.send(2, USER_CONTROL, 0, b"\x00\x07" + payload[2:6])
        elif msg_type in (AUDIO, VIDEO):
            self.media(payload)
        elif msg_type in (COMMAND_AMF0, COMMAND_AMF3):
            values = amf.decode_all(payload[1:] if msg_type == COMMAND_AMF3 else payload)
            if values and isinstance(values[0], str):
                try:
                    self.invoke(values[0], values[1] if len(values) > 1 else 0, values[2:])
                except _Close:
                    await self.writer.drain()
                    raise
        await self.writer.drain()

    def invoke(self, name: str, txn: Any, args: list[Any]) -> None:
        if name == "connect":
            props = args[0] if args and isinstance(args[0], dict) else {}
            self.app = str(props.get("app", "")).split("?")[0].strip("/")
            self.send(2, WINDOW_ACK_SIZE, 0, WINDOW.to_bytes(4, "big"))
            self.send(2, PEER_BANDWIDTH, 0, WINDOW.to_bytes(4, "big") + b"\x02")
            self.send(2, SET_CHUNK_SIZE, 0, OUT_CHUNK_SIZE.to_bytes(4, "big"))
            self.out_chunk_size = OUT_CHUNK_SIZE
            self.command(
                3, 0, "_result", txn, {"fmsVer": "FMS/3,0,1,123", "capabilities": 31},
                {"level": "status", "code": "NetConnection.Connect.Success",
                 "description": "Connection succeeded.", "objectEncoding": 0},
            )  # fmt: skip
        elif name in ("releaseStream", "FCPublish"):
            self.command(3, 0, "_result", txn, None, amf.UNDEFINED)
        elif name == "createStream":
            self.command(3, 0, "_result", txn, None, 1)
        elif name == "publish":
            key = str(args[1] if len(args) > 1 else "").split("?")[0]
            if not self.world.rtmp_publish(self.app, key):
                self.key = None
                self.on_status("error", "NetStream.Publish.BadName", "Unknown stream key or application.")
                raise _Close
            self.key = key
            self.send(2, USER_CONTROL, 0, b"\x00\x00" + (1).to_bytes(4, "big"))  # StreamBegin 1
            self.on_status("status", "NetStream.Publish.Start", "Publishing live stream.")
        elif name in ("FCUnpublish", "deleteStream", "closeStream"):
            self.unpublish()
        elif txn:
            self.command(3, 0, "_result", txn, None, amf.UNDEFINED)

    def media(self, payload: bytes) -> None:
        if self.key is None or not payload:
            return
        self.media_messages += 1
        if not self.had_media:
            self.had_media = True
            self.world.rtmp_media(self.key)

    def unpublish(self) -> None:
        if self.key is not None:
            self.world.rtmp_closed(self.key, self.had_media)
            self.key = None
            self.had_media = False


class _Close(Exception):
    """End this session (after refusing a publish)."""


class RtmpIngest:
    """The ingest server on its own asyncio loop in a background thread."""

    def __init__(self, world: World, host: str = "127.0.0.1", port: int = 0) -> None:
        self.world = world
        self.host = host
        self.port = port
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.AbstractServer | None = None
        self._sessions: set[asyncio.Task[None]] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="emulator-rtmp", daemon=True)

    def start(self) -> None:
        self._server = self._loop.run_until_complete(asyncio.start_server(self._accept, self.host, self.port))
        self.port = self._server.sockets[0].getsockname()[1]
        self._thread.start()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        try:
            await RtmpSession(self.world, reader, writer).run()
        except asyncio.CancelledError:
            pass  # the ingest is stopping: the session's own cleanup already ran
        finally:
            self._sessions.discard(task)

    def stop(self) -> None:
        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for task in list(self._sessions):
                task.cancel()
            await asyncio.gather(*self._sessions, return_exceptions=True)

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=5)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._loop.close()
