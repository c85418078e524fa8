"""The scenes file: parsing, the show's names, and one-line errors with file and line (no OBS needed)."""

from __future__ import annotations

import textwrap

import pytest

from studio.config import project_root
from studio.domain import scenes
from studio.errors import ConfigError
from studio.obs.scenes import load_show

SHOW_FILE = project_root() / "scenes" / "wijkspreekuur.toml"


def write(tmp_path, text: str, name: str = "show.toml"):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return p


def error_of(path, **kw) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_show(path, data_dir=kw.pop("data_dir", "/data"), **kw)
    assert "\n" not in str(info.value)
    return info.value


def test_shipped_show_declares_every_scene_and_input_the_code_names(tmp_path):
    show = load_show(SHOW_FILE, data_dir=tmp_path)
    assert tuple(show.scenes) == scenes.SHOW_SCENES
    for name in (scenes.INPUT_CAMERA, scenes.INPUT_MIC, scenes.INPUT_QUESTION_OVERLAY,
                 scenes.INPUT_SLATE_STARTING, scenes.INPUT_SLATE_PAUSE, scenes.INPUT_SLATE_END):
        assert name in show.inputs, name
    question = show.scenes[scenes.SCENE_QUESTION]
    assert [i.source for i in question.items][-1] == scenes.INPUT_QUESTION_OVERLAY  # card on top
    assert question.items[-1].visible is False
    assert scenes.INPUT_CAMERA in [i.source for i in show.scenes[scenes.SCENE_GUEST].items]


def test_shipped_show_picks_capture_kinds_per_platform(tmp_path):
    show = load_show(SHOW_FILE, data_dir=tmp_path)
    cam, mic = show.inputs[scenes.INPUT_CAMERA], show.inputs[scenes.INPUT_MIC]
    linux = {"v4l2_input", "pulse_input_capture", "image_source"}
    assert cam.kind_for("debian", linux) == "v4l2_input"
    assert mic.kind_for("ubuntu", linux) == "pulse_input_capture"
    assert mic.kind_for("debian", {"alsa_input_capture"}) == "alsa_input_capture"
    assert cam.kind_for("windows", {"dshow_input"}) == "dshow_input"
    assert mic.kind_for("windows", {"wasapi_input_capture"}) == "wasapi_input_capture"
    assert cam.kind_for("macos", {"av_capture_input_v2"}) == "av_capture_input_v2"
    assert cam.kind_for("macos", {"macos-avcapture", "av_capture_input_v2"}) == "macos-avcapture"
    assert mic.kind_for("macos", {"coreaudio_input_capture"}) == "coreaudio_input_capture"
    assert cam.kind_for("debian", {"dshow_input"}) is None
    assert cam.settings_for("windows") == {"active": True}
    assert cam.settings_for("linux") == {}


def test_slates_point_into_the_data_dir_and_placeholders_exist(tmp_path):
    show = load_show(SHOW_FILE, data_dir=tmp_path / "d")
    for name in (scenes.INPUT_SLATE_STARTING, scenes.INPUT_SLATE_END, scenes.INPUT_QUESTION_OVERLAY):
        spec = show.inputs[name]
        assert spec.image_file is not None and spec.image_file.is_relative_to(tmp_path / "d")
        assert spec.placeholder is not None and spec.placeholder.is_file()


def test_override_replaces_kind_and_settings(tmp_path):
    ov = write(tmp_path, """
        [inputs.Camera]
        kind = "ffmpeg_source"
        settings = { local_file = "{scenes_dir}/tone.mp4", looping = true }
    """, "ov.toml")
    show = load_show(SHOW_FILE, data_dir=tmp_path, overrides=[ov])
    cam = show.inputs[scenes.INPUT_CAMERA]
    assert cam.kind_for("windows", {"ffmpeg_source", "dshow_input"}) == "ffmpeg_source"
    assert cam.settings_for("windows") == {"local_file": f"{tmp_path}/tone.mp4", "looping": True}
    assert cam.overridden
    assert show.inputs[scenes.INPUT_MIC].kind_for("debian", {"pulse_input_capture"}) == "pulse_input_capture"


def test_override_of_unknown_input_names_the_known_ones(tmp_path):
    ov = write(tmp_path, '[inputs.Kamera]\nkind = "ffmpeg_source"\n', "ov.toml")
    err = error_of(SHOW_FILE, overrides=[ov])
    assert "ov.toml:1" in str(err) and "'Kamera'" in str(err) and "Camera" in str(err)


def test_syntax_error_names_file_and_line(tmp_path):
    p = write(tmp_path, """
        version = 1
        [[scenes]]
        name = "A
        items = []
    """)
    err = error_of(p)
    assert str(err).startswith(f"{p}:3: geen geldige TOML")
    assert err.exit_code == 2


def test_duplicate_name_points_at_the_second_one(tmp_path):
    p = write(tmp_path, """
        [[inputs]]
        name = "Beeld"
        kind = "image_source"

        [[scenes]]
        name = "Beeld"
        items = ["Beeld"]
    """)
    err = error_of(p)
    assert f"{p}:6: dubbele naam 'Beeld' (ook op regel 2)" in str(err)
    assert "hernoem" in str(err)


def test_unknown_source_in_a_scene(tmp_path):
    p = write(tmp_path, """
        [[scenes]]
        name = "A"
        items = ["Kamera"]
    """)
    err = error_of(p)
    assert f"{p}:3:" in str(err) and "onbekende bron 'Kamera'" in str(err)


@pytest.mark.parametrize(("body", "needle"), [
    ('[[scenes]]\nname = "A"\nitems = []\ncolour = 1\n', "onbekende sleutel 'colour'"),
    ('[[inputs]]\nname = "I"\nkind = { linux = "x", windows = "y" }\n[[scenes]]\nname = "A"\nitems = ["I"]\n',
     "zegt niets voor macos"),
    ('[[inputs]]\nname = "I"\nkind = "image_source"\n[[scenes]]\nname = "A"\nitems = []\n',
     "staat in geen enkele scène"),
    ('[[inputs]]\nname = "I"\n[[scenes]]\nname = "A"\nitems = ["I"]\n', "heeft geen kind"),
    ('[[scenes]]\nname = "A"\nitems = ["A"]\n', "bevat zichzelf"),
    ('[[scenes]]\nname = "A"\nitems = [{ source = "A", fit = "ja" }]\n', "ongeldig item"),
    ('version = 2\n[[scenes]]\nname = "A"\n', "version = 2"),
    ('version = 1\n', "geen enkele scène"),
])
def test_bad_files_give_one_line(tmp_path, body, needle):
    err = error_of(write(tmp_path, body))
    assert needle in str(err)


def test_missing_file(tmp_path):
    assert "bestaat niet" in str(error_of(tmp_path / "nope.toml"))


def test_nested_scene_is_allowed(tmp_path):
    p = write(tmp_path, """
        [[inputs]]
        name = "Logo"
        kind = "image_source"
        settings = { file = "{data_dir}/logo.png" }

        [[scenes]]
        name = "Basis"
        items = ["Logo"]

        [[scenes]]
        name = "Show"
        items = ["Basis"]
    """)
    show = load_show(p, data_dir=tmp_path)
    assert show.inputs["Logo"].settings["file"] == f"{tmp_path}/logo.png"
    assert [i.source for i in show.scenes["Show"].items] == ["Basis"]
