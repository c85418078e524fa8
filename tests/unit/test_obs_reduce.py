"""Turning obs-websocket events into the snapshot, kinds per platform, and error texts (no OBS needed)."""

from __future__ import annotations

import math
from types import MappingProxyType

from studio.obs import kinds
from studio.obs.errors import ObsAuthFailed, ObsRequestFailed, ObsUnreachable
from studio.obs.reduce import (
    OUTPUT_PAUSED,
    OUTPUT_STARTED,
    OUTPUT_STOPPED,
    apply_event,
    levels_from,
    scene_names,
)
from studio.obs.state import Connection, InputInfo, ObsSnapshot


def snap(**kw) -> ObsSnapshot:
    base = {"connection": Connection.CONNECTED, "scenes": ("A", "B"), "program_scene": "A",
            "inputs": MappingProxyType({"Mic": InputInfo("Mic", "pulse_input_capture", False)})}
    return ObsSnapshot(**{**base, **kw})


def test_program_scene_follows_obs():
    assert apply_event(snap(), "CurrentProgramSceneChanged", {"sceneName": "B"}).program_scene == "B"


def test_scene_list_events():
    s = apply_event(snap(), "SceneCreated", {"sceneName": "C", "isGroup": False})
    assert s.scenes == ("A", "B", "C")
    assert apply_event(s, "SceneCreated", {"sceneName": "G", "isGroup": True}).scenes == s.scenes
    s = apply_event(s, "SceneNameChanged", {"oldSceneName": "A", "sceneName": "A2"})
    assert s.scenes == ("A2", "B", "C") and s.program_scene == "A2"
    s = apply_event(s, "SceneRemoved", {"sceneName": "A2", "isGroup": False})
    assert s.scenes == ("B", "C") and s.program_scene is None


def test_scene_order_is_obs_ui_order():
    # obs-websocket lists scenes bottom-up with sceneIndex counting from the bottom
    raw = [{"sceneIndex": 0, "sceneName": "Last"}, {"sceneIndex": 1, "sceneName": "Mid"},
           {"sceneIndex": 2, "sceneName": "First"}]
    assert scene_names(raw) == ("First", "Mid", "Last")


def test_inputs_and_mute():
    s = apply_event(snap(), "InputCreated", {"inputName": "Cam", "inputKind": "v4l2_input"})
    assert s.inputs["Cam"].kind == "v4l2_input"
    s = apply_event(s, "InputMuteStateChanged", {"inputName": "Mic", "inputMuted": True})
    assert s.inputs["Mic"].muted is True
    s = apply_event(s, "InputNameChanged", {"oldInputName": "Mic", "inputName": "Microfoon"})
    assert "Mic" not in s.inputs and s.inputs["Microfoon"] == InputInfo("Microfoon", "pulse_input_capture", True)
    s = apply_event(s, "InputRemoved", {"inputName": "Cam"})
    assert set(s.inputs) == {"Microfoon"}
    assert apply_event(s, "InputMuteStateChanged", {"inputName": "Ghost", "inputMuted": True}) == s


def test_record_and_stream_state():
    s = apply_event(snap(), "RecordStateChanged", {"outputActive": True, "outputState": OUTPUT_STARTED})
    assert s.recording and not s.record_paused
    s = apply_event(s, "RecordStateChanged", {"outputActive": True, "outputState": OUTPUT_PAUSED})
    assert s.record_paused
    s = apply_event(s, "RecordStateChanged", {"outputActive": False, "outputState": OUTPUT_STOPPED,
                                              "outputPath": "/r/x.mkv"})
    assert not s.recording and not s.record_paused and s.record_path == "/r/x.mkv"
    assert apply_event(s, "StreamStateChanged", {"outputActive": True}).streaming


def test_unknown_events_leave_the_snapshot_alone():
    s = snap()
    assert apply_event(s, "SceneTransitionStarted", {"transitionName": "Fade"}) is s


def test_meters_in_dbfs():
    levels = levels_from({"inputs": [{"inputName": "Mic", "inputLevelsMul": [[0.5, 1.0, 1.0], [0.0, 0.0, 0.0]]}]})
    left, right = levels["Mic"]
    assert math.isclose(left.magnitude_dbfs, -6.0206, abs_tol=1e-3) and left.peak_dbfs == 0.0
    assert right.magnitude_dbfs == -math.inf


def test_platform_mapping():
    assert kinds.platform_of("debian") == "linux"
    assert kinds.platform_of("windows") == "windows"
    assert kinds.platform_of("macos") == "macos"
    assert kinds.camera_kind("debian", ["v4l2_input"]) == "v4l2_input"
    assert kinds.microphone_kind("windows", ["wasapi_input_capture"]) == "wasapi_input_capture"
    assert kinds.text_kind("windows", ["text_gdiplus_v2"]) == "text_gdiplus_v2"
    assert kinds.text_kind("windows", ["text_gdiplus_v3", "text_gdiplus_v2"]) == "text_gdiplus_v3"


def test_error_texts_are_one_dutch_line_with_a_fix():
    assert str(ObsUnreachable()) == ("OBS draait niet of de WebSocket-server staat uit — "
                                     "start OBS en zet Extra > WebSocket-serverinstellingen aan")
    assert str(ObsAuthFailed()).startswith("wachtwoord klopt niet — ")
    err = ObsRequestFailed("CreateScene", 601, "exists")
    assert err.code == 601 and "code 601" in str(err) and "al in gebruik" in str(err)
