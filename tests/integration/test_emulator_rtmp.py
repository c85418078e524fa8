"""The RTMP ingest spoken to byte by byte: handshake, chunking with a changed chunk size and extended
timestamps, the publish commands and their replies, activity and inactivity of the stream."""

from __future__ import annotations

import socket
import struct
import time

import pytest

from studio.youtube.emulator import amf
from tests.integration.test_emulator_lifecycle import STREAM
from tests.waiting import wait_until


class RawPublisher:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.chunk_size = 128
        self.in_chunk_size = 128
        self.buffer = b""

    def handshake(self) -> None:
        c1 = struct.pack(">II", 0, 0) + (bytes(range(256)) * 6)[:1528]
        self.sock.sendall(b"\x03" + c1)
        s0s1s2 = self.recv_exact(1 + 1536 * 2)
        assert s0s1s2[0] == 3 and s0s1s2[1 + 1536 :] == c1  # S2 echoes C1
        self.sock.sendall(s0s1s2[1 : 1 + 1536])  # C2 echoes S1

    def recv_exact(self, size: int) -> bytes:
        while len(self.buffer) < size:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("closed")
            self.buffer += data
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out

    def send(self, csid: int, msg_type: int, stream_id: int, payload: bytes, timestamp: int = 0) -> None:
        extended = timestamp >= 0xFFFFFF
        stamp = (0xFFFFFF if extended else timestamp).to_bytes(3, "big")
        ext = timestamp.to_bytes(4, "big") if extended else b""
        out = bytes([csid]) + stamp + len(payload).to_bytes(3, "big") + bytes([msg_type])
        out += stream_id.to_bytes(4, "little") + ext
        for offset in range(0, len(payload), self.chunk_size):
            if offset:
                out += bytes([0xC0 | csid]) + ext  # fmt 3 repeats the extended timestamp
            out += payload[offset : offset + self.chunk_size]
        self.sock.sendall(out)

    def command(self, *values: object, stream_id: int = 0) -> None:
        self.send(3, 20, stream_id, amf.encode(*values))

    def read_message(self) -> tuple[int, bytes]:
        """One whole message from the server (the server only uses fmt 0 + fmt 3 chunks)."""
        first = self.recv_exact(1)[0]
        assert first >> 6 == 0
        header = self.recv_exact(11)
        length, msg_type = int.from_bytes(header[3:6], "big"), header[6]
        payload = b""
        while True:
            payload += self.recv_exact(min(self.in_chunk_size, length - len(payload)))
            if len(payload) >= length:
                break
            assert self.recv_exact(1)[0] >> 6 == 3
        if msg_type == 1:
            self.in_chunk_size = int.from_bytes(payload, "big")
        return msg_type, payload

    def read_command(self, name: str) -> list[object]:
        for _ in range(20):
            msg_type, payload = self.read_message()
            if msg_type == 20:
                values = amf.decode_all(payload)
                if values[0] == name or (values[0] == "onStatus" and name == "onStatus"):
                    return values
        raise AssertionError(f"no {name}")


def test_amf0_round_trip():
    values = ["connect", 1.0, {"app": "live2", "flashVer": "FMLE/3.0", "nested": {"ok": True}}, None, [1.0, "x"]]
    assert amf.decode_all(amf.encode(*values)) == values
    with pytest.raises(amf.AmfError):
        amf.decode_all(b"\x02\x00\x10abc")


def test_publish_by_hand(emulator, emulator_client):
    stream = emulator_client.liveStreams().insert(part="snippet,cdn", body=STREAM).execute()
    key = stream["cdn"]["ingestionInfo"]["streamName"]
    client = RawPublisher(emulator.rtmp_port)
    client.handshake()
    client.send(2, 1, 0, (4096).to_bytes(4, "big"))  # set chunk size
    client.chunk_size = 4096
    client.command("connect", 1, {"app": "live2", "type": "nonprivate", "tcUrl": emulator.rtmp_url})
    result = client.read_command("_result")
    assert result[1] == 1 and result[3]["code"] == "NetConnection.Connect.Success"
    client.command("releaseStream", 2, None, key)
    client.command("FCPublish", 3, None, key)
    client.command("createStream", 4, None)
    while (result := client.read_command("_result"))[1] != 4:
        pass
    stream_id = int(result[3])
    client.command("publish", 5, None, key, "live", stream_id=stream_id)
    status = client.read_command("onStatus")
    assert status[3]["code"] == "NetStream.Publish.Start"
    client.send(4, 18, stream_id, amf.encode("@setDataFrame", "onMetaData", {"width": 320.0}))
    assert emulator.control.state()["streams"][stream["id"]]["streamStatus"] == "ready"  # metadata is no media
    # a video message larger than the chunk size, with an extended timestamp (fmt 3 chunks repeat it)
    client.send(6, 9, stream_id, b"\x17\x00" + bytes(10_000), timestamp=0x01000000)

    def status_now() -> str:
        return emulator.control.state()["streams"][stream["id"]]["streamStatus"]

    wait_until(lambda: status_now() == "active", "the stream active", 5)
    client.send(6, 8, stream_id, b"\xaf\x01" + bytes(300), timestamp=0x01000010)
    issue = {"type": "bitrateLow", "severity": "warning", "reason": "Lage bitrate", "description": "..."}
    emulator.control.set_stream_health(stream["id"], "bad", [issue])
    health = emulator_client.liveStreams().list(part="status", id=stream["id"]).execute()["items"][0]["status"]
    assert health["healthStatus"]["status"] == "bad"
    assert health["healthStatus"]["configurationIssues"] == [issue]
    client.command("FCUnpublish", 6, None, key)
    client.command("deleteStream", 7, None, float(stream_id))
    wait_until(lambda: status_now() == "inactive", "the stream inactive", 5)
    client.sock.close()


def test_unknown_key_gets_bad_name_and_is_closed(emulator):
    client = RawPublisher(emulator.rtmp_port)
    client.handshake()
    client.command("connect", 1, {"app": "live2"})
    client.read_command("_result")
    client.command("createStream", 2, None)
    client.read_command("_result")
    client.command("publish", 3, None, "guessed-key", "live", stream_id=1)
    status = client.read_command("onStatus")
    assert status[3]["level"] == "error" and status[3]["code"] == "NetStream.Publish.BadName"
    deadline = time.monotonic() + 5
    with pytest.raises(ConnectionError):
        while time.monotonic() < deadline:
            client.recv_exact(len(client.buffer) + 1)
