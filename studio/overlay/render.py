"""Render the on-air graphics to images: the question card, the slates and thumbnail titles.

OBS's own text source cannot shape Arabic (see docs/obs-notes.md), so every text that goes on air is
drawn here with Pillow and raqm and shown through an image source. Text is laid out by studio.overlay.layout
(bidi, fonts per script, wrap by pixel width); this module only composes cards and slates from a Theme.
The text given to the renderer must already be cleaned and scrubbed (studio.domain.sanitize / privacy):
rendering does not decide what is fit to air.
"""

from __future__ import annotations

import io
import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.domain import texts
from studio.files import write_atomic
from studio.overlay.errors import OverlayError
from studio.overlay.fonts import FontSet, font_set, require_raqm
from studio.overlay.layout import Block, Typesetter, draw_line
from studio.overlay.png import encode_rgba_png
from studio.overlay.theme import RGBA, Theme, load_theme

if TYPE_CHECKING:
    from PIL import Image, ImageDraw

FULL_HD = (1920, 1080)
SLATE_KINDS = ("starting", "pause", "end")


def _fonts(theme: Theme, bold: bool) -> FontSet:
    f = theme.fonts
    return font_set(f.latin_bold, f.arabic_bold) if bold else font_set(f.latin_regular, f.arabic_regular)


def _scale(size: tuple[int, int]) -> float:
    return size[1] / 1080


def _check_lang(lang: str) -> None:
    if lang not in texts.LANGUAGES:
        raise OverlayError(f"onbekende taal {lang!r}", f"kies uit: {', '.join(texts.LANGUAGES)}")


def _draw_block(
    draw: ImageDraw.ImageDraw,
    block: Block,
    ts: Typesetter,
    left: float,
    right: float,
    first_baseline: float,
    line_height: float,
    fill: RGBA,
    align: str = "start",
) -> None:
    for i, line in enumerate(block.lines):
        if align == "center":
            x = left + (right - left - line.width) / 2
        elif block.rtl:
            x = right - line.width
        else:
            x = left
        draw_line(draw, line, ts.fonts, ts.size, round(x), round(first_baseline + i * line_height), fill)


def render_question_card(
    text: str, lang: str, theme: Theme | None = None, size: tuple[int, int] = FULL_HD
) -> Image.Image:
    """A transparent frame with the question on a card in the lower third (RGBA, `size`)."""
    from PIL import Image, ImageDraw

    require_raqm()
    _check_lang(lang)
    theme = theme or load_theme()
    card, colors = theme.card, theme.colors
    k = _scale(size)
    width, height = size
    text_size = max(8, round(card.text_size * k))
    heading_size = max(8, round(card.heading_size * k))
    pad_x, pad_y = round(card.padding_x * k), round(card.padding_y * k)
    accent = round(card.accent_width * k)
    margin_x, margin_bottom = round(card.margin_x * k), round(card.margin_bottom * k)
    line_height = text_size * card.line_spacing
    rtl_session = texts.is_rtl(lang)

    body_ts = Typesetter(_fonts(theme, bold=False), text_size)
    head_ts = Typesetter(_fonts(theme, bold=True), heading_size)
    inner_left = margin_x + pad_x + (0 if rtl_session else accent)
    inner_right = width - margin_x - pad_x - (accent if rtl_session else 0)
    inner_width = inner_right - inner_left
    body = body_ts.layout(text, inner_width, card.max_lines, default_rtl=rtl_session)
    heading = head_ts.layout(texts.text(texts.QUESTION_HEADING, lang), inner_width, 1, default_rtl=rtl_session)

    heading_height = heading_size * 1.3
    body_height = max(1, len(body.lines)) * line_height
    card_height = round(pad_y * 2 + heading_height + card.heading_gap * k + body_height)
    x0, x1 = margin_x, width - margin_x
    y1 = height - margin_bottom
    y0 = y1 - card_height

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = round(card.radius * k)
    draw.rounded_rectangle((x0, y0, x1, y1), radius=radius, fill=colors.rgba("card_accent"))
    if rtl_session:
        draw.rounded_rectangle((x0, y0, x1 - accent, y1), radius=radius, fill=colors.rgba("card_background"))
    else:
        draw.rounded_rectangle((x0 + accent, y0, x1, y1), radius=radius, fill=colors.rgba("card_background"))
    heading_baseline = y0 + pad_y + heading_size * 1.0
    _draw_block(draw, heading, head_ts, inner_left, inner_right, heading_baseline, heading_height,
                colors.rgba("card_heading"))
    body_baseline = y0 + pad_y + heading_height + card.heading_gap * k + text_size * 0.95
    _draw_block(draw, body, body_ts, inner_left, inner_right, body_baseline, line_height, colors.rgba("card_text"))
    return image


def render_slate(
    kind: str,
    lang: str,
    topic: str = "",
    when: datetime | None = None,
    theme: Theme | None = None,
    size: tuple[int, int] = FULL_HD,
    now: datetime | None = None,
) -> Image.Image:
    """A full-screen opaque slate: 'starting' (topic, start time, countdown when `now` is given), 'pause',
    or 'end' (112, 0900-8844, heerlen.nl/contact)."""
    from PIL import Image, ImageDraw

    require_raqm()
    _check_lang(lang)
    if kind not in SLATE_KINDS:
        raise OverlayError(f"onbekend soort scherm {kind!r}", f"kies uit: {', '.join(SLATE_KINDS)}")
    theme = theme or load_theme()
    slate, colors = theme.slate, theme.colors
    k = _scale(size)
    width = size[0]
    rtl = texts.is_rtl(lang)
    margin = round(slate.margin_x * k)
    left, right = margin, width - margin
    title_size, text_size, small_size = (max(8, round(s * k)) for s in (slate.title_size, slate.text_size,
                                                                         slate.small_size))
    title_ts = Typesetter(_fonts(theme, bold=True), title_size)
    text_ts = Typesetter(_fonts(theme, bold=False), text_size)
    small_ts = Typesetter(_fonts(theme, bold=True), small_size)

    image = Image.new("RGBA", size, colors.rgba("slate_background"))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, round(slate.accent_height * k)), fill=colors.rgba("slate_accent"))

    header = f"{texts.text(texts.PROGRAMME_NAME, lang)} · {texts.text(texts.ORGANISERS, lang)}"
    header_block = small_ts.layout(header, right - left, 1, default_rtl=rtl)
    _draw_block(draw, header_block, small_ts, left, right, round(110 * k), small_size, colors.rgba("slate_accent"),
                align="center")

    if kind == "starting":
        title = texts.text(texts.STARTING_TITLE, lang)
        lines = texts.starting_lines(lang, topic, when, now)
    elif kind == "pause":
        title = texts.text(texts.PAUSE_TITLE, lang)
        lines = [texts.text(texts.PAUSE_LINE, lang)]
    else:
        title = texts.text(texts.END_TITLE, lang)
        lines = texts.end_lines(lang)

    title_block = title_ts.layout(title, right - left, 2, default_rtl=rtl)
    y = round(330 * k)
    _draw_block(draw, title_block, title_ts, left, right, y, title_size * 1.2, colors.rgba("slate_title"),
                align="center")
    y += round(len(title_block.lines) * title_size * 1.2 + 50 * k)
    step = text_size * slate.line_spacing
    for i, line in enumerate(lines):
        block = text_ts.layout(line, right - left, 2, default_rtl=rtl)
        if kind == "end" and i == 0:
            # The emergency line stands out: white on red, bold, full text size.
            bold = Typesetter(_fonts(theme, bold=True), text_size)
            block = bold.layout(line, right - left, 1, default_rtl=rtl)
            box_w = block.lines[0].width + 2 * round(40 * k) if block.lines else 0
            bx0 = round((width - box_w) / 2)
            draw.rounded_rectangle(
                (bx0, round(y - text_size * 1.05), bx0 + box_w, round(y + text_size * 0.55)),
                radius=round(14 * k), fill=colors.rgba("slate_emergency_background"),
            )
            _draw_block(draw, block, bold, left, right, y, step, colors.rgba("slate_emergency"), align="center")
            y += round(step * 1.6)
            continue
        _draw_block(draw, block, text_ts, left, right, y, step, colors.rgba("slate_text"), align="center")
        y += round(len(block.lines) * step)
    return image


def render_title(
    image: Image.Image, title: str, day: date | datetime | None, lang: str, theme: Theme | None = None
) -> Image.Image:
    """A thumbnail: `image` (e.g. a frame of the recording) with a band carrying the title and date."""
    from PIL import Image, ImageDraw

    require_raqm()
    _check_lang(lang)
    theme = theme or load_theme()
    thumb, colors = theme.thumbnail, theme.colors
    base = image.convert("RGBA")
    width, height = base.size
    k = height / 720
    rtl = texts.is_rtl(lang)
    title_size = max(8, round(thumb.title_size * k))
    date_size = max(8, round(thumb.date_size * k))
    margin = round(56 * k)
    title_ts = Typesetter(_fonts(theme, bold=True), title_size)
    date_ts = Typesetter(_fonts(theme, bold=False), date_size)
    title_block = title_ts.layout(title, width - 2 * margin, 2, default_rtl=rtl)
    day_text = texts.long_date(datetime(day.year, day.month, day.day), lang) if day else ""
    date_block = date_ts.layout(day_text, width - 2 * margin, 1, default_rtl=rtl)

    title_step = title_size * 1.15
    pad = margin * 0.6
    # Vertical plan: first title ascent, further title lines, title descent, then the date line.
    title_h = title_size * 0.95 + (len(title_block.lines) - 1) * title_step + title_size * 0.35
    date_h = date_size * 1.6 if day_text else 0.0
    band_h = round(2 * pad + title_h + date_h)
    band = Image.new("RGBA", base.size, (0, 0, 0, 0))
    bd = ImageDraw.Draw(band)
    r, g, b, _a = colors.rgba("slate_background")
    top = height - band_h
    bd.rectangle((0, top, width, height), fill=(r, g, b, thumb.band_opacity))
    bd.rectangle((0, top, width, top + round(8 * k)), fill=colors.rgba("slate_accent"))
    first_baseline = top + pad + title_size * 0.95
    _draw_block(bd, title_block, title_ts, margin, width - margin, first_baseline, title_step,
                colors.rgba("slate_title"))
    if day_text:
        date_baseline = top + pad + title_h + date_size * 1.15
        _draw_block(bd, date_block, date_ts, margin, width - margin, date_baseline, date_size,
                    colors.rgba("slate_accent"))
    return Image.alpha_composite(base, band).convert("RGB")


def encode_png(img: Image.Image, compress_level: int = 1) -> bytes:
    """PNG bytes, fast: RGBA overlays skip their transparent rows (studio.overlay.png), others go to Pillow."""
    if img.mode == "RGBA":
        return encode_rgba_png(img, compress_level)
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=compress_level)
    return buf.getvalue()


THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024  # YouTube's limit for thumbnails.set


def thumbnail_jpeg(frame_bgr: Any, title: str, day: date | None, lang: str, size: tuple[int, int] = (1280, 720),
                   max_bytes: int = THUMBNAIL_MAX_BYTES) -> bytes:
    """A video's thumbnail: a frame (BGR array) with the title band, as JPEG under ``max_bytes``."""
    from PIL import Image

    image = Image.fromarray(frame_bgr[:, :, ::-1].copy(), "RGB")
    titled = render_title(image, title, day, lang)
    if titled.size != size:
        titled = titled.resize(size)
    rgb = titled.convert("RGB")
    for quality in (90, 85, 78, 70, 60, 50, 40):
        buf = io.BytesIO()
        rgb.save(buf, format="JPEG", quality=quality, optimize=True, progressive=True)
        if buf.tell() <= max_bytes:
            return buf.getvalue()
    raise OverlayError(f"de miniatuur blijft groter dan {max_bytes // (1024 * 1024)} MB")


def write_png_atomic(img: Image.Image, path: str | os.PathLike[str], compress_level: int = 1) -> Path:
    """Write a PNG so that a reader (OBS) never sees half a file (studio.files.write_atomic)."""
    target = Path(path)
    try:
        return write_atomic(target, encode_png(img, compress_level))
    except OSError as exc:
        raise OverlayError(f"kan {target} niet schrijven: {exc.strerror or exc}", "controleer schijfruimte en rechten") from None
