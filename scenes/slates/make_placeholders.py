"""Draw the placeholder slates in this folder (run once: python scenes/slates/make_placeholders.py).

They are copied into the data dir by `studio scenes apply` when the overlay has not rendered the real ones yet,
so an OBS that was just set up never shows an empty scene. The real slates (with topic, date, Arabic) are
rendered by studio/overlay.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent / "assets" / "fonts"
SIZE = (1920, 1080)
BLUE, WHITE, GOLD = (21, 41, 88), (255, 255, 255), (233, 184, 36)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    names = ["NotoSans-Bold.ttf"] if bold else ["NotoSans-Regular.ttf"]
    for folder in (FONTS, Path("/usr/share/fonts/truetype/noto")):
        for n in names:
            if (folder / n).exists():
                return ImageFont.truetype(str(folder / n), size)
    return ImageFont.load_default(size)


def slate(lines: list[tuple[str, int, bool, tuple[int, int, int]]], out: str) -> None:
    img = Image.new("RGB", SIZE, BLUE)
    d = ImageDraw.Draw(img)
    d.rectangle((0, SIZE[1] - 24, SIZE[0], SIZE[1]), fill=GOLD)
    y = 300
    for text, size, bold, color in lines:
        f = font(size, bold)
        w = d.textlength(text, font=f)
        d.text(((SIZE[0] - w) / 2, y), text, font=f, fill=color)
        y += int(size * 1.5)
    img.save(HERE / out, optimize=True)


slate([("Digitaal wijkspreekuur", 96, True, WHITE), ("Politie en gemeente Heerlen", 56, False, WHITE),
       ("We beginnen zo", 72, True, GOLD)], "startbeeld.png")
slate([("Even pauze", 110, True, WHITE), ("We zijn zo terug", 64, False, GOLD)], "pauzebeeld.png")
slate([("Bedankt voor het kijken", 88, True, WHITE), ("Spoed? Bel altijd 112", 64, True, GOLD),
       ("Geen spoed: 0900-8844", 60, False, WHITE), ("heerlen.nl/contact", 60, False, WHITE)], "eindbeeld.png")
Image.new("RGBA", SIZE, (0, 0, 0, 0)).save(HERE / "leeg.png", optimize=True)
