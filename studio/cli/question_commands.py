"""Subcommands of this area; see studio/cli/__init__.py for the conventions."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this area's subcommands to `studio`."""
    _register_questions(sub)


# --- questions: retention ---------------------------------------------------------------------------------
def _register_questions(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "purge",
        help="verwijder chatteksten en vraagkaarten ouder dan de bewaartermijn ([chat] retention_days)",
        description="Verwijdert vragen (tekst en geschiedenis), gelezen chat-id's en vraagkaarten die ouder zijn "
        "dan [chat] retention_days dagen. Het paneel doet dit ook bij het starten.",
    )
    p.add_argument("--days", type=int, metavar="N", help="bewaartermijn in dagen (standaard uit de configuratie)")
    p.set_defaults(func=_purge)


def _purge(args: argparse.Namespace, settings: object) -> int:
    from studio.context import StudioContext
    from studio.errors import ConfigError
    from studio.onair import purge

    if args.days is not None:
        if args.days < 0:
            raise ConfigError("--days moet 0 of meer zijn", "bijvoorbeeld --days 30")
        settings.chat.retention_days = args.days  # type: ignore[attr-defined]
    ctx = StudioContext(settings)  # type: ignore[arg-type]
    try:
        counts = purge(ctx)
    finally:
        ctx.close()
    days = settings.chat.retention_days  # type: ignore[attr-defined]
    print(
        f"bewaartermijn {days} dagen: {counts['questions']} vragen, {counts['seen_ids']} chat-id's, "
        f"{counts['cards']} vraagkaarten en {counts['audit_entries']} logregels met vraagtekst verwijderd"
    )
    return 0
