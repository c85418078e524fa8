"""Paragraph layout: font runs, bidi levels, word wrap by measured width, an ellipsis when it does not fit.

Everything is measured with the same raqm-shaped fonts that draw it, so a wrapped Arabic line is exactly as
wide as it will be on screen. Lines are returned as runs in visual order (left to right), each with the
direction raqm must lay it out in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from studio.overlay import bidi
from studio.overlay.fonts import ARABIC, FontSet, assign_families, is_arabic_script, load_font

if TYPE_CHECKING:
    from PIL import ImageDraw

ELLIPSIS = "…"
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class Run:
    text: str
    family: str
    rtl: bool
    width: float


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]  # visual order, left to right

    @property
    def width(self) -> float:
        return sum(r.width for r in self.runs)

    @property
    def text(self) -> str:
        return "".join(r.text[::-1] if r.rtl else r.text for r in self.runs)


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]
    rtl: bool  # paragraph direction: right-aligned when true
    truncated: bool


def _drawable(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if ch in ("\u200c", "\u200d"):
        return True  # joiners matter to the shaper
    return cat not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def prepare(text: str, fonts: FontSet) -> tuple[str, list[str]]:
    """The text as it can be drawn: one line, no invisible controls, no characters neither font has
    (emoji would be empty boxes on air), and the font family of each character."""
    text = "".join(ch if _drawable(ch) else " " for ch in text)
    text = _SPACE_RE.sub(" ", text).strip()
    families = assign_families(text, fonts)
    if None in families:
        text = "".join(ch for ch, fam in zip(text, families, strict=True) if fam is not None)
        text = _SPACE_RE.sub(" ", text).strip()
        families = assign_families(text, fonts)
    return text, [f or "latin" for f in families]


def is_rtl_text(text: str, default_rtl: bool) -> bool:
    """The paragraph direction of a chat message. The session's script wins whenever the text has any of
    it (an Arabic question with a long web address is still Arabic; the first strong letter, UAX #9's rule,
    fails on chat that starts with "WhatsApp" or a URL); otherwise whichever script the text has."""
    has_arabic = any(is_arabic_script(ch) and ch.isalpha() for ch in text)
    has_latin = any(ch.isalpha() and not is_arabic_script(ch) for ch in text)
    if default_rtl:
        return has_arabic or not has_latin
    return has_arabic and not has_latin


@lru_cache(maxsize=4096)
def _measure(text: str, path: Path, size: int, rtl: bool, language: str | None) -> float:
    font = load_font(path, size)
    return float(font.getlength(text, direction="rtl" if rtl else "ltr", language=language))


class Typesetter:
    """Lays out paragraphs in one size of one font set."""

    def __init__(self, fonts: FontSet, size: int) -> None:
        self.fonts = fonts
        self.size = size

    def measure(self, text: str, family: str, rtl: bool) -> float:
        return _measure(text, self.fonts.path(family), self.size, rtl, "ar" if family == ARABIC else None)

    def _runs(self, text: str, families: list[str], levels: list[int], lo: int, hi: int) -> list[Run]:
        """Runs of one family and level in text[lo:hi], in visual order."""
        pieces: list[tuple[int, int, str, int]] = []
        i = lo
        while i < hi:
            j = i + 1
            while j < hi and families[j] == families[i] and levels[j] == levels[i]:
                j += 1
            pieces.append((i, j, families[i], levels[i]))
            i = j
        ordered = bidi.visual_order(pieces, [p[3] for p in pieces])
        return [
            Run(text[a:b], fam, lvl % 2 == 1, self.measure(text[a:b], fam, lvl % 2 == 1))
            for a, b, fam, lvl in ordered
        ]

    def _width(self, text: str, families: list[str], levels: list[int], lo: int, hi: int) -> float:
        return sum(r.width for r in self._runs(text, families, levels, lo, hi))

    def layout(self, text: str, max_width: float, max_lines: int | None = None, default_rtl: bool = False) -> Block:
        text, families = prepare(text, self.fonts)
        rtl = is_rtl_text(text, default_rtl)
        base = 1 if rtl else 0
        levels = bidi.resolve_levels(text, base)
        # Greedy word wrap over logical positions; an overlong word is cut where it stops fitting.
        spans: list[tuple[int, int]] = []
        start = 0
        n = len(text)
        while start < n:
            end = self._fit(text, families, levels, start, n, max_width)
            spans.append((start, end))
            start = end + 1 if end < n and text[end] == " " else end
            if max_lines is not None and len(spans) > max_lines:
                break
        truncated = max_lines is not None and len(spans) > max_lines
        if truncated:
            assert max_lines is not None
            spans = spans[:max_lines]
            last_start, last_end = spans[-1]
            text, families, levels, last_end = self._ellipsize(text, families, base, last_start, last_end, max_width)
            spans[-1] = (last_start, last_end)
        lines = []
        for lo, hi in spans:
            line_lv = bidi.line_levels(text[lo:hi], levels[lo:hi], base)
            full_lv = levels[:lo] + line_lv + levels[hi:]
            lines.append(Line(tuple(self._runs(text, families, full_lv, lo, hi))))
        return Block(tuple(lines), rtl, truncated)

    def _fit(self, text: str, families: list[str], levels: list[int], start: int, n: int, max_width: float) -> int:
        """End of the longest line from `start`: at a space if possible, else inside an overlong word."""
        best = None
        pos = start
        while pos < n:
            nxt = text.find(" ", pos)
            end = n if nxt == -1 else nxt
            if self._width(text, families, levels, start, end) > max_width:
                break
            best = end
            if end == n:
                break
            pos = end + 1
        if best is not None:
            return best
        # The first word alone is too wide: the longest prefix that fits (at least one character).
        word_end = text.find(" ", start)
        word_end = n if word_end == -1 else word_end
        lo, hi = start + 1, word_end
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._width(text, families, levels, start, mid) <= max_width:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def _ellipsize(
        self, text: str, families: list[str], base: int, lo: int, hi: int, max_width: float
    ) -> tuple[str, list[str], list[int], int]:
        """Cut the last line so that it ends in '…' and still fits; levels re-resolved for the new text."""
        cut = hi
        while True:
            head = text[:cut].rstrip()
            new_text = head + ELLIPSIS
            new_families = [*families[: len(head)], families[len(head) - 1] if head else "latin"]
            if new_families[-1] == ARABIC:
                new_families[-1] = "latin"  # the Arabic font has no ellipsis glyph
            new_levels = bidi.resolve_levels(new_text, base)
            end = len(new_text)
            if cut <= lo + 1 or self._width(new_text, new_families, new_levels, lo, end) <= max_width:
                return new_text, new_families, new_levels, end
            # Drop the last word if there is more than one on the line, else the last character.
            space = text.rfind(" ", lo, cut)
            cut = space if space > lo else cut - 1


def draw_line(
    draw: ImageDraw.ImageDraw,
    line: Line,
    fonts: FontSet,
    size: int,
    x: float,
    baseline: float,
    fill: tuple[int, int, int, int],
) -> None:
    """Draw the runs of one line from x (its left edge) on the given baseline."""
    for run in line.runs:
        font = load_font(fonts.path(run.family), size)
        draw.text(
            (x, baseline),
            run.text,
            font=font,
            fill=fill,
            anchor="ls",
            direction="rtl" if run.rtl else "ltr",
            language="ar" if run.family == ARABIC else None,
        )
        x += run.width
