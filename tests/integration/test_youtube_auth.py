"""`studio auth`: the real InstalledAppFlow against a local stand-in for Google's OAuth endpoints."""

from __future__ import annotations

import json
import os
import stat
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from studio.youtube import errors as ye
from studio.youtube.auth import SCOPES, is_rehearsal, load_credentials, run_auth_flow


@pytest.fixture
def oauth_server():
    seen: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            seen.update(urllib.parse.parse_qsl(body))
            data = json.dumps({"access_token": "ya29.fresh-access-token-0001", "expires_in": 3600,
                               "refresh_token": "1//refresh-token-secret-0001", "token_type": "Bearer",
                               "scope": " ".join(SCOPES)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a: object) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    httpd.seen = seen  # type: ignore[attr-defined]
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"  # type: ignore[attr-defined]
    yield httpd
    httpd.shutdown()
    httpd.server_close()


class FakeBrowser:
    """Follows the consent page at once: calls the local redirect URI with a code, like Google would."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        back = q["redirect_uri"] + "?" + urllib.parse.urlencode(
            {"code": "4/test-code", "state": q["state"], "scope": " ".join(SCOPES)})
        threading.Thread(target=lambda: urllib.request.urlopen(back, timeout=10).read(), daemon=True).start()
        return True


def test_auth_flow_stores_a_0600_token_and_leaves_rehearsal(settings, oauth_server, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the stand-in speaks http
    browser = FakeBrowser()
    monkeypatch.setattr("webbrowser.get", lambda *a, **k: browser)
    settings.client_secret_file.parent.mkdir(parents=True, exist_ok=True)
    settings.client_secret_file.write_text(json.dumps({"installed": {
        "client_id": "123-abc.apps.googleusercontent.com", "client_secret": "GOCSPX-test-secret",
        "auth_uri": f"{oauth_server.url}/auth", "token_uri": f"{oauth_server.url}/token",
        "redirect_uris": ["http://localhost"]}}))
    assert is_rehearsal(settings)
    path = run_auth_flow(settings, open_browser=True, timeout=30)
    assert path == settings.token_file
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert saved["refresh_token"] == "1//refresh-token-secret-0001"
    assert set(SCOPES) <= set(saved["scopes"])
    assert "youtube.force-ssl" in browser.opened[0] and "youtube.upload" in browser.opened[0]
    assert oauth_server.seen["code"] == "4/test-code"
    assert not is_rehearsal(settings)  # auto: a token now exists
    creds = load_credentials(settings)
    assert creds.token == "ya29.fresh-access-token-0001"
    # no temporary files left next to the token
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".token-")] == []


def test_auth_flow_times_out_with_a_clear_message(settings, oauth_server, monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setattr("webbrowser.get", lambda *a, **k: type("B", (), {"open": lambda *a, **k: True})())
    settings.client_secret_file.parent.mkdir(parents=True, exist_ok=True)
    settings.client_secret_file.write_text(json.dumps({"installed": {
        "client_id": "123-abc.apps.googleusercontent.com", "client_secret": "GOCSPX-test-secret",
        "auth_uri": f"{oauth_server.url}/auth", "token_uri": f"{oauth_server.url}/token"}}))
    with pytest.raises(ye.TokenRevoked, match="geen antwoord van de browser"):
        run_auth_flow(settings, open_browser=True, timeout=1)
    assert not settings.token_file.exists()
