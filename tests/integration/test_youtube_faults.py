"""Fault injection against the emulator: sign-in problems, refusals, quota, network down, 5xx.
Each gives one clear Dutch line, bounded retries and no half-made state."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from studio.store import youtube as repo
from studio.youtube import errors as ye
from studio.youtube.api import build_youtube
from studio.youtube.service import YouTubeService

FAST = {"backoff": 0.01, "max_backoff": 0.05}


def _start() -> datetime:
    return datetime.now(UTC) + timedelta(hours=2)


@pytest.fixture
def svc(youtube_settings, store):
    s = YouTubeService(youtube_settings, store, **FAST)
    yield s
    s.close()


class _TokenServer:
    """A stand-in for Google's token endpoint: answers refreshes with ``answer`` (status, body)."""

    def __init__(self) -> None:
        self.answer: tuple[int, dict] = (400, {"error": "invalid_grant",
                                               "error_description": "Token has been expired or revoked."})
        self.calls = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.calls += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, body = outer.answer
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a: object) -> None:
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/token"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def token_server():
    ts = _TokenServer()
    yield ts
    ts.close()


@pytest.fixture
def signed_in(youtube_settings, token_server, monkeypatch):
    """Real (non-rehearsal) mode against the emulator with a stored token whose refresh goes to token_server."""
    youtube_settings.youtube.rehearsal = "no"
    monkeypatch.setenv("STUDIO_YOUTUBE_REHEARSAL", "no")
    # google-auth always refreshes at Google's own endpoint (it ignores token_uri in the file): point it here.
    import google.oauth2.credentials

    monkeypatch.setattr(google.oauth2.credentials, "_GOOGLE_OAUTH2_TOKEN_ENDPOINT", token_server.url)

    def write(token: str = "access-token-1234567890", expired: bool = False) -> None:
        expiry = datetime.now(UTC) + (timedelta(hours=-1) if expired else timedelta(hours=1))
        youtube_settings.token_file.parent.mkdir(parents=True, exist_ok=True)
        youtube_settings.token_file.write_text(json.dumps({
            "token": token, "refresh_token": "refresh-token-abcdefghijkl", "token_uri": token_server.url,
            "client_id": "cid.apps.googleusercontent.com", "client_secret": "client-secret-xyz",
            "scopes": ["https://www.googleapis.com/auth/youtube.force-ssl"],
            "expiry": expiry.replace(tzinfo=None).isoformat() + "Z",
        }))

    youtube_settings.write_token = write
    return youtube_settings


# -- sign-in ------------------------------------------------------------------------------------------
def test_missing_client_secret_names_the_path_and_the_readme(settings, store):
    settings.youtube.rehearsal = "no"
    with pytest.raises(ye.ClientSecretMissing) as info:
        build_youtube(settings, store)
    assert str(settings.client_secret_file) in str(info.value)
    assert "credentials.example/README.md" in str(info.value)
    assert info.value.exit_code == 2


def test_cli_auth_with_missing_or_invalid_client_secret(settings, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), STUDIO_DATA_DIR=str(settings.data_dir))
    run = lambda: subprocess.run([sys.executable, "-m", "studio", "auth", "--no-browser"], env=env,  # noqa: E731
                                 capture_output=True, text=True, timeout=60)
    out = run()
    assert out.returncode == 2 and "clientgeheim" in out.stderr and "Traceback" not in out.stderr
    secret = tmp_path / "config" / "wijkspreekuur-studio" / "client_secret.json"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text("{ niet json")
    out = run()
    assert out.returncode == 2 and "geen leesbaar JSON" in out.stderr
    example = Path(__file__).parents[2] / "credentials.example" / "client_secret.example.json"
    secret.write_text(example.read_text(encoding="utf-8"))
    out = run()
    assert out.returncode == 2 and "voorbeeldbestand" in out.stderr
    secret.write_text(json.dumps({"web": {"client_id": "x", "client_secret": "y"}}))
    out = run()
    assert out.returncode == 2 and "Desktop-app" in out.stderr


def test_not_signed_in_but_client_secret_present(settings, store):
    settings.youtube.rehearsal = "no"
    settings.client_secret_file.parent.mkdir(parents=True, exist_ok=True)
    settings.client_secret_file.write_text("{}")
    with pytest.raises(ye.NotSignedIn, match="studio auth"):
        build_youtube(settings, store)


def test_revoked_access_token_and_failed_refresh_say_7_days(signed_in, emulator, store, token_server):
    signed_in.write_token("access-token-1234567890")
    api = build_youtube(signed_in, store, **FAST)
    assert api.list_broadcasts(mine=True)["items"] == []
    emulator.control.revoke_token("access-token-1234567890")
    with pytest.raises(ye.TokenRevoked) as info:
        api.list_broadcasts(mine=True)
    text = str(info.value)
    assert "7 dagen" in text and "studio auth" in text
    assert "access-token" not in text and "refresh-token" not in text and "client-secret" not in text
    assert token_server.calls >= 1  # it did try to refresh first


def test_expired_token_is_refreshed_and_written_back_0600(signed_in, store, token_server):
    signed_in.write_token("old-access-token-000000", expired=True)
    token_server.answer = (200, {"access_token": "new-access-token-111111", "expires_in": 3600,
                                 "token_type": "Bearer"})
    api = build_youtube(signed_in, store, **FAST)
    api.list_broadcasts(mine=True)
    saved = json.loads(signed_in.token_file.read_text())
    assert saved["token"] == "new-access-token-111111"
    assert stat.S_IMODE(os.stat(signed_in.token_file).st_mode) == 0o600


def test_expired_token_with_revoked_refresh_token(signed_in, store):
    signed_in.write_token("old-access-token-000000", expired=True)
    with pytest.raises(ye.TokenRevoked, match="7 dagen"):
        build_youtube(signed_in, store)


def test_rehearsal_decision(settings):
    from studio.youtube.auth import is_rehearsal

    assert is_rehearsal(settings)  # auto, no token
    settings.token_file.parent.mkdir(parents=True, exist_ok=True)
    settings.token_file.write_text("{}")
    assert not is_rehearsal(settings)
    settings.youtube.rehearsal = "yes"
    assert is_rehearsal(settings)


def test_rehearsal_without_endpoint_starts_its_own_emulator(settings, store):
    assert settings.youtube.endpoint == ""
    s = YouTubeService(settings, store)
    try:
        assert s.rehearsal and s.temporary_emulator and s.endpoint.startswith("http://127.0.0.1:")
        assert s.api.list_broadcasts(mine=True)["items"] == []
    finally:
        s.close()


# -- refusals -----------------------------------------------------------------------------------------
def test_live_streaming_not_enabled_leaves_no_half_made_state(svc, emulator, store):
    emulator.control.inject_fault("liveBroadcasts.insert", 403, "liveStreamingNotEnabled")
    with pytest.raises(ye.LiveStreamingNotEnabled) as info:
        svc.broadcasts.create("inbraak", "nl", _start())
    assert "youtube.com/features" in str(info.value) and info.value.reason == "liveStreamingNotEnabled"
    assert emulator.control.state()["broadcasts"] == {}
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    assert rec.broadcast_id and len(emulator.control.state()["broadcasts"]) == 1


def test_crash_after_insert_before_store_finds_it_again(svc, emulator, store):
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    # As if the process died after YouTube made it but before the id was written:
    repo.update_broadcast(store, rec.session_key, "oefen", broadcast_id=None, step="creating")
    again = svc.broadcasts.create("inbraak", "nl", _start())
    assert again.broadcast_id == rec.broadcast_id
    assert len(emulator.control.state()["broadcasts"]) == 1


def test_quota_exceeded_is_not_retried(svc, emulator, store):
    emulator.control.set_quota_used(10_000)
    calls = len(emulator.control.state()["calls"])
    with pytest.raises(ye.QuotaExceeded) as info:
        svc.broadcasts.create("inbraak", "nl", _start())
    assert "middernacht Pacific" in str(info.value)
    assert len(emulator.control.state()["calls"]) - calls <= 2
    assert svc.ledger.usage().by_method  # the refused call is in the ledger too


def test_5xx_is_retried_bounded(svc, emulator, store):
    emulator.control.inject_fault("liveBroadcasts.list", 503, "backendError", times=2)
    assert svc.api.list_broadcasts(mine=True)["items"] == []
    emulator.control.inject_fault("liveBroadcasts.list", 500, "backendError", times=-1)
    with pytest.raises(ye.YouTubeServerError, match="storing"):
        svc.api.list_broadcasts(mine=True)
    emulator.control.clear_faults()
    failed = store.query("SELECT reason FROM youtube_quota WHERE method = 'liveBroadcasts.list' AND ok = 0")
    assert len(failed) == 2 + svc.api.max_retries + 1
    assert {r["reason"] for r in failed} == {"backendError"}


def test_network_down_is_a_clear_error_quickly(svc, emulator):
    emulator.stop()
    t0 = time.monotonic()
    with pytest.raises(ye.YouTubeUnreachable, match="niet bereikbaar"):
        svc.broadcasts.create("inbraak", "nl", _start())
    assert time.monotonic() - t0 < 10


def test_golive_fails_cleanly_without_obs_stream_then_retries(svc, emulator, store):
    """No RTMP data arrives: bounded wait, clear message, then the same call works once media flows."""

    class FakeObs:  # OBS stand-in that pushes real RTMP with ffmpeg when asked to stream
        def __init__(self) -> None:
            self.server = self.key = ""
            self.proc: subprocess.Popen | None = None
            self.fail = True

        @property
        def snapshot(self):
            return type("S", (), {"streaming": self.proc is not None and self.proc.poll() is None})()

        def set_stream_service(self, server: str, key: str) -> None:
            self.server, self.key = server, key

        def start_stream(self, timeout: float = 20) -> None:
            if self.fail:
                return  # "succeeds" but sends nothing, like OBS with a broken network
            self.proc = subprocess.Popen(
                ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-f", "lavfi", "-i",
                 "testsrc2=size=320x180:rate=15", "-t", "60", "-c:v", "libx264", "-preset", "ultrafast",
                 "-f", "flv", f"{self.server}/{self.key}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def stop_stream(self, timeout: float = 20) -> None:
            if self.proc is not None:
                self.proc.kill()
                self.proc.wait()

    obs = FakeObs()
    svc.broadcasts._obs = obs
    svc.settings.youtube.golive_timeout = 2.0
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    try:
        with pytest.raises(ye.StreamNotActive, match="geen beeld"):
            svc.broadcasts.go_live(rec.broadcast_id)
        assert repo.get_broadcast(store, rec.broadcast_id, "oefen").step == "starting"
        assert emulator.control.state()["broadcasts"][rec.broadcast_id]["lifeCycleStatus"] == "ready"
        obs.fail = False
        svc.settings.youtube.golive_timeout = 60.0
        assert svc.broadcasts.go_live(rec.broadcast_id).lifecycle == "live"
        assert svc.broadcasts.end(rec.broadcast_id).lifecycle == "complete"
        assert not obs.snapshot.streaming
    finally:
        obs.stop_stream()


def test_stream_health_is_reported(svc, emulator, rtmp_publisher):
    stream = svc.broadcasts.streams.ensure()
    rec = svc.broadcasts.create("inbraak", "nl", _start())
    svc.api.bind_broadcast(rec.broadcast_id, stream["id"])
    rtmp_publisher(f"{emulator.rtmp_url}/{emulator.control.stream_key(stream['id'])}", seconds=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        st = svc.broadcasts.status(rec.broadcast_id)
        if st.stream is not None and st.stream.active:
            break
        time.sleep(0.2)
    assert st.stream is not None and st.stream.active and st.stream.stream_id == stream["id"]
    emulator.control.set_stream_health(stream["id"], "bad", [{"type": "bitrateLow", "severity": "warning",
                                                             "reason": "bitrateLow",
                                                             "description": "De bitrate is te laag."}])
    st = svc.broadcasts.status(rec.broadcast_id)
    assert st.stream.health == "bad"
    assert st.stream.issues == ("waarschuwing: De bitrate is te laag.",)


def test_every_call_closes_its_connection(svc, emulator):
    """One transport per call: its socket is closed when the call is done (also a create, and a refused call),
    not left for the garbage collector, which warned about unclosed sockets during the archive's publish."""
    import gc
    import warnings

    gc.collect()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", ResourceWarning)
        svc.api.list_broadcasts(mine=True)
        svc.broadcasts.create("inbraak", "nl", _start())  # liveBroadcasts.insert: the single-shot transport
        emulator.control.inject_fault("liveBroadcasts.list", 503, "backendError", times=1)
        svc.api.list_broadcasts(mine=True)  # retried once
        gc.collect()
    unclosed = [str(w.message) for w in seen if issubclass(w.category, ResourceWarning) and "socket" in str(w.message)]
    assert unclosed == []
