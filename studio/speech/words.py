"""Rules for the words the model hands over, without the model: pure, testable on their own.

- ``place_words``: word times every caller can rely on (inside the piece, in order, at least ``MIN_WORD``);
- ``snap_to_speech``: a word's start moved out of a pause to where speech resumes;
- ``is_sound_annotation`` / ``drop_annotations``: what Whisper writes for sounds ("MUZIEK", "[Muziek]", "♪");
- ``drop_loops``: Whisper's repetition loops on a hard passage.
studio.speech.transcribe explains why each is needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_REPEATS = 5
MIN_WORD = 0.01  # seconds: the shortest word time we hand on (Whisper's own resolution is 0.01 s)
# What Whisper writes for sounds rather than speech (lower case, without brackets), Dutch, Arabic, English.
SOUND_TAGS = frozenset({
    "muziek", "muziekje", "music", "applaus", "applause", "gelach", "laughter", "lacht", "stilte", "silence",
    "geluid", "noise", "ruis", "zucht", "hoest", "piep", "beep", "موسيقى", "تصفيق", "ضحك", "صمت",
})
_BRACKETS = {"[": "]", "(": ")", "{": "}", "<": ">", "*": "*"}
_NOTES = set("♪♫♬♩🎵🎶")


@dataclass(frozen=True)
class SpokenWord:
    text: str
    start: float
    end: float
    probability: float


def is_sound_annotation(text: str) -> bool:
    """A caption Whisper writes for a sound ("MUZIEK", "[Muziek]", "(applaus)", "♪ ♪"), not a spoken word."""
    t = text.strip().strip(".,!?:;…-–—\"'")
    if not t:
        return False
    if all(ch in _NOTES or ch.isspace() for ch in t):
        return True
    if t[0] in _BRACKETS and t[-1] == _BRACKETS[t[0]] and len(t) > 2:
        return True
    bare = t.strip("".join(_NOTES) + " ").casefold()
    return bare in SOUND_TAGS


def drop_annotations(words: list[SpokenWord]) -> list[SpokenWord]:
    """Words without Whisper's sound annotations; a bracketed one spread over several words goes whole."""
    out: list[SpokenWord] = []
    inside = ""
    for w in words:
        t = w.text.strip()
        if inside:
            if t.endswith(inside):
                inside = ""
            continue
        if t[:1] in _BRACKETS and _BRACKETS[t[0]] not in t[1:] and t[0] != "*":
            inside = _BRACKETS[t[0]]  # "[Muziek" ... "speelt]"
            continue
        if not is_sound_annotation(t):
            out.append(w)
    return out


def drop_loops(words: list[SpokenWord], max_repeats: int = MAX_REPEATS, longest: int = 4) -> list[SpokenWord]:
    """Words without Whisper's repetition loops: a word or phrase (up to ``longest`` words) said more than
    ``max_repeats`` times in a row is kept once."""
    keys = ["".join(ch for ch in w.text.casefold() if ch.isalnum()) for w in words]
    out: list[SpokenWord] = []
    i = 0
    while i < len(words):
        skip = 0
        for n in range(1, longest + 1):
            phrase = keys[i:i + n]
            if len(phrase) < n or not all(phrase):
                break
            times = 1
            while keys[i + times * n:i + (times + 1) * n] == phrase:
                times += 1
            if times > max_repeats:
                out.extend(words[i:i + n])
                skip = times * n
                break
        if skip:
            i += skip
        else:
            out.append(words[i])
            i += 1
    return out


def snap_to_speech(start: float, end: float, regions: list[tuple[float, float]]) -> tuple[float, float]:
    """Move a word's start out of a pause to where speech resumes (and its end back to where it stopped)."""
    if not regions:
        return start, end
    inside = any(a <= start < b for a, b in regions)
    if not inside:
        later = [a for a, _b in regions if a > start]
        if later and later[0] < end:
            start = later[0]
    if not any(a < end <= b for a, b in regions):
        earlier = [b for _a, b in regions if b < end]
        if earlier and earlier[-1] > start:
            end = earlier[-1]
    return start, end


def place_words(words: list[tuple[str, float, float, float]], lo: float, hi: float,
                regions: list[tuple[float, float]], after: float = 0.0) -> list[SpokenWord]:
    """Words (text, start, end, probability; seconds of the recording) with times that keep the promise
    every caller relies on: ``lo <= start < end <= hi`` (the piece, inside the sound), starts in order and
    not before ``after`` (the previous word's start), each at least ``MIN_WORD`` long, in whole milliseconds.

    Whisper may give a word no length (start == end) or a time outside the piece; a start snapped forward
    to where speech resumes may meet the end. Such a word keeps its place and gets the shortest length.
    Left out: a word with a time that is not a number, one that starts after the piece (there is no sound
    there to have heard it in), and one for which the piece has no room left.
    """
    lo_ms, hi_ms, floor_ms = math.ceil(lo * 1000 - 1e-6), math.floor(hi * 1000 + 1e-6), round(after * 1000)
    least = round(MIN_WORD * 1000)
    out: list[SpokenWord] = []
    for text, start, end, probability in words:
        if not text or not (math.isfinite(start) and math.isfinite(end)) or start >= hi:
            continue
        start, end = snap_to_speech(start, max(start, end), regions)
        s_ms = max(round(start * 1000), lo_ms, floor_ms)
        e_ms = min(max(round(end * 1000), s_ms + least), hi_ms)
        s_ms = min(s_ms, e_ms - least)
        if s_ms < max(lo_ms, floor_ms):  # no room left in the piece for this word
            continue
        out.append(SpokenWord(text, s_ms / 1000, e_ms / 1000, probability))
        floor_ms = s_ms
    return out
