"""The shipped fonts, their coverage, and a cache of loaded FreeType faces (raqm layout).

Two families: Noto Sans for Latin (and Greek/Cyrillic), Noto Sans Arabic for Arabic. The Arabic font has
digits, space and a little punctuation but no Latin letters, and Pillow has no font fallback, so the
renderer picks a font per character (``font_for``) and draws runs; the coverage comes from the fonts' own
cmap tables (parsed here; no fontTools needed).
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from studio.config import project_root
from studio.overlay.errors import OverlayError

if TYPE_CHECKING:
    from PIL import ImageFont

FONTS_DIR = project_root() / "scenes" / "assets" / "fonts"

LATIN = "latin"
ARABIC = "arabic"


def require_raqm() -> str:
    """Refuse to render without raqm: Arabic would come out as isolated letters, left to right.

    Returns raqm's version (for the preflight check's line).
    """
    from PIL import features

    if not features.check("raqm"):
        raise OverlayError(
            "Pillow is gebouwd zonder raqm: Arabische tekst kan niet goed worden weergegeven",
            "installeer libraqm (apt install libraqm0) of gebruik de Pillow-wheel",
        )
    return str(features.version("raqm") or "raqm")


def _read_cmap(path: Path) -> frozenset[int]:
    """Code points that the font maps to a glyph (cmap format 4 or 12 from the Unicode subtable)."""
    data = path.read_bytes()
    num_tables = struct.unpack_from(">H", data, 4)[0]
    cmap_offset = None
    for i in range(num_tables):
        tag, _checksum, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap_offset = offset
    if cmap_offset is None:
        raise OverlayError(f"lettertype {path.name} heeft geen cmap-tabel", "vervang het bestand")
    n_sub = struct.unpack_from(">H", data, cmap_offset + 2)[0]
    subtables = {}
    for i in range(n_sub):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap_offset + 4 + 8 * i)
        subtables[(platform, encoding)] = cmap_offset + offset
    codepoints: set[int] = set()
    if (3, 10) in subtables:  # format 12: sequential map groups
        base = subtables[(3, 10)]
        n_groups = struct.unpack_from(">I", data, base + 12)[0]
        for g in range(n_groups):
            start, end, _glyph = struct.unpack_from(">III", data, base + 16 + 12 * g)
            codepoints.update(range(start, end + 1))
    elif (3, 1) in subtables or (0, 3) in subtables:  # format 4: segment mapping to delta values
        base = subtables.get((3, 1), subtables.get((0, 3)))
        assert base is not None
        seg_x2 = struct.unpack_from(">H", data, base + 6)[0]
        ends = struct.unpack_from(f">{seg_x2 // 2}H", data, base + 14)
        starts = struct.unpack_from(f">{seg_x2 // 2}H", data, base + 16 + seg_x2)
        deltas = struct.unpack_from(f">{seg_x2 // 2}h", data, base + 16 + 2 * seg_x2)
        range_offsets_at = base + 16 + 3 * seg_x2
        range_offsets = struct.unpack_from(f">{seg_x2 // 2}H", data, range_offsets_at)
        for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
            if start == 0xFFFF:
                continue
            for cp in range(start, end + 1):
                if range_offsets[i] == 0:
                    glyph = (cp + deltas[i]) & 0xFFFF
                else:
                    at = range_offsets_at + 2 * i + range_offsets[i] + 2 * (cp - start)
                    glyph = struct.unpack_from(">H", data, at)[0]
                    glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
                if glyph:
                    codepoints.add(cp)
    else:
        raise OverlayError(f"lettertype {path.name} heeft geen Unicode-tekentabel", "vervang het bestand")
    return frozenset(codepoints)


@dataclass(frozen=True)
class FontSet:
    """The font files of one weight: Latin and Arabic."""

    latin: Path
    arabic: Path

    def path(self, family: str) -> Path:
        return self.arabic if family == ARABIC else self.latin


def font_set(latin_file: str, arabic_file: str, fonts_dir: Path = FONTS_DIR) -> FontSet:
    fs = FontSet(fonts_dir / latin_file, fonts_dir / arabic_file)
    for p in (fs.latin, fs.arabic):
        if not p.is_file():
            raise OverlayError(f"lettertype ontbreekt: {p}", "zet de lettertypen terug uit scenes/assets/fonts")
    return fs


@lru_cache(maxsize=16)
def coverage(path: Path) -> frozenset[int]:
    return _read_cmap(path)


@lru_cache(maxsize=64)
def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    require_raqm()
    try:
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
    except OSError as exc:
        raise OverlayError(f"kan lettertype {path.name} niet laden: {exc}", "vervang het bestand") from None


def is_arabic_script(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x08A0 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFF
    )


def assign_families(text: str, fonts: FontSet) -> list[str | None]:
    """Per character: the family that draws it, or None if neither font has it (emoji, CJK...).

    Arabic letters take the Arabic font and strong Latin-side letters the Latin font; digits, spaces and
    punctuation stay with the family of the character before them when it covers them (so "اتصل بـ 0900-8844"
    keeps the Arabic font's digits and "Bel 112" the Latin ones), else take the next letter's family.
    """
    latin_cov = coverage(fonts.latin)
    arabic_cov = coverage(fonts.arabic)
    out: list[str | None] = []
    for ch in text:
        cp = ord(ch)
        if is_arabic_script(ch) and cp in arabic_cov:
            out.append(ARABIC)
        elif unicodedata.bidirectional(ch) == "L" and cp in latin_cov:
            out.append(LATIN)
        else:
            out.append("?" if cp in latin_cov or cp in arabic_cov else None)
    # Neutrals: inherit from the left, else from the right, else Latin.
    next_strong: list[str | None] = [None] * len(out)
    following: str | None = None
    for i in range(len(out) - 1, -1, -1):
        next_strong[i] = following
        if out[i] not in ("?", None):
            following = out[i]
    last: str | None = None
    for i, fam in enumerate(out):
        if fam == "?":
            cp = ord(text[i])
            for candidate in (last, next_strong[i], LATIN, ARABIC):
                if candidate is not None and cp in coverage(fonts.path(candidate)):
                    out[i] = candidate
                    break
        if out[i] is not None:
            last = out[i]
    return out
