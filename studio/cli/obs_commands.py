"""`studio scenes apply|switch|list` and `studio obs status` (issue 2).

Exit codes: 0 ok, 1 OBS refused or a conflict in OBS, 2 configuration (scenes file, settings, password).
Every control action goes into the audit log.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from studio.domain.labels import input_kind
from studio.errors import ConfigError

if TYPE_CHECKING:
    from studio.config import Settings
    from studio.usecases.context import Studio


def register(sub: argparse._SubParsersAction) -> None:
    """Add this area's subcommands to `studio`."""
    sc = sub.add_parser("scenes", help="de scènes van de uitzending in OBS zetten en wisselen")
    what = sc.add_subparsers(dest="scenes_what", metavar="WAT", parser_class=type(sc))
    what.required = True

    a = what.add_parser("apply", help="maak OBS gelijk aan het scènebestand (maakt aan, corrigeert, wist nooit)")
    a.add_argument("--dry-run", action="store_true", help="toon alleen de verschillen, verander niets")
    a.add_argument("--file", metavar="TOML", help="ander scènebestand dan [obs] scenes_file")
    a.add_argument("--override", metavar="TOML", action="append", default=[],
                   help="vervang kind/settings van bronnen (oefenen zonder camera); mag vaker")
    a.set_defaults(func=_apply)

    s = what.add_parser("switch", help="zet een scène op het programma (live beeld)")
    s.add_argument("name", metavar="NAAM", help="naam van de scène")
    s.set_defaults(func=_switch)

    ls = what.add_parser("list", help="toon de scènes in OBS en welke het programma is")
    ls.set_defaults(func=_list)

    ob = sub.add_parser("obs", help="OBS-verbinding")
    ow = ob.add_subparsers(dest="obs_what", metavar="WAT", parser_class=type(ob))
    ow.required = True
    st = ow.add_parser("status", help="versies, programmascène, bronnen, opname en stream")
    st.set_defaults(func=_status)


def _connected(settings: Settings) -> Studio:
    """A Studio whose OBS is connected; a wrong password is configuration (exit code 2)."""
    from studio.obs.errors import ObsAuthFailed
    from studio.usecases.context import Studio

    ctx = Studio(settings)
    try:
        ctx.obs.ensure_connected()
    except ObsAuthFailed as exc:
        ctx.close()
        raise ConfigError(exc.message, exc.hint) from None
    except BaseException:
        ctx.close()
        raise
    return ctx


def _apply(args: argparse.Namespace, settings: Settings) -> int:
    from studio.usecases import scenes
    from studio.usecases.context import Studio

    with Studio(settings) as files_only:  # file errors before connecting: exit 2, fast
        show = scenes.load_show(files_only, args.file, args.override)
    with _connected(settings) as ctx:
        p = scenes.plan(ctx, show)
        for line in scenes.describe(p):
            print(line)
        if p.conflicts:
            print(f"niets aangepast: {len(p.conflicts)} conflict(en) met wat al in OBS staat")
            if not args.dry_run:
                ctx.store.audit("scenes.apply", {"file": str(show.path)}, "conflict")
            return 1
        if not p.steps:
            print(f"niets te doen: OBS komt al overeen met {show.path.name}")
            return 0
        if args.dry_run:
            print(f"(proefdraai: {len(p.steps)} wijziging(en) niet uitgevoerd)")
            return 0
        changes = scenes.apply(ctx, p)
        print(f"klaar: {changes} wijziging(en) in OBS")
        return 0


def _switch(args: argparse.Namespace, settings: Settings) -> int:
    from studio.usecases import studio_control

    with _connected(settings) as ctx:
        scene_names = ctx.obs.snapshot.scenes
        if args.name not in scene_names:
            raise ConfigError(f"scène '{args.name}' bestaat niet in OBS",
                              f"bekende scènes: {', '.join(scene_names) or '(geen)'}")
        now = studio_control.switch_scene_confirmed(ctx, args.name)
        print(f"programma: {now}")
        return 0 if now == args.name else 1


def _list(args: argparse.Namespace, settings: Settings) -> int:
    with _connected(settings) as ctx:
        snap = ctx.obs.snapshot
        for name in snap.scenes:
            print(f"{'*' if name == snap.program_scene else ' '} {name}")
        return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    with _connected(settings) as ctx:
        obs = ctx.obs
        snap, caps = obs.snapshot, obs.capabilities
        stats = obs.get_stats()
        print(f"OBS {caps.obs_version} (obs-websocket {caps.websocket_version}, {caps.platform}) "
              f"op {settings.obs.host}:{settings.obs.port}: {snap.connection.label}")
        print(f"programma: {snap.program_scene or '-'}")
        print(f"scènes:    {', '.join(snap.scenes) or '-'}")
        print("bronnen:")
        for info in snap.inputs.values():
            print(f"  {info.name} ({input_kind(info.kind)}){' [gedempt]' if info.muted else ''}")
        print(f"opname:    {'loopt ' + snap.record_timecode if snap.recording else 'uit'}")
        print(f"stream:    {'loopt ' + snap.stream_timecode if snap.streaming else 'uit'}")
        print(f"CPU {stats.cpu_usage:.1f}%, {stats.active_fps:.1f} beelden/s, overgeslagen beelden: "
              f"{stats.render_skipped_frames} van {stats.render_total_frames} (weergave), "
              f"{stats.output_skipped_frames} van {stats.output_total_frames} (uitvoer)")
        return 0
