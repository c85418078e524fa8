"""Whether viewers hear an input, as a real OBS reports it (Obs.audio_route): in the program scene, nested in
it, hidden in it, sent to the monitor only; and the fader (SetInputVolume) read back.

OBS is set up with a raw client (the test's own hands); the studio's adapter only answers.
"""

from __future__ import annotations

import uuid

import pytest

from tests.fixtures.obs_supervisor import ask
from tests.waiting import wait_until

pytestmark = pytest.mark.obs


def test_audio_route_follows_the_program_scene(studio_obs, obs_raw, tone_video):
    run = uuid.uuid4().hex[:6]
    officer, pause, guest, mic = f"Wijkagent {run}", f"Pauze {run}", f"Met gast {run}", f"Microfoon {run}"
    for scene in (officer, pause, guest):
        ask(obs_raw, "CreateScene", sceneName=scene)
    item = ask(obs_raw, "CreateInput", sceneName=officer, inputName=mic, inputKind="ffmpeg_source",
               inputSettings={"local_file": str(tone_video), "looping": True})["sceneItemId"]
    ask(obs_raw, "CreateSceneItem", sceneName=guest, sourceName=officer)  # the officer's scene nested

    def heard() -> bool:
        return studio_obs.audio_route(mic).heard_by_viewers

    def program(scene: str) -> None:
        ask(obs_raw, "SetCurrentProgramScene", sceneName=scene)
        wait_until(lambda: studio_obs.snapshot.program_scene == scene, f"{scene} on air", 5)

    program(officer)
    assert wait_until(heard, "the microphone in the officer's scene is on air", 5)
    program(pause)
    assert wait_until(lambda: not heard(), "not on air in the pause scene", 5)
    route = studio_obs.audio_route(mic)
    assert not route.in_program and not route.monitor_only
    program(guest)
    assert wait_until(heard, "on air through the nested officer's scene", 5)
    program(officer)
    ask(obs_raw, "SetSceneItemEnabled", sceneName=officer, sceneItemId=item, sceneItemEnabled=False)
    assert wait_until(lambda: not heard(), "a hidden item is not on air", 5)
    ask(obs_raw, "SetSceneItemEnabled", sceneName=officer, sceneItemId=item, sceneItemEnabled=True)
    assert wait_until(heard, "shown again", 5)
    ask(obs_raw, "SetInputAudioMonitorType", inputName=mic, monitorType="OBS_MONITORING_TYPE_MONITOR_ONLY")
    route = studio_obs.audio_route(mic)
    assert route.in_program and route.monitor_only and not route.heard_by_viewers
    studio_obs.set_input_volume_db(mic, -6.0)
    assert studio_obs.audio_route(mic).volume_db == pytest.approx(-6.0, abs=0.01)
    assert ask(obs_raw, "GetInputVolume", inputName=mic)["inputVolumeDb"] == pytest.approx(-6.0, abs=0.01)
