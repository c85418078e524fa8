"""Hostile chat text: examples of each trick, and properties over arbitrary Unicode (hypothesis)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.domain.sanitize import ELLIPSIS, clean_chat_text, escape_markup

BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
ZERO_WIDTH = set("\u200b\u2060\ufeff")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[31mrood\x1b[0m", "rood"),
        ("\x1b]0;titel\x07tekst", "tekst"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("a\x00b\x07c\x7fd", "abcd"),
        ("regel 1\nregel 2\r\n\tregel 3", "regel 1 regel 2 regel 3"),
        ("safe\u202eexe.txt", "safeexe.txt"),  # right-to-left override: shown in stored order
        ("\u2067abc\u2069 def", "abc def"),
        ("ad\u200bmin", "admin"),
        ("\ufeffhallo\u2060", "hallo"),
        ("pay\u200cpal", "paypal"),  # ZWNJ between Latin letters: a filter dodge
        ("می\u200cخواهم", "می\u200cخواهم"),  # ZWNJ in Persian spelling: kept
        ("👨\u200d👩\u200d👧 gezin", "👨\u200d👩\u200d👧 gezin"),  # ZWJ emoji sequence: kept
        ("a\u200db", "ab"),
        ("ｂａｎｋ", "bank"),  # fullwidth look-alikes folded
        ("ﻣﺮﺣﺒﺎ", "مرحبا"),  # Arabic presentation forms become letters
        ("wacht…", "wacht…"),  # the ellipsis survives NFKC
        ("!!!!!!!!!!!!", "!!!"),
        ("neeeeeeeeee", "neee"),
        ("😀" * 30, "😀😀😀"),
        ("🎉a" * 20, "🎉a" * 7 + "🎉aaa"),  # emoji beyond 8 dropped, then the run of "a" capped
        ("z" + "\u0301" * 20, "ź" + "\u0301" * 3),
        ("\u3164\u3164 naam \u2800", "naam"),
        ("   veel    ruimte   ", "veel ruimte"),
        (None, ""),
        (12345, "12345"),
    ],
)
def test_examples(raw, clean):
    assert clean_chat_text(raw) == clean


def test_arabic_is_kept_intact():
    text = "مرحبًا، سُرقت دراجتي أمس في هيرلن. هل أتصل بالرقم ٠٩٠٠-٨٨٤٤ أم 112؟"
    assert clean_chat_text(text) == text


def test_long_text_is_capped_with_an_ellipsis():
    out = clean_chat_text("woord " * 500, max_chars=100)
    assert len(out) <= 100
    assert out.endswith(ELLIPSIS)
    assert out.startswith("woord woord")


def test_cut_never_leaves_a_dangling_joiner():
    out = clean_chat_text("abcdefgh👨\u200d👩\u200d👧", max_chars=12)
    assert out == "abcdefgh👨\u200d👩…"
    out = clean_chat_text("abcdefghi👨\u200d👩\u200d👧", max_chars=12)
    assert out == "abcdefghi👨…"


def test_huge_input_is_bounded_and_fast():
    out = clean_chat_text("A" * 5_000_000)
    assert out == "AAA"


# --- properties ----------------------------------------------------------------------------------------

hostile = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(sorted(BIDI_CONTROLS | ZERO_WIDTH | {"\x1b", "[", "\u200c", "\u200d", "😀", "🏽", "\ufe0f"})),
        st.sampled_from(["\x1b[1;31m", "\x1b]0;x\x07", "م", "ـ", "\u064b", "\u0301", "…", " "]),
    ),
    max_size=300,
).map("".join)


def _forbidden(ch: str) -> bool:
    cat = unicodedata.category(ch)
    if ch in "\u200c\u200d":
        return False  # kept only in their legitimate contexts (checked separately)
    return cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") or ch in BIDI_CONTROLS or ch in ZERO_WIDTH


@settings(max_examples=500)
@given(hostile, st.integers(2, 400))
def test_output_is_safe_bounded_and_idempotent(raw, max_chars):
    out = clean_chat_text(raw, max_chars=max_chars)
    assert not any(_forbidden(c) for c in out)
    assert "\x1b" not in out
    assert len(out) <= max_chars
    assert out == out.strip()
    assert "  " not in out
    assert clean_chat_text(out, max_chars=max_chars) == out


@settings(max_examples=300)
@given(hostile)
def test_joiners_only_where_they_mean_something(raw):
    out = clean_chat_text(raw)
    for i, ch in enumerate(out):
        if ch in "\u200c\u200d":
            assert 0 < i < len(out) - 1
            assert not out[i - 1].isspace() and not out[i + 1].isspace()


@given(st.text(max_size=200))
def test_never_raises_on_any_string(raw):
    clean_chat_text(raw)


# --- markup -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text", ["[bold]x[/bold]", "[link=https://evil]klik[/link]", "[@click=app.quit]x", "\\[bold]", "a\\", "[$x]",
             "[ bold]", "\\\\[red]", "[[[", "]]", "normaal"]
)  # fmt: skip
def test_escaped_markup_is_shown_literally(text):
    from rich.markup import render
    from textual.content import Content

    escaped = escape_markup(text)
    assert render(escaped).plain.replace("\u200b", "") == text
    assert Content.from_markup(escaped).plain.replace("\u200b", "") == text


def test_escaped_text_cannot_escape_following_markup():
    from rich.markup import render

    rendered = render(f"[bold]{escape_markup('x' + chr(92))}[/bold]")
    assert rendered.plain.replace("\u200b", "") == "x\\"
    assert rendered.spans and rendered.spans[0].style == "bold"


@settings(max_examples=300)
@given(st.text(st.characters(codec="utf-8"), max_size=60) | st.lists(st.sampled_from(["[", "]", "\\", "b", "/", "$", "@", "=", " "]), max_size=20).map("".join))
def test_escape_markup_roundtrips_through_rich_and_textual(raw):
    """What the panel does: clean, then escape. Rich and Textual both show the cleaned text literally."""
    from rich.markup import render
    from textual.content import Content

    text = clean_chat_text(raw)
    escaped = escape_markup(text)
    assert render(escaped).plain.replace("\u200b", "") == text
    assert Content.from_markup(escaped).plain.replace("\u200b", "") == text
