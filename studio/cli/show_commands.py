"""`studio rehearse` (and `studio show status`): the evening's show flow from the command line.

`studio rehearse` is "nu oefenen": a rehearsal session starting in a few minutes (studio.usecases.rehearse_now),
a test picture when there is no camera, then the panel in rehearsal mode with a scripted audience.
"""

from __future__ import annotations

import argparse

from studio.config import Settings
from studio.usecases.rehearse_now import LEAD_MINUTES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "rehearse",
        help="oefen vanavond, nu: het paneel in OEFENMODUS met een oefensessie die over een paar minuten begint",
        description=(
            "Nu oefenen. Maakt een oefensessie die over een paar minuten begint (Nederlands; met --arabisch ook "
            "een Arabische, een kwartier later) en start het paneel in oefenmodus: YouTube is de ingebouwde "
            "emulator (er gaat niets echt live), OBS is de echte. De datum en tijd van de oefensessie staan in "
            "elke bevestiging. Zodra de uitzending live is, stelt een nagespeeld publiek vragen in de chat: "
            "gewone, dringende, met persoonsgegevens en vijandige. Een oefening die halverwege werd afgebroken, "
            "gaat verder waar zij was. "
            "Zonder camera gebruikt de oefening vanzelf een bewegend testbeeld in plaats van de camera, en zegt "
            "dat (hier en op het Spreekuur-scherm); een eigen [preflight] camera_file of [obs] scenes_override "
            "blijft gelden."
        ),
        epilog="Voorbeelden: 'studio rehearse' (Nederlands, over 5 minuten), 'studio rehearse --arabisch --over 2', "
               "'studio rehearse --rooster' (de eerstvolgende echte sessie uit het rooster, met haar eigen datum).",
    )
    p.add_argument("--over", type=int, default=LEAD_MINUTES, metavar="MINUTEN",
                   help=f"de oefensessie begint over zoveel minuten (standaard {LEAD_MINUTES})")
    p.add_argument("--arabisch", action="store_true",
                   help="ook een Arabische oefensessie, een kwartier na de Nederlandse")
    p.add_argument("--rooster", action="store_true",
                   help="niet nu oefenen, maar de eerstvolgende sessie uit het rooster openen")
    p.add_argument("--snelheid", "--speed", dest="speed", type=float, default=1.0, metavar="SNELHEID",
                   help="hoe snel het publiek vragen stelt (2 = twee keer zo snel; standaard 1)")
    p.set_defaults(func=_rehearse)

    s = sub.add_parser("show", help="de stappen van de sessies van vanavond")
    s.add_argument("action", choices=["status"], help="status: waar elke sessie van vanavond staat")
    s.set_defaults(func=_show_status)


def _rehearse(args: argparse.Namespace, settings: Settings) -> int:
    import dataclasses
    from datetime import datetime

    from studio.errors import ConfigError
    from studio.tui import graphics
    from studio.tui.app import run_panel
    from studio.tui.screens.show_view import session_line
    from studio.usecases import rehearse_now
    from studio.usecases.context import Studio

    if args.speed <= 0:
        raise ConfigError("--snelheid moet groter dan 0 zijn", "bijvoorbeeld --snelheid 1 of --snelheid 2")
    if not 0 <= args.over <= 24 * 60:
        raise ConfigError("--over moet tussen 0 en 1440 minuten liggen", "bijvoorbeeld --over 5")
    graphics.start_detection()  # the terminal answers while the rest is being prepared
    settings = dataclasses.replace(settings, youtube=dataclasses.replace(settings.youtube, rehearsal="yes"))
    choice = rehearse_now.with_test_picture(settings)
    settings = choice.settings
    print("OEFENMODUS: YouTube is de ingebouwde emulator, er gaat niets echt live.")
    if not args.rooster:
        with Studio(settings) as ctx:
            made = rehearse_now.plan_now(ctx, minutes=args.over, arabic=args.arabisch)
        now = datetime.now().astimezone()
        print("Een oefening van vandaag was nog bezig: die gaat verder." if made.resumed else "Nu oefenen:")
        for plan in made.plans:
            print(f"  {session_line(plan, now)} · onderwerp: {plan.topic}")
    else:
        print("De eerstvolgende sessie uit het rooster wordt geopend (de datum staat in elke bevestiging).")
    print(choice.note[:1].upper() + choice.note[1:])
    print("Het paneel start nu: druk op het Spreekuur-scherm op  s  om te beginnen.", flush=True)
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
