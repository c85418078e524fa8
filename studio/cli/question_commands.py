"""Subcommands of this area; see studio/cli/__init__.py for the conventions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studio.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands to `studio`."""
    _register_questions(sub)
    _register_overlay(sub)


# --- questions: retention ---------------------------------------------------------------------------------
def _register_questions(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "purge",
        help="verwijder chatteksten en vraagkaarten ouder dan de bewaartermijn ([chat] retention_days)",
        description="Verwijdert vragen (tekst en geschiedenis), gelezen chat-id's en vraagkaarten die ouder zijn "
        "dan [chat] retention_days dagen. Het paneel doet dit ook bij het starten.",
    )
    p.add_argument("--days", type=int, metavar="N", help="bewaartermijn in dagen (standaard uit de configuratie)")
    p.set_defaults(func=_purge)


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    from studio.errors import ConfigError
    from studio.usecases.context import Studio
    from studio.usecases.moderation import purge

    if args.days is not None:
        if args.days < 0:
            raise ConfigError("--days moet 0 of meer zijn", "bijvoorbeeld --days 30")
        settings.chat.retention_days = args.days
    with Studio(settings) as ctx:
        counts = purge(ctx)
    days = settings.chat.retention_days
    print(
        f"bewaartermijn {days} dagen: {counts['questions']} vragen, {counts['seen_ids']} chat-id's, "
        f"{counts['cards']} vraagkaarten en {counts['audit_entries']} logregels met vraagtekst verwijderd"
    )
    return 0


# --- overlay: render a card or slate to check by eye --------------------------------------------------------
def _register_overlay(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("overlay", help="vraagkaart en schermen (overlays) renderen")
    osub = p.add_subparsers(dest="overlay_command", metavar="COMMANDO", parser_class=type(p))

    def show_help(args: argparse.Namespace, settings: Settings) -> int:
        p.print_help()
        return 2

    p.set_defaults(func=show_help)
    r = osub.add_parser(
        "render",
        help="render één vraagkaart of scherm naar een PNG om te controleren",
        description="Rendert de tekst zoals hij op de zender komt: opgeschoond, persoonsgegevens vervangen "
        "(namen, adressen, telefoonnummers, e-mail, postcodes, kentekens, links en meer), Arabisch gevormd en "
        "van rechts naar links. Meldt welke soorten op welke posities zijn vervangen, nooit de gegevens zelf.",
    )
    r.add_argument("--text", default="", help="de vraag (voor --kind question)")
    r.add_argument("--lang", choices=("nl", "ar"), default="nl", help="taal van de uitzending (standaard nl)")
    r.add_argument("--kind", choices=("question", "starting", "pause", "end"), default="question",
                   help="vraagkaart (standaard) of een scherm: starting, pause, end")
    r.add_argument("--topic", default="", help="onderwerp op het beginscherm")
    r.add_argument("--when", metavar="HH:MM", help="aanvangstijd op het beginscherm (vandaag)")
    r.add_argument("--raw", action="store_true", help="tekst niet opschonen en geen persoonsgegevens vervangen")
    r.add_argument("--out", required=True, metavar="BESTAND", help="het PNG-bestand dat wordt geschreven")
    r.set_defaults(func=_overlay_render)


def _overlay_render(args: argparse.Namespace, settings: Settings) -> int:
    import time
    from datetime import datetime

    from studio.errors import ConfigError

    if args.kind == "question" and not args.text.strip():
        raise ConfigError("--text is leeg", 'bijvoorbeeld --text "Wat doe ik bij fietsendiefstal?"')
    when = None
    if args.when:
        try:
            hh, mm = (int(x) for x in args.when.split(":"))
            when = datetime.now().replace(hour=hh, minute=mm, second=0, microsecond=0)
        except ValueError:
            raise ConfigError(f"--when {args.when!r} is geen tijd", "gebruik HH:MM, bijvoorbeeld 19:00") from None

    from studio.usecases import onair
    from studio.usecases.context import Studio

    start = time.perf_counter()
    with Studio(settings) as ctx:
        if args.kind == "question":
            path, pv = onair.write_card(ctx, args.text, args.lang, args.out, raw=args.raw)
            # What was replaced and where, never the detail itself (a terminal is read over shoulders and
            # scrollback is kept): the card shows the result, the input is the user's own.
            for finding in pv.result.certain:
                print(f"vervangen door {finding.marker}: positie {finding.start}-{finding.end}")
            for finding in pv.result.to_check:
                print(f"na te kijken: mogelijk {finding.marker} op positie {finding.start}-{finding.end}")
        else:
            path = onair.write_slate(ctx, args.kind, args.lang, args.topic, args.out, when=when)
    print(f"{path} geschreven ({(time.perf_counter() - start) * 1000:.0f} ms)")
    return 0
