"""`studio scenes apply|switch|list` and `studio obs status` (issue 2).

Exit codes: 0 ok, 1 OBS refused or a conflict in OBS, 2 configuration (scenes file, settings, password).
Every control action goes into the audit log.
"""

from __future__ import annotations

import argparse
from typing import Any

from studio.errors import ConfigError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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


def _connect(settings: Any) -> Any:
    from studio.obs.client import ObsSupervisor
    from studio.obs.errors import ObsAuthFailed

    sup = ObsSupervisor.from_settings(settings.obs)
    try:
        sup.ensure_connected()
    except ObsAuthFailed as exc:  # a wrong password is configuration: exit code 2
        sup.close()
        raise ConfigError(exc.message, exc.hint) from None
    except BaseException:
        sup.close()
        raise
    return sup


def _audit(settings: Any, action: str, params: dict[str, Any], result: str) -> None:
    from studio.store import open_store

    store = open_store(settings)
    try:
        store.audit(action, params, result)
    finally:
        store.close()


def _apply(args: argparse.Namespace, settings: Any) -> int:
    from studio.obs.scenes import load_show, load_show_for
    from studio.obs.scenes_apply import apply, describe, plan

    if args.file:
        extra = [settings.obs.scenes_override] if settings.obs.scenes_override else []
        show = load_show(args.file, data_dir=settings.data_dir, overrides=[*extra, *args.override])
    else:
        show = load_show_for(settings, args.override)  # file errors before connecting: exit 2, fast
    sup = _connect(settings)
    try:
        p = plan(show, sup)
        for line in describe(p):
            print(line)
        if p.conflicts:
            print(f"niets aangepast: {len(p.conflicts)} conflict(en) met wat al in OBS staat")
            if not args.dry_run:
                _audit(settings, "scenes.apply", {"file": str(show.path)}, "conflict")
            return 1
        if not p.steps:
            print(f"niets te doen: OBS komt al overeen met {show.path.name}")
            return 0
        if args.dry_run:
            print(f"(proefdraai: {len(p.steps)} wijziging(en) niet uitgevoerd)")
            return 0
        try:
            apply(p, sup)
        except Exception as exc:
            _audit(settings, "scenes.apply", {"file": str(show.path)}, f"fout: {exc}")
            raise
        _audit(settings, "scenes.apply", {"file": str(show.path), "changes": len(p.steps)}, "ok")
        print(f"klaar: {len(p.steps)} wijziging(en) in OBS")
        return 0
    finally:
        sup.close()


def _switch(args: argparse.Namespace, settings: Any) -> int:
    import time

    from studio.obs.errors import ObsError

    sup = _connect(settings)
    try:
        scenes = sup.snapshot.scenes
        if args.name not in scenes:
            raise ConfigError(f"scène '{args.name}' bestaat niet in OBS",
                              f"bekende scènes: {', '.join(scenes) or '(geen)'}")
        try:
            sup.switch_scene(args.name)
        except ObsError as exc:
            _audit(settings, "scene.switch", {"scene": args.name}, f"fout: {exc}")
            raise
        # The program scene is what OBS reports (CurrentProgramSceneChanged), not what we asked for.
        deadline = time.monotonic() + 3.0
        while sup.snapshot.program_scene != args.name and time.monotonic() < deadline:
            time.sleep(0.02)
        now = sup.snapshot.program_scene
        _audit(settings, "scene.switch", {"scene": args.name}, "ok" if now == args.name else f"programma: {now}")
        print(f"programma: {now}")
        return 0 if now == args.name else 1
    finally:
        sup.close()


def _list(args: argparse.Namespace, settings: Any) -> int:
    sup = _connect(settings)
    try:
        snap = sup.snapshot
        for name in snap.scenes:
            print(f"{'*' if name == snap.program_scene else ' '} {name}")
        return 0
    finally:
        sup.close()


def _status(args: argparse.Namespace, settings: Any) -> int:
    sup = _connect(settings)
    try:
        snap, caps = sup.snapshot, sup.capabilities
        stats = sup.get_stats()
        print(f"OBS {caps.obs_version} (obs-websocket {caps.websocket_version}, {caps.platform}) "
              f"op {settings.obs.host}:{settings.obs.port}: {snap.connection.label}")
        print(f"programma: {snap.program_scene or '-'}")
        print(f"scènes:    {', '.join(snap.scenes) or '-'}")
        print("bronnen:")
        for info in snap.inputs.values():
            print(f"  {info.name} ({info.kind}){' [gedempt]' if info.muted else ''}")
        print(f"opname:    {'loopt ' + snap.record_timecode if snap.recording else 'uit'}")
        print(f"stream:    {'loopt ' + snap.stream_timecode if snap.streaming else 'uit'}")
        print(f"cpu {stats.cpu_usage:.1f}%, {stats.active_fps:.1f} fps, overgeslagen frames "
              f"{stats.render_skipped_frames}/{stats.render_total_frames} (render), "
              f"{stats.output_skipped_frames}/{stats.output_total_frames} (uitvoer)")
        return 0
    finally:
        sup.close()
