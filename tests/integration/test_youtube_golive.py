"""The whole broadcast flow through google-api-python-client against the emulator, with a real OBS streaming
to the emulator's RTMP ingest: create, bind, go live, end; plus resume after a crash between testing and live."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from studio.store import youtube as repo
from tests.fixtures.obs_supervisor import ask

pytestmark = [pytest.mark.obs, pytest.mark.timeout(180)]


@pytest.fixture
def obs_with_media(obs_settings, obs, tone_video):
    """The real OBS with a looping test pattern + 440 Hz tone in its program scene, and the studio's Obs."""
    from studio.obs.commands import Obs

    studio_obs = Obs.from_settings(obs_settings.obs).start()
    assert studio_obs.wait_connected(15), "OBS did not connect"
    raw = obs.client()
    try:
        raw.create_input("Scene", f"Testbeeld-{uuid.uuid4().hex[:8]}", "ffmpeg_source",
                         {"local_file": str(tone_video), "looping": True, "is_local_file": True}, True)
    finally:
        raw.disconnect()
    yield studio_obs
    if studio_obs.snapshot.streaming:
        studio_obs.stop_stream(timeout=20)
    studio_obs.close()


@pytest.fixture
def service(youtube_settings, obs_with_media, store):
    from studio.youtube.service import YouTubeService

    svc = YouTubeService(youtube_settings, store, obs=obs_with_media)
    yield svc
    svc.close()


def _start() -> datetime:
    return datetime.now(UTC) + timedelta(minutes=30)


def test_create_bind_golive_end_with_real_obs(service, emulator, obs_with_media, store, obs_raw):
    life = service.broadcasts
    rec = life.create("inbraak", "nl", _start())
    assert rec.broadcast_id and rec.step == "created"
    # Creating the same session again makes nothing new.
    assert life.create("inbraak", "nl", _start() + timedelta(seconds=5)).broadcast_id == rec.broadcast_id
    assert len(emulator.control.state()["broadcasts"]) == 1

    steps: list[str] = []
    st = life.go_live(rec.broadcast_id, steps.append)
    assert st.lifecycle == "live"
    assert obs_with_media.snapshot.streaming
    assert st.stream is not None and st.stream.active
    assert any("OBS" in s for s in steps) and steps[-1] == "LIVE"
    assert repo.get_broadcast(store, rec.broadcast_id, "oefen").step == "live"

    # The key OBS got is the stream's key, and it is nowhere in the store or the audit log.
    stream_id = repo.stream_id(store, "oefen")
    key = emulator.control.stream_key(stream_id)
    settings = ask(obs_raw, "GetStreamServiceSettings")["streamServiceSettings"]
    assert settings["key"] == key and settings["server"] == emulator.rtmp_url
    dump = "\n".join(str(tuple(r)) for r in store.query("SELECT * FROM audit_log")) + \
        "\n".join(str(tuple(r)) for r in store.query("SELECT * FROM youtube_broadcasts"))
    assert key not in dump

    # Going live again is a no-op, not an error.
    assert life.go_live(rec.broadcast_id).lifecycle == "live"

    st = life.end(rec.broadcast_id)
    assert st.lifecycle == "complete"
    deadline = time.monotonic() + 10
    while obs_with_media.snapshot.streaming and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not obs_with_media.snapshot.streaming
    assert repo.get_broadcast(store, rec.broadcast_id, "oefen").step == "complete"
    # Ending twice is fine; going live after the end is refused with what to do.
    assert life.end(rec.broadcast_id).lifecycle == "complete"
    from studio.youtube.errors import TransitionRefused

    with pytest.raises(TransitionRefused, match="afgelopen"):
        life.go_live(rec.broadcast_id)


def test_second_session_reuses_the_stream(service, emulator):
    life = service.broadcasts
    a = life.create("diefstal", "nl", _start())
    b = life.create("diefstal", "ar", _start() + timedelta(hours=1))
    sa = life.prepare(a.broadcast_id)
    sb = life.prepare(b.broadcast_id)
    assert sa.bound_stream_id == sb.bound_stream_id
    assert len(emulator.control.state()["streams"]) == 1


def test_stream_refound_by_title_when_the_store_forgot_it(service, emulator, store):
    life = service.broadcasts
    first = life.streams.ensure()["id"]
    repo.set_stream_id(store, "oefen", None)
    assert life.streams.ensure()["id"] == first
    assert len(emulator.control.state()["streams"]) == 1


def test_errorStreamInactive_blip_is_retried(service, emulator):
    life = service.broadcasts
    rec = life.create("overlast", "nl", _start())
    emulator.control.inject_fault("liveBroadcasts.transition", 403, "errorStreamInactive", times=2)
    assert life.go_live(rec.broadcast_id).lifecycle == "live"
    life.end(rec.broadcast_id)


def test_kill_between_testing_and_live_then_rerun_completes(youtube_settings, obs_with_media, emulator, store,
                                                           tmp_path):
    """`studio broadcast golive` is killed while the live transition hangs; running it again finishes."""
    from studio.youtube.service import YouTubeService

    svc = YouTubeService(youtube_settings, store, obs=obs_with_media)
    try:
        rec = svc.broadcasts.create("vernieling", "nl", _start())
    finally:
        svc.close()
    bid = rec.broadcast_id
    # First transition (to testing) passes after a tiny delay; the second (to live) hangs for a minute,
    # and the process is killed inside it.
    emulator.control.inject_fault("liveBroadcasts.transition", delay=0.01, times=1)
    emulator.control.inject_fault("liveBroadcasts.transition", delay=60, times=1)
    env = {**os.environ, "STUDIO_OBS_HOST": youtube_settings.obs.host,
           "STUDIO_OBS_PORT": str(youtube_settings.obs.port), "STUDIO_OBS_PASSWORD": youtube_settings.obs.password,
           "STUDIO_DATA_DIR": str(youtube_settings.data_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "studio", "broadcast", "golive", bid], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            row = repo.get_broadcast(store, bid, "oefen")
            if row is not None and row.step == "going_live":
                break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        else:
            pytest.fail("never started the live transition")
        time.sleep(0.3)  # the slow request is in flight now
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert emulator.control.state()["broadcasts"][bid]["lifeCycleStatus"] == "testing"
    emulator.control.clear_faults()
    assert repo.get_broadcast(store, bid, "oefen").step == "going_live"
    # Rerun: carries on from testing (no second broadcast, no second stream).
    out = subprocess.run([sys.executable, "-m", "studio", "broadcast", "golive", bid], env=env,
                         capture_output=True, text=True, timeout=90)
    assert out.returncode == 0, out.stderr
    assert bid in out.stdout and "  LIVE  " in out.stdout and "OEFENMODUS" in out.stdout
    assert emulator.control.state()["broadcasts"][bid]["lifeCycleStatus"] == "live"
    assert len(emulator.control.state()["broadcasts"]) == 1
    assert len(emulator.control.state()["streams"]) == 1
    out = subprocess.run([sys.executable, "-m", "studio", "broadcast", "end", bid], env=env,
                         capture_output=True, text=True, timeout=90)
    assert out.returncode == 0, out.stderr
    assert "afgelopen" in out.stdout and "complete" not in out.stdout
