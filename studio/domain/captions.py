"""Captions people can read: from words with times to cues, following subtitle practice.

The rules (``LayoutRules``; the figures are the common broadcast and streaming practice, e.g. the BBC's
and Netflix's guidelines): at most 2 lines of at most 42 characters, 1 to 7 seconds per cue, at most 17
characters per second where the speech allows it, lines and cues broken at phrase boundaries, and never a
cue across a long silence (a pause of ``long_silence`` seconds or more ends the cue before it).

How: the words are split into runs at long silences; each run is cut into cues by dynamic programming
(like Knuth-Plass line breaking) that pays for a cue, for a break inside a phrase and for reading speed
and duration the speech cannot give; a cue's text is then split into two lines at its best phrase boundary.
A cue starts with its first word and ends with its last, stretched (not across the next cue, the next
run or 7 seconds) to at least 1 second and, up to ``max_linger`` after the last word, to the reading speed.

Text is in logical order everywhere; ``display_line`` adds the direction marks a player needs: an
Arabic line starts with RIGHT-TO-LEFT MARK (its paragraph is right-to-left even when it starts with a
number or a Latin name) and a number with a separator gets LEFT-TO-RIGHT MARK before it, so "0900-8844"
is not shown as "8844-0900" (UAX #9 rule W2 turns European digits after Arabic letters into Arabic
numbers, and a hyphen between those is no longer part of the number). Marks are used rather than
isolates (LRI/PDI) because every caption renderer knows them.
Pure: standard library only.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

RLM = "\u200f"
LRM = "\u200e"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})

# Controls that could reorder or hide text (bidi embeddings, overrides, isolates, marks) and C0/C1 controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# A number with separators inside (phone numbers, dates, amounts): one left-to-right unit.
_SEPARATED_NUMBER = re.compile(r"\+?\d+(?:[-\u2010\u2011\u2013\u2212/.:,]\d+)+")

SENTENCE_END = frozenset(".!?…؟")
CLAUSE_END = frozenset(",;:،؛–—")
# Words a line should not end with (articles, prepositions) and words a new line may start with
# (conjunctions, relative pronouns): the phrase boundaries of Dutch and Arabic in their simplest form.
_WEAK_END = {
    "nl": frozenset(["de", "het", "een", "'t", "in", "op", "met", "van", "voor", "bij", "naar", "aan", "uit", "om", "tot", "door", "over", "onder", "na", "zonder", "mijn", "uw", "zijn", "haar", "ons", "onze", "hun", "deze", "dit", "die", "dat"]),
    "ar": frozenset(["في", "على", "من", "إلى", "عن", "مع", "هذا", "هذه", "ذلك", "تلك"]),
}
_STRONG_START = {
    "nl": frozenset(["en", "maar", "of", "want", "dus", "omdat", "dat", "die", "als", "wanneer", "terwijl", "zodat", "toen", "nadat", "voordat", "hoewel", "waar", "wat", "wie", "welke"]),
    "ar": frozenset(["ثم", "لكن", "أو", "لأن", "أن", "إن", "الذي", "التي", "الذين", "حيث", "عندما", "إذا", "لذلك", "بل"]),
}


@dataclass(frozen=True)
class LayoutRules:
    max_lines: int = 2
    max_line_chars: int = 42
    min_duration: float = 1.0
    max_duration: float = 7.0
    max_cps: float = 17.0
    long_silence: float = 1.0  # a pause this long ends a cue; no cue spans it
    min_gap: float = 0.08  # between two cues (two frames at 25 fps), so players show a change
    max_linger: float = 0.8  # how long a cue may stay after its last word to give reading time


DEFAULT_RULES = LayoutRules()


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    lines: tuple[str, ...]  # logical order, no direction marks
    words: tuple[Word, ...] = field(default=(), compare=False)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def chars(self) -> int:
        """Characters a viewer reads: the lines with one space for each line break."""
        return reading_chars(self.lines)

    @property
    def cps(self) -> float:
        return self.chars / self.duration if self.duration > 0 else math.inf


def reading_chars(lines: Sequence[str]) -> int:
    return sum(len(line) for line in lines) + max(0, len(lines) - 1)


def clean_text(text: str) -> str:
    """One line without control or bidi characters, without '-->' (a cue timing line) and single-spaced."""
    t = unicodedata.normalize("NFC", text or "")
    t = _CONTROL.sub(" ", t).replace("-->", "→")
    return " ".join(t.split())


def is_rtl(language: str) -> bool:
    return language.split("-")[0].lower() in RTL_LANGUAGES


def display_line(line: str, language: str) -> str:
    """The line with the direction marks a player needs (see the module docstring)."""
    if is_rtl(language):
        return RLM + _SEPARATED_NUMBER.sub(lambda m: LRM + m.group(0), line)
    for ch in line:  # a left-to-right line that starts with Arabic would otherwise be shown right-to-left
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return line
        if kind in ("R", "AL"):
            return LRM + line
    return line


def strip_marks(text: str) -> str:
    return text.replace(RLM, "").replace(LRM, "")


# --- breaking -----------------------------------------------------------------------------------------------


def _bare(word: str) -> str:
    return word.strip("\"'“”‘’«»()[]").lower()


def break_cost(left: str, right: str, language: str, pause: float = 0.0) -> float:
    """How bad a line or cue break between two words is: 0 after a sentence, up to 6 inside a phrase."""
    lang = language.split("-")[0].lower()
    tail = left.rstrip("\"'”’»)]")
    if tail and tail[-1] in SENTENCE_END:
        cost = 0.0
    elif tail and tail[-1] in CLAUSE_END:
        cost = 1.0
    elif _bare(right) in _STRONG_START.get(lang, frozenset()):
        cost = 2.0
    elif _bare(left) in _WEAK_END.get(lang, frozenset()):
        cost = 6.0
    elif left[-1:].isdigit() and right[:1].isdigit():
        cost = 6.0  # the parts of one number ("0900 8844")
    else:
        cost = 4.0
    if pause >= 0.3:  # a breath is a phrase boundary the text does not show
        cost = max(0.0, cost - 2.0)
    return cost


def split_lines(words: Sequence[str], language: str, rules: LayoutRules = DEFAULT_RULES,
                pauses: Sequence[float] | None = None) -> tuple[str, ...] | None:
    """The words as at most ``rules.max_lines`` (1 or 2) lines; None when they do not fit."""
    one = " ".join(words)
    if len(one) <= rules.max_line_chars:
        return (one,) if one else None
    if rules.max_lines < 2:
        return None
    best: tuple[float, tuple[str, ...]] | None = None
    for k in range(1, len(words)):
        top, bottom = " ".join(words[:k]), " ".join(words[k:])
        if len(top) > rules.max_line_chars or len(bottom) > rules.max_line_chars:
            continue
        pause = pauses[k - 1] if pauses is not None else 0.0
        # Phrase boundaries first; then balance, slightly preferring the longer line at the bottom.
        score = 2.0 * break_cost(words[k - 1], words[k], language, pause) + abs(len(top) - len(bottom)) / 6
        score += 0.5 if len(top) > len(bottom) else 0.0
        if best is None or score < best[0]:
            best = (score, (top, bottom))
    return best[1] if best else None


# --- layout -------------------------------------------------------------------------------------------------


def normalise_words(words: Sequence[Word], max_chars: int = 42) -> list[Word]:
    """Clean text, drop empty words, keep times ascending and positive, cut words longer than a line."""
    out: list[Word] = []
    for w in sorted(words, key=lambda w: w.start):
        text = clean_text(w.text)
        if not text or not (math.isfinite(w.start) and math.isfinite(w.end)):
            continue
        pieces = [text[i:i + max_chars] for i in range(0, len(text), max_chars)]
        start = max(0.0, w.start, out[-1].start + 0.01 if out else 0.0)
        end = max(w.end, start + 0.01 * len(pieces))
        step = (end - start) / len(pieces)
        prob = min(1.0, max(0.0, w.probability)) if math.isfinite(w.probability) else 0.0
        for i, piece in enumerate(pieces):
            out.append(Word(piece, round(start + i * step, 3), round(start + (i + 1) * step, 3), prob))
    return out


def _runs(words: list[Word], rules: LayoutRules) -> list[list[Word]]:
    runs: list[list[Word]] = []
    for w in words:
        if runs and w.start - runs[-1][-1].end < rules.long_silence:
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _cue_cost(run: list[Word], i: int, j: int, next_start: float, language: str,
              rules: LayoutRules) -> tuple[float, tuple[str, ...]] | None:
    """Cost of one cue holding run[i:j] (None: it breaks a hard rule)."""
    chunk = run[i:j]
    span = chunk[-1].end - chunk[0].start
    if span > rules.max_duration and j - i > 1:
        return None
    pauses = [b.start - a.end for a, b in itertools.pairwise(chunk)]
    lines = split_lines([w.text for w in chunk], language, rules, pauses)
    if lines is None:
        return None
    cost = 3.0  # every cue: fewer, fuller cues are easier to follow
    if j < len(run):
        cost += 2.0 * break_cost(run[j - 1].text, run[j].text, language, run[j].start - run[j - 1].end)
    available = min(next_start - rules.min_gap, chunk[0].start + rules.max_duration) - chunk[0].start
    if available < rules.min_duration:
        cost += 10.0 * (rules.min_duration - available)
    reading = min(available, span + rules.max_linger)
    chars = reading_chars(lines)
    if reading > 0 and chars / reading > rules.max_cps:
        cost += chars / reading - rules.max_cps
    return cost, lines


def _layout_run(run: list[Word], run_limit: float, language: str, rules: LayoutRules) -> list[Cue]:
    n = len(run)
    best: list[float] = [0.0] + [math.inf] * n
    back: list[tuple[int, tuple[str, ...]]] = [(0, ())] * (n + 1)
    for j in range(1, n + 1):
        next_start = run[j].start if j < n else run_limit
        for i in range(j - 1, -1, -1):
            if math.isinf(best[i]):
                continue
            found = _cue_cost(run, i, j, next_start, language, rules)
            if found is None:
                if len(" ".join(w.text for w in run[i:j])) > rules.max_lines * (rules.max_line_chars + 1):
                    break  # longer starts only get longer
                continue
            cost = best[i] + found[0]
            if cost < best[j]:
                best[j], back[j] = cost, (i, found[1])
    cuts: list[tuple[int, int, tuple[str, ...]]] = []
    j = n
    while j > 0:
        i, lines = back[j]
        cuts.append((i, j, lines))
        j = i
    return [Cue(run[i].start, run[j - 1].end, lines, tuple(run[i:j])) for i, j, lines in reversed(cuts)]


def _time(cues: list[Cue], end_of_media: float, rules: LayoutRules) -> list[Cue]:
    timed: list[Cue] = []
    for k, cue in enumerate(cues):
        start, natural = cue.start, cue.end
        limit = min(cues[k + 1].start - rules.min_gap if k + 1 < len(cues) else end_of_media,
                    start + rules.max_duration)
        if limit <= start:  # words that follow closer than the gap: no gap rather than no cue
            limit = cues[k + 1].start if k + 1 < len(cues) else start + rules.min_duration
        reading = min(start + cue.chars / rules.max_cps, natural + rules.max_linger)
        # whole milliseconds, rounded up so that rounding never takes reading time away
        end = min(math.ceil(max(natural, reading, start + rules.min_duration) * 1000 - 1e-6) / 1000, limit)
        timed.append(Cue(round(start, 3), round(end, 3), cue.lines, cue.words))
    return timed


def layout_cues(words: Sequence[Word], language: str, rules: LayoutRules = DEFAULT_RULES,
                end_of_media: float = math.inf) -> list[Cue]:
    """Cues for these words (any order; empty words are dropped). ``end_of_media``: no cue ends after it."""
    clean = normalise_words(words, rules.max_line_chars)
    runs = _runs(clean, rules)
    cues: list[Cue] = []
    for r, run in enumerate(runs):
        run_limit = runs[r + 1][0].start if r + 1 < len(runs) else end_of_media
        cues.extend(_layout_run(run, run_limit, language, rules))
    return _time(cues, end_of_media, rules)


def wrap_text(text: str, language: str, rules: LayoutRules = DEFAULT_RULES) -> tuple[str, ...] | None:
    """A person's text for one cue as lines that keep the rules; None when it does not fit in one cue."""
    return split_lines(clean_text(text).split(), language, rules)
