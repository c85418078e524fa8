"""Settings: file, then environment; one-line errors with exit code 2 for every mistake."""

from __future__ import annotations

import pytest

from studio.config import load_settings
from studio.errors import ConfigError


def write(tmp_path, text):
    f = tmp_path / "studio.toml"
    f.write_text(text, encoding="utf-8")
    return f


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    s = load_settings(None, env={})
    assert s.source == "standaardwaarden"
    assert s.obs.port == 4455
    assert s.youtube.daily_quota == 10_000
    assert "diefstal" in s.schedule.topics


def test_file_then_environment(tmp_path):
    f = write(tmp_path, '[obs]\nhost = "10.0.0.5"\nport = 4460\npassword = "uit-bestand"\n')
    s = load_settings(f, env={"STUDIO_OBS_PASSWORD": "uit-omgeving", "STUDIO_DATA_DIR": str(tmp_path / "d")})
    assert (s.obs.host, s.obs.port, s.obs.password) == ("10.0.0.5", 4460, "uit-omgeving")
    assert s.data_dir == tmp_path / "d"
    assert s.database_file == tmp_path / "d" / "studio.sqlite3"
    assert s.recordings_dir == tmp_path / "d" / "recordings"


def test_studio_config_variable_names_the_file(tmp_path):
    f = write(tmp_path, "[obs]\nport = 4999\n")
    assert load_settings(None, env={"STUDIO_CONFIG": str(f)}).obs.port == 4999


def test_generic_environment_override_is_typed(tmp_path):
    s = load_settings(None, env={"STUDIO_CONFIG": str(write(tmp_path, "")), "STUDIO_CHAT_QUOTA_BUDGET": "900",
                                 "STUDIO_YOUTUBE_ENDPOINT": "http://127.0.0.1:9/"})
    assert s.chat.quota_budget == 900
    assert s.youtube.endpoint == "http://127.0.0.1:9/"


def test_password_is_not_in_repr(tmp_path):
    s = load_settings(write(tmp_path, '[obs]\npassword = "geheim-123"\n'), env={})
    assert "geheim-123" not in repr(s)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[obs\nport = 1", "geen geldige TOML"),
        ("[obs]\nhots = 'x'", "bedoelt u 'host'"),
        ("[obsx]\nhost = 'x'", "onbekende sectie [obsx]"),
        ("[obs]\nport = 'vier'", "geheel getal"),
        ("[obs]\nport = 70000", "geen geldige poort"),
        ("[youtube]\nprivacy = 'geheim'", "kies uit: public, unlisted, private"),
        ("[schedule]\ntopics = []", "topics is leeg"),
        ("[schedule]\ntopics = [1, 2]", "lijst met teksten"),
    ],
)
def test_bad_files_give_one_line(tmp_path, text, words):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, text), env={})
    assert words in str(err.value)
    assert "\n" not in str(err.value)
    assert err.value.exit_code == 2


def test_bad_environment_value(tmp_path):
    with pytest.raises(ConfigError, match="STUDIO_"):
        load_settings(write(tmp_path, ""), env={"STUDIO_OBS_PORT": "vier"})


def test_named_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="bestaat niet"):
        load_settings(tmp_path / "nope.toml", env={})


def test_example_file_documents_every_key():
    """credentials.example/studio.example.toml loads and names every key of every section."""
    import dataclasses
    import tomllib
    from pathlib import Path

    from studio.config import Settings

    example = Path(__file__).parents[2] / "credentials.example" / "studio.example.toml"
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    load_settings(example, env={})
    for section in dataclasses.fields(Settings):
        if section.name == "source":
            continue
        keys = {f.name for f in dataclasses.fields(section.default_factory())}  # type: ignore[misc]
        assert set(data.get(section.name, {})) == keys, section.name


@pytest.mark.parametrize(
    ("env", "words"),
    [
        # nan used to make the OBS connection wait forever; a negative retention purged every question.
        ({"STUDIO_OBS_CONNECT_TIMEOUT": "nan"}, "eindig getal"),
        ({"STUDIO_OBS_REQUEST_TIMEOUT": "inf"}, "eindig getal"),
        ({"STUDIO_OBS_CONNECT_TIMEOUT": "-1"}, "groter dan 0"),
        ({"STUDIO_CHAT_RETENTION_DAYS": "-1"}, "[chat] retention_days = -1 is ongeldig"),
        ({"STUDIO_ARCHIVE_KEEP_ORIGINALS_DAYS": "-5"}, "keep_originals_days = -5"),
        ({"STUDIO_PREFLIGHT_CAMERA_DEVICE": "-2"}, "apparaatnummer"),
        ({"STUDIO_YOUTUBE_DAILY_QUOTA": "0"}, "daily_quota = 0"),
        ({"STUDIO_YOUTUBE_QUOTA_WARN_RATIO": "1.5"}, "tussen 0 en 1"),
        ({"STUDIO_SCHEDULE_DUTCH_EVERY_WEEKS": "0"}, "dutch_every_weeks = 0"),
        ({"STUDIO_SCHEDULE_TIMEZONE": "Mars/Base"}, "timezone = 'Mars/Base' is onbekend"),
        ({"STUDIO_SCHEDULE_TIMEZONE": "../etc"}, "is onbekend"),
    ],
)
def test_out_of_range_values_are_configuration_errors(tmp_path, env, words):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, ""), env=env)
    assert words in str(err.value)
    assert err.value.exit_code == 2


def test_minus_one_devices_and_zero_ports_stay_valid(tmp_path):
    s = load_settings(write(tmp_path, "[preflight]\ncamera_device = -1\naudio_device = -1\n"
                                      "[youtube]\nemulator_port = 0\n[chat]\nretention_days = 0\n"), env={})
    assert (s.preflight.camera_device, s.youtube.emulator_port, s.chat.retention_days) == (-1, 0, 0)
