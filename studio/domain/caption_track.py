"""A caption track to review before it is published: cues, what to check first, edits and a reviewed flag.

What to check first, per cue (``ReviewMark``):
- ``low_confidence``: a word the model heard with a probability below the threshold;
- ``wrong_script``: a word in another script than the session's language (Latin letters in an Arabic
  session, Arabic letters in a Dutch one): a name, or the model guessing;
- ``personal_data``: personal details said aloud (a name, address, phone number). The finder comes from
  the privacy scrubber (issue 11) and is handed in as a function, so this module stays pure.

The track is immutable: ``edit``, ``remove`` and ``mark_reviewed`` return a new one. Any change after a
review clears the reviewed flag: what is published is what someone looked at. ``to_dict``/``from_dict``
give a JSON-safe form for the store. Pure: standard library only.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from studio.domain.captions import DEFAULT_RULES, Cue, LayoutRules, Word, clean_text, is_rtl, wrap_text

LOW_CONFIDENCE = "low_confidence"
WRONG_SCRIPT = "wrong_script"
PERSONAL_DATA = "personal_data"
REASON_LABELS = {
    LOW_CONFIDENCE: "onzeker verstaan",
    WRONG_SCRIPT: "ander schrift",
    PERSONAL_DATA: "mogelijk persoonsgegevens",
}
DEFAULT_LOW_CONFIDENCE = 0.5
FORMAT_VERSION = 1

# text -> the parts of it that are personal details (issue 11's scrubber fits behind this)
PersonalDataFinder = Callable[[str], Iterable[str]]


class CaptionEditError(ValueError):
    """An edit the rules do not allow (one Dutch line); the track is unchanged."""


@dataclass(frozen=True)
class ReviewMark:
    reason: str  # LOW_CONFIDENCE, WRONG_SCRIPT or PERSONAL_DATA
    words: tuple[str, ...]  # what to look at in the cue's text

    @property
    def label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)


@dataclass(frozen=True)
class TrackCue:
    start: float
    end: float
    lines: tuple[str, ...]
    marks: tuple[ReviewMark, ...] = ()
    edited: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def to_check(self) -> bool:
        """Still worth a look: marked and not yet corrected by a person."""
        return bool(self.marks) and not self.edited


@dataclass(frozen=True)
class CaptionTrack:
    language: str  # nl, ar
    cues: tuple[TrackCue, ...]
    reviewed: bool = False
    model: str = ""  # which model heard it
    rules: LayoutRules = field(default=DEFAULT_RULES, compare=False)

    # -- what the review view shows --------------------------------------------------------------------
    def to_check(self) -> list[int]:
        """Indexes of the cues to look at first, in order."""
        return [i for i, cue in enumerate(self.cues) if cue.to_check]

    def as_cues(self) -> list[Cue]:
        """Plain cues for the file writers."""
        return [Cue(c.start, c.end, c.lines) for c in self.cues]

    def transcript(self) -> str:
        """The words as running text (one line per cue), for search and the plain-text transcript."""
        return "\n".join(" ".join(c.lines) for c in self.cues)

    def text_between(self, start: float, end: float) -> str:
        """What was said from ``start`` to ``end`` (seconds): the cues that overlap it, as running text.

        For the session report: what the officer answered while a question's card was on air.
        """
        return " ".join(" ".join(c.lines) for c in self.cues if c.end > start and c.start < end)

    def shifted(self, seconds: float, end_of_media: float | None = None) -> CaptionTrack:
        """The track on another clock (``seconds`` later; negative: earlier), e.g. the trimmed recording
        versus YouTube's recording of the broadcast. Cues that fall before 0 or after the end are dropped,
        cues cut by either edge are clipped."""
        limit = math.inf if end_of_media is None else end_of_media
        moved = []
        for c in self.cues:
            start, end = max(0.0, c.start + seconds), min(limit, c.end + seconds)
            if end - start >= 0.1:
                moved.append(replace(c, start=round(start, 3), end=round(end, 3)))
        return replace(self, cues=tuple(moved))

    # -- changes -----------------------------------------------------------------------------------------
    def _index(self, index: int) -> int:
        if not 0 <= index < len(self.cues):
            raise CaptionEditError(f"ondertitel {index + 1} bestaat niet (er zijn er {len(self.cues)})")
        return index

    def edit(self, index: int, text: str, finder: PersonalDataFinder | None = None) -> CaptionTrack:
        """Replace a cue's text (its time stays); re-wrapped to the rules. Clears the reviewed flag."""
        i = self._index(index)
        if not clean_text(text):
            raise CaptionEditError("een ondertitel mag niet leeg zijn: verwijder hem als er niets gezegd is")
        lines = wrap_text(text, self.language, self.rules)
        if lines is None:
            raise CaptionEditError(
                f"deze tekst past niet in {self.rules.max_lines} regels van {self.rules.max_line_chars} tekens: "
                "maak hem korter")
        marks = tuple(m for m in _personal_marks(lines, finder))
        cue = replace(self.cues[i], lines=lines, marks=marks, edited=True)
        return replace(self, cues=(*self.cues[:i], cue, *self.cues[i + 1:]), reviewed=False)

    def remove(self, index: int) -> CaptionTrack:
        """Drop a cue (the model heard words where nobody spoke). Clears the reviewed flag."""
        i = self._index(index)
        return replace(self, cues=self.cues[:i] + self.cues[i + 1:], reviewed=False)

    def mark_reviewed(self) -> CaptionTrack:
        if not self.cues:
            raise CaptionEditError("er zijn geen ondertitels om goed te keuren")
        return replace(self, reviewed=True)

    # -- storage -----------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION, "language": self.language, "reviewed": self.reviewed, "model": self.model,
            "cues": [{"start": c.start, "end": c.end, "lines": list(c.lines), "edited": c.edited,
                      "marks": [{"reason": m.reason, "words": list(m.words)} for m in c.marks]}
                     for c in self.cues],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaptionTrack:
        if data.get("version") != FORMAT_VERSION:
            raise CaptionEditError(
                f"onbekende versie {data.get('version')!r} van de opgeslagen ondertitels: maak ze opnieuw")
        cues = tuple(
            TrackCue(float(c["start"]), float(c["end"]), tuple(str(line) for line in c["lines"]),
                     tuple(ReviewMark(str(m["reason"]), tuple(str(w) for w in m["words"])) for m in c["marks"]),
                     bool(c.get("edited", False)))
            for c in data["cues"]
        )
        return cls(str(data["language"]), cues, bool(data["reviewed"]), str(data.get("model", "")))


# --- making a track -------------------------------------------------------------------------------------------


def word_script(word: str) -> str:
    """'latin', 'arabic', 'other' or '' (no letters: a number or punctuation) for a word's letters."""
    scripts = set()
    for ch in word:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        scripts.add("latin" if name.startswith("LATIN") else "arabic" if name.startswith("ARABIC") else "other")
    if not scripts:
        return ""
    return scripts.pop() if len(scripts) == 1 else "other"


def expected_script(language: str) -> str:
    return "arabic" if language.split("-")[0].lower() in ("ar", "fa", "ur") else "latin"


def _personal_marks(lines: Sequence[str], finder: PersonalDataFinder | None) -> list[ReviewMark]:
    if finder is None:
        return []
    found = tuple(dict.fromkeys(s for s in finder(" ".join(lines)) if s))
    return [ReviewMark(PERSONAL_DATA, found)] if found else []


def review_marks(cue: Cue, language: str, *, low_confidence: float = DEFAULT_LOW_CONFIDENCE,
                 finder: PersonalDataFinder | None = None) -> tuple[ReviewMark, ...]:
    """What to check first in one cue: uncertain words, words in the wrong script, personal details."""
    marks: list[ReviewMark] = []
    unsure = tuple(w.text for w in cue.words if w.probability < low_confidence)
    if unsure:
        marks.append(ReviewMark(LOW_CONFIDENCE, unsure))
    want = expected_script(language)
    foreign = tuple(w.text for w in cue.words if word_script(w.text) not in ("", want))
    if foreign:
        marks.append(ReviewMark(WRONG_SCRIPT, foreign))
    marks.extend(_personal_marks(cue.lines, finder))
    return tuple(marks)


def make_track(cues: Sequence[Cue], language: str, *, model: str = "", rules: LayoutRules = DEFAULT_RULES,
               low_confidence: float = DEFAULT_LOW_CONFIDENCE,
               finder: PersonalDataFinder | None = None) -> CaptionTrack:
    """A track to review from laid-out cues (``layout_cues``), with what to check first marked."""
    return CaptionTrack(
        language,
        tuple(TrackCue(c.start, c.end, c.lines,
                       review_marks(c, language, low_confidence=low_confidence, finder=finder)) for c in cues),
        reviewed=False, model=model, rules=rules,
    )


__all__ = [
    "LOW_CONFIDENCE", "PERSONAL_DATA", "REASON_LABELS", "WRONG_SCRIPT", "CaptionEditError", "CaptionTrack",
    "PersonalDataFinder", "ReviewMark", "TrackCue", "Word", "expected_script", "is_rtl", "make_track",
    "review_marks", "word_script",
]
