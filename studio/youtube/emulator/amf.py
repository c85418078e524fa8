"""AMF0, the value encoding of RTMP commands (connect, createStream, publish, _result, onStatus)."""

from __future__ import annotations

import struct
from typing import Any


class AmfError(ValueError):
    pass


class Undefined:
    def __repr__(self) -> str:
        return "undefined"


UNDEFINED = Undefined()


def decode_all(data: bytes) -> list[Any]:
    values: list[Any] = []
    pos = 0
    while pos < len(data):
        value, pos = _decode(data, pos)
        values.append(value)
    return values


def _string(data: bytes, pos: int, size_bytes: int = 2) -> tuple[str, int]:
    if pos + size_bytes > len(data):
        raise AmfError("truncated string length")
    length = int.from_bytes(data[pos : pos + size_bytes], "big")
    pos += size_bytes
    if pos + length > len(data):
        raise AmfError("truncated string")
    return data[pos : pos + length].decode("utf-8", "replace"), pos + length


def _properties(data: bytes, pos: int) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    while True:
        if data[pos : pos + 3] == b"\x00\x00\x09":
            return result, pos + 3
        key, pos = _string(data, pos)
        result[key], pos = _decode(data, pos)


def _decode(data: bytes, pos: int) -> tuple[Any, int]:
    if pos >= len(data):
        raise AmfError("truncated value")
    marker = data[pos]
    pos += 1
    if marker == 0x00:
        return struct.unpack(">d", data[pos : pos + 8])[0], pos + 8
    if marker == 0x01:
        return data[pos] != 0, pos + 1
    if marker == 0x02:
        return _string(data, pos)
    if marker == 0x03:
        return _properties(data, pos)
    if marker in (0x05, 0x06):
        return (None if marker == 0x05 else UNDEFINED), pos
    if marker == 0x08:  # ECMA array: a count, then properties like an object
        return _properties(data, pos + 4)
    if marker == 0x0A:
        count = int.from_bytes(data[pos : pos + 4], "big")
        pos += 4
        items = []
        for _ in range(count):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if marker == 0x0B:
        return struct.unpack(">d", data[pos : pos + 8])[0], pos + 10
    if marker == 0x0C:
        return _string(data, pos, 4)
    raise AmfError(f"unsupported AMF0 marker {marker:#x}")


def encode(*values: Any) -> bytes:
    return b"".join(_encode(v) for v in values)


def _encode_string(text: str) -> bytes:
    raw = text.encode("utf-8")
    return len(raw).to_bytes(2, "big") + raw


def _encode(value: Any) -> bytes:
    if value is None:
        return b"\x05"
    if isinstance(value, Undefined):
        return b"\x06"
    if isinstance(value, bool):
        return b"\x01" + (b"\x01" if value else b"\x00")
    if isinstance(value, int | float):
        return b"\x00" + struct.pack(">d", float(value))
    if isinstance(value, str):
        raw = value.encode("utf-8")
        if len(raw) > 0xFFFF:
            return b"\x0c" + len(raw).to_bytes(4, "big") + raw
        return b"\x02" + _encode_string(value)
    if isinstance(value, dict):
        body = b"".join(_encode_string(str(k)) + _encode(v) for k, v in value.items())
        return b"\x03" + body + b"\x00\x00\x09"
    if isinstance(value, list | tuple):
        return b"\x0a" + len(value).to_bytes(4, "big") + b"".join(_encode(v) for v in value)
    raise AmfError(f"cannot encode {type(value).__name__}")
