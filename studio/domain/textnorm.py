"""A folded copy of a question for the detectors, with a map back to the original's offsets.

Chat is hostile: a detail must never survive because of how it is written. Detectors therefore never look at
the text as typed, but at this folded copy, in which

* format characters (zero-width space/joiner, bidi controls, soft hyphen, BOM) and invisible fillers are
  gone, so "06\u200b41234567" reads "0641234567";
* every decimal digit is ASCII ("٠٦١٢" -> "0612"), every dash is "-", every space is " ";
* compatibility forms are folded (NFKC per character: fullwidth "ｊａｎ" -> "jan", ligatures split);
* Cyrillic and Greek letters that look like Latin ones become Latin ("Piеt" with a Cyrillic "е" -> "Piet");
  the table is the Latin-lookalike part of Unicode's confusables (UTS #39, confusables.txt);
* inside a run that is mostly digits, O/o read as 0 and I/l/| as 1 ("O6-I2345678");
* Arabic is folded the way Arabic search folds it: harakat and tatweel dropped, أ/إ/آ/ٱ -> ا, ى -> ي,
  ة -> ه (so "فاطمة" and "فاطمه" are one name).

``origin[i]`` is the index in the original of folded character ``i``; ``span()`` maps a folded span back, so
findings always point into the text the caller gave (and a span can never end inside a dropped character's
neighbour). Pure: standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Latin lookalikes among Cyrillic and Greek letters (from UTS #39 confusables.txt, letters only).
_HOMOGLYPHS = {
    # Cyrillic lower case
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m",
    "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ӏ": "l", "ь": "b", "ү": "y", "ɡ": "g",
    # Cyrillic upper case
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "З": "3", "І": "I", "Ї": "I", "Ј": "J", "К": "K", "М": "M",
    "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "Ү": "Y", "Ԁ": "D",
    "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
    # Greek
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C",
}  # fmt: skip
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_ARABIC_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": ""}
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180e")
# A run of digits and digit lookalikes, not part of a word ("RABO0417..." is a bank code): at least 6 long,
# and mostly real digits (see _fold_digit_lookalikes).
_DIGITISH_RE = re.compile(r"(?<![A-Za-z])[0-9OoIl|]{6,}(?![A-Za-z])")
_LOOKALIKE_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


@dataclass(frozen=True)
class Folded:
    """The folded text and, for each of its characters, the index of the original character it came from."""

    text: str
    origin: tuple[int, ...]
    source_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded ``[start, end)`` (empty spans map to an empty span)."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else self.source_length
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def _fold_char(ch: str) -> str:
    if ch.isascii():
        if ch.isprintable():
            return ch
        return " " if ch in "\t\n\r\v\f" else ""
    if ch in _HOMOGLYPHS:
        return _HOMOGLYPHS[ch]
    if ch in _ARABIC_FOLD:
        return _ARABIC_FOLD[ch]
    if ch in _DASHES:
        return "-"
    if ch in _INVISIBLE:
        return ""
    category = unicodedata.category(ch)
    if category in ("Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me"):
        return " " if ch in "\x85\u2028\u2029" else ""
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if category[0] == "Z":
        return " "
    folded = unicodedata.normalize("NFKC", ch)
    # NFKC may produce characters that themselves need folding (fullwidth "０" -> "0" is fine already).
    return "".join(_HOMOGLYPHS.get(c, c) for c in folded)


def fold(text: str) -> Folded:
    """The folded copy of ``text`` (see the module docstring). Linear in the length; never raises."""
    out: list[str] = []
    origin: list[int] = []
    if text.isascii() and text.isprintable():
        out.append(text)
        origin.extend(range(len(text)))
    else:
        for i, ch in enumerate(text):
            f = _fold_char(ch)
            if f:
                out.append(f)
                origin.extend([i] * len(f))
    folded = "".join(out)
    folded = _fold_digit_lookalikes(folded)
    return Folded(folded, tuple(origin), len(text))


def _fold_digit_lookalikes(text: str) -> str:
    """O/o -> 0 and I/l/| -> 1, but only inside runs that are mostly digits ("O6I2345678"); same length."""
    if not any(c in text for c in "OoIl|"):
        return text

    def repl(m: re.Match[str]) -> str:
        run = m.group()
        digits = sum(c.isdigit() for c in run)
        return run.translate(_LOOKALIKE_DIGITS) if digits >= 5 and digits * 4 >= len(run) * 3 else run

    return _DIGITISH_RE.sub(repl, text)


def fold_arabic_word(word: str) -> str:
    """One Arabic word folded the same way as ``fold`` does (for building lookup sets)."""
    return fold(word).text
