"""Layout: bidi levels and run order, font per script, wrapping by measured width, the ellipsis."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.overlay import bidi
from studio.overlay.fonts import ARABIC, LATIN, assign_families, coverage, font_set
from studio.overlay.layout import ELLIPSIS, Typesetter, is_rtl_text

FONTS = font_set("NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf")


@pytest.fixture(scope="module")
def ts():
    return Typesetter(FONTS, 52)


# --- bidi ---------------------------------------------------------------------------------------------------


def test_levels_of_arabic_with_latin_and_numbers():
    text = "اتصل 0900-8844 of WhatsApp"
    levels = bidi.resolve_levels(text, 1)
    assert levels[:4] == [1] * 4  # Arabic
    assert levels[5:14] == [2] * 9  # the number, kept in one piece, left to right inside RTL
    assert levels[-8:] == [2] * 8  # Latin word


def test_hyphenated_number_after_arabic_is_one_run():
    # By the letter of UAX #9 the hyphen would split it and show "8844-0900"; see bidi.py.
    text = "بالرقم 0900-8844"
    levels = bidi.resolve_levels(text, 1)
    assert set(levels[7:]) == {2}


def test_ltr_paragraph_levels():
    text = "Bel 112 of اتصل الآن"
    levels = bidi.resolve_levels(text, 0)
    assert levels[:11] == [0] * 11
    assert set(levels[11:]) == {1}


def test_visual_order_reverses_rtl_sequences():
    assert bidi.visual_order(["a", "b", "c"], [1, 1, 1]) == ["c", "b", "a"]
    assert bidi.visual_order(["ar1", "num", "ar2"], [1, 2, 1]) == ["ar2", "num", "ar1"]
    assert bidi.visual_order(["x", "y", "z"], [0, 0, 0]) == ["x", "y", "z"]
    assert bidi.visual_order(["l", "r1", "r2", "l2"], [0, 1, 1, 0]) == ["l", "r2", "r1", "l2"]


def test_trailing_whitespace_goes_to_paragraph_level():
    assert bidi.line_levels("ab  ", [1, 1, 1, 1], 0) == [1, 1, 0, 0]


def test_paragraph_direction():
    assert bidi.paragraph_is_rtl("مرحبا hello")
    assert not bidi.paragraph_is_rtl("hello مرحبا")
    assert bidi.paragraph_is_rtl("112", default_rtl=True)
    # Chat heuristic: the session's script wins when present.
    assert is_rtl_text("WhatsApp: هل يمكنني الاتصال؟", default_rtl=True)
    assert not is_rtl_text("Kan ik bellen? شكرا", default_rtl=False)
    assert is_rtl_text("شكرا", default_rtl=False)
    assert not is_rtl_text("thanks", default_rtl=True)


# --- fonts --------------------------------------------------------------------------------------------------


def test_coverage_from_the_cmap():
    arabic = coverage(FONTS.arabic)
    latin = coverage(FONTS.latin)
    assert ord("م") in arabic and ord("0") in arabic and ord("-") in arabic
    assert ord("A") not in arabic and ord("/") not in arabic  # why we need per-script fonts
    assert ord("A") in latin and ord("é") in latin and ord("م") not in latin


def test_families_per_character():
    text = "اتصل بـ 0900-8844 of heerlen.nl/contact 😀"
    fams = assign_families(text, FONTS)
    assert fams[0] == ARABIC
    assert fams[text.index("0900")] == ARABIC  # digits follow the Arabic before them (the font has them)
    assert fams[text.index("heerlen")] == LATIN
    assert fams[text.index("/")] == LATIN
    assert fams[-1] is None  # emoji: no font has it


# --- wrapping -----------------------------------------------------------------------------------------------


def test_short_text_is_one_line(ts):
    block = ts.layout("Korte vraag", 1600, 4)
    assert len(block.lines) == 1 and not block.truncated
    assert block.lines[0].text == "Korte vraag"


def test_wraps_by_measured_width_and_keeps_every_word(ts):
    text = "Wat kan ik doen als mijn fiets gestolen is en ik al aangifte heb gedaan bij de politie in Heerlen?"
    block = ts.layout(text, 700, None)
    assert len(block.lines) > 1
    assert all(line.width <= 700 for line in block.lines)
    assert " ".join(line.text for line in block.lines) == text
    # Greedy: the next word would not have fitted on the line before.
    for line, nxt in zip(block.lines, block.lines[1:], strict=False):
        first_next = nxt.text.split(" ")[0]
        assert ts.measure(line.text + " " + first_next, LATIN, False) > 700


def test_too_many_lines_end_in_an_ellipsis(ts):
    block = ts.layout("woord " * 200, 900, 3)
    assert len(block.lines) == 3 and block.truncated
    assert block.lines[-1].text.endswith(ELLIPSIS)
    assert all(line.width <= 900 for line in block.lines)


def test_overlong_word_is_broken(ts):
    block = ts.layout("x" + "a" * 300, 800, None)
    assert len(block.lines) > 1
    assert all(line.width <= 800 for line in block.lines)
    assert "".join(line.text for line in block.lines) == "x" + "a" * 300


def test_arabic_wrap_keeps_logical_order_per_line(ts):
    text = "سرقت دراجتي أمس قرب المحطة وأريد أن أعرف ماذا أفعل الآن وهل يمكنني تقديم بلاغ عبر الإنترنت"
    block = ts.layout(text, 700, None, default_rtl=True)
    assert block.rtl and len(block.lines) > 1
    # Each line's runs are right to left; reading them back in logical order rebuilds the text.
    logical = " ".join(line.text[::-1] for line in block.lines)
    assert logical == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(st.sampled_from(list("abc defg hij") + list("مرحب بكم") + list("0123-:/ ")), max_size=200),
    st.integers(120, 1600),
    st.integers(1, 5),
)
def test_layout_never_overflows(text, width, max_lines):
    ts = Typesetter(FONTS, 40)
    block = ts.layout(text, width, max_lines, default_rtl=False)
    assert len(block.lines) <= max_lines
    assert all(line.width <= width + 1 for line in block.lines)
