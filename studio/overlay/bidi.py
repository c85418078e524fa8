"""The Unicode Bidirectional Algorithm (UAX #9) for one paragraph without explicit embeddings.

raqm shapes and orders a run perfectly, but a run can only have one font, and the Arabic font has no Latin
letters. So the renderer resolves embedding levels for the whole paragraph here, splits each line into runs
of one level and one font, orders the runs visually (rule L2), and lets raqm draw each run in the direction
of its level. Explicit embedding, override and isolate characters never reach this module (the renderer
removes them, as clean_chat_text already does), which leaves rules P2-P3, W1-W7, N1-N2, I1-I2, L1 and L2.

One deliberate deviation: a hyphen, slash, dot or colon between two digits is treated as a common number
separator (CS). By the letter of UAX #9, "0900-8844" after Arabic letters becomes two Arabic numbers around
a neutral hyphen and shows as "8844-0900", which is why careful authors wrap numbers in an LRI...PDI isolate.
Chat users do not, and a reversed phone number on air is wrong information, so numbers stay in one piece.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

_STRONG_R = ("R", "AL")
_NEUTRAL = frozenset(("B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"))

T = TypeVar("T")

# A separator between digits (any script's decimal digits): hyphen(s), slash, dot, colon, comma.
_NUMBER_SEPARATOR_RE = re.compile(r"(?<=\d)[-\u2010\u2011\u2012\u2013\u2212/.:,\u066b\u066c](?=\d)")


def paragraph_is_rtl(text: str, default_rtl: bool = False) -> bool:
    """P2/P3: the first strong character decides; without one, the session's direction."""
    for ch in text:
        t = unicodedata.bidirectional(ch)
        if t == "L":
            return False
        if t in _STRONG_R:
            return True
    return default_rtl


def resolve_levels(text: str, base_level: int) -> list[int]:
    """Embedding level of every character (even = left to right, odd = right to left)."""
    n = len(text)
    if n == 0:
        return []
    types = [unicodedata.bidirectional(ch) or "L" for ch in text]
    for m in _NUMBER_SEPARATOR_RE.finditer(text):
        types[m.start()] = "CS"
    sos = "R" if base_level % 2 else "L"
    # W1: a non-spacing mark takes the type of the character before it.
    prev = sos
    for i, t in enumerate(types):
        if t == "NSM":
            types[i] = "ON" if prev in _NEUTRAL else prev
        prev = types[i]
    # W2: European numbers after Arabic letters are Arabic numbers. W3: AL -> R.
    last_strong = sos
    for i, t in enumerate(types):
        if t in ("L", "R", "AL"):
            last_strong = t
        elif t == "EN" and last_strong == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]
    # W4: one separator between two numbers of the same kind joins them.
    for i in range(1, n - 1):
        if types[i] == "ES" and types[i - 1] == "EN" and types[i + 1] == "EN":
            types[i] = "EN"
        elif types[i] == "CS" and types[i - 1] == types[i + 1] and types[i - 1] in ("EN", "AN"):
            types[i] = types[i - 1]
    # W5: terminators (%, $, #...) next to European numbers become European numbers.
    i = 0
    while i < n:
        if types[i] == "ET":
            j = i
            while j < n and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    # W6: remaining separators and terminators are neutral.
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]
    # W7: European numbers after Latin letters are Latin.
    last_strong = sos
    for i, t in enumerate(types):
        if t in ("L", "R"):
            last_strong = t
        elif t == "EN" and last_strong == "L":
            types[i] = "L"
    # N1/N2: neutrals between two strong types of the same direction take it; others the embedding's.
    e_dir = sos
    i = 0
    while i < n:
        if types[i] in _NEUTRAL:
            j = i
            while j < n and types[j] in _NEUTRAL:
                j += 1
            before = sos if i == 0 else ("R" if types[i - 1] in ("R", "EN", "AN") else "L")
            after = sos if j == n else ("R" if types[j] in ("R", "EN", "AN") else "L")
            types[i:j] = [before if before == after else e_dir] * (j - i)
            i = j
        else:
            i += 1
    # I1/I2: implicit levels.
    levels = []
    for t in types:
        if base_level % 2 == 0:
            levels.append(base_level + (1 if t == "R" else 2 if t in ("AN", "EN") else 0))
        else:
            levels.append(base_level + (1 if t in ("L", "EN", "AN") else 0))
    return levels


def line_levels(line: str, levels: Sequence[int], base_level: int) -> list[int]:
    """L1: whitespace at the end of a line goes back to the paragraph level."""
    out = list(levels)
    i = len(line) - 1
    while i >= 0 and unicodedata.bidirectional(line[i]) in ("WS", "S", "B", "BN"):
        out[i] = base_level
        i -= 1
    return out


def visual_order(items: Sequence[T], levels: Sequence[int]) -> list[T]:
    """L2: reverse every maximal sequence at level >= k, for k from the highest level down to the lowest odd."""
    order = list(range(len(items)))
    if not levels:
        return []
    highest = max(levels)
    lowest_odd = min(levels) | 1
    lv = list(levels)
    for k in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if lv[i] >= k:
                j = i
                while j < len(order) and lv[j] >= k:
                    j += 1
                order[i:j] = order[i:j][::-1]
                lv[i:j] = lv[i:j][::-1]
                i = j
            else:
                i += 1
    return [items[k] for k in order]
