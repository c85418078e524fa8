"""Make untrusted chat text harmless for the panel, the air and exports.

``clean_chat_text`` is applied once, when a message enters the studio; everything downstream sees only its
output. What it does, and why:

* ANSI escape sequences (CSI, OSC, single ESC) are removed: a terminal panel would execute them.
* Control characters (Cc) are removed; tab, newline and other separators become one space (a question is
  shown as one paragraph).
* Format characters (Cf) are removed. That covers the bidi embeddings/overrides U+202A-202E and isolates
  U+2066-2069 (the "Trojan Source" trick that shows text in another order than it is stored), the marks
  U+200E/200F/061C (invisible; the renderer resolves direction itself, and a mark can only move
  punctuation around), zero-width space U+200B, word joiner U+2060, BOM U+FEFF, soft hyphen, tag characters.
  Two exceptions, because they carry meaning: ZERO WIDTH JOINER between two emoji (family and profession
  emoji sequences) and ZERO WIDTH NON-JOINER between two non-Latin letters (Persian/Urdu "می‌خواهم" is spelt
  with it). Anywhere else they only serve to spoof or to dodge word filters, and are removed.
* Invisible "letters" used for blank names (Hangul fillers, braille blank, U+034F) are removed.
* Private-use, surrogate and unassigned code points are removed (nothing can render them faithfully).
* NFKC normalisation folds look-alike compatibility forms: fullwidth "ｂａｎｋ" becomes "bank", Arabic
  presentation forms become the letters the shaper expects, ligatures are split. The ellipsis "…" is kept.
* Combining marks are capped per letter (Zalgo text), any character repeated more than three times in a row
  is cut to three ("!!!!!!!!" -> "!!!"), emoji beyond ``max_emoji`` are dropped, and the text is capped at
  ``max_chars`` code points with a trailing "…".

Arabic survives intact: letters, harakat (up to the cap, which real text never reaches), tatweel (capped
like any repetition), Arabic-Indic digits and Arabic punctuation are untouched.

``escape_markup`` makes text safe to embed in Rich/Textual markup; see there.
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_MAX_CHARS = 500
DEFAULT_MAX_EMOJI = 8
MAX_REPEAT = 3
MAX_MARKS_PER_LETTER = 4
ELLIPSIS = "…"

ZWJ = "\u200d"
ZWNJ = "\u200c"

_ANSI_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
)
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180e")
_WHITESPACE_RE = re.compile(r"\s+")
# Upper bound on work: never look at more than this many times max_chars of raw input.
_RAW_FACTOR = 8


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2B00 <= cp <= 0x2BFF
        or 0x1F1E6 <= cp <= 0x1F1FF
        or cp in (0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x231A, 0x231B, 0x2328, 0x23CF)
        or 0x23E9 <= cp <= 0x23FA
    )


def _is_emoji_modifier(ch: str) -> bool:
    cp = ord(ch)
    return 0x1F3FB <= cp <= 0x1F3FF or cp in (0xFE0F, 0xFE0E, 0x20E3)


def _keep_joiner(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if not prev or not nxt:
        return False
    if text[i] == ZWJ:
        return (_is_emoji(prev) or _is_emoji_modifier(prev)) and _is_emoji(nxt)
    # ZWNJ: only between two letters (or a letter's mark) of a non-Latin script.
    def non_latin_letter(c: str) -> bool:
        return unicodedata.category(c)[0] in "LM" and ord(c) > 0x24F

    return non_latin_letter(prev) and non_latin_letter(nxt)


def _drop_invisible(text: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if ch in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029":
            out.append(" ")
        elif cat in ("Cc", "Cs", "Co", "Cn") or ch in _INVISIBLE_LETTERS:
            continue
        elif cat == "Cf":
            if ch in (ZWJ, ZWNJ) and _keep_joiner(text, i):
                out.append(ch)
        else:
            out.append(ch)
    return "".join(out)


def _nfkc(text: str) -> str:
    return ELLIPSIS.join(unicodedata.normalize("NFKC", part) for part in text.split(ELLIPSIS))


def _cap_marks(text: str) -> str:
    out: list[str] = []
    run = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me"):
            run += 1
            if run > MAX_MARKS_PER_LETTER or not out or out[-1].isspace() or out[-1] in (ZWJ, ZWNJ):
                continue  # Zalgo, or a mark with nothing to sit on (a joiner is nothing: it may go later)
        else:
            run = 0
        out.append(ch)
    return "".join(out)


def _cap_emoji(text: str, max_emoji: int) -> str:
    """Keep the first `max_emoji` emoji; a sequence (modifiers, ZWJ-joined parts, keycaps) counts once."""
    out: list[str] = []
    count = 0
    dropping = False
    prev = ""
    for ch in text:
        continuing = _is_emoji_modifier(ch) or ch == ZWJ or (_is_emoji(ch) and prev == ZWJ)
        if _is_emoji(ch) and not continuing:
            count += 1
            dropping = count > max_emoji
        elif not continuing:
            dropping = False
        if not dropping:
            out.append(ch)
        prev = ch
    return "".join(out)


_REPEAT_RE = re.compile(r"(.)\1{" + str(MAX_REPEAT) + ",}", re.DOTALL)


def _cap_repeats(text: str) -> str:
    return _REPEAT_RE.sub(lambda m: m.group(1) * MAX_REPEAT, text)


def _tidy_end(text: str) -> str:
    """Drop what cannot stand at the end of a cut: joiners, orphan modifiers, spaces."""
    while text and (text[-1] in (ZWJ, ZWNJ, " ") or unicodedata.category(text[-1]) in ("Mn", "Me", "Sk")):
        text = text[:-1]
    return text


def _strip_joiners_at_edges(text: str) -> str:
    return "".join(
        ch for i, ch in enumerate(text) if ch not in (ZWJ, ZWNJ) or _keep_joiner(text, i)
    )


def clean_chat_text(text: object, max_chars: int = DEFAULT_MAX_CHARS, max_emoji: int = DEFAULT_MAX_EMOJI) -> str:
    """The chat message as the studio may show it: one line, no hidden characters, bounded. Never raises."""
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    raw = raw[: max_chars * _RAW_FACTOR]
    s = _ANSI_RE.sub("", raw)
    s = _drop_invisible(s)
    s = _nfkc(s)
    s = _drop_invisible(s)  # NFKC can turn compatibility spaces into separators; joiners lose neighbours
    s = _cap_marks(s)
    s = _WHITESPACE_RE.sub(" ", s).strip()
    s = _cap_emoji(s, max_emoji)
    s = _cap_repeats(s)
    s = _strip_joiners_at_edges(s)
    s = _WHITESPACE_RE.sub(" ", s).strip()
    if len(s) > max_chars:
        s = _tidy_end(s[: max_chars - 1]) + ELLIPSIS
        s = _cap_repeats(s)
    return s


# --- Rich / Textual markup ----------------------------------------------------------------------------------

_BACKSLASHES_BEFORE_BRACKET_RE = re.compile(r"(\\*)\[")


def escape_markup(text: str) -> str:
    """Text that Rich's and Textual's markup parsers show literally (``[bold]`` stays ``[bold]``).

    Every ``[`` gets an escaping backslash. Both parsers eat exactly that one backslash before a bracket,
    but they disagree about backslashes the text itself has in front of a bracket (Rich halves a run of them
    before something tag-like, Textual keeps them), so such a run is separated from the escape by a
    ZERO WIDTH SPACE, which is invisible in a terminal. A trailing backslash gets the same treatment, so it
    cannot escape markup that follows the embedded text. Note that ``rich.markup.escape`` is not enough for
    Textual: Textual also treats ``[$x]`` and ``[ bold]`` as tags.
    """

    def repl(m: re.Match[str]) -> str:
        backslashes = m.group(1)
        return (backslashes + "\u200b" if backslashes else "") + "\\["

    escaped = _BACKSLASHES_BEFORE_BRACKET_RE.sub(repl, text)
    if escaped.endswith("\\"):
        escaped += "\u200b"
    return escaped
