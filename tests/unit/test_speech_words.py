"""Word times from the model: what Whisper may hand over (no length, outside the piece, out of order, not a
number) becomes times every caller can rely on: lo <= start < end <= hi, starts in order, >= 10 ms."""

from __future__ import annotations

import itertools
import math
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from studio.speech.transcribe import MIN_WORD, SpeechModel, place_words

REGIONS = [(0.5, 4.8), (7.2, 9.9), (13.2, 16.8)]


def _ok(words, lo, hi):
    assert all(lo <= w.start < w.end <= hi for w in words), words
    assert all(w.end - w.start >= MIN_WORD - 1e-9 for w in words), words
    assert all(a.start <= b.start for a, b in itertools.pairwise(words)), words
    assert all(round(w.start, 3) == w.start and round(w.end, 3) == w.end for w in words)


def test_a_word_without_length_gets_the_shortest_length():
    words = place_words([("de", 3.44, 3.44, 0.9), ("politie", 3.44, 4.16, 0.9)], 0.0, 17.8, REGIONS)
    assert [(w.start, w.end) for w in words] == [(3.44, 3.45), (3.44, 4.16)]
    _ok(words, 0.0, 17.8)


def test_words_stay_inside_their_piece_and_the_sound():
    words = place_words([("Goed", -0.4, 0.2, 0.5), ("avond", 17.7, 18.4, 0.5), ("laat", 18.5, 18.5, 0.5)],
                        0.0, 17.8, [])
    assert [(w.text, w.start, w.end) for w in words] == [("Goed", 0.0, 0.2), ("avond", 17.7, 17.8)]
    _ok(words, 0.0, 17.8)


def test_a_start_snapped_to_the_speech_never_meets_the_end():
    # Whisper starts the word in the pause and ends it 0.2 ms into the speech: snapping moves the start there
    words = place_words([("Vandaag", 6.0, 7.2002, 0.8)], 0.0, 17.8, REGIONS)
    (w,) = words
    assert w.start == 7.2 and w.end == 7.21


def test_times_that_are_not_numbers_are_left_out():
    words = place_words([("een", math.nan, 1.0, 0.5), ("twee", 1.0, math.inf, 0.5), ("drie", 2.0, 2.3, 0.5)],
                        0.0, 5.0, [])
    assert [w.text for w in words] == ["drie"]


def test_starts_keep_their_order_from_the_previous_word():
    words = place_words([("b", 1.0, 1.2, 0.5), ("c", 0.9, 1.1, 0.5)], 0.0, 5.0, [], after=1.05)
    assert [(w.text, w.start) for w in words] == [("b", 1.05), ("c", 1.05)]
    _ok(words, 0.0, 5.0)


TIMES = st.one_of(st.floats(-5, 30), st.just(math.nan), st.just(math.inf))


@given(st.lists(st.tuples(TIMES, TIMES), max_size=30),
       st.floats(0, 10), st.floats(0.011, 20))
def test_whatever_the_model_says_the_times_hold(pairs, lo, length):
    hi = lo + length
    words = place_words([(f"w{i}", a, b, 0.5) for i, (a, b) in enumerate(pairs)], lo, hi, REGIONS)
    _ok(words, math.ceil(lo * 1000 - 1e-6) / 1000, hi)


def test_the_segment_of_a_piece_keeps_the_promise():
    """What faster-whisper hands over for one window, as in the run where a word had no length."""
    seg = SimpleNamespace(
        start=0.0, end=5.0, text="Vandaag praten we.", avg_logprob=-0.9, no_speech_prob=0.1,
        words=[SimpleNamespace(word=" Vandaag", start=1.0, end=1.0, probability=0.4),
               SimpleNamespace(word=" praten", start=1.0, end=1.4, probability=0.6),
               SimpleNamespace(word=" we.", start=4.9, end=5.3, probability=0.7)])
    out = SpeechModel._segment(seg, 300.0, 305.1, [(300.0, 305.1)], 299.0)
    _ok(list(out.words), 300.0, 305.1)
    assert [w.text for w in out.words] == ["Vandaag", "praten", "we."]


def _words(text: str):
    from studio.speech.transcribe import SpokenWord

    return [SpokenWord(w, i * 0.3, i * 0.3 + 0.2, 0.5) for i, w in enumerate(text.split())]


def test_sound_annotations_are_not_words():
    from studio.speech.transcribe import drop_annotations, is_sound_annotation

    for tag in ("MUZIEK", "[Muziek]", "(applaus)", "♪", "♪♪", "Muziek.", "*gelach*", "موسيقى"):
        assert is_sound_annotation(tag), tag
    for word in ("muziekschool", "Stil", "politie", "[", "12"):
        assert not is_sound_annotation(word), word

    def kept(text):
        return " ".join(w.text for w in drop_annotations(_words(text)))

    assert kept("[Muziek speelt] Goedenavond allemaal ♪") == "Goedenavond allemaal"
    assert kept("MUZIEK") == ""
    assert kept("de muziekschool in Heerlen") == "de muziekschool in Heerlen"
