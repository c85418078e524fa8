"""Scrub personal details from text before it goes on air or into an export.

Others are watching, so a question must never show a phone number, an e-mail address, a postcode, a licence
plate or a link. Each one is replaced by a visible marker ("[telefoonnummer]") so that viewers see something
was removed and the officer can say so; the findings keep the original so the moderator can compare.

Deliberately kept visible: the police's and municipality's own public contact points (112, 0900-8844,
0800-7000 Meld Misdaad Anoniem, 144 Red een Dier, politie.nl, heerlen.nl). They are not personal, they are
exactly what the officer wants viewers to see, and scrubbing them would make an answer like "bel 0900-8844"
unreadable on the card.

Issue 11 replaced this as the scrubber: every caller now uses ``studio.deid.Scrubber`` through
``studio.usecases.privacy`` (names, addresses and the rest, on folded text, with findings the moderator can
mask and restore). Its detectors stay and are used by ``studio.domain.scrub_rules``. ``scrub`` has no caller
in the studio any more: it is kept only as the regex-only baseline of bench/privacy.py and for the property
tests of these detectors. Never use it for text that leaves the panel (it knows no names or addresses).

Digits may be Arabic-Indic (Arabic sessions): every pattern uses ``\\d`` (Unicode decimal digits) and the
validation reads digit values with ``int()``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from studio.domain.texts import privacy_marker

PHONE = "phone"
EMAIL = "email"
POSTCODE = "postcode"
PLATE = "plate"
LINK = "link"

# Public numbers of the police and emergency services: never scrubbed (digits only, national form).
PUBLIC_NUMBERS = frozenset({"112", "09008844", "08007000", "144"})
# Public websites of the organisers: never scrubbed (host without "www.").
PUBLIC_HOSTS = frozenset({"politie.nl", "heerlen.nl", "112.nl", "meldmisdaadanoniem.nl"})


@dataclass(frozen=True)
class Finding:
    """One removed detail: what kind, the original text, and where it was (in the text given to that pass)."""

    kind: str
    original: str
    start: int
    end: int


@dataclass(frozen=True)
class Scrubbed:
    text: str
    findings: tuple[Finding, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.findings)


# --- patterns -----------------------------------------------------------------------------------------

_TLDS = (
    "nl|be|de|com|org|net|eu|info|io|me|ly|gl|co|tv|app|biz|online|site|shop|store|xyz|club|live|link|"
    "click|uk|fr|us|ru|cn|tk|ml|ga|cf|gq|top|icu|pro|dev|ai|nu|to|cc|ws|gov|edu|int|mil|lu|at|ch|es|it|pl|tr|"
    "ma|sy|iq|ps|eg|sa|ae|qa|kw|jo|lb|dz|tn"
)
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.%+-]+\s?@\s?[\w-]+(?:\s?\.\s?[\w-]+)*\s?\.\s?[A-Za-z]{2,24}(?![\w])",
)
_URL_RE = re.compile(
    r"(?:(?<![\w@])(?:https?|ftp)://|(?<![\w@.])www\.)[^\s<>\"'\[\]]+"
    rf"|(?<![\w@.\-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,62}}[A-Za-z0-9])?\.)+(?:{_TLDS})"
    r"(?::\d{1,5})?(?:/[^\s<>\"'\[\]]*)?(?![\w@-])",
    re.IGNORECASE,
)
# A run that might be a phone number: optional international prefix, then digits with light separators.
# Letters may touch it ("belme0612345678" is still a number); digits may not.
_PHONE_CANDIDATE_RE = re.compile(
    r"(?<![\d+])(?<!\d[:.,])(?:\+\s?|00)?\(?\d(?:(?:\s?[-./]\s?|\s|\)\s?|\s?\()?\d)+(?!\d)",
)
_DATE_PREFIX_RE = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{2,4}(?!\d)")
_TIME_LIKE_RE = re.compile(r"^\d{1,2}[:.]\d{2}$")
# Postcodes: 1234 AB / 1234AB. SA, SD and SS are never issued. Lowercase with a space is ambiguous with
# "2026 en", so it only counts when the two letters are not a common short word.
_POSTCODE_RE = re.compile(r"(?<![\w])([1-9]\d{3})(\s?)([A-Za-z]{2})(?![\w])")
_SHORT_WORDS = frozenset(
    re.findall(
        r"\w+",
        "aa al an as at be bv by de di do en er ga he hi ik in is ja je la me mm na nl no nu of oh ok om on op "
        "or so te to tv uk um up us uw vs we ze zo",
    )
)
# Dutch licence plates: the sidecodes (X = letter, 9 = digit).
_SIDECODES = (
    "XX-99-99", "99-99-XX", "99-XX-99", "XX-99-XX", "XX-XX-99", "99-XX-XX", "99-XXX-9", "9-XXX-99",
    "XX-999-X", "X-999-XX", "XXX-99-X", "X-99-XXX", "9-XX-999", "999-XX-9",
)  # fmt: skip


def _plate_regexes(separator: str, flags: int) -> list[re.Pattern[str]]:
    """One regex per sidecode, matched in a lookahead so that overlapping candidates are all found
    ("0 BB 000 B" holds 9-XX-999 and XX-999-X; the merge in find_details removes both)."""
    out = []
    for code in _SIDECODES:
        groups = [("[A-Z]" if g[0] == "X" else "[0-9]") + f"{{{len(g)}}}" for g in code.split("-")]
        out.append(re.compile(r"(?=(?<![\w-])(" + separator.join(groups) + r")(?![\w-]))", flags))
    return out


_PLATE_RES = (
    _plate_regexes("-", re.IGNORECASE)
    + _plate_regexes(" ", 0)  # uppercase only: "12 ab 34" is more likely prose
    + _plate_regexes("", 0)
)


# --- detectors ----------------------------------------------------------------------------------------

Span = tuple[int, int, str]


def _digits(s: str) -> str:
    return "".join(str(int(c)) for c in s if c.isdecimal())


def _valid_phone(candidate: str, strict: bool = True) -> bool:
    digits = _digits(candidate)
    stripped = candidate.lstrip("(")
    if stripped.startswith("+") or (stripped.startswith("00") and not stripped.startswith("000")):
        rest = digits[2:] if stripped.startswith("00") else digits
        if rest.startswith("31"):
            national = rest[2:]
            if national.startswith("0"):  # +31 (0)6 ...
                national = national[1:]
            return len(national) == 9
        return 10 <= len(rest) <= 15  # foreign numbers (Belgium, Germany...): country code + 8 or more
    if not digits.startswith("0"):
        return False
    if digits[:4] in ("0800", "0900", "0906", "0909") and 8 <= len(digits) <= 11:
        return True
    if len(digits) == 10:
        return digits[1] != "0"
    # Not strict: 9 to 13 digits starting with 0 is a mistyped or foreign number (privacy first).
    return not strict and 9 <= len(digits) <= 13 and digits[1] != "0"


_MAX_PHONE_DIGITS = 17


def _phone_spans(text: str) -> Iterable[Span]:
    for m in _PHONE_CANDIDATE_RE.finditer(text):
        chunk = m.group()
        # Where a number may start: the start of the run or of any space-separated group ("bel 12 06 1234
        # 5678" holds a number that starts at "06"; "10.00 1900" has none at "00") ...
        starts = [
            i for i, c in enumerate(chunk) if i == 0 or c in "+(" or (c.isdecimal() and chunk[i - 1].isspace())
        ]
        # ... and where it may end: the end of a digit group ("0 10 20 30 40 50" has no number "0 10 20 30 40 5").
        ends = [
            i + 1
            for i, c in enumerate(chunk)
            if c.isdecimal() and not (i + 1 < len(chunk) and chunk[i + 1].isdecimal())
        ]
        digit_count = [0]
        for c in chunk:
            digit_count.append(digit_count[-1] + c.isdecimal())
        end_digits = [digit_count[e] for e in ends]
        for begin in starts:
            if begin > 0 and chunk[begin - 1] in "+(":
                continue
            piece_at = chunk[begin:]
            if _DATE_PREFIX_RE.match(piece_at.lstrip("(")) or _TIME_LIKE_RE.match(piece_at):
                continue
            # No phone number has more than 17 digits (00 + country code + 13): look no further, which also
            # keeps a flood of "1 2 1 2 ..." linear instead of cubic.
            lo = bisect.bisect_right(ends, begin)
            hi = bisect.bisect_right(end_digits, digit_count[begin] + _MAX_PHONE_DIGITS)
            reach = ends[lo:hi]
            found = [e for strict in (True, False) for e in reversed(reach) if _valid_phone(chunk[begin:e], strict)]
            if found:
                end = found[0]
                if _digits(chunk[begin:end]) not in PUBLIC_NUMBERS:
                    yield m.start() + begin, m.start() + end, PHONE


def _email_spans(text: str) -> Iterable[Span]:
    for m in _EMAIL_RE.finditer(text):
        yield m.start(), m.end(), EMAIL


def _host_of(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url.lower())
    host = re.split(r"[/:?#]", host, maxsplit=1)[0]
    return host.removeprefix("www.")


def _link_spans(text: str) -> Iterable[Span]:
    for m in _URL_RE.finditer(text):
        url = m.group().rstrip(".,;:!?)")
        if _host_of(url) in PUBLIC_HOSTS:
            continue
        yield m.start(), m.start() + len(url), LINK


def _postcode_spans(text: str) -> Iterable[Span]:
    for m in _POSTCODE_RE.finditer(text):
        digits, space, letters = m.groups()
        if not digits.isascii():
            digits = _digits(digits)
        upper = letters.upper()
        if upper in ("SA", "SD", "SS"):
            continue
        if letters != upper and space and letters.lower() in _SHORT_WORDS:
            continue
        if letters != upper and letters != letters.lower():
            continue  # "1234 Ab" is a number followed by a word
        yield m.start(), m.end(), POSTCODE


def _plate_spans(text: str) -> Iterable[Span]:
    for regex in _PLATE_RES:
        for m in regex.finditer(text):
            yield m.start(1), m.end(1), PLATE


# Earlier detectors win an overlap of equal length (an e-mail address contains a domain, a link can contain
# digits that look like a phone number).
_DETECTORS: tuple[Callable[[str], Iterable[Span]], ...] = (
    _email_spans,
    _link_spans,
    _phone_spans,
    _postcode_spans,  # "6411AB" is also sidecode 2 (99-99-XX, 1965-1973): a postcode is far likelier
    _plate_spans,
)


def find_details(text: str) -> list[Span]:
    """Non-overlapping (start, end, kind) spans of personal details, left to right.

    Overlapping detections are merged into one span (so no piece of either survives: "0 BB 000 B" is both
    9-XX-999 and XX-999-X), which takes the kind of its longest part, or of the earlier detector on a tie.
    """
    spans: list[tuple[int, int, int, str]] = []
    for rank, detector in enumerate(_DETECTORS):
        for start, end, kind in detector(text):
            spans.append((start, end, rank, kind))
    spans.sort()
    merged: list[tuple[int, int, tuple[int, int], str]] = []  # start, end, (-length, rank) of the kind's part
    for start, end, rank, kind in spans:
        key = (-(end - start), rank)
        if merged and start < merged[-1][1]:
            m_start, m_end, m_key, m_kind = merged[-1]
            merged[-1] = (m_start, max(m_end, end), min(m_key, key), kind if key < m_key else m_kind)
        else:
            merged.append((start, end, key, kind))
    return [(start, end, kind) for start, end, _key, kind in merged]


def _scrub_once(text: str, lang: str) -> tuple[str, list[Finding]]:
    out: list[str] = []
    findings: list[Finding] = []
    pos = 0
    for start, end, kind in find_details(text):
        out.append(text[pos:start])
        out.append(privacy_marker(kind, lang))
        findings.append(Finding(kind, text[start:end], start, end))
        pos = end
    out.append(text[pos:])
    return "".join(out), findings


def scrub(text: str, lang: str = "nl") -> Scrubbed:
    """Replace personal details by visible markers in the session's language.

    Repeats until nothing more is found (a replacement can expose a neighbour that a word boundary hid), so
    ``scrub(scrub(x).text).text == scrub(x).text``. Spans of later passes refer to that pass's input.
    """
    findings: list[Finding] = []
    for _ in range(8):
        text, found = _scrub_once(text, lang)
        if not found:
            break
        findings.extend(found)
    return Scrubbed(text, tuple(findings))
