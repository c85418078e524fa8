"""One Settings object: the TOML file, then the environment (STUDIO_*), then command-line flags.

Where the file comes from: ``--config FILE``, else ``$STUDIO_CONFIG``, else ``studio.toml`` in the platform
config dir (``studio --help`` prints it). A missing default file is fine (defaults apply); a file that was
named explicitly must exist. Every key is documented in ``credentials.example/studio.example.toml``.

Environment: every scalar key can be overridden as ``STUDIO_<SECTION>_<KEY>`` (``STUDIO_OBS_PASSWORD``),
plus the short forms ``STUDIO_DATA_DIR`` and ``STUDIO_YOUTUBE_ENDPOINT``.

Each section is a dataclass; add a key by adding a field with a default and documenting it in the example.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.errors import ConfigError

APP_NAME = "wijkspreekuur-studio"


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_config_file() -> Path:
    return config_dir() / "studio.toml"


@dataclass
class ObsSettings:
    host: str = "127.0.0.1"
    port: int = 4455
    password: str = field(default="", repr=False)
    connect_timeout: float = 3.0
    request_timeout: float = 3.0
    heartbeat_interval: float = 0.5
    scenes_file: str = ""  # empty: scenes/wijkspreekuur.toml shipped with the project
    scenes_override: str = ""  # a TOML that replaces inputs' kind/settings (rehearsal, tests); empty: none


@dataclass
class PathSettings:
    data_dir: str = ""  # empty: the platform data dir
    recordings_dir: str = ""  # empty: <data_dir>/recordings


@dataclass
class YouTubeSettings:
    client_secret_file: str = ""  # empty: <config dir>/client_secret.json
    token_file: str = ""  # empty: <config dir>/youtube-token.json
    endpoint: str = ""  # empty: the real YouTube; set to the emulator's URL for rehearsal and tests
    rehearsal: str = "auto"  # auto: rehearsal (emulator) when no credentials are configured; yes; no
    privacy: str = "public"  # public, unlisted, private
    resolution: str = "1080p"  # 720p, 1080p, variable
    frame_rate: str = "30fps"  # 30fps, 60fps, variable
    daily_quota: int = 10_000
    quota_warn_ratio: float = 0.8
    golive_timeout: float = 120.0  # seconds to wait for the stream to turn active
    playlist_title: str = "Digitaal wijkspreekuur"
    publish_mode: str = "update"  # update: the broadcast's own recording; upload: the processed file
    emulator_port: int = 0  # 0: a free port when the panel starts its own emulator


@dataclass
class ScheduleSettings:
    timezone: str = "Europe/Amsterdam"
    first_dutch_session: str = "2026-01-06"  # date of a Dutch session; the series repeats from here
    dutch_every_weeks: int = 2
    dutch_time: str = "19:00"
    first_arabic_session: str = "2026-01-06"  # date of an Arabic session (same evening as a Dutch one)
    arabic_every_months: int = 2
    arabic_time: str = "20:00"
    duration_minutes: int = 60
    topics: list[str] = field(
        default_factory=lambda: [
            "diefstal",
            "inbraak",
            "vernieling",
            "huiselijk geweld",
            "overlast",
            "fietsendiefstal",
            "oplichting",
            "veilig uitgaan",
        ]
    )


@dataclass
class ChatSettings:
    quota_budget: int = 1500  # units for one session's chat intake
    budget_minutes: int = 60
    retention_days: int = 30
    canned_nl: list[str] = field(
        default_factory=lambda: [
            "Bij spoed altijd 112 bellen.",
            "Bel 0900-8844 voor een persoonlijk gesprek met de politie.",
        ]
    )
    canned_ar: list[str] = field(
        default_factory=lambda: [
            "في حالة الطوارئ اتصل دائمًا بالرقم 112.",
            "اتصل بالرقم 0900-8844 لمحادثة شخصية مع الشرطة.",
        ]
    )


@dataclass
class PreflightSettings:
    audio_device: int = -1  # -1: PyAudio's default input device
    audio_seconds: float = 3.0
    camera_device: int = 0  # -1: no direct camera check (OBS owns the camera; the program output is checked)
    camera_file: str = ""  # a video file checked instead of the camera (rehearsal, tests)
    record_minutes: int = 90  # how long a recording must fit on disk
    record_bitrate_kbps: int = 6000


@dataclass
class ArchiveSettings:
    keep_originals_days: int = 365
    keep_processed_days: int = 90
    category_id: str = "25"  # YouTube category of published videos (25: News & Politics)
    upload_chunk_kib: int = 8192  # resumable upload chunk; rounded down to a multiple of 256 KiB
    allow_silent: bool = False  # process a recording whose audio is silent (else it fails verification)


@dataclass
class ShowSettings:
    end_slate_seconds: int = 30
    camera_input: str = "Camera"
    microphone_input: str = "Microfoon"


@dataclass
class CaptionsSettings:
    model: str = "small"  # a model name in <data_dir>/models (`studio models fetch NAME`) or a model folder


@dataclass
class Settings:
    obs: ObsSettings = field(default_factory=ObsSettings)
    paths: PathSettings = field(default_factory=PathSettings)
    youtube: YouTubeSettings = field(default_factory=YouTubeSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    chat: ChatSettings = field(default_factory=ChatSettings)
    preflight: PreflightSettings = field(default_factory=PreflightSettings)
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    show: ShowSettings = field(default_factory=ShowSettings)
    captions: CaptionsSettings = field(default_factory=CaptionsSettings)
    source: str = ""  # where the settings came from, for messages

    # Derived paths, in one place so that nobody composes them differently.
    @property
    def data_dir(self) -> Path:
        return Path(self.paths.data_dir).expanduser() if self.paths.data_dir else default_data_dir()

    @property
    def recordings_dir(self) -> Path:
        if self.paths.recordings_dir:
            return Path(self.paths.recordings_dir).expanduser()
        return self.data_dir / "recordings"

    @property
    def database_file(self) -> Path:
        return self.data_dir / "studio.sqlite3"

    @property
    def client_secret_file(self) -> Path:
        f = self.youtube.client_secret_file
        return Path(f).expanduser() if f else config_dir() / "client_secret.json"

    @property
    def token_file(self) -> Path:
        f = self.youtube.token_file
        return Path(f).expanduser() if f else config_dir() / "youtube-token.json"

    @property
    def scenes_file(self) -> Path:
        if self.obs.scenes_file:
            return Path(self.obs.scenes_file).expanduser()
        return project_root() / "scenes" / "wijkspreekuur.toml"


def project_root() -> Path:
    """The folder holding scenes/ (the repository, or the installed share folder)."""
    return Path(__file__).resolve().parent.parent


_SECTIONS = {f.name: f for f in dataclasses.fields(Settings) if f.name != "source"}
_SHORT_ENV = {"STUDIO_DATA_DIR": ("paths", "data_dir"), "STUDIO_YOUTUBE_ENDPOINT": ("youtube", "endpoint")}


def _coerce(value: Any, typ: Any, where: str) -> Any:
    origin = typing.get_origin(typ)
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} moet een lijst met teksten zijn", 'bijvoorbeeld ["a", "b"]')
        return list(value)
    if typ is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"1", "true", "yes", "ja", "0", "false", "no", "nee"}:
            return value.lower() in {"1", "true", "yes", "ja"}
        raise ConfigError(f"{where} moet true of false zijn, niet {value!r}")
    if typ is int:
        if isinstance(value, bool):
            raise ConfigError(f"{where} moet een geheel getal zijn, niet {value!r}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where} moet een geheel getal zijn, niet {value!r}") from None
    if typ is float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where} moet een getal zijn, niet {value!r}") from None
        if not math.isfinite(number):  # nan/inf: a timeout of nan waits forever
            raise ConfigError(f"{where} moet een eindig getal zijn, niet {value!r}")
        return number
    if not isinstance(value, str):
        raise ConfigError(f"{where} moet een tekst zijn (tussen aanhalingstekens), niet {value!r}")
    return value


def _section_types(section_cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(section_cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(section_cls)}


def _apply(settings: Settings, data: dict[str, Any], origin: str) -> None:
    for section_name, values in data.items():
        if section_name not in _SECTIONS:
            known = ", ".join(f"[{s}]" for s in _SECTIONS)
            raise ConfigError(f"onbekende sectie [{section_name}] in {origin}", f"bekende secties: {known}")
        if not isinstance(values, dict):
            raise ConfigError(f"{section_name} in {origin} moet een sectie zijn: [{section_name}]")
        section = getattr(settings, section_name)
        types = _section_types(type(section))
        for key, value in values.items():
            if key not in types:
                import difflib

                close = difflib.get_close_matches(key, types, n=1)
                hint = f"bedoelt u '{close[0]}'?" if close else f"bekende sleutels: {', '.join(types)}"
                raise ConfigError(f"onbekende instelling [{section_name}] {key} in {origin}", hint)
            setattr(section, key, _coerce(value, types[key], f"[{section_name}] {key} in {origin}"))


def _env_overrides(env: typing.Mapping[str, str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, (section, key) in _SHORT_ENV.items():
        if name in env:
            out.setdefault(section, {})[key] = env[name]
    for section_name, f in _SECTIONS.items():
        section_cls = f.default_factory
        for key, typ in _section_types(section_cls).items():  # type: ignore[arg-type]
            if typing.get_origin(typ) is list:
                continue
            var = f"STUDIO_{section_name.upper()}_{key.upper()}"
            if var in env:
                out.setdefault(section_name, {})[key] = env[var]
    return out


def load_settings(config_file: str | Path | None = None, env: typing.Mapping[str, str] | None = None) -> Settings:
    """Build the Settings. Raises ConfigError (exit code 2) with a one-line message on any problem."""
    env = os.environ if env is None else env
    explicit = config_file or env.get("STUDIO_CONFIG")
    path = Path(explicit).expanduser() if explicit else default_config_file()
    settings = Settings()
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is geen geldige TOML: {exc}", "verbeter het bestand en probeer opnieuw") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"kan {path} niet lezen: {exc}") from None
        _apply(settings, data, str(path))
        settings.source = str(path)
    elif explicit:
        raise ConfigError(
            f"configuratiebestand {path} bestaat niet",
            "kopieer credentials.example/studio.example.toml en pas het aan",
        )
    else:
        settings.source = "standaardwaarden"
    _apply(settings, _env_overrides(env), "de omgeving (STUDIO_*)")
    _validate(settings)
    return settings


def _validate(s: Settings) -> None:
    def one_of(value: str, allowed: tuple[str, ...], where: str) -> None:
        if value not in allowed:
            raise ConfigError(f"{where} = {value!r} is ongeldig", f"kies uit: {', '.join(allowed)}")

    if not 1 <= s.obs.port <= 65535:
        raise ConfigError(f"[obs] port = {s.obs.port} is geen geldige poort", "gebruik 1-65535 (OBS: 4455)")
    one_of(s.youtube.privacy, ("public", "unlisted", "private"), "[youtube] privacy")
    one_of(s.youtube.resolution, ("240p", "360p", "480p", "720p", "1080p", "1440p", "2160p", "variable"),
           "[youtube] resolution")
    one_of(s.youtube.frame_rate, ("30fps", "60fps", "variable"), "[youtube] frame_rate")
    one_of(s.youtube.publish_mode, ("update", "upload"), "[youtube] publish_mode")
    one_of(s.youtube.rehearsal, ("auto", "yes", "no"), "[youtube] rehearsal")
    if not s.schedule.topics:
        raise ConfigError("[schedule] topics is leeg", "geef minstens één onderwerp op")
    # Numbers: a negative retention would purge or prune everything; a timeout of 0 or less never waits.
    for section_name in _SECTIONS:
        section = getattr(s, section_name)
        for key, typ in _section_types(type(section)).items():
            value = getattr(section, key)
            if typ not in (int, float) or isinstance(value, bool):
                continue
            where = f"[{section_name}] {key} = {value}"
            if key.endswith("_device"):
                if value < -1:
                    raise ConfigError(f"{where} is ongeldig", "gebruik -1 of een apparaatnummer vanaf 0")
            elif key.endswith(("timeout", "interval", "_seconds")) and key != "end_slate_seconds":
                if value <= 0:
                    raise ConfigError(f"{where} is ongeldig", "gebruik een aantal seconden groter dan 0")
            elif value < 0:
                raise ConfigError(f"{where} is ongeldig", "gebruik 0 of meer")
    for where, value in (("[youtube] daily_quota", s.youtube.daily_quota),
                         ("[chat] budget_minutes", s.chat.budget_minutes),
                         ("[schedule] dutch_every_weeks", s.schedule.dutch_every_weeks),
                         ("[schedule] arabic_every_months", s.schedule.arabic_every_months),
                         ("[schedule] duration_minutes", s.schedule.duration_minutes)):
        if value < 1:
            raise ConfigError(f"{where} = {value} is ongeldig", "gebruik 1 of meer")
    if not 0 < s.youtube.quota_warn_ratio <= 1:
        raise ConfigError(f"[youtube] quota_warn_ratio = {s.youtube.quota_warn_ratio} is ongeldig",
                          "gebruik een getal tussen 0 en 1, bijvoorbeeld 0.8")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(s.schedule.timezone)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise ConfigError(f"[schedule] timezone = {s.schedule.timezone!r} is onbekend",
                          "bijvoorbeeld Europe/Amsterdam") from None
