"""The audit log: every control action (a scene switch, a question on air, a preflight override) with its result.

What a person did is written by the use case or, for a key press, by the panel through ``audited``; secrets are
redacted by the store. Never the original text of a question: an id, a kind, a count.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from studio.errors import StudioError
from studio.usecases.context import Studio

T = TypeVar("T")


def record(ctx: Studio, action: str, params: Mapping[str, Any], result: str = "ok") -> None:
    ctx.store.audit(action, dict(params), result)


def audited(ctx: Studio, action: str, params: Mapping[str, Any], do: Callable[[], T],
            on_audit_failure: Callable[[Exception], None] | None = None) -> T:
    """Run ``do()`` and write the action with its result ('ok' or 'fout: ...') to the audit log.

    A failing audit write never stops the action (the show goes on): ``on_audit_failure`` hears of it.
    """

    def write(result: str) -> None:
        try:
            record(ctx, action, params, result)
        except Exception as exc:
            if on_audit_failure is not None:
                on_audit_failure(exc)

    try:
        value = do()
    except StudioError as exc:
        write(f"fout: {exc.message}")
        raise
    write("ok")
    return value
