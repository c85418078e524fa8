"""`studio rehearse` (and `studio show status`): the evening's show flow from the command line."""

from __future__ import annotations

import argparse

from studio.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rehearse",
        help="oefen een hele avond: het paneel in OEFENMODUS met de YouTube-emulator en een nagespeeld publiek",
        description=(
            "Start het paneel in oefenmodus: YouTube is de ingebouwde emulator (er gaat niets echt live), OBS is "
            "de echte. Zodra een uitzending live is, stelt een nagespeeld publiek vragen in de chat: gewone, "
            "dringende, met persoonsgegevens en vijandige. Volg op het startscherm de stappen."
        ),
    )
    p.add_argument("--speed", type=float, default=1.0,
                   help="hoe snel het publiek vragen stelt (2 = twee keer zo snel; standaard 1)")
    p.set_defaults(func=_rehearse)

    s = sub.add_parser("show", help="de stappen van de sessies van vanavond")
    s.add_argument("action", choices=["status"], help="status: waar elke sessie van vanavond staat")
    s.set_defaults(func=_show_status)


def _rehearse(args: argparse.Namespace, settings: Settings) -> int:
    from studio.errors import ConfigError
    from studio.tui import graphics

    if args.speed <= 0:
        raise ConfigError("--speed moet groter dan 0 zijn", "bijvoorbeeld --speed 1 of --speed 2")
    graphics.start_detection()  # the terminal answers while Textual is being imported
    from studio.tui.app import run_panel

    settings.youtube.rehearsal = "yes"
    return run_panel(settings, debug=args.debug, audience_speed=args.speed)


def _show_status(args: argparse.Namespace, settings: Settings) -> int:
    from studio.usecases import evening
    from studio.usecases.context import Studio

    with Studio(settings) as ctx:
        found = evening.statuses(ctx)
    if not found:
        print("vanavond geen sessies gepland")
    for st in found:
        extra = f" ({st.detail})" if st.detail else ""
        print(f"{st.plan.session_id}  {st.plan.topic}  {st.where}{extra}")
    return 0
