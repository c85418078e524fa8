"""YouTube subcommands: `studio auth`, `studio broadcast ...`, `studio schedule`, `studio quota`.

See studio/cli/__init__.py for the conventions. Heavy imports (googleapiclient) happen inside handlers.
In rehearsal every command says so on its first line (OEFENMODUS).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from studio.config import Settings
from studio.domain import labels
from studio.errors import ConfigError
from studio.usecases import broadcasts
from studio.usecases.context import Studio

if TYPE_CHECKING:
    from studio.youtube.broadcast import BroadcastStatus
    from studio.youtube.service import YouTubeService


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands to `studio`."""
    p = sub.add_parser("auth", help="meld de studio aan bij YouTube (OAuth, opent de browser)")
    p.add_argument("--no-browser", action="store_true", help="open de browser niet zelf; toon alleen de link")
    p.add_argument("--port", type=int, default=0, help="poort voor het terugkeeradres (standaard: een vrije)")
    p.set_defaults(func=cmd_auth)

    b = sub.add_parser("broadcast", help="YouTube-uitzendingen: aanmaken, tonen, live zetten, beëindigen")
    bsub = b.add_subparsers(dest="broadcast_command", metavar="ACTIE", required=True)
    c = bsub.add_parser("create", help="maak (of vind) de uitzending van een sessie")
    c.add_argument("--topic", required=True, help="onderwerp, bv. 'inbraak'")
    c.add_argument("--lang", choices=("nl", "ar"), default="nl", help="taal van de sessie")
    c.add_argument("--start", metavar="ISO", help="begintijd, bv. 2026-03-03T19:00 (standaard: volgende sessie)")
    c.set_defaults(func=cmd_broadcast_create)
    ls = bsub.add_parser("list", help="toon de uitzendingen op het kanaal")
    ls.set_defaults(func=cmd_broadcast_list)
    for name, func, text in (("golive", "cmd_broadcast_golive", "zet een uitzending live (gaat verder waar hij was)"),
                             ("end", "cmd_broadcast_end", "beëindig een uitzending en stop de stream"),
                             ("status", "cmd_broadcast_status", "status en streamgezondheid van een uitzending")):
        g = bsub.add_parser(name, help=text)
        g.add_argument("id", help="id van de uitzending (zie 'studio broadcast list')")
        g.set_defaults(func=globals()[func])

    s = sub.add_parser("schedule", help="de komende sessies (Nederlands en Arabisch), agenda en aankondigingen")
    s.add_argument("--from", dest="from_date", metavar="DATUM", help="vanaf deze datum (JJJJ-MM-DD; standaard vandaag)")
    s.add_argument("--months", type=int, default=3, help="zoveel maanden vooruit (standaard 3)")
    s.add_argument("--create", action="store_true", help="maak de ontbrekende uitzendingen aan op YouTube")
    s.add_argument("--ics", metavar="BESTAND", help="schrijf een iCalendar-bestand voor de medewerkers")
    s.add_argument("--announce", action="store_true", help="teksten voor Facebook en Instagram (nl en ar)")
    s.set_defaults(func=cmd_schedule)

    q = sub.add_parser("quota", help="het YouTube-quotumverbruik van vandaag en de verwachting voor vanavond")
    q.set_defaults(func=cmd_quota)

    register_emulator = globals().get("_register_emulator")
    if register_emulator is not None:
        register_emulator(sub)


# -- helpers ---------------------------------------------------------------------------------------------
def _banner(service: YouTubeService) -> None:
    if service.rehearsal:
        where = ("een tijdelijke emulator: wat u maakt verdwijnt na dit commando; start 'studio emulator' en zet "
                 "STUDIO_YOUTUBE_ENDPOINT om te bewaren") if service.temporary_emulator else \
            f"de emulator op {service.endpoint}"
        print(f"OEFENMODUS — er gaat niets naar YouTube ({where})")


def _progress(text: str) -> None:
    print(f"  … {text}", file=sys.stderr, flush=True)


def _parse_start(text: str, tz: str) -> Any:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--start {text!r} is geen geldige tijd", "gebruik bv. 2026-03-03T19:00") from None
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(tz))


def _print_status(st: BroadcastStatus) -> None:
    print(f"{st.broadcast_id}  {st.label}  {st.title}")  # YouTube's own word ('created') never shown
    if st.stream is not None:
        print(f"  stream: {labels.stream_status(st.stream.stream_status)}, "
              f"kwaliteit: {labels.stream_health(st.stream.health)}")
        for issue in st.stream.issues:
            print(f"  - {issue}")


def _wait_obs(ctx: Studio) -> None:
    if not ctx.obs.wait_connected(ctx.settings.obs.connect_timeout + 5):
        from studio.errors import StudioError

        raise StudioError(f"OBS is niet bereikbaar op {ctx.settings.obs.host}:{ctx.settings.obs.port}",
                          "start OBS en controleer [obs] in de configuratie")


# -- handlers --------------------------------------------------------------------------------------------
def cmd_auth(args: argparse.Namespace, settings: Settings) -> int:
    from studio.youtube.auth import run_auth_flow

    path = run_auth_flow(settings, open_browser=not args.no_browser, port=args.port)
    print(f"aangemeld; het token staat in {path} (alleen leesbaar voor u)")
    if settings.youtube.rehearsal == "yes":
        print("let op: [youtube] rehearsal = \"yes\": de studio blijft in de OEFENMODUS")
    return 0


def cmd_broadcast_create(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from studio.domain.schedule import next_sessions
    from studio.usecases.evening import schedule_rule

    tz = settings.schedule.timezone
    if args.start:
        start = _parse_start(args.start, tz)
    else:
        upcoming = [s for s in next_sessions(schedule_rule(settings), datetime.now(UTC), 8) if s.lang == args.lang]
        if not upcoming:
            raise ConfigError("geen komende sessie in deze taal gevonden", "geef --start op")
        start = upcoming[0].start
    with Studio(settings) as ctx:
        _banner(ctx.youtube)
        _print_status(broadcasts.create(ctx, args.topic, args.lang, start))
        print(f"  gepland: {start.astimezone(ZoneInfo(tz)):%Y-%m-%d %H:%M} ({tz})")
    return 0


def cmd_broadcast_list(args: argparse.Namespace, settings: Settings) -> int:
    with Studio(settings) as ctx:
        _banner(ctx.youtube)
        listed = broadcasts.list_on_youtube(ctx)
        if not listed:
            print("geen uitzendingen")
        for b, rec in listed:
            step = f"  [studio: {labels.broadcast_step(rec.step)}]" if rec else ""
            print(f"{b.broadcast_id}  {labels.youtube_lifecycle(b.lifecycle)}  {b.scheduled_start}  {b.title}{step}")
    return 0


def cmd_broadcast_golive(args: argparse.Namespace, settings: Settings) -> int:
    with Studio(settings) as ctx:
        _banner(ctx.youtube)
        _wait_obs(ctx)
        _print_status(broadcasts.go_live(ctx, args.id, _progress))
    return 0


def cmd_broadcast_end(args: argparse.Namespace, settings: Settings) -> int:
    with Studio(settings) as ctx:
        _banner(ctx.youtube)
        _wait_obs(ctx)
        _print_status(broadcasts.end(ctx, args.id, _progress))
    return 0


def cmd_broadcast_status(args: argparse.Namespace, settings: Settings) -> int:
    with Studio(settings) as ctx:
        _banner(ctx.youtube)
        _print_status(broadcasts.status(ctx, args.id))
    return 0


def cmd_schedule(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import date, datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from studio.domain import broadcast_texts as texts
    from studio.domain.schedule import sessions_for_months
    from studio.usecases.evening import schedule_rule

    tz = ZoneInfo(settings.schedule.timezone)
    try:
        start = date.fromisoformat(args.from_date) if args.from_date else datetime.now(tz).date()
    except ValueError:
        raise ConfigError(f"--from {args.from_date!r} is geen datum", "gebruik JJJJ-MM-DD") from None
    if not 1 <= args.months <= 36:
        raise ConfigError("--months moet tussen 1 en 36 liggen")
    sessions = sessions_for_months(schedule_rule(settings), start, args.months)
    links: dict[str, str] = {}
    if args.create:
        with Studio(settings) as ctx:
            _banner(ctx.youtube)
            made = broadcasts.create_for_sessions(ctx, sessions)
        for c in made:
            links[c.session.key] = f"https://www.youtube.com/watch?v={c.broadcast_id}"
            print(f"{'aangemaakt' if c.fresh else 'bestond al'}: {c.session.key}  {c.broadcast_id}")
        fresh = sum(c.fresh for c in made)
        print(f"{fresh} aangemaakt, {len(made) - fresh} bestonden al")
    if not args.create or args.announce or args.ics:
        for s in sessions:
            lang = "Nederlands" if s.lang == "nl" else "Arabisch"
            day = texts.format_date(s.start, "nl")
            print(f"{day:<28} {s.start:%H:%M} {s.start.tzname():<5} {lang:<10}  {s.topic}")
    if args.ics:
        path = broadcasts.write_calendar(Path(args.ics).expanduser(), sessions, links)
        print(f"agenda geschreven: {path} ({len(sessions)} sessies)")
    if args.announce:
        for s in sessions:
            link = links.get(s.key, texts.CHANNEL_URL + "/streams")
            for lang in (("nl",) if s.lang == "nl" else ("ar", "nl")):
                for platform in ("facebook", "instagram"):
                    print(f"\n--- {platform.capitalize()} · {s.key} · {lang} ---")
                    print(texts.announcement(platform, s.topic, s.start, lang, link))
    return 0


def cmd_quota(args: argparse.Namespace, settings: Settings) -> int:
    from studio.usecases import quota

    with Studio(settings) as ctx:
        v = quota.view(ctx)
    if v.rehearsal:
        print("OEFENMODUS — dit is het verbruik tegen de emulator, niet het echte YouTube-quotum")
    print(f"quotum vandaag ({v.usage.day}, Pacific-tijd); nieuw quotum om {v.reset_at:%H:%M} "
          f"({settings.schedule.timezone})")
    for line in v.lines():
        print(line)
    if v.warning:
        print(f"WAARSCHUWING: {'het verbruik' if v.over_now else 'de verwachting'} komt boven "
              f"{v.forecast.warn_ratio:.0%} van het dagquotum of past niet; beperk het chat-pollen of wacht op het "
              "nieuwe quotum")
        return 1
    return 0


# -- `studio emulator` (owner: emulator helper) ------------------------------------------------------------
def _register_emulator(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("emulator", help="start de lokale YouTube-emulator (oefenen zonder YouTube)")
    e.add_argument("--port", type=int, default=None, help="HTTP-poort (standaard [youtube] emulator_port; 0: vrij)")
    e.add_argument("--rtmp-port", type=int, default=0, help="RTMP-poort voor OBS (standaard: een vrije)")
    e.add_argument("--quota", type=int, default=None, help="dagquotum in eenheden (standaard [youtube] daily_quota)")
    e.add_argument("--announce", metavar="BESTAND",
                   help="schrijf adres en proces-id als JSON naar BESTAND zodra de emulator luistert "
                        "(zo vindt het paneel een gedeelde oefen-emulator terug)")
    e.set_defaults(func=cmd_emulator)


def cmd_emulator(args: argparse.Namespace, settings: Settings) -> int:
    import signal
    import threading

    from studio.youtube.emulator import start_emulator

    # Ctrl-C and SIGTERM stop it cleanly, also when it was started from a shell that ignores SIGINT for
    # background jobs (the ignore is inherited, and Python then never raises KeyboardInterrupt).
    def _stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)

    port = settings.youtube.emulator_port if args.port is None else args.port
    quota = settings.youtube.daily_quota if args.quota is None else args.quota
    if quota < 0:
        raise ConfigError(f"--quota {quota} is ongeldig", "gebruik 0 of meer eenheden, bijvoorbeeld 10000")
    for name, value in (("--port", port), ("--rtmp-port", args.rtmp_port)):
        if not 0 <= value <= 65535:
            raise ConfigError(f"{name} {value} is geen geldige poort", "kies 0 (vrij) of 1-65535")
    try:
        emu = start_emulator(port=port, rtmp_port=args.rtmp_port, quota_limit=quota)
    except OSError as exc:
        raise ConfigError(f"kan de emulator niet starten: {exc.strerror or exc}",
                          "kies een andere poort met --port / --rtmp-port") from None
    try:  # from here on Ctrl-C stops cleanly, even if it comes while the addresses are being printed
        print("YouTube-emulator draait (OEFENMODUS: er gaat niets naar YouTube)")
        print(f"  API-adres:   {emu.endpoint}   (STUDIO_YOUTUBE_ENDPOINT={emu.endpoint})")
        print(f"  RTMP-adres:  {emu.rtmp_url}   (OBS krijgt de streamsleutel van de studio)")
        print(f"  bediening:   {emu.endpoint}emulator/state")
        print(f"  dagquotum:   {quota} eenheden")
        print("Stoppen met Ctrl-C.", flush=True)
        if args.announce:
            from studio.youtube.rehearsal_emulator import announce

            announce(args.announce, emu)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("emulator gestopt")
    finally:
        emu.stop()
    return 0
