"""The project's own errors: one line a person can act on, in Dutch.

Adapters translate whatever their library raises into one of these. The CLI prints ``str(error)``
and exits with ``error.exit_code``; the panel shows the same line. A traceback is only shown with --debug.
"""

from __future__ import annotations


class StudioError(Exception):
    """Base class. ``message`` says what is wrong, ``hint`` what to do about it."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        message, hint = _printable(message), (_printable(hint) if hint is not None else None)
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class ConfigError(StudioError):
    """Usage or configuration problem (exit code 2)."""

    exit_code = 2


class CheckFailed(StudioError):
    """A check ran and its verdict is 'fail' (exit code 1)."""

    exit_code = 1


def _printable(text: str) -> str:
    """A file name that is not UTF-8 arrives with lone surrogates: one U+FFFD each, so the line can always be
    printed, shown and stored (the same rule as studio.domain.labels.shown, which errors cannot import)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
    return text
