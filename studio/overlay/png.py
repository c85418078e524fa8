"""A fast PNG encoder for overlays that are mostly transparent.

A question card is a 1920x1080 RGBA frame of which only the lower third has pixels. Pillow filters and
deflates all 8 MB of it (about 17 ms, most of the card's time budget). Here only the rows that hold something
are compressed; the fully transparent rows above and below come from a cache of deflate blocks of zero rows
(compressed once per width and row count). Deflate allows that: every piece is a sequence of complete blocks
ended by a full flush, so pieces made by separate compressors can be concatenated into one zlib stream; the
Adler-32 checksum of the zero rows follows from a closed form (zeros leave A unchanged and add A to B per
byte). The result is an ordinary PNG (8-bit RGBA, no interlace, filter type 0 per row).
"""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ADLER_MOD = 65521


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(tag)))


def _deflate_piece(raw: bytes, level: int) -> bytes:
    """Raw deflate blocks for `raw`, ended by a full flush (not final): safe to concatenate."""
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(raw) + c.flush(zlib.Z_FULL_FLUSH)


@lru_cache(maxsize=32)
def _zero_rows(row_bytes: int, rows: int, level: int) -> bytes:
    return _deflate_piece(bytes(row_bytes * rows), level) if rows else b""


def _adler_after_zeros(adler: int, count: int) -> int:
    a, b = adler & 0xFFFF, adler >> 16
    b = (b + count * a) % _ADLER_MOD
    return (b << 16) | a


def encode_rgba_png(img: Image.Image, level: int = 1) -> bytes:
    """PNG bytes of an RGBA image; transparent rows at the top and bottom cost (almost) nothing."""
    if img.mode != "RGBA":
        img = img.convert("RGBA")
    width, height = img.size
    row_bytes = 1 + 4 * width  # filter byte + pixels
    bbox = img.getchannel("A").getbbox()
    top, bottom = (bbox[1], bbox[3]) if bbox else (height, height)
    # Rows with any visible pixel, filter type 0 (None) prefixed to each.
    band = img.crop((0, top, width, bottom)).tobytes() if bottom > top else b""
    stride = 4 * width
    raw_band = b"".join(b"\x00" + band[i : i + stride] for i in range(0, len(band), stride))

    adler = 1
    adler = _adler_after_zeros(adler, row_bytes * top)
    adler = zlib.adler32(raw_band, adler)
    adler = _adler_after_zeros(adler, row_bytes * (height - bottom))
    tail = zlib.compressobj(level, zlib.DEFLATED, -15)
    stream = b"".join(
        (
            b"\x78\x01",  # zlib header: deflate, 32K window, fastest
            _zero_rows(row_bytes, top, level),
            _deflate_piece(raw_band, level) if raw_band else b"",
            _zero_rows(row_bytes, height - bottom, level),
            tail.flush(zlib.Z_FINISH),  # the final (empty) block
            struct.pack(">I", adler),
        )
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return _SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")
