"""Archive subcommands: `studio archive add|list|show|verify|process|caption|prune`, `studio publish`,
`studio report`.

See studio/cli/__init__.py for the conventions. Every handler calls the archive use cases
(studio.usecases.archive), the same functions the Archief screen calls; ffmpeg, OpenCV and googleapiclient
are imported only when a handler runs. Progress bars go to stderr (stdout stays clean for scripts).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path
from typing import TextIO

from studio.config import Settings
from studio.domain import labels
from studio.errors import ConfigError
from studio.usecases import archive
from studio.usecases.context import Studio


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands to `studio`."""
    a = sub.add_parser("archive", help="het archief van opnamen: toevoegen, tonen, controleren, verwerken")
    asub = a.add_subparsers(dest="archive_command", metavar="ACTIE", required=True)
    p = asub.add_parser("add", help="neem een opname op in het archief (bv. na een crash gevonden)")
    p.add_argument("files", nargs="+", metavar="BESTAND", help="opnamebestand(en); gesplitste delen in volgorde")
    p.add_argument("--session", metavar="ID", help="sessie, bv. 2026-11-24-nl")
    p.add_argument("--topic", help="onderwerp (standaard: dat van de sessie)")
    p.add_argument("--lang", choices=("nl", "ar"), help="taal (standaard: die van de sessie)")
    p.set_defaults(func=cmd_add)
    p = asub.add_parser("list", help="toon alle opnamen met hun status")
    p.set_defaults(func=cmd_list)
    p = asub.add_parser("show", help="alles over één opname (en zoeken in wat er gezegd is)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--zoek", metavar="WOORDEN", help="toon de ondertitels met al deze woorden, met hun tijd")
    p.set_defaults(func=cmd_show)
    p = asub.add_parser("verify", help="controleer controlesommen en leesbaarheid van een opname")
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(func=cmd_verify)
    p = asub.add_parser("process", help="controleer, knip voor- en naprogramma af en zet om naar MP4")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--allow-silent", action="store_true", help="verwerk ook als het geluid stil is")
    p.set_defaults(func=cmd_process)
    p = asub.add_parser("caption", help="maak nu de ondertitels (WebVTT, SRT en uitgeschreven tekst) van een opname",
                        description="Hoort de opname in de taal van de sessie, maakt ondertitels, markeert wat eerst "
                        "nagekeken moet worden en zet de bestanden naast de opname. Niet terwijl een sessie bezig "
                        "is (dat kost OBS rekenkracht): dan komt de opname in de wachtrij van het paneel.")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--opnieuw", action="store_true",
                   help="ook als er al nagekeken of verbeterde ondertitels zijn (dat werk gaat verloren)")
    p.add_argument("--zonder-taalcontrole", action="store_true",
                   help="niet eerst controleren of er de taal van de sessie gesproken wordt")
    p.set_defaults(func=cmd_caption)
    p = asub.add_parser("prune", help="ruim opnamen op waarvan de bewaartermijn voorbij is")
    p.add_argument("--dry-run", action="store_true", help="toon alleen wat weg zou gaan")
    p.set_defaults(func=cmd_prune)

    p = sub.add_parser("publish", help="publiceer een opname op YouTube (titel, hoofdstukken, miniatuur)")
    p.add_argument("id", type=int, metavar="ID", help="archiefnummer (zie 'studio archive list')")
    p.add_argument("--mode", choices=("update", "upload"), help="update: de opname van de uitzending; "
                   "upload: het verwerkte bestand uploaden (standaard: [youtube] publish_mode)")
    p.add_argument("--yes", "-y", action="store_true", help="niet om bevestiging vragen")
    p.add_argument("--unreviewed", "--niet-nagekeken", dest="unreviewed", action="store_true",
                   help="publiceer ook als de ondertitels nog niet nagekeken (of nog niet gemaakt) zijn; "
                   "het sessieverslag vermeldt dat")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser("report", help="sessieverslag (Markdown en CSV): vragen, doorgestuurd, zendtijd")
    p.add_argument("session", metavar="SESSIE", help="sessie, bv. 2026-11-24-nl")
    p.add_argument("--out", metavar="MAP", help="map voor de bestanden (standaard: <datamap>/verslagen)")
    p.set_defaults(func=cmd_report)


# -- helpers ---------------------------------------------------------------------------------------------
class ProgressBar:
    """A one-line bar on stderr; plain lines when stderr is not a terminal (logs, CI)."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = self.stream.isatty()
        self._last_label = ""
        self._last_pct = -1
        self._started = time.monotonic()

    def __call__(self, fraction: float, label: str) -> None:
        pct = int(max(0.0, min(1.0, fraction)) * 100)
        if self.tty:
            cols = shutil.get_terminal_size((80, 20)).columns
            filled = int(self.width * pct / 100)
            line = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {pct:3d}% {label}"
            self.stream.write(line[: cols - 1].ljust(min(cols - 1, 70)))
            self.stream.flush()
        elif label != self._last_label or pct >= self._last_pct + 10:
            self.stream.write(f"{pct:3d}% {label}\n")
            self._last_pct = pct
        self._last_label = label

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()


# -- handlers ----------------------------------------------------------------------------------------------
def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    with Studio(settings) as ctx:
        entry = archive.add(ctx, args.files, args.session, topic=args.topic, lang=args.lang)
    note = " (afgebroken opname: alleen het leesbare deel telt)" if entry.truncated else ""
    print(f"archiefnummer {entry.id}: {labels.file_name(entry.original_path)}, {labels.duration(entry.duration)}, "
          f"{labels.size(entry.size)}{note}")
    print(f"sha256 {entry.sha256}")
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    with Studio(settings) as ctx:
        entries = archive.entries(ctx)
    if not entries:
        print("het archief is leeg ('studio archive add BESTAND' neemt een opname op)")
        return 0
    print(f"{'nr':>4}  {'datum':10}  {'sessie':16}  {'duur':>8}  {'grootte':>9}  status")
    for e in entries:
        print(f"{e.id:>4}  {e.session_date:10}  {(e.session_id or '—')[:16]:16}  {labels.duration(e.duration):>8}  "
              f"{labels.size(e.size):>9}  {labels.archive_state(e.state, e.truncated)}")
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    with Studio(settings) as ctx:
        d = archive.details(ctx, args.id)
        captions = archive.caption_state(ctx, args.id)
        hits = archive.search_captions(ctx, args.zoek, args.id) if args.zoek else None
    e = d.entry
    rows = [
        ("archiefnummer", str(e.id)), ("sessie", e.session_id or "—"), ("datum", e.session_date),
        ("onderwerp", e.topic or "—"), ("taal", e.lang), ("titel", e.title),
        ("status", labels.archive_state(e.state)), ("melding", e.error or "—"),
        ("duur", labels.duration(e.duration) + (" (afgebroken opname)" if e.truncated else "")),
        ("grootte", labels.size(e.size)), ("sha256", e.sha256),
    ]
    rows += [(f"bron {s.seq + 1}", f"{labels.shown(s.path)} ({labels.size(s.size)})") for s in e.sources]
    if e.original_pruned_at:
        rows.append(("origineel", "opgeruimd " + time.strftime("%Y-%m-%d", time.localtime(e.original_pruned_at))))
    if e.processed_path:
        rows += [("verwerkt", labels.shown(e.processed_path)), ("verwerkt duur", labels.duration(e.processed_duration)),
                 ("verwerkt sha256", e.processed_sha256 or "—"),
                 ("ingekort", f"{e.trim_start or 0:.1f} s tot {e.trim_end or 0:.1f} s")]
    if e.thumbnail_path:
        rows.append(("miniatuur", labels.shown(e.thumbnail_path)))
    if e.video_id:
        rows.append(("YouTube-video", e.video_id))
    if d.steps:
        rows.append(("publicatiestappen", ", ".join(d.steps)))
    if d.upload_confirmed is not None and d.upload_size is not None and d.upload_confirmed < d.upload_size:
        rows.append(("upload", f"{labels.size(d.upload_confirmed)} van {labels.size(d.upload_size)} (gaat verder)"))
    rows.append(("ondertitels", captions.line.removeprefix("Ondertitels").lstrip(" :")))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    if hits is not None:
        print()
        if not hits:
            print(f"niets gevonden voor '{args.zoek}' in wat er gezegd is"
                  + ("" if captions.track else " (er zijn nog geen ondertitels)"))
        for h in hits:
            print(f"{labels.clock(h.start)}  ({h.lang})  {h.text}")
    return 0


def cmd_verify(args: argparse.Namespace, settings: Settings) -> int:
    with Studio(settings) as ctx:
        checks = archive.verify(ctx, args.id)
    if not checks:
        print("geen bestanden meer om te controleren (opgeruimd)")
        return 0
    for c in checks:
        print(f"{'OK  ' if c.ok else 'FOUT'}  {c.role:9}  {labels.file_name(c.path)}: {c.detail}")
    return 0 if all(c.ok for c in checks) else 1


def cmd_process(args: argparse.Namespace, settings: Settings) -> int:
    bar = ProgressBar()
    try:
        with Studio(settings) as ctx:
            result = archive.process(ctx, args.id, progress=bar, allow_silent=args.allow_silent)
    finally:
        bar.done()
    e = result.entry
    print(f"verwerkt: {e.processed_path}")
    print(f"duur {labels.duration(e.processed_duration)} ({result.cut.reason}), {labels.size(e.processed_size)}, "
          f"sha256 {e.processed_sha256}")
    for w in result.warnings:
        print(f"let op: {w}")
    print("het origineel is bewaard en ongewijzigd")
    return 0


def cmd_caption(args: argparse.Namespace, settings: Settings) -> int:
    bar = ProgressBar()
    try:
        with Studio(settings) as ctx:
            made = archive.caption(ctx, args.id, progress=bar, check_language=not args.zonder_taalcontrole,
                                   again=args.opnieuw)
    finally:
        bar.done()
    print(archive.caption_summary(made))
    for path in made.files:
        print(f"  {path}")
    if made.to_check:
        print("kijk ze na in het paneel (Archief, o) voordat ze gepubliceerd worden")
    return 0


def cmd_prune(args: argparse.Namespace, settings: Settings) -> int:
    with Studio(settings) as ctx:
        done, kept = archive.prune(ctx, dry_run=args.dry_run)
    verb = "zou weggaan" if args.dry_run else "verwijderd"
    for d in done:
        for p in d.paths:
            print(f"{verb}: #{d.entry_id} {d.kind} {labels.shown(p)} ({labels.size(d.size)}; {d.reason})")
    for k in kept:
        print(f"bewaard: #{k.entry_id} {k.reason}")
    total = sum(d.size for d in done)
    print(f"{len(done)} bestand(en), {labels.size(total)} {verb}" if done else "niets om op te ruimen")
    return 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from studio.youtube.publish import PublishPlan

    bar = ProgressBar()
    try:
        with Studio(settings, shared_emulator=False) as ctx:  # rehearsal: an emulator for this command only
            service = ctx.youtube
            if service.rehearsal:
                print(f"OEFENMODUS — er gaat niets naar YouTube (de emulator op {service.endpoint})")

            def confirm(plan: PublishPlan) -> bool:
                if not plan.todo:
                    print("alles is al gepubliceerd; niets meer te doen")
                    return True
                for line in archive.describe_plan(plan):
                    print(line)
                if not plan.fits:
                    raise ConfigError("het YouTube-quotum van vandaag is hiervoor niet genoeg",
                                      "probeer het na middernacht (Pacific-tijd) opnieuw")
                if args.yes or not sys.stdin.isatty():
                    return True
                return input("doorgaan? [j/N] ").strip().lower() in ("j", "ja", "y", "yes")

            result = archive.publish(ctx, args.id, args.mode, progress=bar, confirm=confirm,
                                     unreviewed=args.unreviewed)
    finally:
        bar.done()
    print(f"gepubliceerd: video {result.video_id}" + (f" (al gedaan: {', '.join(result.skipped)})"
                                                      if result.skipped else ""))
    if "captions" in result.steps_done:
        print("ondertitels staan bij de video" + (" (niet nagekeken: --unreviewed)" if args.unreviewed else ""))
    return 0


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    folder = Path(args.out).expanduser() if args.out else None
    with Studio(settings) as ctx:
        md, csv_path = archive.write_report(ctx, args.session, folder)
    print(f"verslag: {md}")
    print(f"tabel:   {csv_path}")
    return 0
