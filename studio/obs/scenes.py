"""Scenes as code: the show's scenes and inputs from ``scenes/wijkspreekuur.toml``, parsed and checked.

This module reads and validates the file (no OBS needed); ``studio.obs.scenes_apply`` compares it with a
running OBS and makes OBS match it. Every problem in the file is one ConfigError naming the file, the line and
the fix. The Python names of the show's scenes and inputs are in studio.domain.scenes (the show's vocabulary).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from studio.config import Settings
from studio.errors import ConfigError
from studio.obs.kinds import PLATFORMS, first_available, platform_of

OWNER_KEY = "studio_owned"  # in a source's private settings: studio made it and may change it
OWNER_VALUE = "wijkspreekuur-studio"

_INPUT_KEYS = {"name", "kind", "settings", "placeholder", *(f"settings_{p}" for p in PLATFORMS)}
_SCENE_KEYS = {"name", "items"}
_ITEM_KEYS = {"source", "fit", "visible"}
_OVERRIDE_KEYS = {"kind", "settings"}


@dataclass(frozen=True)
class InputSpec:
    name: str
    kinds: Mapping[str, tuple[str, ...]]  # platform -> candidates, first available wins
    settings: Mapping[str, Any]
    platform_settings: Mapping[str, Mapping[str, Any]]
    placeholder: Path | None = None
    line: int = 0
    overridden: bool = False

    def kind_for(self, platform: str, available: Iterable[str]) -> str | None:
        """The input kind to use on this OBS (its GetVersion platform and GetInputKindList)."""
        candidates = self.kinds.get(platform_of(platform), ())
        return first_available(candidates, available)

    def settings_for(self, platform: str) -> dict[str, Any]:
        return {**self.settings, **self.platform_settings.get(platform_of(platform), {})}

    @property
    def image_file(self) -> Path | None:
        """For image inputs: the file OBS shows (the overlay renders into it)."""
        f = self.settings.get("file")
        return Path(f) if isinstance(f, str) and f else None


@dataclass(frozen=True)
class ItemSpec:
    source: str
    fit: bool = False
    visible: bool = True


@dataclass(frozen=True)
class SceneSpec:
    name: str
    items: tuple[ItemSpec, ...]
    line: int = 0


@dataclass(frozen=True)
class Show:
    path: Path
    inputs: Mapping[str, InputSpec]
    scenes: Mapping[str, SceneSpec]  # in file order
    text: str = field(default="", repr=False)

    def where(self, line: int) -> str:
        return f"{self.path}:{line}" if line else str(self.path)

    def input(self, name: str) -> InputSpec:
        return self.inputs[name]


def load_show(path: str | Path, *, data_dir: str | Path, overrides: Iterable[str | Path] = ()) -> Show:
    """Parse and check a scenes file (and override files). Raises ConfigError, one line, with the fix."""
    path = Path(path)
    text, data = _read_toml(path)
    show = _parse(path, text, data, Path(data_dir))
    for override in overrides:
        show = _apply_override(show, Path(override), Path(data_dir))
    return show


def load_show_for(settings: Settings, overrides: Iterable[str | Path] = ()) -> Show:
    """The show as the settings say: settings.scenes_file plus [obs] scenes_override and extra overrides."""
    extra = [settings.obs.scenes_override] if getattr(settings.obs, "scenes_override", "") else []
    return load_show(settings.scenes_file, data_dir=settings.data_dir, overrides=[*extra, *overrides])


# -- parsing ---------------------------------------------------------------------------------------
def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"scènebestand {path} bestaat niet", "zet [obs] scenes_file goed of laat het leeg") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"kan scènebestand {path} niet lezen: {exc}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        where = f"{path}:{m.group(1)}" if m else str(path)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise ConfigError(f"{where}: geen geldige TOML ({reason})",
                          "verbeter die regel (let op aanhalingstekens, komma's en haakjes)") from None


def _line_of(text: str, name: str, nth: int = 0) -> int:
    """The line where ``name = "<name>"`` (or ``source = ...``) occurs for the nth time, 0 if not found."""
    pattern = re.compile(r"""\bname\s*=\s*(["'])""" + re.escape(name) + r"""\1""")
    count = 0
    for i, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line.split("#", 1)[0]):
            if count == nth:
                return i
            count += 1
    return 0


def _line_containing(text: str, needle: str, after: int = 0) -> int:
    for i, line in enumerate(text.splitlines(), start=1):
        if i >= after and needle in line.split("#", 1)[0]:
            return i
    return after


def _fail(path: Path, line: int, message: str, hint: str) -> ConfigError:
    return ConfigError(f"{path}:{line}: {message}" if line else f"{path}: {message}", hint)


def _expand(value: Any, data_dir: Path, scenes_dir: Path) -> Any:
    if isinstance(value, str):
        return value.replace("{data_dir}", str(data_dir)).replace("{scenes_dir}", str(scenes_dir))
    if isinstance(value, list):
        return [_expand(v, data_dir, scenes_dir) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v, data_dir, scenes_dir) for k, v in value.items()}
    return value


def _kinds(path: Path, line: int, name: str, raw: Any) -> Mapping[str, tuple[str, ...]]:
    def candidates(v: Any, where: str) -> tuple[str, ...]:
        if isinstance(v, str) and v:
            return (v,)
        if isinstance(v, list) and v and all(isinstance(k, str) and k for k in v):
            return tuple(v)
        raise _fail(path, line, f"kind{where} van '{name}' moet een brontype of een lijst brontypes zijn",
                    'bijvoorbeeld kind = "image_source"')

    if isinstance(raw, dict):
        unknown = set(raw) - set(PLATFORMS)
        if unknown:
            raise _fail(path, line, f"onbekend platform {sorted(unknown)[0]!r} in kind van '{name}'",
                        f"gebruik {', '.join(PLATFORMS)}")
        missing = [p for p in PLATFORMS if p not in raw]
        if missing:
            raise _fail(path, line, f"kind van '{name}' zegt niets voor {', '.join(missing)}",
                        "geef voor elk platform een brontype")
        return MappingProxyType({p: candidates(raw[p], f".{p}") for p in PLATFORMS})
    kinds = candidates(raw, "")
    return MappingProxyType(dict.fromkeys(PLATFORMS, kinds))


def _table(path: Path, line: int, value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _fail(path, line, f"{what} moet een tabel zijn", "bijvoorbeeld settings = { file = \"...\" }")
    return dict(value)


def _parse(path: Path, text: str, data: dict[str, Any], data_dir: Path) -> Show:
    unknown = set(data) - {"version", "inputs", "scenes"}
    if unknown:
        key = sorted(unknown)[0]
        raise _fail(path, _line_containing(text, key), f"onbekende sleutel '{key}'",
                    "toegestaan op het hoogste niveau: version, [[inputs]], [[scenes]]")
    if data.get("version", 1) != 1:
        raise _fail(path, _line_containing(text, "version"), f"version = {data.get('version')!r} ken ik niet",
                    "deze studio leest version = 1")
    raw_inputs, raw_scenes = data.get("inputs", []), data.get("scenes", [])
    if not isinstance(raw_inputs, list) or not isinstance(raw_scenes, list):
        raise _fail(path, 0, "inputs en scenes moeten lijsten van tabellen zijn", "schrijf [[inputs]] en [[scenes]]")
    if not raw_scenes:
        raise _fail(path, 0, "er staat geen enkele scène in", "voeg [[scenes]] toe")

    seen: dict[str, int] = {}  # OBS has one namespace for scenes and inputs

    def claim(name: Any, kind: str) -> int:
        if not isinstance(name, str) or not name.strip():
            raise _fail(path, 0, f"een {kind} zonder naam", f'geef elke [[{kind}]] een name = "..."')
        if name in seen:
            raise _fail(path, _line_of(text, name, 1) or seen[name],
                        f"dubbele naam '{name}' (ook op regel {seen[name]})",
                        "elke scène en bron heeft in OBS een eigen naam nodig: hernoem er één")
        seen[name] = _line_of(text, name)
        return seen[name]

    scenes_dir = path.parent
    inputs: dict[str, InputSpec] = {}
    for raw in raw_inputs:
        if not isinstance(raw, dict):
            raise _fail(path, 0, "elke [[inputs]] moet een tabel zijn", "zie de voorbeelden in het bestand")
        line = claim(raw.get("name"), "inputs")
        name = str(raw["name"])
        bad = set(raw) - _INPUT_KEYS
        if bad:
            raise _fail(path, line, f"onbekende sleutel '{sorted(bad)[0]}' bij bron '{name}'",
                        f"toegestaan: {', '.join(sorted(_INPUT_KEYS))}")
        if "kind" not in raw:
            raise _fail(path, line, f"bron '{name}' heeft geen kind", 'bijvoorbeeld kind = "image_source"')
        placeholder = raw.get("placeholder")
        if placeholder is not None and not isinstance(placeholder, str):
            raise _fail(path, line, f"placeholder van '{name}' moet een bestandsnaam zijn", "bijvoorbeeld slates/x.png")
        inputs[name] = InputSpec(
            name=name,
            kinds=_kinds(path, line, name, raw["kind"]),
            settings=MappingProxyType(_expand(_table(path, line, raw.get("settings"), "settings"),
                                              data_dir, scenes_dir)),
            platform_settings=MappingProxyType({
                p: MappingProxyType(_expand(_table(path, line, raw.get(f"settings_{p}"), f"settings_{p}"),
                                            data_dir, scenes_dir))
                for p in PLATFORMS
            }),
            placeholder=scenes_dir / placeholder if placeholder else None,
            line=line,
        )

    scenes: dict[str, SceneSpec] = {}
    scene_names = {r.get("name") for r in raw_scenes if isinstance(r, dict)}
    for raw in raw_scenes:
        if not isinstance(raw, dict):
            raise _fail(path, 0, "elke [[scenes]] moet een tabel zijn", "zie de voorbeelden in het bestand")
        line = claim(raw.get("name"), "scenes")
        name = str(raw["name"])
        bad = set(raw) - _SCENE_KEYS
        if bad:
            raise _fail(path, line, f"onbekende sleutel '{sorted(bad)[0]}' bij scène '{name}'",
                        "toegestaan: name, items")
        items: list[ItemSpec] = []
        raw_items = raw.get("items", [])
        if not isinstance(raw_items, list):
            raise _fail(path, line, f"items van scène '{name}' moet een lijst zijn", 'bijvoorbeeld items = ["Camera"]')
        for it in raw_items:
            item = _item(path, line, name, it)
            if item.source not in inputs and item.source not in scene_names:
                known = ", ".join(sorted([*inputs, *(str(n) for n in scene_names)]))
                raise _fail(path, _line_containing(text, f'"{item.source}"', line) or line,
                            f"scène '{name}' gebruikt onbekende bron '{item.source}'", f"bekend: {known}")
            if item.source == name:
                raise _fail(path, line, f"scène '{name}' bevat zichzelf", "haal die regel weg")
            if any(i.source == item.source for i in items):
                raise _fail(path, line, f"scène '{name}' noemt '{item.source}' twee keer", "noem elke bron één keer")
            items.append(item)
        scenes[name] = SceneSpec(name, tuple(items), line)

    used = {i.source for s in scenes.values() for i in s.items}
    for spec in inputs.values():
        if spec.name not in used:
            raise _fail(path, spec.line, f"bron '{spec.name}' staat in geen enkele scène",
                        "zet hem in de items van een scène of haal hem weg (OBS maakt bronnen in een scène)")
    return Show(path, MappingProxyType(inputs), MappingProxyType(scenes), text)


def _item(path: Path, line: int, scene: str, raw: Any) -> ItemSpec:
    if isinstance(raw, str) and raw:
        return ItemSpec(raw)
    if isinstance(raw, dict):
        bad = set(raw) - _ITEM_KEYS
        if bad:
            raise _fail(path, line, f"onbekende sleutel '{sorted(bad)[0]}' in items van '{scene}'",
                        "toegestaan: source, fit, visible")
        source, fit, visible = raw.get("source"), raw.get("fit", False), raw.get("visible", True)
        if isinstance(source, str) and source and isinstance(fit, bool) and isinstance(visible, bool):
            return ItemSpec(source, fit, visible)
    raise _fail(path, line, f"ongeldig item in scène '{scene}': {raw!r}",
                'schrijf "Naam" of { source = "Naam", fit = true, visible = false }')


def _apply_override(show: Show, path: Path, data_dir: Path) -> Show:
    """An override file replaces the kind and settings of inputs (rehearsal and tests without devices)."""
    text, data = _read_toml(path)
    unknown = set(data) - {"inputs"}
    if unknown:
        raise _fail(path, _line_containing(text, sorted(unknown)[0]), f"onbekende sleutel '{sorted(unknown)[0]}'",
                    "een override-bestand bevat alleen [inputs.<naam>] met kind en settings")
    raw_inputs = data.get("inputs", {})
    if not isinstance(raw_inputs, dict):
        raise _fail(path, 0, "inputs moet tabellen per bron zijn", 'schrijf [inputs."Camera"]')
    inputs = dict(show.inputs)
    for name, raw in raw_inputs.items():
        line = _line_containing(text, name)
        if name not in inputs:
            raise _fail(path, line, f"bron '{name}' bestaat niet in {show.path.name}",
                        f"bekend: {', '.join(inputs)}")
        if not isinstance(raw, dict) or set(raw) - _OVERRIDE_KEYS:
            raise _fail(path, line, f"override voor '{name}' mag alleen kind en settings bevatten",
                        'bijvoorbeeld kind = "ffmpeg_source" en settings = { local_file = "..." }')
        old = inputs[name]
        kinds = _kinds(path, line, name, raw["kind"]) if "kind" in raw else old.kinds
        settings = _expand(_table(path, line, raw.get("settings"), "settings"), data_dir, path.parent)
        inputs[name] = InputSpec(
            name=name,
            kinds=kinds,
            settings=MappingProxyType(settings) if "settings" in raw or "kind" in raw else old.settings,
            platform_settings=MappingProxyType({p: MappingProxyType({}) for p in PLATFORMS})
            if "kind" in raw or "settings" in raw else old.platform_settings,
            placeholder=old.placeholder if "kind" not in raw else None,
            line=old.line,
            overridden=True,
        )
    return Show(show.path, MappingProxyType(inputs), show.scenes, show.text)
