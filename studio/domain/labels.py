"""The Dutch words and figures the panel, the CLI and the reports show for states, durations and sizes.

One place, so that the panel and `studio archive list` never call the same state two different things.
(Question states have their own panel words in studio.domain.questions: ``State.label``.)
"""

from __future__ import annotations

ARCHIVE_STATES = {
    "archived": "gearchiveerd",
    "processing": "bezig met verwerken",
    "processed": "verwerkt",
    "publishing": "publiceren onvoltooid",
    "published": "gepubliceerd",
    "failed": "mislukt",
}

# The session report's words for what became of a question (past participles: it is read afterwards).
REPORTED_QUESTION_STATES = {
    "new": "nieuw", "shortlisted": "klaargezet", "on_air": "in beeld", "answered": "beantwoord",
    "parked": "geparkeerd", "forwarded": "doorgestuurd", "rejected": "afgewezen", "merged": "samengevoegd",
    "removed": "verwijderd",
}


# YouTube's words, as the panel and the CLI say them (YouTube's own value never appears on screen).
YOUTUBE_LIFECYCLE = {
    "created": "aangemaakt", "ready": "klaar", "testStarting": "test start…", "testing": "test",
    "liveStarting": "live start…", "live": "LIVE", "complete": "afgelopen", "revoked": "ingetrokken",
}
STREAM_HEALTH = {"good": "goed", "ok": "redelijk", "bad": "slecht", "noData": "geen beeld ontvangen"}
STREAM_STATUS = {"created": "aangemaakt", "ready": "klaar", "active": "ontvangt beeld", "inactive": "ontvangt niets",
                 "error": "fout"}
ISSUE_SEVERITY = {"info": "info", "warning": "waarschuwing", "error": "fout"}
# The studio's own steps with a broadcast (store: youtube_broadcasts.step).
BROADCAST_STEPS = {
    "creating": "wordt aangemaakt", "created": "aangemaakt", "binding": "stream koppelen", "ready": "klaar",
    "starting": "stream start", "testing": "test", "going_live": "gaat live", "live": "live", "ending": "wordt beëindigd",
    "complete": "afgelopen",
}
# The show flow's step statuses (studio.usecases.show: FlowState.status).
STEP_STATUS = {"pending": "nog niet begonnen", "running": "bezig", "done": "klaar", "failed": "mislukt",
               "interrupted": "onderbroken",
               "waiting": "wacht", "skipped": "overgeslagen"}


def youtube_lifecycle(value: str) -> str:
    return YOUTUBE_LIFECYCLE.get(value, value or "onbekend")


def stream_health(value: str) -> str:
    return STREAM_HEALTH.get(value, value or "geen gegevens")


def stream_status(value: str) -> str:
    return STREAM_STATUS.get(value, value or "onbekend")


def broadcast_step(value: str) -> str:
    return BROADCAST_STEPS.get(value, value)


def step_status(value: str) -> str:
    return STEP_STATUS.get(value, value)


# OBS's input kinds, for people ("pulse_input_capture" is what OBS calls a PulseAudio microphone).
INPUT_KINDS = {
    "v4l2_input": "camera (V4L2)", "dshow_input": "camera (DirectShow)", "av_capture_input": "camera (macOS)",
    "av_capture_input_v2": "camera (macOS)", "macos-avcapture": "camera (macOS)",
    "pulse_input_capture": "microfoon (PulseAudio)", "alsa_input_capture": "microfoon (ALSA)",
    "wasapi_input_capture": "microfoon (Windows)", "coreaudio_input_capture": "microfoon (macOS)",
    "ffmpeg_source": "mediabestand", "image_source": "afbeelding", "color_source_v3": "kleurvlak",
    "browser_source": "webpagina", "text_ft2_source_v2": "tekst",
}


def input_kind(kind: str) -> str:
    return INPUT_KINDS.get(kind, kind)


EXPOSURE = {"ok": "goed", "over": "overbelicht", "under": "onderbelicht", "unknown": "onbekend"}


def exposure(value: str | None) -> str:
    """The camera check's exposure verdict in words."""
    return EXPOSURE.get(value or "unknown", value or "onbekend")


def archive_state(state: str, truncated: bool = False) -> str:
    return ARCHIVE_STATES.get(state, state) + (" (afgebroken)" if truncated else "")


def clock(seconds: float) -> str:
    """h:mm:ss of a running clock (never negative)."""
    s = max(0, int(seconds))
    return f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def duration(seconds: float | None, unknown: str = "—") -> str:
    """h:mm:ss of a recording's length; ``unknown`` when there is none (0 or missing)."""
    if not seconds or seconds < 0:
        return unknown
    return clock(round(seconds))


def size(n: int | None) -> str:
    """Bytes as a person reads them: 512 B, 12.3 kB, 1.5 MB, 2.0 GB (1024-based, as file managers do)."""
    if not n:
        return "—"
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(n)


def shown(text: object) -> str:
    """Text that can be printed and stored anywhere: a file name that is not UTF-8 (its undecodable bytes
    arrive as lone surrogates) gets one replacement character (U+FFFD) per bad byte instead of a crash."""
    value = str(text)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value)
    return value


def file_name(path: object) -> str:
    """The last part of a path, printable (see ``shown``)."""
    value = str(path).rstrip("/")
    return shown(value.rsplit("/", 1)[-1] if "/" in value else value)


def recording_files(first: object, parts: int) -> str:
    """The recording's file, and how many parts follow it (OBS started again after a crash)."""
    more = parts - 1
    name = file_name(first)
    return name if more <= 0 else f"{name} en {more} vervolgde{'el' if more == 1 else 'len'} (na een storing)"
