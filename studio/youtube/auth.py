"""Signing in to YouTube: the OAuth installed-app flow, the stored token, and the rehearsal decision.

The token lives in the platform config dir (``settings.token_file``), written atomically with mode 0600,
and is refreshed automatically; a refreshed token is written back. Nothing here prints or raises a token.

Rehearsal ("OEFENMODUS"): with ``[youtube] rehearsal = "yes"``, or "auto" while no token exists yet
(nobody ran `studio auth`), the studio talks to the local YouTube emulator instead of YouTube.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from studio.config import Settings
from studio.files import write_atomic
from studio.youtube.errors import (
    TESTING_EXPIRY_HINT,
    ClientSecretInvalid,
    ClientSecretMissing,
    NotSignedIn,
    TokenRevoked,
    YouTubeUnreachable,
)

SCOPES = [
    "https://www.googleapis.com/auth/youtube.force-ssl",
    "https://www.googleapis.com/auth/youtube.upload",
]
REHEARSAL_TOKEN = "oefenmodus"  # the emulator accepts any bearer token
README_POINTER = "zie credentials.example/README.md voor het aanmaken van de OAuth-client"
PLACEHOLDER_MARK = "VERVANG"


def is_rehearsal(settings: Settings) -> bool:
    """The one place that decides: emulator (True) or the real YouTube (False)."""
    mode = settings.youtube.rehearsal
    if mode == "yes":
        return True
    if mode == "no":
        return False
    return not Path(settings.token_file).exists()


def target_name(settings: Settings) -> str:
    """Which YouTube the store's records belong to: 'oefen' (emulator) or 'youtube'."""
    return "oefen" if is_rehearsal(settings) else "youtube"


def check_client_secret(path: Path) -> dict[str, Any]:
    """Read and check the client secret file; typed errors with the path and what to do."""
    if not path.exists():
        raise ClientSecretMissing(f"geen OAuth-clientgeheim gevonden in {path}",
                                  f"download het als JSON uit Google Cloud Console en zet het daar; {README_POINTER}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise ClientSecretInvalid(f"{path} is geen leesbaar JSON-clientgeheim",
                                  f"download het opnieuw uit Google Cloud Console; {README_POINTER}") from None
    section = data.get("installed") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        kind = "een webapplicatie-client" if isinstance(data, dict) and "web" in data else "geen geldig clientgeheim"
        raise ClientSecretInvalid(f"{path} is {kind}",
                                  f"maak een OAuth-client van het type 'Desktop-app'; {README_POINTER}")
    client_id = str(section.get("client_id", ""))
    secret = str(section.get("client_secret", ""))
    if not client_id or not secret or PLACEHOLDER_MARK in client_id or PLACEHOLDER_MARK in secret:
        raise ClientSecretInvalid(f"{path} is nog het voorbeeldbestand (geen echte client_id/client_secret)",
                                  README_POINTER)
    return data


def write_token_atomic(path: Path, text: str) -> None:
    """Write the token file with mode 0600, atomically (a crash leaves the old file or the new one)."""
    write_atomic(path, text)


def run_auth_flow(settings: Settings, *, open_browser: bool = True, port: int = 0, timeout: float = 300.0) -> Path:
    """`studio auth`: sign in with the browser, store the token. Returns the token file's path.

    Waits at most ``timeout`` seconds for the browser to come back (then a clear error, not a hang)."""
    secret_path = Path(settings.client_secret_file)
    check_client_secret(secret_path)
    from google_auth_oauthlib.flow import InstalledAppFlow

    flow = InstalledAppFlow.from_client_secrets_file(str(secret_path), SCOPES)
    try:
        creds = flow.run_local_server(
            port=port,
            open_browser=open_browser,
            authorization_prompt_message="Open deze pagina in de browser om in te loggen met het kanaalaccount:\n{url}",
            success_message="Aangemeld. U kunt dit venster sluiten en terugkeren naar de studio.",
            timeout_seconds=int(timeout),
        )
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # oauthlib raises many kinds; none of them may leak a code or token
        if type(exc).__name__ == "WSGITimeoutError":
            raise TokenRevoked(f"geen antwoord van de browser binnen {timeout:g} s",
                               "voer 'studio auth' opnieuw uit en rond het inloggen in de browser af") from None
        raise TokenRevoked(f"aanmelden bij Google is mislukt ({type(exc).__name__})",
                           "probeer 'studio auth' opnieuw en accepteer alle gevraagde toestemming") from None
    token_path = Path(settings.token_file)
    write_token_atomic(token_path, creds.to_json())
    return token_path


def load_credentials(settings: Settings) -> Any:
    """Credentials for the API client: a fixed token in rehearsal, else the stored token (refreshed if due)."""
    from google.oauth2.credentials import Credentials

    if is_rehearsal(settings):
        return Credentials(token=REHEARSAL_TOKEN)
    token_path = Path(settings.token_file)
    if not token_path.exists():
        secret = Path(settings.client_secret_file)
        if not secret.exists():
            raise ClientSecretMissing(
                f"niet aangemeld bij YouTube en geen OAuth-clientgeheim in {secret}",
                f"zet het clientgeheim daar en voer 'studio auth' uit; {README_POINTER}")
        raise NotSignedIn("niet aangemeld bij YouTube", "voer 'studio auth' uit")
    try:
        creds = Credentials.from_authorized_user_file(str(token_path), SCOPES)
    except (OSError, ValueError, json.JSONDecodeError):
        raise NotSignedIn(f"het tokenbestand {token_path} is onleesbaar", "voer 'studio auth' opnieuw uit") from None
    refresh_if_needed(creds, token_path)
    return creds


def refresh_if_needed(creds: Any, token_path: Path, *, force: bool = False) -> bool:
    """Refresh an expired token and write it back; True when refreshed. Maps failures to typed errors."""
    if not force and creds.valid:
        return False
    if not creds.refresh_token:
        raise TokenRevoked("de YouTube-aanmelding is verlopen", TESTING_EXPIRY_HINT, reason="expired")
    import google.auth.exceptions
    from google.auth.transport.requests import Request

    try:
        creds.refresh(Request())
    except google.auth.exceptions.RefreshError:
        raise TokenRevoked("de YouTube-aanmelding is ingetrokken of verlopen", TESTING_EXPIRY_HINT,
                           reason="invalid_grant") from None
    except google.auth.exceptions.TransportError:
        raise YouTubeUnreachable("Google is niet bereikbaar om de aanmelding te verversen",
                                 "controleer de internetverbinding en probeer opnieuw", reason="network") from None
    write_token_atomic(token_path, creds.to_json())
    return True
