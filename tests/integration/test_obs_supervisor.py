"""ObsSupervisor against a real OBS 29 (headless): state, events, errors, reconnect, recording."""

from __future__ import annotations

import math
import time

import pytest

from studio.obs.commands import Obs
from studio.obs.errors import ObsAuthFailed, ObsRequestFailed, ObsUnreachable
from studio.obs.state import Connection, MetersUpdated, ObsEvent, StateChanged
from studio.obs.supervisor import ObsSupervisor
from tests.fixtures._obs_process import free_port
from tests.fixtures.obs_supervisor import ask
from tests.waiting import wait_until as wait_for

pytestmark = pytest.mark.obs


def test_connect_resyncs_the_whole_state(obs, studio_obs):
    snap = studio_obs.snapshot
    assert snap.connection is Connection.CONNECTED and snap.reason == ""
    assert snap.scenes == ("Scene",) and snap.program_scene == "Scene"
    assert dict(snap.inputs) == {}
    assert not snap.recording and not snap.streaming
    caps = snap.capabilities
    assert caps.obs_version == obs.version and caps.websocket_version == obs.websocket_version
    assert caps.has("SetCurrentProgramScene") and "image_source" in caps.input_kinds
    assert "png" in caps.image_formats
    assert caps.set_record_directory == caps.has("SetRecordDirectory")


def test_scene_changes_come_from_obs_events(obs, studio_obs):
    seen: list[object] = []
    studio_obs.add_listener(seen.append)
    raw = obs.client()
    try:
        raw.create_scene("Tweede")
        assert wait_for(lambda: "Tweede" in studio_obs.snapshot.scenes), studio_obs.snapshot.scenes
        studio_obs.switch_scene("Tweede")
        assert wait_for(lambda: studio_obs.snapshot.program_scene == "Tweede")
        raw.set_current_program_scene("Scene")  # changed behind our back: still followed
        assert wait_for(lambda: studio_obs.snapshot.program_scene == "Scene")
    finally:
        raw.disconnect()
    names = [e.name for e in seen if isinstance(e, ObsEvent)]
    assert "SceneCreated" in names and names.count("CurrentProgramSceneChanged") >= 2
    states = [e.snapshot.program_scene for e in seen if isinstance(e, StateChanged)]
    assert "Tweede" in states and states[-1] == "Scene"


def test_refused_request_keeps_the_connection(studio_obs):
    with pytest.raises(ObsRequestFailed) as info:
        studio_obs.supervisor.request("SetCurrentProgramScene", sceneName="Bestaat niet")
    assert info.value.code == 600
    assert studio_obs.snapshot.connection is Connection.CONNECTED
    assert studio_obs.get_stats().render_total_frames > 0


def test_wrong_password(obs):
    sup = ObsSupervisor(obs.host, obs.port, "niet-het-wachtwoord", connect_timeout=2)
    try:
        with pytest.raises(ObsAuthFailed) as info:
            sup.ensure_connected(3)
        assert "wachtwoord klopt niet" in str(info.value)
        assert sup.snapshot.connection is Connection.LOST
        assert "wachtwoord klopt niet" in sup.snapshot.reason
        assert "niet-het-wachtwoord" not in sup.snapshot.reason + repr(sup) + str(info.value)
        with pytest.raises(ObsAuthFailed):
            Obs(sup).get_stats()  # any request says why, without waiting
    finally:
        sup.close()
    assert sup.snapshot.connection is Connection.STOPPED


def test_wrong_port(obs):
    port = free_port()
    sup = ObsSupervisor(obs.host, port, obs.password, connect_timeout=2)
    try:
        with pytest.raises(ObsUnreachable) as info:
            sup.ensure_connected(2)
        assert f"{obs.host}:{port}" in str(info.value) and "WebSocket-server" in str(info.value)
        assert obs.password not in str(info.value)
    finally:
        sup.close()


def test_meters_move_with_a_tone_and_fall_silent_when_muted(obs, studio_obs, tone_video):
    meters: list[MetersUpdated] = []
    studio_obs.add_listener(lambda e: meters.append(e) if isinstance(e, MetersUpdated) else None)
    studio_obs.supervisor.request("CreateInput", sceneName="Scene", inputName="Toon", inputKind="ffmpeg_source",
                       inputSettings={"local_file": str(tone_video), "looping": True})

    def loudest(since: int) -> float:
        levels = [ch.peak_dbfs for m in meters[since:] for ch in m.levels.get("Toon", ())]
        return max(levels, default=-math.inf)

    assert wait_for(lambda: loudest(0) > -30, timeout=10), f"no tone on the meter: {loudest(0)}"
    studio_obs.set_input_mute("Toon", True)
    assert wait_for(lambda: studio_obs.snapshot.inputs["Toon"].muted)  # from InputMuteStateChanged
    time.sleep(0.3)  # meters of before the mute may still be on their way
    mark = len(meters)
    assert wait_for(lambda: len(meters) - mark >= 10, timeout=5)
    assert loudest(mark) == -math.inf
    assert studio_obs.toggle_input_mute("Toon") is False
    mark = len(meters)
    assert wait_for(lambda: loudest(mark) > -30, timeout=5)


def test_killed_obs_is_lost_within_2s_and_back_within_2s(obs, studio_obs):
    seen: list[Connection] = []
    studio_obs.add_listener(lambda e: seen.append(e.snapshot.connection) if isinstance(e, StateChanged) else None)
    t0 = time.monotonic()
    obs.kill()
    assert wait_for(lambda: studio_obs.snapshot.connection is Connection.LOST, timeout=2.0)
    assert time.monotonic() - t0 < 2.0
    assert "OBS" in studio_obs.snapshot.reason
    with pytest.raises(ObsUnreachable):
        studio_obs.get_stats()
    obs.start()  # returns once GetVersion answers
    t1 = time.monotonic()
    assert studio_obs.wait_connected(2.0), studio_obs.snapshot.reason
    assert time.monotonic() - t1 < 2.0
    snap = studio_obs.snapshot
    assert "Scene" in snap.scenes and snap.program_scene is not None and snap.reason == ""
    assert studio_obs.get_stats().render_total_frames >= 0  # usable
    assert seen[-1] is Connection.CONNECTED and Connection.LOST in seen


def test_record_start_stop_gives_a_finished_file(obs, studio_obs, tmp_path):
    target = tmp_path / "opnames"
    studio_obs.set_record_directory(target)
    studio_obs.start_record(timeout=15)
    assert studio_obs.snapshot.recording
    time.sleep(1.5)
    path = studio_obs.stop_record(timeout=30)
    assert path.parent == target and path.is_file() and path.stat().st_size > 1000
    assert not studio_obs.snapshot.recording and studio_obs.snapshot.record_path == str(path)


def test_screenshot_is_a_png(studio_obs):
    png = studio_obs.screenshot("Scene", 64, 36)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_stream_to_an_absent_server_fails_clearly(studio_obs):
    studio_obs.set_stream_service(f"rtmp://127.0.0.1:{free_port()}/live2", "geheime-sleutel-123")
    with pytest.raises(Exception) as info:
        studio_obs.start_stream(timeout=20)
    assert "stream" in str(info.value) and "geheime-sleutel-123" not in str(info.value)
    assert wait_for(lambda: not studio_obs.snapshot.streaming, timeout=5)


def test_stream_starts_and_stops_against_an_rtmp_server(studio_obs, emulator, emulator_client):
    stream = emulator_client.liveStreams().insert(part="snippet,cdn,contentDetails", body={
        "snippet": {"title": "Wijkspreekuur"},
        "cdn": {"frameRate": "30fps", "ingestionType": "rtmp", "resolution": "720p"},
    }).execute()
    key = stream["cdn"]["ingestionInfo"]["streamName"]
    studio_obs.set_stream_service(emulator.rtmp_url, key)
    studio_obs.start_stream(timeout=20)
    assert studio_obs.snapshot.streaming
    studio_obs.stop_stream(timeout=20)
    assert not studio_obs.snapshot.streaming


def test_hanging_obs_is_noticed_by_the_heartbeat(obs, studio_obs):
    import os
    import signal

    assert obs.proc is not None
    t0 = time.monotonic()
    os.killpg(obs.proc.pid, signal.SIGSTOP)  # the socket stays open, nothing answers: half-open
    try:
        assert wait_for(lambda: studio_obs.snapshot.connection is Connection.LOST, timeout=4.0)
        lost_after = time.monotonic() - t0
    finally:
        os.killpg(obs.proc.pid, signal.SIGCONT)
    assert lost_after < 3.0, lost_after  # heartbeat every 0.5 s, 1.5 s to answer
    assert studio_obs.wait_connected(10), studio_obs.snapshot.reason
    assert studio_obs.get_stats().render_total_frames >= 0  # usable again


def test_switching_scene_collection_resyncs(obs, studio_obs, obs_raw):
    name = f"Ander {time.monotonic_ns()}"
    try:
        studio_obs.supervisor.request("CreateSceneCollection", sceneCollectionName=name)  # OBS switches to it
        assert wait_for(lambda: studio_obs.snapshot.scenes == ("Scene",) and "Tweede" not in studio_obs.snapshot.scenes,
                        timeout=10)
        studio_obs.supervisor.request("CreateScene", sceneName="Alleen hier")
        assert wait_for(lambda: "Alleen hier" in studio_obs.snapshot.scenes)
    finally:
        studio_obs.supervisor.request("SetCurrentSceneCollection", sceneCollectionName="Studio")

    def in_obs() -> tuple[str, ...]:
        scenes = ask(obs_raw, "GetSceneList")["scenes"]
        return tuple(s["sceneName"] for s in sorted(scenes, key=lambda s: -s["sceneIndex"]))

    # OBS removes the old collection's scenes one event at a time, then the resync settles it
    assert wait_for(lambda: "Alleen hier" not in studio_obs.snapshot.scenes
                    and studio_obs.snapshot.scenes == in_obs(), timeout=10), studio_obs.snapshot.scenes
    assert studio_obs.snapshot.connection is Connection.CONNECTED
