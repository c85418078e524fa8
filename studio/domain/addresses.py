"""Street addresses: a street with a house number is personal, a street name alone is not.

"Er wordt hard gereden op de Akerstraat" must air as written (the officer has to answer it); "mijn buurman op
de Kampstraat 14a" must not. So an address is a *street* followed by a *house number*:

* the street is a name the street list knows (case-insensitive: chat is often all lower case; the list comes
  from the de-identification adapter, which owns deduce's Dutch street list), or a word that ends like a
  street ("...straat", "...weg", "...plein", "...laan" ...), with the capitalised words and interfixes before
  it ("Burgemeester van Grunsvenplein 3", "Pater Beatusstraat 22 A", "Dr. Poelsstraat 5");
* the house number is 1 to 4 digits with an addition: a letter ("14a", "3-B", "22 A"), a second number
  ("2-4"), "bus 2", "hs", "I"/"II"/"III"; a number followed by a unit ("3 keer", "12 uur", "5 jaar") is not
  one. A year-like number (1900-2099) without an addition is only flagged for a look.
* "nummer 8", "huisnummer 12", "nr. 8" and the Arabic "البيت رقم 8" are addresses on their own.
* a capitalised word that is no known street, followed by a house number ("Kissel 31"), is flagged for a
  look: it may be a street the list does not know.

Works on the folded text (studio.domain.textnorm). Pure: the street list is passed in as a predicate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from studio.domain.identifiers import Hit

StreetPredicate = Callable[[str], bool]

_STREET_SUFFIXES = (
    "straat|str|laan|weg|plein|steeg|singel|gracht|kade|dijk|dreef|hof|park|pad|baan|markt|boulevard|allee|"
    "erf|wal|veld|berg|dal|heide|weide|hei|ring|oord|hoek|hof|plantsoen|kwartier|poort|gang|stegel|wei|"
    "akker|beemd|bos|broek|donk|hoeve|kamp|lei|loop|meer|pas|rade|rode|schans|dries|vaart|weert"
)
_SUFFIX_RE = re.compile(rf"[^\W\d_]{{2,}}(?:{_STREET_SUFFIXES})", re.IGNORECASE)
# Endings that only streets have (not surnames like "Van den Broek", "Kerkhof", "Goldberg").
_STRONG_SUFFIX_RE = re.compile(
    r"[^\W\d_]{2,}(?:straat|laan|weg|plein|steeg|singel|gracht|kade|dreef|boulevard|allee|plantsoen|markt)",
    re.IGNORECASE,
)
# The street word right before the number is a word; the number: digits, then an optional addition.
_NUMBER_RE = re.compile(
    r"(?<![\w.,:/-])(\d{1,4})"
    r"(\s?-\s?\d{1,3}(?!\d)|\s?-?\s?[A-Za-z](?![\w])|\s+bus\s+\d{1,3}|\s+(?:hs|huis|bis|rd|bg|I{1,3})(?![\w]))?"
    r"(?![\d:.,]\d|\w|-\w|\s?%|\s?[.,]\d)"
)
_UNITS = frozenset(
    ["keer", "maal", "uur", "uurtje", "minuten", "minuut", "min", "seconden", "dagen", "dag", "weken", "week", "maanden", "maand", "jaar", "jaren", "jr", "euro", "eur", "cent", "km", "kilometer", "meter", "m", "cm", "man", "mannen", "vrouwen", "kinderen", "jongens", "meisjes", "personen", "mensen", "auto's", "autos", "scooters", "fietsen", "stuks", "procent", "graden", "huizen", "woningen", "agenten", "keren", "kg", "liter", "sec"]
) | frozenset(  # a date, not a house number: "1 januari", "21 nov"
    ["januari", "jan", "februari", "feb", "maart", "mrt", "april", "apr", "mei", "juni", "jun", "juli", "jul",
     "augustus", "aug", "september", "sep", "sept", "oktober", "okt", "november", "nov", "december", "dec"]
)
_INTERFIXES = frozenset(["van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "op", "in", "aan", "la", "le", "du", "di", "da", "von", "zu"])
# Words that are capitalised but never part of a street's name (sentence starts, pronouns, prepositions).
_NOT_STREET_WORDS = frozenset(
    ["op", "in", "aan", "bij", "naar", "voor", "achter", "naast", "tegenover", "van", "de", "het", "een", "ik", "wij", "we", "mijn", "onze", "hij", "zij", "ze", "u", "er", "daar", "hier", "en", "of", "maar", "want", "dus", "dan", "als", "om", "tot", "met", "zonder", "via", "richting", "nabij", "woon", "woont", "wonen", "is", "was", "bus", "lijn"]
)
_ABBREVIATION_RE = re.compile(r"(?:Dr|Mgr|St|Burg|Prof|Mr|Ir|Ds|Pr|Jhr|Gen|Kard|Past|Kap|Luit)\.?")
_TOKEN_RE = re.compile(r"[^\W\d_][\w'’.-]*|\S")
_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*")
_LOOK_BACK = 100  # characters: a street name is never longer (keeps a flood of numbers linear)
_HOUSE_NUMBER_WORD_RE = re.compile(
    r"(?<![\w])(?:huis)?(?:nummer|nr\.?|no\.?)\s?(\d{1,4}(?:\s?[A-Za-z](?![\w]))?)(?![\d\w]|\s?-\s?\d)", re.IGNORECASE
)
_NOT_HOUSE_BEFORE_RE = re.compile(
    r"(?:bus|lijn|buslijn|kamer|tafel|spoor|perron|groep|klas|team|shirt|rugnummer|pagina|artikel|stap|"
    r"telefoon|telefoonnummer|huis|het|dit|dat|welk|welke|ander|zelfde)\s*$",
    re.IGNORECASE,
)
_ARABIC_HOUSE_RE = re.compile(
    r"(?<![\u0621-\u064a])[وبلف]?(?:ال)?(?:بيت|منزل|شقه|عماره|دار)\s+((?:رقم|نمره)\s?\d{1,4}(?:\s?[A-Za-z](?![\w]))?)"
)
_PUBLIC_SHORT_NUMBERS = frozenset({"112", "144"})
_MORE_NUMBERS_RE = re.compile(
    r"(?:\s*(?:,|en|of|t/m|tot|&|-)\s*\d{1,3}(?:\s?[A-Za-z](?![\w]))?(?![\w:.,]\d|\w|\s?%))+"
)


def looks_like_street(word: str) -> bool:
    """A word that can only be a street's name ("Kampstraat", "pancratiusplein")."""
    return _STRONG_SUFFIX_RE.fullmatch(word.rstrip(".")) is not None


def _street_start(text: str, end: int, is_street: StreetPredicate) -> tuple[int, bool] | None:
    """Where the street that ends at ``end`` starts, and whether it is certainly a street (None: no street)."""
    words: list[tuple[int, str]] = []  # (start, word), right to left
    base = max(0, end - _LOOK_BACK)
    tokens = list(_TOKEN_RE.finditer(text, base, end))
    pos = end
    for tok in reversed(tokens[-5:]):
        if text[tok.end() : pos].strip() or not _WORD_RE.fullmatch(tok.group()):
            break
        words.append((tok.start(), tok.group()))
        pos = tok.start()
    if not words:
        return None
    # The longest run of words that the street list knows wins ("Ruys de Beerenbrouckstraat", "Kissel").
    known = 0
    for count in range(len(words), 0, -1):
        name = text[words[count - 1][0] : end].strip()
        if words[count - 1][1].lower() not in _NOT_STREET_WORDS and is_street(name):
            known = count
            break
    last_start, last = words[0]
    if not known and (last.lower() in _NOT_STREET_WORDS or last.lower() in _UNITS):
        return None
    if known or _SUFFIX_RE.fullmatch(last.rstrip(".")):
        first = words[max(known, 1) - 1][0]
        # Capitalised words, abbreviations and interfixes before it belong to the name ("Dr. Poelsstraat").
        k = max(known, 1)
        while k < len(words):
            w = words[k][1]
            if (w[:1].isupper() and w.lower() not in _NOT_STREET_WORDS) or _ABBREVIATION_RE.fullmatch(w):
                first = words[k][0]
            elif w[:1].isupper() and w.lower() in _INTERFIXES:
                first = words[k][0]  # "Van Grunsvenstraat", "De Kissel": a capital interfix starts the name
                break
            elif w.lower() in _INTERFIXES and k + 1 < len(words) and words[k + 1][1][:1].isupper() \
                    and words[k + 1][1].lower() not in _NOT_STREET_WORDS:
                pass  # kept only if a capitalised word follows on its left (checked next round)
            else:
                break
            k += 1
        return first, True
    if last[:1].isupper() and len(last) >= 4:
        return last_start, False  # may be a street the list does not know
    return None


def find_addresses(text: str, is_street: StreetPredicate) -> Iterator[Hit]:
    for m in _NUMBER_RE.finditer(text):
        number, addition = m.group(1), m.group(2) or ""
        after = text[m.end() : m.end() + 40].lstrip()
        next_word = re.match(r"[\w']+", after)
        if not addition and next_word and next_word.group().lower() in _UNITS:
            continue
        found = _street_start(text, m.start(), is_street)
        if found is None:
            continue
        start, certain = found
        if not addition and len(number) == 4 and number[:2] in ("19", "20"):
            certain = False  # "de Akerstraat 2025" may be a year
        more = _MORE_NUMBERS_RE.match(text, m.end())  # "Kerkstraat 12 en 14": the neighbours too
        yield Hit(start, more.end() if more and certain else m.end(), "address", certain)
    for m in _HOUSE_NUMBER_WORD_RE.finditer(text):
        digits = re.match(r"\d+", m.group(1))
        if digits and digits.group() in _PUBLIC_SHORT_NUMBERS:
            continue
        if _NOT_HOUSE_BEFORE_RE.search(text, max(0, m.start() - 30), m.start()) and not m.group().lower().startswith("huis"):
            continue
        yield Hit(m.start(), m.end(), "address")
    for m in _ARABIC_HOUSE_RE.finditer(text):
        yield Hit(m.start(1), m.end(1), "address")
