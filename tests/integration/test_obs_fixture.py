"""The OBS fixture itself: a real OBS answers, resets, survives kill and restart."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.obs


def test_real_obs_answers_and_is_reset(obs):
    client = obs.client()
    try:
        assert client.get_version().obs_version == obs.version
        client.create_scene("Leftover")
        client.create_input("Scene", "Kleur", "color_source_v3", {"color": 0xFF0000FF}, True)
    finally:
        client.disconnect()
    from tests.fixtures.obs import reset_obs

    reset_obs(obs)
    client = obs.client()
    try:
        assert [s["sceneName"] for s in client.get_scene_list().scenes] == ["Scene"]
        assert client.get_input_list().inputs == []
    finally:
        client.disconnect()


def test_kill_and_start_again(obs):
    obs.kill()
    assert not obs.running
    obs.start()
    client = obs.client()
    try:
        assert client.get_version().obs_web_socket_version == obs.websocket_version
    finally:
        client.disconnect()


def test_tone_video_has_video_and_audio(tone_video):
    import subprocess

    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", str(tone_video)],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert sorted(out) == ["audio", "video"]
