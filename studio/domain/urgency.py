"""Does a chat message look like someone in danger right now?

Flagged messages go to the top of the queue and the moderator is offered the canned "bel 112" reply. A flag
costs little (a human looks first), a miss can cost a lot, but the show's own topics ("huiselijk geweld",
"inbraak") must not flag every ordinary question. So terms carry weights: unmistakable cries (help, nood,
spoed, "ik word bedreigd", طوارئ) count 2 and flag on their own; topic words (geweld, inbraak, 112, عنف)
count 1 and flag only together with another sign, such as "nu" / "الآن" or a second topic word.

Matching is on whole words after normalisation: case-folded, accents removed (suïcide = suicide),
Arabic diacritics and tatweel removed, alef/yeh/teh-marbuta variants unified, Arabic-Indic digits read as
Western ones. Arabic words may carry the clitics و/ف, ب/ل/ك and the article ال in front, and pronoun or
plural endings behind ("والعنف", "يهددني").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

THRESHOLD = 2

# term -> weight. Multi-word terms match with any whitespace between the words.
DUTCH_TERMS: dict[str, int] = {
    # cries for help and emergency words
    "help": 2, "help me": 2, "helpen jullie": 1, "nood": 2, "noodgeval": 2, "noodsituatie": 2, "spoed": 2,
    "spoedgeval": 2, "dringend": 2, "urgent": 2, "sos": 2, "in gevaar": 2, "levensgevaar": 2,
    "ambulance": 2, "bel 112": 1, "112": 1,
    # threats and violence against the writer
    "bedreigd": 2, "bedreigt me": 2, "bedreigt mij": 2, "word bedreigd": 2, "mishandeld": 2,
    "slaat me": 2, "slaat mij": 2, "sloeg me": 2, "achtervolgd": 2, "opgesloten": 2, "ontvoerd": 2,
    "verkracht": 2, "aangerand": 2, "gestoken": 2, "neergestoken": 2, "beschoten": 2,
    "steekpartij": 2, "schietpartij": 2, "schiet": 1, "geschoten": 2, "overval": 2, "overvallen": 2,
    "wapen": 1, "mes": 1, "pistool": 2, "vuurwapen": 2,
    "zelfmoord": 2, "suicide": 2, "wil dood": 2, "einde aan mijn leven": 2,
    "in brand": 2, "het brandt": 2, "brandt": 1, "brand": 1, "rook": 1,
    "inbreker": 2, "inbrekers": 2, "er wordt ingebroken": 2, "wordt ingebroken": 2, "inbraak": 1,
    "ingebroken": 1, "geweld": 1, "bedreiging": 1, "mishandeling": 1, "gewond": 1, "bloed": 1,
    "bang": 1, "onveilig": 1, "gevaar": 1, "politie nodig": 2,
    # right now
    "nu": 1, "nu meteen": 1, "op dit moment": 1, "vannacht": 1, "zojuist": 1,
}  # fmt: skip

ARABIC_TERMS: dict[str, int] = {
    "طوارئ": 2, "طارئ": 2, "طارئة": 2, "نجدة": 2, "النجدة": 2, "ساعدوني": 2, "ساعدني": 2, "انقذوني": 2,
    "عاجل": 2, "اسعاف": 2, "خطر": 1, "في خطر": 2, "مساعدة": 1,
    "عنف": 1, "تهديد": 1, "يهددني": 2, "يهددوني": 2, "مهدد": 2, "مهددة": 2, "تهددني": 2,
    "ضرب": 1, "يضربني": 2, "يضربوني": 2, "ضربني": 2, "اعتداء": 1, "اعتدى": 2, "اغتصاب": 2,
    "حريق": 2, "نار": 1, "دخان": 1,
    "سرقة": 1, "اقتحام": 1, "لص": 1, "لصوص": 2, "سلاح": 2, "سكين": 2, "مسدس": 2,
    "مصاب": 1, "جريح": 1, "دم": 1, "انتحار": 2, "خائف": 1, "خائفة": 1,
    "112": 1, "الان": 1, "حالا": 1, "فورا": 1, "بسرعة": 1,
}  # fmt: skip

_ARABIC_DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_ARABIC_PREFIX = "(?:[وف])?(?:ال|بال|لل|كال|[بلك])?"
_ARABIC_SUFFIX = "(?:ها|هم|هن|نا|ني|كم|ه|ك|ي|ات|ون|ين|ان)?"


def normalise(text: str) -> str:
    """Case-folded, accent-free Latin; Arabic without diacritics/tatweel and with unified letter variants."""
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_DIACRITICS_RE.sub("", text)
    text = text.translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    text = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    text = "".join(str(int(c)) if c.isdecimal() and not c.isascii() else c for c in text)
    return re.sub(r"\s+", " ", text)


def _is_arabic(term: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in term)


def _compile(terms: dict[str, int]) -> list[tuple[re.Pattern[str], str, int]]:
    compiled = []
    for term, weight in terms.items():
        norm = normalise(term)
        body = r"\s+".join(re.escape(w) for w in norm.split())
        if _is_arabic(norm):
            pattern = rf"(?<!\w){_ARABIC_PREFIX}{body}{_ARABIC_SUFFIX}(?!\w)"
        else:
            pattern = rf"(?<![\w-]){body}(?![\w-])"
        compiled.append((re.compile(pattern), term, weight))
    # Longer terms first, so "in gevaar" claims its words before "gevaar" does.
    compiled.sort(key=lambda t: -len(t[1]))
    return compiled


_PATTERNS = _compile(DUTCH_TERMS) + _compile(ARABIC_TERMS)
_PATTERNS.sort(key=lambda t: -len(t[1]))


@dataclass(frozen=True)
class Urgency:
    score: int
    terms: tuple[str, ...]

    @property
    def urgent(self) -> bool:
        return self.score >= THRESHOLD


def urgency(text: str) -> Urgency:
    """Score and the terms that were found (for the moderator: why was this flagged?)."""
    norm = normalise(text)
    claimed = [False] * len(norm)
    score = 0
    found: list[str] = []
    for pattern, term, weight in _PATTERNS:
        for m in pattern.finditer(norm):
            if any(claimed[m.start() : m.end()]):
                continue
            claimed[m.start() : m.end()] = [True] * (m.end() - m.start())
            score += weight
            found.append(term)
    if re.search(r"!{3,}", norm) and score:
        score += 1  # "help!!!" or "inbraak!!!" is not a question about policy
    return Urgency(score, tuple(found))


def urgency_score(text: str) -> int:
    return urgency(text).score


def is_urgent(text: str) -> bool:
    return urgency(text).urgent
