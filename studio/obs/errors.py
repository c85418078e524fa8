"""The OBS adapter's own errors: what went wrong in one Dutch line, and what the technician can do.

``ObsSupervisor`` translates everything obsws-python, websocket-client and the socket layer raise into one of
these; nothing outside ``studio/obs`` ever sees a library exception. Messages never contain the password.
"""

from __future__ import annotations

from studio.errors import StudioError

HINT_START_OBS = "start OBS en zet Extra > WebSocket-serverinstellingen aan"
HINT_PASSWORD = (
    "neem het wachtwoord over uit OBS (Extra > WebSocket-serverinstellingen > Verbindingsinfo tonen) "
    "in [obs] password of STUDIO_OBS_PASSWORD"
)


class ObsError(StudioError):
    """Anything that went wrong talking to OBS."""


class ObsUnreachable(ObsError):
    """No (working) WebSocket connection: OBS is not running, the server is off, or the connection broke."""

    def __init__(self, message: str = "OBS draait niet of de WebSocket-server staat uit", hint: str | None = None):
        super().__init__(message, HINT_START_OBS if hint is None else hint)


class ObsAuthFailed(ObsError):
    """OBS answered but did not accept the password (or none was configured)."""

    def __init__(self, message: str = "wachtwoord klopt niet", hint: str | None = None):
        super().__init__(message, HINT_PASSWORD if hint is None else hint)


class ObsRequestFailed(ObsError):
    """OBS understood the request and refused it; ``code`` is obs-websocket's RequestStatus code."""

    def __init__(self, request: str, code: int, comment: str = "", hint: str | None = None):
        self.request = request
        self.code = code
        self.comment = comment
        text = f"OBS weigert {request} (code {code}{': ' + comment if comment else ''})"
        super().__init__(text, hint or _REQUEST_HINTS.get(code))


class ObsTimeout(ObsError):
    """OBS did not answer in time (it may be busy or hanging); the connection is renewed."""

    def __init__(self, message: str = "OBS antwoordt niet op tijd", hint: str | None = None):
        super().__init__(message, hint or "OBS is overbelast of hangt: kijk in OBS en herstart het zo nodig")


# obs-websocket RequestStatus codes worth explaining (docs/generated/protocol.md, RequestStatus).
REQUEST_STATUS_NOT_READY = 207
REQUEST_STATUS_RESOURCE_NOT_FOUND = 600
REQUEST_STATUS_RESOURCE_ALREADY_EXISTS = 601
REQUEST_STATUS_INVALID_INPUT_KIND = 605
REQUEST_STATUS_OUTPUT_RUNNING = 500
REQUEST_STATUS_OUTPUT_NOT_RUNNING = 501

_REQUEST_HINTS = {
    REQUEST_STATUS_NOT_READY: "OBS is nog aan het opstarten: probeer het zo opnieuw",
    REQUEST_STATUS_RESOURCE_NOT_FOUND: "die scène of bron bestaat niet (meer) in OBS",
    REQUEST_STATUS_RESOURCE_ALREADY_EXISTS: "die naam is in OBS al in gebruik",
    REQUEST_STATUS_INVALID_INPUT_KIND: "dit brontype bestaat niet in deze OBS",
    REQUEST_STATUS_OUTPUT_RUNNING: "de uitvoer loopt al",
    REQUEST_STATUS_OUTPUT_NOT_RUNNING: "de uitvoer loopt niet",
}
