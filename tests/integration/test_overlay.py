"""Overlay rendering with the real Pillow + raqm and the shipped fonts.

The reference PNGs in tests/data/overlay/ were rendered with this code and inspected by eye (Arabic joined
and right to left, "0900-8844" and "112" in reading order, Dutch wrapped with an ellipsis). Regenerate them
after a deliberate change of the look with STUDIO_UPDATE_OVERLAY_REFERENCES=1, and look at them again.
Besides the references, structural checks that do not depend on them: where the ink is, what shaping does,
what the basic layout engine would have done.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageFont

from studio.overlay.errors import OverlayError
from studio.overlay.fonts import FONTS_DIR, require_raqm
from studio.overlay.render import (
    encode_png,
    render_question_card,
    render_slate,
    render_title,
    write_png_atomic,
)
from studio.overlay.theme import Theme, load_theme

DATA = Path(__file__).parent.parent / "data" / "overlay"
UPDATE = os.environ.get("STUDIO_UPDATE_OVERLAY_REFERENCES") == "1"

ARABIC_QUESTION = (
    "مرحبا، سُرقت دراجتي أمس. هل يجب أن أتصل بالرقم 0900-8844 أم بالرقم 112؟ "
    "وهل يمكنني تقديم البلاغ عبر heerlen.nl/contact؟"
)
DUTCH_QUESTION = (
    "Wat kan ik doen als mijn fiets gestolen is? Ik heb al aangifte gedaan maar hoor niets meer van de politie."
)
START = datetime(2026, 11, 21, 19, 0)


def _references() -> dict[str, Image.Image]:
    theme = Theme()  # the built-in defaults: references do not change when someone tunes theme.toml
    return {
        "card_ar.png": render_question_card(ARABIC_QUESTION, "ar", theme),
        "card_nl.png": render_question_card(DUTCH_QUESTION, "nl", theme),
        "card_nl_ellipsis.png": render_question_card("Dit is een heel lange vraag. " * 20, "nl", theme),
        "slate_end_ar.png": render_slate("end", "ar", theme=theme),
        "slate_starting_nl.png": render_slate("starting", "nl", "fietsendiefstal", START, theme,
                                              now=datetime(2026, 11, 21, 18, 55, 30)),
    }


def _differing_fraction(a: Image.Image, b: Image.Image, threshold: int = 48) -> float:
    diff = np.asarray(ImageChops.difference(a.convert("RGBA"), b.convert("RGBA"))).max(axis=2)
    return float((diff > threshold).mean())


@pytest.mark.parametrize(
    "name", ["card_ar.png", "card_nl.png", "card_nl_ellipsis.png", "slate_end_ar.png", "slate_starting_nl.png"]
)
def test_matches_the_inspected_reference(name):
    image = _references()[name]
    path = DATA / name
    if UPDATE:
        DATA.mkdir(parents=True, exist_ok=True)
        image.save(path, format="PNG", optimize=True)
        pytest.skip(f"reference {name} rewritten: look at it before committing")
    reference = Image.open(path)
    assert reference.size == image.size and reference.mode == image.mode
    # Fonts are shipped, so rendering is deterministic; the tolerance absorbs a FreeType/HarfBuzz patch release
    # (a few anti-aliasing pixels), not a swapped word or number (thousands).
    differing = _differing_fraction(image, reference) * image.width * image.height
    assert differing <= 150, f"{differing:.0f} pixels differ from {name}"


def _ink_columns(image: Image.Image, box: tuple[int, int, int, int], text_rgb=(255, 255, 255)) -> np.ndarray:
    """Columns in `box` that hold text-coloured pixels."""
    a = np.asarray(image.convert("RGB").crop(box)).astype(int)
    near_text = (np.abs(a - np.array(text_rgb)).sum(axis=2) < 90)
    return np.flatnonzero(near_text.any(axis=0)) + box[0]


def _text_rows(image: Image.Image) -> list[tuple[int, int]]:
    """Vertical bands of white (question text) pixels, i.e. the lines of the card body."""
    a = np.asarray(image.convert("RGB")).astype(int)
    rows = (np.abs(a - 255).sum(axis=2) < 90).any(axis=1)
    bands, start = [], None
    for y, on in enumerate(rows):
        if on and start is None:
            start = y
        elif not on and start is not None:
            bands.append((start, y))
            start = None
    return [b for b in bands if b[1] - b[0] > 10]


def test_arabic_card_is_right_aligned_and_dutch_left_aligned():
    theme = Theme()
    ar = render_question_card("سؤال قصير عن الدراجات", "ar", theme)
    nl = render_question_card("Een korte vraag over fietsen", "nl", theme)
    inner_left = theme.card.margin_x + theme.card.padding_x
    inner_right = 1920 - theme.card.margin_x - theme.card.padding_x
    ar_cols = _ink_columns(ar, (0, 700, 1920, 1080))
    nl_cols = _ink_columns(nl, (0, 700, 1920, 1080))
    assert abs(ar_cols.max() - (inner_right - theme.card.accent_width)) < 12  # flush right
    assert ar_cols.min() > 960  # a short line does not reach the left half
    assert abs(nl_cols.min() - (inner_left + theme.card.accent_width)) < 12  # flush left
    assert nl_cols.max() < 960


def test_card_is_transparent_outside_the_lower_third():
    image = render_question_card(ARABIC_QUESTION, "ar")
    alpha = np.asarray(image)[:, :, 3]
    assert image.mode == "RGBA" and image.size == (1920, 1080)
    assert alpha[: 1080 * 2 // 3 - 100].max() == 0
    assert alpha[900, 960] > 200  # the card itself is (nearly) opaque


def _ink_width(text: str, font: ImageFont.FreeTypeFont, **kw) -> int:
    bbox = font.getbbox(text, **kw)
    return bbox[2] - bbox[0]


def test_arabic_is_shaped_narrower_than_isolated_letters():
    require_raqm()
    font = ImageFont.truetype(str(FONTS_DIR / "NotoSansArabic-Regular.ttf"), 52, layout_engine=ImageFont.Layout.RAQM)
    word = "تتبعت"  # every letter joins: the shaped word is much narrower than its isolated letters
    shaped = font.getlength(word, direction="rtl", language="ar")
    isolated = sum(font.getlength(ch, direction="rtl", language="ar") for ch in word)
    assert shaped < 0.75 * isolated


def test_basic_layout_would_differ():
    """What OBS's text source and Pillow without raqm produce (isolated letters, left to right) is not ours."""
    path = str(FONTS_DIR / "NotoSansArabic-Regular.ttf")
    raqm = ImageFont.truetype(path, 52, layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(path, 52, layout_engine=ImageFont.Layout.BASIC)
    word = "مرحبا بكم"

    def draw(font, **kw):
        img = Image.new("L", (600, 120), 0)
        from PIL import ImageDraw

        ImageDraw.Draw(img).text((10, 90), word, font=font, fill=255, anchor="ls", **kw)
        return img

    shaped, unshaped = draw(raqm, direction="rtl", language="ar"), draw(basic)
    assert _differing_fraction(shaped, unshaped, threshold=128) > 0.01
    assert raqm.getlength(word, direction="rtl") < basic.getlength(word)


def test_numbers_keep_reading_order_in_arabic_text():
    from studio.overlay.layout import Typesetter
    from studio.overlay.render import _fonts

    ts = Typesetter(_fonts(Theme(), bold=False), 52)
    block = ts.layout("اتصلوا بالشرطة: 0900-8844 أو 112", 3000, None, default_rtl=True)
    (line,) = block.lines
    ltr_runs = [r.text for r in line.runs if not r.rtl]
    assert ltr_runs == ["112", "0900-8844"]  # visual order: 112 is leftmost, the phone number reads 0900-8844
    assert block.rtl


def test_slates_carry_the_public_numbers_and_are_opaque():
    for kind in ("starting", "pause", "end"):
        for lang in ("nl", "ar"):
            image = render_slate(kind, lang, "fietsendiefstal", START, Theme())
            assert image.size == (1920, 1080)
            assert np.asarray(image)[:, :, 3].min() == 255, (kind, lang)


def test_end_slate_has_the_red_emergency_box():
    image = render_slate("end", "nl", theme=Theme())
    a = np.asarray(image.convert("RGB")).astype(int)
    red = (np.abs(a - np.array([0xB3, 0x26, 0x1E])).sum(axis=2) < 10)
    assert red.sum() > 20_000


def test_thumbnail_title_band():
    frame = Image.new("RGB", (1280, 720), (90, 120, 90))
    out = render_title(frame, "Digitaal wijkspreekuur: fietsendiefstal", datetime(2026, 11, 21), "nl", Theme())
    assert out.size == (1280, 720) and out.mode == "RGB"
    assert out.getpixel((640, 10)) == (90, 120, 90)  # the frame shows above the band
    assert out.getpixel((640, 715)) != (90, 120, 90)
    ar = render_title(frame, "لقاء الحي الرقمي: سرقة الدراجات", None, "ar", Theme())
    cols = _ink_columns(ar, (0, 400, 1280, 720))
    assert cols.max() > 1150 and cols.min() > 200  # right-aligned Arabic title


def test_emoji_and_controls_do_not_reach_the_card():
    clean = render_question_card("Hallo fiets", "nl", Theme())
    noisy = render_question_card("Hallo 😀\u202e fiets\x07", "nl", Theme())
    assert _differing_fraction(clean, noisy) == 0


def test_unknown_language_and_kind_are_refused():
    with pytest.raises(OverlayError):
        render_question_card("x", "fr")
    with pytest.raises(OverlayError):
        render_slate("intermission", "nl")


def test_require_raqm_refuses_without_it(monkeypatch):
    from PIL import features

    monkeypatch.setattr(features, "check", lambda name: name != "raqm")
    with pytest.raises(OverlayError) as exc:
        render_question_card("مرحبا", "ar")
    assert "raqm" in str(exc.value) and "libraqm0" in str(exc.value)


def test_write_png_atomic(tmp_path):
    image = render_question_card("Vraag", "nl", Theme())
    target = tmp_path / "sub" / "card.png"
    target.parent.mkdir()
    target.write_bytes(b"old")
    assert write_png_atomic(image, target) == target
    assert Image.open(target).size == (1920, 1080)
    assert [p.name for p in target.parent.iterdir()] == ["card.png"]  # no temp file left behind
    assert target.read_bytes() == encode_png(image)
    with pytest.raises(OverlayError):
        write_png_atomic(image, Path("/proc/nope/card.png"))


def test_shipped_theme_equals_the_defaults():
    """scenes/theme.toml documents every key with its default; a tuned file is fine, a typo is not."""
    assert load_theme() == Theme()


def test_theme_errors_are_one_dutch_line(tmp_path):
    bad = tmp_path / "theme.toml"
    bad.write_text('[colors]\ncard_text = "wit"\n')
    with pytest.raises(OverlayError, match="geen kleur"):
        load_theme(bad)
    bad.write_text("[card]\nmax_lijnen = 3\n")
    with pytest.raises(OverlayError, match="onbekende sleutel"):
        load_theme(bad)
    bad.write_text('[card]\nmax_lines = "veel"\n')
    with pytest.raises(OverlayError, match="moet een int"):
        load_theme(bad)
    with pytest.raises(OverlayError, match="ontbreekt"):
        load_theme(tmp_path / "nope.toml")


def test_cli_renders_scrubbed_card(tmp_path, settings, capsys):
    from studio.cli import main

    out = tmp_path / "card.png"
    assert main(["overlay", "render", "--text", "Bel me op 06-12345678", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "vervangen door [telefoonnummer]: 06-12345678" in printed
    assert Image.open(out).size == (1920, 1080)
    assert main(["overlay", "render", "--kind", "end", "--lang", "ar", "--out", str(tmp_path / "end.png")]) == 0
    assert main(["overlay", "render", "--out", str(tmp_path / "x.png")]) == 2
    assert "--text is leeg" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["card", "slate", "blank", "noise", "one_pixel"])
def test_fast_png_encoder_is_lossless_and_valid(kind):
    import io
    import struct
    import zlib

    rng = np.random.default_rng(7)
    image = {
        "card": lambda: render_question_card(ARABIC_QUESTION, "ar", Theme()),
        "slate": lambda: render_slate("end", "nl", theme=Theme()),
        "blank": lambda: Image.new("RGBA", (1920, 1080), (0, 0, 0, 0)),
        "noise": lambda: Image.fromarray(rng.integers(0, 256, (90, 70, 4), dtype=np.uint8), "RGBA"),
        "one_pixel": lambda: Image.new("RGBA", (1, 1), (10, 20, 30, 40)),
    }[kind]()
    data = encode_png(image)
    decoded = Image.open(io.BytesIO(data))
    decoded.load()
    assert decoded.mode == "RGBA" and decoded.tobytes() == image.tobytes()
    # The zlib stream is one valid stream (zlib checks the Adler-32 of the stitched pieces).
    at = data.index(b"IDAT")
    length = struct.unpack(">I", data[at - 4 : at])[0]
    z = zlib.decompressobj()
    raw = z.decompress(data[at + 4 : at + 4 + length])
    assert z.eof and not z.unused_data and len(raw) == image.height * (1 + 4 * image.width)


def test_fast_png_encoder_skips_transparent_rows():
    card = render_question_card(DUTCH_QUESTION, "nl", Theme())
    import io

    buf = io.BytesIO()
    card.save(buf, format="PNG", compress_level=1)
    assert len(encode_png(card)) < 1.2 * len(buf.getvalue())  # no worse than Pillow in size
