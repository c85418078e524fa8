"""`studio scrub`: what a question would look like on air, to check the privacy filter by hand or in a script.

    studio scrub --text "Mijn buurman Piet Jansen op de Kampstraat 14a, bel 06-41234567"
    studio scrub --text "..." --lang ar --json

Prints the on-air text: the input with every certain finding replaced by its marker (Dutch markers, Arabic
with --lang ar), then cleaned the way the card cleans text (no control or bidi characters). With --json:
``{"text": ..., "findings": [{"kind", "start", "end", "marker"}], "to_check": [...]}``; offsets are into
the input as given; ``to_check`` holds the uncertain spans the moderator would be asked to look at. The
JSON never holds the original text or any detail from it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studio.config import Settings


class _DutchHelp(argparse.HelpFormatter):
    """argparse's own words in Dutch ("gebruik:"); the rest of the CLI still shows argparse's English ones."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        return super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser(
        "scrub",
        add_help=False,
        formatter_class=_DutchHelp,
        help="laat zien hoe een vraag in beeld komt: namen, adressen en nummers vervangen",
        description="Haalt persoonsgegevens uit een tekst zoals het paneel dat doet voordat een vraag in beeld "
        "komt: namen, adressen (straat met huisnummer), telefoonnummers, e-mail, postcodes, kentekens, "
        "links, IBAN, BSN, geboortedata, accounts en uitgeschreven nummers. Plaatsen, straatnamen zonder "
        "huisnummer, tijden en de openbare nummers van politie en gemeente blijven staan.",
        epilog="Uitvoer: de tekst zoals hij in beeld komt. Met --json: {\"text\", \"findings\": [{\"kind\", "
        "\"start\", \"end\", \"marker\"}], \"to_check\": [...]} met posities in de invoer; de oorspronkelijke "
        "tekst staat er nooit in.",
    )
    p._optionals.title = "opties"
    p.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
    p.add_argument("--text", required=True, metavar="TEKST", help="de vraag zoals die in de chat stond")
    p.add_argument("--lang", choices=("nl", "ar"), default="nl",
                   help="taal van de uitzending: bepaalt de tekst van de markeringen (standaard nl)")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON met de vondsten en hun posities")
    p.set_defaults(func=_scrub)


def _scrub(args: argparse.Namespace, settings: Settings) -> int:
    from studio.domain.sanitize import clean_chat_text
    from studio.errors import ConfigError, StudioError
    from studio.usecases import privacy
    from studio.usecases.context import Studio

    if not args.text.strip():
        raise ConfigError("--text is leeg", 'bijvoorbeeld --text "Mijn fiets is gestolen op de Akerstraat"')
    with Studio(settings) as ctx:  # the same filter the panel uses; nothing else of the studio is started
        status = privacy.wait(ctx, privacy.PUBLICATION_WAIT)
        if not status.ready:
            raise StudioError(status.message)
        result = privacy.scrub(ctx, args.text, args.lang)
    aired = result.text
    # What the card shows: no control, bidi or invisible characters; never shortened here.
    shown = clean_chat_text(aired, max_chars=max(2, len(aired) + 1))
    if args.json:
        out = {
            "text": shown,
            "findings": [f.as_public_dict() for f in result.certain],
            "to_check": [f.as_public_dict() for f in result.to_check],
        }
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(shown)
        for f in result.to_check:
            print(f"na te kijken: mogelijk {f.marker} op positie {f.start}-{f.end}", file=sys.stderr)
    return 0
