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
