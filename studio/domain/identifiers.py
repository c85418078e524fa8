"""Details with a shape or a check digit: IBAN, BSN, dates of birth, social-media handles.

Every function takes the *folded* text (studio.domain.textnorm: ASCII digits, no invisible characters) and
yields ``Hit``s with offsets into it. Pure: standard library only.

* IBAN: a country code, two check digits and the account, with or without spaces, any case; valid when the
  ISO 13616 mod-97 check holds and the length is that country's. A Dutch-shaped IBAN (NL, 2 digits, 4 bank
  letters, 10 digits) with a wrong check digit is still hidden: it is someone's account with a typo. A Dutch
  prefix that stops short ("NL91 ABNA ...") is flagged for a look.
* BSN: 9 digits (or 8, the leading zero left off), as one run or grouped 3-3-3 / 4-2-3, that pass the
  elfproef; after a word like "BSN" or "burgerservicenummer" any such number counts, checked or not.
* Date of birth: a date or a year close after a birth word ("geboren op 12-03-1985", "geb. 1985",
  "من مواليد 1990") or just before "geboren" ("hij is 7 mei 1939 geboren"). Dates without such a word are
  event dates and stay visible.
* Handles: "@jantje_heerlen", and whatever follows a platform name with a colon ("insta: jantje.h").
  The organisers' own public accounts stay visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple


class Hit(NamedTuple):
    start: int
    end: int
    kind: str
    certain: bool = True


# --- IBAN ---------------------------------------------------------------------------------------------

# Lengths of the IBANs people here are likely to have (ISO 13616 registry).
IBAN_LENGTHS = {
    "NL": 18, "BE": 16, "DE": 22, "LU": 20, "FR": 27, "GB": 22, "ES": 24, "IT": 27, "AT": 20, "CH": 21,
    "PL": 28, "PT": 25, "TR": 26, "MA": 28, "IE": 22, "DK": 18, "SE": 24, "NO": 15, "FI": 18, "CZ": 24,
    "RO": 24, "BG": 22, "HU": 28, "GR": 27, "HR": 21, "LT": 20, "LV": 21, "EE": 20, "SK": 24, "SI": 19,
    "SA": 24, "AE": 23, "JO": 30, "LB": 28, "TN": 24, "EG": 29, "IQ": 23, "PS": 29, "QA": 29, "KW": 30,
}  # fmt: skip
_IBAN_START_RE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})\s?(\d{2})(?=[\sA-Za-z0-9])")
_NL_SHAPE_RE = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
_NL_PREFIX_RE = re.compile(r"(?<![A-Za-z0-9])NL\s?\d{2}\s?[A-Za-z]{4}(?:\s?\d){0,9}(?![A-Za-z0-9])", re.IGNORECASE)


def iban_is_valid(compact: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, remainder 1 modulo 97."""
    s = compact.upper()
    if len(s) < 15 or not s.isalnum() or not s.isascii():
        return False
    if IBAN_LENGTHS.get(s[:2], len(s)) != len(s):
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _iban_candidate(text: str, start: int, want: int) -> tuple[str, int] | None:
    """Read ``want`` alphanumerics from ``start``, allowing single spaces between groups; (compact, end)."""
    chars: list[str] = []
    i = start
    n = len(text)
    while i < n and len(chars) < want:
        c = text[i]
        if c.isascii() and c.isalnum():
            chars.append(c)
            i += 1
        elif c == " " and chars and i + 1 < n and text[i + 1].isascii() and text[i + 1].isalnum():
            i += 1
        else:
            break
    if len(chars) != want:
        return None
    if i < n and text[i].isascii() and text[i].isalnum():
        return None  # the run goes on: not this account's end
    return "".join(chars), i


def find_ibans(text: str) -> Iterator[Hit]:
    taken_until = -1
    for m in _IBAN_START_RE.finditer(text):
        start = m.start()
        if start < taken_until:
            continue
        country = m.group(1).upper()
        want = IBAN_LENGTHS.get(country)
        if want is None:
            continue
        found = _iban_candidate(text, start, want)
        if found is None:
            continue
        compact, end = found
        if iban_is_valid(compact) or (country == "NL" and _NL_SHAPE_RE.fullmatch(compact.upper())):
            taken_until = end
            yield Hit(start, end, "iban")
    for m in _NL_PREFIX_RE.finditer(text):
        if m.start() >= taken_until:
            yield Hit(m.start(), m.end(), "iban", certain=False)


# --- BSN ----------------------------------------------------------------------------------------------

_BSN_RE = re.compile(
    r"(?<![\d.,-])(\d{8,9}|\d{3}[ .-]\d{3}[ .-]\d{3}|\d{4}[ .-]\d{2}[ .-]\d{3})(?![\d]|[.,-]\d)"
)
_BSN_CUE_RE = re.compile(
    r"(?:\bbsn|burger\s?service\s?nummer|\bsofi[- ]?nummer|\bsofinr|رقم المواطن|الرقم الوطني|رقم الخدمه المدنيه)"
    r"[\s:.\-]*(?:nummer|nr\.?|is|was|=)?[\s:.\-]*$",
    re.IGNORECASE,
)


def elfproef(digits: str) -> bool:
    """The BSN check: 9 digits, weights 9..2 and -1, sum divisible by 11 (and not all zeros)."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0


def find_bsns(text: str) -> Iterator[Hit]:
    for m in _BSN_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        cued = _BSN_CUE_RE.search(text[max(0, m.start() - 40) : m.start()]) is not None
        if cued or (len(digits) == 9 and elfproef(digits)):
            yield Hit(m.start(1), m.end(1), "bsn")


# --- dates of birth -----------------------------------------------------------------------------------

_MONTHS = (
    "januari|jan|februari|feb|maart|mrt|april|apr|mei|juni|jun|juli|jul|augustus|aug|september|sept|sep|"
    "oktober|okt|november|nov|december|dec|"
    "يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر|"
    "كانون الثاني|شباط|اذار|نيسان|ايار|حزيران|تموز|اب|ايلول|تشرين الاول|تشرين الثاني|كانون الاول"
)
_DATE = (
    r"(?:\d{1,2}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?(?:19|20)?\d{2}"
    rf"|\d{{1,2}}\s?(?:{_MONTHS})\.?,?\s?(?:(?:19|20)\d{{2}}|'\d{{2}})?"
    r"|(?:19|20)\d{2}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{1,2}"
    r"|(?:19|20)\d{2})(?!\d)"
)
_BIRTH_CUE = (
    r"(?:geboren|geb\.?|geboortedatum|geboortejaar|geb\.?\s?datum|geboorte|d\.?o\.?b\.?|born|"
    r"مواليد|من مواليد|تاريخ الميلاد|تاريخ ميلادي|تاريخ ميلاده|تاريخ ميلادها|ولدت|ولد|مولود|مولوده|ميلادي)"
)
_FILLER = r"(?:[\s:,()\-]|\bop\b|\bin\b|\bis\b|\bte\s+\w+(?:\s+op)?|\bjaar\b|\bعام\b|\bسنه\b|\bفي\b|\bيوم\b)*"
_BIRTH_AFTER_RE = re.compile(rf"(?<!\w){_BIRTH_CUE}(?!\w){_FILLER}({_DATE})", re.IGNORECASE)
_BIRTH_BEFORE_RE = re.compile(rf"(?<!\w)({_DATE})\s*(?:\w+\s+)?geboren\b", re.IGNORECASE)


def find_birthdates(text: str) -> Iterator[Hit]:
    for regex in (_BIRTH_AFTER_RE, _BIRTH_BEFORE_RE):
        for m in regex.finditer(text):
            start, end = m.span(1)
            while end > start and text[end - 1] in " ,.":
                end -= 1
            yield Hit(start, end, "birthdate")


# --- handles ------------------------------------------------------------------------------------------

# The organisers' own public accounts (lower case, without "@"). No handle right after "]": that is where a
# privacy marker ends, and "[naam]@0" (a name glued to an e-mail-like rest) is not an account.
PUBLIC_HANDLES = frozenset({"politie", "politieheerlen", "politie_heerlen", "gemeenteheerlen", "gemeente_heerlen",
                            "heerlen", "politielimburg", "politie_limburg", "wijkagentheerlen"})
_AT_HANDLE_RE = re.compile(r"(?<![\w@.\]])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![\w@]|\.\w)")
_PLATFORMS = (
    r"insta(?:gram)?|ig|snap(?:chat)?|tik\s?tok|fb|facebook|face\s?book|twitter|telegram|discord|threads|"
    r"انستغرام|انستقرام|انستا|سناب(?:\s?شات)?|تيك\s?توك|فيسبوك|فيس\s?بوك|تويتر|تلغرام|تيليجرام"
)
_PLATFORM_RE = re.compile(
    rf"(?<![\w@])(?:{_PLATFORMS})(?:\s?(?:account|acc|naam|name|حساب))?\s?[:=]\s?@?([\w][\w.]{{1,29}}[\w])",
    re.IGNORECASE,
)


def find_handles(text: str) -> Iterator[Hit]:
    for m in _AT_HANDLE_RE.finditer(text):
        if m.group(1).lower() not in PUBLIC_HANDLES:
            yield Hit(m.start(), m.end(), "handle")
    for m in _PLATFORM_RE.finditer(text):
        name = m.group(1)
        if name.lower() not in PUBLIC_HANDLES:
            start = m.start(1) - (1 if m.start(1) > 0 and text[m.start(1) - 1] == "@" else 0)
            yield Hit(start, m.end(1), "handle")
