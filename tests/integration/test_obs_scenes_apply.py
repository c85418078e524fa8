"""`studio scenes apply` against a real OBS: set up an empty OBS, change nothing the second time, never touch
what studio does not own, correct drift, switch scenes, and clear one-line errors."""

from __future__ import annotations

import pytest

from studio.cli import main
from studio.domain import scenes
from studio.errors import ConfigError
from studio.obs.scenes import OWNER_KEY, OWNER_VALUE, load_show_for
from studio.obs.scenes_apply import ScenesConflict, apply, plan
from tests.fixtures.obs_supervisor import ask
from tests.waiting import wait_until as wait_for

pytestmark = pytest.mark.obs


def owner(raw, name: str):
    return ask(raw, "GetSourcePrivateSettings", sourceName=name)["sourceSettings"].get(OWNER_KEY)


def items(raw, scene: str) -> list[tuple[str, bool]]:
    found = sorted(ask(raw, "GetSceneItemList", sceneName=scene)["sceneItems"], key=lambda i: i["sceneItemIndex"])
    return [(i["sourceName"], i["sceneItemEnabled"]) for i in found]


def test_apply_on_empty_obs_then_nothing_to_do(obs_settings, studio_obs, tone_override, obs_raw):
    show = load_show_for(obs_settings, [tone_override])
    first = plan(show, studio_obs.supervisor)
    assert first.steps and not first.conflicts
    apply(first, studio_obs.supervisor)

    assert wait_for(lambda: set(scenes.SHOW_SCENES) <= set(studio_obs.snapshot.scenes))
    for name in (*scenes.SHOW_SCENES, *show.inputs):
        assert owner(obs_raw, name) == OWNER_VALUE, name
    assert items(obs_raw, scenes.SCENE_QUESTION) == [
        (scenes.INPUT_CAMERA, True), (scenes.INPUT_MIC, True), (scenes.INPUT_QUESTION_OVERLAY, False)]
    cam = ask(obs_raw, "GetInputSettings", inputName=scenes.INPUT_CAMERA)
    assert cam["inputKind"] == "ffmpeg_source" and cam["inputSettings"]["looping"] is True
    slate = ask(obs_raw, "GetInputSettings", inputName=scenes.INPUT_SLATE_END)["inputSettings"]["file"]
    assert slate.startswith(str(obs_settings.data_dir)) and (obs_settings.data_dir / "overlay" / "eindbeeld.png").is_file()
    item = ask(obs_raw, "GetSceneItemId", sceneName=scenes.SCENE_END, sourceName=scenes.INPUT_SLATE_END)
    t = ask(obs_raw, "GetSceneItemTransform", sceneName=scenes.SCENE_END,
                           sceneItemId=item["sceneItemId"])["sceneItemTransform"]
    video = ask(obs_raw, "GetVideoSettings")
    assert t["boundsType"] == "OBS_BOUNDS_SCALE_INNER" and t["boundsWidth"] == video["baseWidth"]

    second = plan(show, studio_obs.supervisor)
    assert second.empty, [str(s) for s in second.steps]


def test_foreign_scenes_and_sources_are_never_touched(obs, obs_settings, studio_obs, tone_override, obs_raw):
    raw = obs.client()
    try:
        raw.create_scene("Mijn scène")
        raw.create_input("Mijn scène", "Logo", "color_source_v3", {"color": 4278190335}, True)
        raw.create_scene(scenes.SCENE_PAUSE)  # same name as the show's, made by hand
    finally:
        raw.disconnect()
    show = load_show_for(obs_settings, [tone_override])
    p = plan(show, studio_obs.supervisor)
    assert len(p.conflicts) == 1 and "'Pauze'" in p.conflicts[0] and "niet door studio gemaakt" in p.conflicts[0]
    before = ask(obs_raw, "GetSceneList")
    with pytest.raises(ScenesConflict):
        apply(p, studio_obs.supervisor)
    assert ask(obs_raw, "GetSceneList") == before  # nothing at all was done

    studio_obs.supervisor.request("SetSceneName", sceneName=scenes.SCENE_PAUSE, newSceneName="Pauze (oud)")
    apply(plan(show, studio_obs.supervisor), studio_obs.supervisor)
    assert plan(show, studio_obs.supervisor).empty
    assert items(obs_raw, "Mijn scène") == [("Logo", True)]
    assert items(obs_raw, "Pauze (oud)") == []
    assert owner(obs_raw, "Mijn scène") is None and owner(obs_raw, "Logo") is None
    logo = ask(obs_raw, "GetInputSettings", inputName="Logo")["inputSettings"]
    assert logo == {"color": 4278190335}


def test_drift_is_corrected_and_shown(obs_settings, studio_obs, tone_override, capsys, obs_raw):
    show = load_show_for(obs_settings, [tone_override])
    apply(plan(show, studio_obs.supervisor), studio_obs.supervisor)
    studio_obs.set_image_file(scenes.INPUT_SLATE_STARTING, "/tmp/iets-anders.png")
    cam_item = ask(obs_raw, "GetSceneItemId", sceneName=scenes.SCENE_QUESTION,
                                  sourceName=scenes.INPUT_CAMERA)["sceneItemId"]
    studio_obs.supervisor.request("SetSceneItemIndex", sceneName=scenes.SCENE_QUESTION, sceneItemId=cam_item, sceneItemIndex=2)
    p = plan(show, studio_obs.supervisor)
    text = [str(s) for s in p.steps]
    assert any(t.startswith("~ bron 'Startbeeld': file '/tmp/iets-anders.png'") for t in text), text
    assert "~ volgorde in scène 'Vraag in beeld'" in text and len(text) == 2
    apply(p, studio_obs.supervisor)
    assert plan(show, studio_obs.supervisor).empty
    assert [n for n, _ in items(obs_raw, scenes.SCENE_QUESTION)] == [
        scenes.INPUT_CAMERA, scenes.INPUT_MIC, scenes.INPUT_QUESTION_OVERLAY]


def test_kind_change_recreates_only_our_input(obs_settings, studio_obs, tone_override, tmp_path, obs_raw):
    apply(plan(load_show_for(obs_settings, [tone_override]), studio_obs.supervisor), studio_obs.supervisor)
    image = tmp_path / "ov2.toml"
    image.write_text('[inputs.Camera]\nkind = "color_source_v3"\nsettings = { color = 4278255360 }\n')
    show = load_show_for(obs_settings, [tone_override, image])
    p = plan(show, studio_obs.supervisor)
    assert str(p.steps[0]).startswith("- bron 'Camera' wordt opnieuw gemaakt: ffmpeg_source → color_source_v3")
    apply(p, studio_obs.supervisor)
    assert ask(obs_raw, "GetInputSettings", inputName="Camera")["inputKind"] == "color_source_v3"
    assert [n for n, _ in items(obs_raw, scenes.SCENE_QUESTION)] == [
        scenes.INPUT_CAMERA, scenes.INPUT_MIC, scenes.INPUT_QUESTION_OVERLAY]
    assert plan(show, studio_obs.supervisor).empty


def test_unknown_input_kind_is_a_config_error_with_line(obs_settings, studio_obs, tmp_path):
    ov = tmp_path / "ov.toml"
    ov.write_text('[inputs.Camera]\nkind = "browser_source"\n')
    with pytest.raises(ConfigError) as info:
        plan(load_show_for(obs_settings, [ov]), studio_obs.supervisor)
    msg = str(info.value)
    assert "wijkspreekuur.toml:" in msg and "browser_source" in msg and "image_source" in msg and "\n" not in msg


@pytest.fixture
def config_file(obs_settings, tmp_path, tone_override, studio_obs):
    # studio_obs: its teardown leaves OBS clean for the next reset
    cfg = tmp_path / "studio.toml"
    cfg.write_text(
        f'[obs]\nhost = "{obs_settings.obs.host}"\nport = {obs_settings.obs.port}\n'
        f'password = "{obs_settings.obs.password}"\nscenes_override = "{tone_override}"\n'
        f'[paths]\ndata_dir = "{obs_settings.data_dir}"\n'
    )
    return cfg


def test_cli_apply_twice_switch_and_status(config_file, obs, capsys):
    assert main(["--config", str(config_file), "scenes", "apply", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "+ scène 'Starten'" in out and "proefdraai" in out
    assert main(["--config", str(config_file), "scenes", "apply"]) == 0
    assert "klaar:" in capsys.readouterr().out
    assert main(["--config", str(config_file), "scenes", "apply"]) == 0
    assert "niets te doen" in capsys.readouterr().out

    assert main(["--config", str(config_file), "scenes", "switch", "Vraag in beeld"]) == 0
    assert capsys.readouterr().out.strip() == "programma: Vraag in beeld"
    raw = obs.client()
    try:
        assert raw.get_current_program_scene().current_program_scene_name == "Vraag in beeld"
    finally:
        raw.disconnect()

    assert main(["--config", str(config_file), "scenes", "switch", "Bestaat niet"]) == 2
    err = capsys.readouterr().err
    assert "scène 'Bestaat niet' bestaat niet" in err and "Wijkagent met gast" in err and "Traceback" not in err

    assert main(["--config", str(config_file), "obs", "status"]) == 0
    out = capsys.readouterr().out
    assert "programma: Vraag in beeld" in out and "Camera (mediabestand)" in out  # OBS's input kind in words
    assert "beelden/s" in out and "fps" not in out
    assert obs.password not in out


def test_cli_wrong_password_is_exit_2(config_file, obs, capsys):
    text = config_file.read_text().replace(f'password = "{obs.password}"', 'password = "fout"')
    config_file.write_text(text)
    assert main(["--config", str(config_file), "scenes", "apply"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: wachtwoord klopt niet") and err.count("\n") == 1 and "fout\"" not in err
