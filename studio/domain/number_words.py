"""Numbers spelled out in words, the way people dodge a phone-number filter: "nul zes een twee drie ...".

A run of number words (Dutch or Arabic), possibly mixed with digit groups, that together spell at least
``MIN_DIGITS`` digits is a number someone dictated (a phone number, an account, a BSN) and is hidden. A run
of ``LOOK_DIGITS`` up to that is flagged for a look. Ordinary prose never spells that many digits in a row
("twee of drie keer" is two), and "een" (also the article) only counts inside a run of other number words.

Takes the folded text (studio.domain.textnorm: Arabic letters folded, ة -> ه, أ -> ا). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from studio.domain.identifiers import Hit
from studio.domain.textnorm import fold_arabic_word

MIN_DIGITS = 8
LOOK_DIGITS = 6

_NL_UNITS = {"nul": 1, "een": 1, "één": 1, "eén": 1, "twee": 1, "drie": 1, "vier": 1, "vijf": 1, "zes": 1,
             "zeven": 1, "acht": 1, "negen": 1, "tien": 2, "elf": 2, "twaalf": 2, "dertien": 2, "veertien": 2,
             "vijftien": 2, "zestien": 2, "zeventien": 2, "achttien": 2, "negentien": 2, "twintig": 2,
             "dertig": 2, "veertig": 2, "vijftig": 2, "zestig": 2, "zeventig": 2, "tachtig": 2, "negentig": 2,
             "honderd": 3}  # fmt: skip
_NL_COMPOUND_RE = re.compile(
    r"(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)"
    r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig)"
)
_AR_WORDS_RAW = {
    "صفر": 1, "زيرو": 1, "واحد": 1, "واحده": 1, "اثنان": 1, "اثنين": 1, "اتنين": 1, "ثلاثه": 1, "ثلاث": 1,
    "تلاته": 1, "اربعه": 1, "اربع": 1, "خمسه": 1, "خمس": 1, "سته": 1, "ست": 1, "سبعه": 1, "سبع": 1,
    "ثمانيه": 1, "ثماني": 1, "ثمان": 1, "تمانيه": 1, "تسعه": 1, "تسع": 1, "عشره": 2, "عشر": 2,
    "عشرون": 2, "عشرين": 2, "ثلاثون": 2, "ثلاثين": 2, "اربعون": 2, "اربعين": 2, "خمسون": 2, "خمسين": 2,
    "ستون": 2, "ستين": 2, "سبعون": 2, "سبعين": 2, "ثمانون": 2, "ثمانين": 2, "تسعون": 2, "تسعين": 2,
}  # fmt: skip
_AR_WORDS = {fold_arabic_word(w): n for w, n in _AR_WORDS_RAW.items()}
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")
# What may stand between two words of one dictated number.
_JOIN_RE = re.compile(r"[\s,.\-/]*")
# A date written with digits ("1-1-2020", "12/03/85") is a date, not part of a dictated number.
_DATE_RE = re.compile(r"(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?!\d)")


def _digits_of(token: str) -> int:
    """How many digits a token spells (0: not a number word)."""
    if token.isdigit():
        return len(token) if len(token) <= 4 else 0
    low = token.lower()
    if low in _NL_UNITS:
        return _NL_UNITS[low]
    if _NL_COMPOUND_RE.fullmatch(low):
        return 2
    if token in _AR_WORDS:
        return _AR_WORDS[token]
    if token.startswith("و") and token[1:] in _AR_WORDS:  # "وخمسه": and five
        return _AR_WORDS[token[1:]]
    return 0


def find_number_words(text: str) -> Iterator[Hit]:
    run: list[tuple[int, int, int, bool]] = []  # start, end, digits, is a word

    def flush() -> Iterator[Hit]:
        words = sum(1 for r in run if r[3])
        digits = sum(r[2] for r in run)
        if words >= 2 and digits >= LOOK_DIGITS:
            yield Hit(run[0][0], run[-1][1], "number_words", certain=digits >= MIN_DIGITS)

    dates = [d.span() for d in _DATE_RE.finditer(text)]
    prev_end = 0
    for m in _TOKEN_RE.finditer(text):
        in_date = any(a <= m.start() and m.end() <= b for a, b in dates)
        digits = 0 if in_date else _digits_of(m.group())
        joined = bool(run) and _JOIN_RE.fullmatch(text[prev_end : m.start()]) is not None
        if digits and (not run or joined):
            run.append((m.start(), m.end(), digits, not m.group().isdigit()))
        else:
            if run:
                yield from flush()
            run = [(m.start(), m.end(), digits, not m.group().isdigit())] if digits else []
        prev_end = m.end()
    if run:
        yield from flush()
