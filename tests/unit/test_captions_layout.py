"""Caption layout (studio/domain/captions.py): the subtitle rules as properties, phrase breaks and direction."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.domain.captions import (
    LRM,
    RLM,
    LayoutRules,
    Word,
    break_cost,
    clean_text,
    display_line,
    layout_cues,
    split_lines,
    strip_marks,
    wrap_text,
)

RULES = LayoutRules()
DUTCH = ["Goedenavond", "en", "welkom", "bij", "het", "digitale", "wijkspreekuur", "van", "de", "politie", "in", "Heerlen", ".", "Vandaag", "praten", "we", "over", "fietsendiefstal", ",", "en", "hoe", "u", "uw", "fiets", "kunt", "beveiligen", "!", "Bel", "0900-8844", "voor", "een", "gesprek", "zonder", "spoed", "?"]
ARABIC = ["مساء", "الخير", "ومرحبا", "بكم", "في", "ساعة", "الحي", "الرقمية", "للشرطة", "في", "Heerlen", ".", "اتصل", "بالرقم", "0900-8844", "،", "أو", "112", "."]


def _words(texts, durations, gaps, probs=None):
    out, t = [], 0.5
    for i, text in enumerate(texts):
        d = durations[i % len(durations)]
        out.append(Word(text, t, t + d, probs[i % len(probs)] if probs else 0.9))
        t += d + gaps[i % len(gaps)]
    return out


word_text = st.one_of(
    st.sampled_from(DUTCH + ARABIC),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéëï,.?!'0123456789-", min_size=1, max_size=14),
    st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي", min_size=1, max_size=9),
    st.text(alphabet="abcdefghij", min_size=43, max_size=60),  # longer than a line: cut
)
word_list = st.lists(
    st.tuples(word_text, st.floats(0.02, 1.5), st.one_of(st.floats(0.0, 0.4), st.floats(0.4, 4.0)),
              st.floats(0.0, 1.0)),
    min_size=1, max_size=80,
)


def _build(items):
    out, t = [], 0.3
    for text, dur, gap, prob in items:
        out.append(Word(text, t, t + dur, prob))
        t += dur + gap
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word_list, st.sampled_from(["nl", "ar"]))
def test_layout_keeps_every_rule(items, language):
    words = _build(items)
    cues = layout_cues(words, language)
    # nothing lost, nothing added, in order
    assert [w.text for c in cues for w in c.words] == [w.text for w in layout_input(words)]
    assert " ".join(" ".join(c.lines) for c in cues).split() == [w.text for c in cues for w in c.words]
    for k, cue in enumerate(cues):
        assert 1 <= len(cue.lines) <= RULES.max_lines
        assert all(0 < len(line) <= RULES.max_line_chars for line in cue.lines)
        assert cue.end > cue.start
        assert cue.duration <= RULES.max_duration + 1e-6
        assert cue.start == pytest.approx(cue.words[0].start, abs=1e-3)  # a cue starts with its speech
        nxt = cues[k + 1] if k + 1 < len(cues) else None
        if nxt is not None:
            assert cue.end <= nxt.start + 1e-9  # never two cues at once
        # never across a long silence: inside a cue no pause is that long, and it never reaches the next words
        inner = [b.start - a.end for a, b in zip(cue.words, cue.words[1:], strict=False)]
        assert all(p < RULES.long_silence for p in inner)
        last = cue.words[-1]
        linger = max(RULES.max_linger, RULES.min_duration - (last.end - cue.start))
        assert cue.end <= max(last.end, cue.start + RULES.max_duration) + linger + 1e-6
        # 1 second and 17 characters per second unless the next cue or 7 seconds leave no room
        blocked = nxt is not None and cue.end >= nxt.start - RULES.min_gap - 1e-6
        capped = cue.end >= cue.start + RULES.max_duration - 1e-6
        if cue.duration < RULES.min_duration - 1e-6:
            assert blocked or capped
        if cue.cps > RULES.max_cps + 1e-6:
            assert blocked or capped or cue.end >= last.end + RULES.max_linger - 1e-6


def layout_input(words):
    from studio.domain.captions import normalise_words

    return normalise_words(words)


@settings(max_examples=200, deadline=None)
@given(word_list)
def test_long_silences_always_end_a_cue(items):
    words = layout_input(_build(items))
    cues = layout_cues(words, "nl")
    for a, b in itertools.pairwise(words):
        if b.start - a.end >= RULES.long_silence:
            boundary = [c for c in cues if c.words[-1] == a]
            assert boundary, f"a cue runs across the pause after {a.text!r}"
            assert boundary[0].end < b.start


def test_cues_break_at_sentence_and_clause_ends():
    words = _words(DUTCH, [0.35], [0.05])
    cues = layout_cues(words, "nl")
    texts = [" ".join(c.lines) for c in cues]
    assert all(t.rstrip()[-1] in ".!?," for t in texts[:-1]), texts
    assert texts[-1].endswith("?")


def test_lines_break_at_phrase_boundaries_and_never_after_an_article():
    lines = split_lines(["Vandaag", "praten", "we", "over", "fietsendiefstal", ",", "en", "hoe", "u", "uw", "fiets", "kunt", "beveiligen"], "nl")
    assert lines == ("Vandaag praten we over fietsendiefstal ,", "en hoe u uw fiets kunt beveiligen")
    lines = split_lines(["U", "kunt", "uw", "fiets", "laten", "graveren", "bij", "de", "gemeente", "Heerlen", "in", "het", "stadhuis"], "nl")
    assert lines is not None and not lines[0].endswith((" de", " het", " bij", " in"))
    assert break_cost("spoed.", "Bel", "nl") < break_cost("de", "fiets", "nl")


def test_one_line_when_it_fits_and_none_when_too_long():
    assert split_lines(["Goedenavond", "Heerlen."], "nl") == ("Goedenavond Heerlen.",)
    assert split_lines(["woord"] * 20, "nl") is None
    assert wrap_text("  Goedenavond\tHeerlen  ", "nl") == ("Goedenavond Heerlen",)


def test_a_lone_short_word_still_shows_a_second_and_fast_speech_gets_reading_time():
    cues = layout_cues([Word("Ja.", 2.0, 2.2), Word("Goedenavond", 6.0, 6.4)], "nl")
    assert cues[0].duration == pytest.approx(1.0)
    fast = _words(["Vandaag", "praten", "we", "over", "fietsendiefstal."], [0.2], [0.0])
    (cue,) = layout_cues(fast, "nl")
    assert cue.end == pytest.approx(fast[-1].end + RULES.max_linger, abs=1e-3)  # lingers, 1 s is met


def test_cue_never_longer_than_seven_seconds():
    slow = _words(["langzaam"] * 6, [1.4], [0.2])
    cues = layout_cues(slow, "nl")
    assert len(cues) >= 2 and all(c.duration <= 7.0 for c in cues)


def test_text_is_cleaned_of_controls_and_cue_arrows():
    assert clean_text("a\u202eb --> c\u200f\n d") == "a b → c d"
    cues = layout_cues([Word("\u202e", 0, 0.5), Word("hallo", 1.0, 1.4)], "nl")
    assert [c.lines for c in cues] == [("hallo",)]


def test_end_of_media_bounds_the_last_cue():
    (cue,) = layout_cues([Word("Einde.", 9.5, 9.8)], "nl", end_of_media=10.0)
    assert cue.end == pytest.approx(10.0)


def test_empty_input_gives_no_cues():
    assert layout_cues([], "nl") == []
    assert layout_cues([Word("  ", 0, 1), Word("x", math.nan, 1)], "nl") == []


# --- direction -------------------------------------------------------------------------------------------------


def _visual(line: str) -> str:
    """What a player shows (the Unicode bidi algorithm, python-bidi's Rust implementation), marks removed."""
    from bidi import get_display

    return strip_marks(get_display(line))


def test_arabic_lines_are_right_to_left_with_numbers_and_names_readable():
    line = "اتصل بالرقم 0900-8844 في Heerlen."
    shown = display_line(line, "ar")
    assert shown.startswith(RLM) and LRM + "0900-8844" in shown
    visual = _visual(shown)
    assert "0900-8844" in visual and "Heerlen" in visual  # not 8844-0900
    assert "8844-0900" in _visual(line)  # what players show without the marks
    # a line that starts with a Latin name is still a right-to-left line: the name stands at the right
    visual = _visual(display_line("Heerlen هي مدينة", "ar"))
    assert visual.endswith("Heerlen")
    assert strip_marks(display_line(line, "ar")) == line  # logical order untouched


def test_dutch_lines_get_a_mark_only_when_they_start_with_arabic():
    assert display_line("Goedenavond 0900-8844", "nl") == "Goedenavond 0900-8844"
    assert display_line("مرحبا zei hij", "nl") == LRM + "مرحبا zei hij"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*ARABIC, "0900-8844", "+31-45-123", "Politie", "19:00"]), min_size=1, max_size=8))
def test_marked_arabic_keeps_every_number_whole(tokens):
    line = " ".join(tokens)
    visual = _visual(display_line(line, "ar"))
    for token in tokens:
        if any(ch.isdigit() for ch in token):
            assert token in visual
