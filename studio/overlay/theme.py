"""The overlay theme: colours, fonts and sizes from scenes/theme.toml, with defaults for every key."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.config import project_root
from studio.overlay.errors import OverlayError

THEME_FILE = project_root() / "scenes" / "theme.toml"

RGBA = tuple[int, int, int, int]
_COLOUR_RE = re.compile(r"^#([0-9a-fA-F]{6})([0-9a-fA-F]{2})?$")


def parse_colour(value: str, where: str = "kleur") -> RGBA:
    m = _COLOUR_RE.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise OverlayError(f"{where} = {value!r} is geen kleur", "gebruik #RRGGBB of #RRGGBBAA")
    rgb, alpha = m.groups()
    return (int(rgb[0:2], 16), int(rgb[2:4], 16), int(rgb[4:6], 16), int(alpha, 16) if alpha else 255)


@dataclass(frozen=True)
class Colors:
    card_background: str = "#0B2C4FEB"
    card_accent: str = "#F2A900"
    card_heading: str = "#F2C14E"
    card_text: str = "#FFFFFF"
    slate_background: str = "#0B2C4F"
    slate_title: str = "#FFFFFF"
    slate_text: str = "#DCE6F2"
    slate_accent: str = "#F2A900"
    slate_emergency: str = "#FFFFFF"
    slate_emergency_background: str = "#B3261E"

    def rgba(self, name: str) -> RGBA:
        return parse_colour(getattr(self, name), f"[colors] {name}")


@dataclass(frozen=True)
class Fonts:
    latin_regular: str = "NotoSans-Regular.ttf"
    latin_bold: str = "NotoSans-Bold.ttf"
    arabic_regular: str = "NotoSansArabic-Regular.ttf"
    arabic_bold: str = "NotoSansArabic-Bold.ttf"


@dataclass(frozen=True)
class Card:
    margin_x: int = 96
    margin_bottom: int = 72
    padding_x: int = 48
    padding_y: int = 32
    radius: int = 20
    accent_width: int = 12
    heading_size: int = 34
    text_size: int = 52
    line_spacing: float = 1.25
    heading_gap: int = 14
    max_lines: int = 4


@dataclass(frozen=True)
class Slate:
    margin_x: int = 160
    title_size: int = 104
    text_size: int = 52
    small_size: int = 40
    line_spacing: float = 1.35
    accent_height: int = 10


@dataclass(frozen=True)
class Thumbnail:
    title_size: int = 88
    date_size: int = 48
    band_opacity: int = 200


@dataclass(frozen=True)
class Theme:
    colors: Colors = field(default_factory=Colors)
    fonts: Fonts = field(default_factory=Fonts)
    card: Card = field(default_factory=Card)
    slate: Slate = field(default_factory=Slate)
    thumbnail: Thumbnail = field(default_factory=Thumbnail)


def _section(cls: type[Any], values: Any, name: str, origin: str) -> Any:
    if not isinstance(values, dict):
        raise OverlayError(f"[{name}] in {origin} moet een sectie zijn")
    known = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    defaults = cls()
    for key, value in values.items():
        if key not in known:
            raise OverlayError(f"onbekende sleutel [{name}] {key} in {origin}", f"bekend: {', '.join(known)}")
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not expected:
            raise OverlayError(f"[{name}] {key} in {origin} moet een {expected.__name__} zijn, niet {value!r}")
        if expected is int and value < 0:
            raise OverlayError(f"[{name}] {key} in {origin} mag niet negatief zijn")
        kwargs[key] = value
    section = cls(**kwargs)
    if cls is Colors:
        for f in dataclasses.fields(Colors):
            section.rgba(f.name)  # validates
    return section


def load_theme(path: Path | None = None) -> Theme:
    """The theme from `path` (default scenes/theme.toml); missing keys take their defaults."""
    path = path or THEME_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OverlayError(f"themabestand {path} ontbreekt", "zet scenes/theme.toml terug") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OverlayError(f"kan themabestand {path} niet lezen: {exc}") from None
    sections = {f.name: f.type for f in dataclasses.fields(Theme)}
    kwargs: dict[str, Any] = {}
    classes = {"colors": Colors, "fonts": Fonts, "card": Card, "slate": Slate, "thumbnail": Thumbnail}
    for name, values in data.items():
        if name not in sections:
            raise OverlayError(f"onbekende sectie [{name}] in {path}", f"bekend: {', '.join(sections)}")
        kwargs[name] = _section(classes[name], values, name, str(path))
    if "card" in kwargs and kwargs["card"].max_lines < 1:
        raise OverlayError(f"[card] max_lines in {path} moet minstens 1 zijn")
    return Theme(**kwargs)
