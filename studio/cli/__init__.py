"""`studio`: the panel (no arguments) and its subcommands.

Each area registers its own subcommands in a module of this package (``studio/cli/<area>.py`` with a
``register(subparsers)`` function); handlers have the signature ``handler(args, settings) -> int``.
Heavy libraries are imported inside the handlers, so ``studio --help`` and the panel start fast.

Errors: a StudioError prints one line and exits with its code (2 for configuration and usage);
anything unexpected prints one line too, unless --debug asks for the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from studio import __version__
from studio.config import Settings
from studio.errors import ConfigError, StudioError

# The modules that add subcommands, in the order they appear in --help.
COMMAND_MODULES = (
    "studio.cli.obs_commands",
    "studio.cli.youtube_commands",
    "studio.cli.question_commands",
    "studio.cli.check_commands",
    "studio.cli.archive_commands",
    "studio.cli.show_commands",
    "studio.cli.scrub_commands",
    "studio.cli.models_commands",
)

Handler = Callable[[argparse.Namespace, Any], int]


# argparse's own messages (Python 3.11), in Dutch: every message argparse can give a user (its gettext
# strings); a message not listed here would stay English, so tests/unit/test_cli.py provokes each of them.
_ARGPARSE_NL = (
    (r"the following arguments are required: (.*)", r"ontbreekt: \1"),
    (r"one of the arguments (.*) is required", r"geef een van deze op: \1"),
    (r"unrecognized arguments: (.*)", r"onbekend: \1"),
    (r"argument (.*?): invalid int value: (.*)", r"\1: \2 is geen geheel getal"),
    (r"argument (.*?): invalid float value: (.*)", r"\1: \2 is geen getal"),
    (r"argument (.*?): invalid choice: (.*) \(choose from (.*)\)", r"\1: \2 bestaat niet; kies uit \3"),
    (r"argument (.*?): invalid (.*) value: (.*)", r"\1: \3 is ongeldig"),
    (r"argument (.*?): expected one argument", r"\1 verwacht een waarde"),
    (r"argument (.*?): expected at least one argument", r"\1 verwacht minstens één waarde"),
    (r"argument (.*?): expected at most one argument", r"\1 verwacht hoogstens één waarde"),
    (r"argument (.*?): expected (\d+) arguments?", r"\1 verwacht \2 waarden"),
    (r"argument (.*?): not allowed with argument (.*)", r"\1 kan niet samen met \2"),
    (r"argument (.*?): ignored explicit argument (.*)", r"\1 neemt geen waarde (\2)"),
    (r"argument (.*?): can't open (.*?): (.*)", r"\1: \2 kan niet worden geopend (\3)"),
    (r"ambiguous option: (.*) could match (.*)", r"\1 is dubbelzinnig: \2"),
    (r"unexpected option string: (.*)", r"onverwachte optie: \1"),
)


# Placeholders of options whose name is English ('--port PORT' would be half English).
_METAVARS = {"port": "POORT", "rtmp_port": "POORT", "topic": "ONDERWERP", "months": "MAANDEN", "quota": "EENHEDEN",
             "text": "TEKST", "speed": "SNELHEID", "announce": "BESTAND", "out": "BESTAND", "config": "BESTAND",
             "session": "SESSIE", "lang": "TAAL", "minutes": "MINUTEN"}


def _dutch(message: str) -> str:
    import re

    for pattern, replacement in _ARGPARSE_NL:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _DutchHelpFormatter(argparse.HelpFormatter):
    """argparse's help with 'gebruik:' instead of 'usage:' (its other words are set by ``_Parser``)."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


# YouTube's ids are 11 characters of A-Z, a-z, 0-9, "_" and "-", and some start with "-": argparse would take
# `studio broadcast golive -kK8mYyD2xQ` for an unknown option. Such a word is an id unless it names an option.
_DASH_ID = re.compile(r"-[A-Za-z0-9_][A-Za-z0-9_-]{9}")


class _Parser(argparse.ArgumentParser):
    """argparse in Dutch: the help ('gebruik:', 'argumenten', 'opties', its own -h) and usage errors as one
    Dutch line with exit code 2. Every parser and subparser of `studio` is one of these."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _DutchHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # our own -h, with a Dutch line
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="toon deze hulp en stop")

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """An option's placeholder in the help is Dutch too (argparse would write the option's name: SPEED)."""
        takes_value = kwargs.get("action") in (None, "store", "append")
        if "metavar" not in kwargs and takes_value and "choices" not in kwargs and args and str(args[0]).startswith("-"):
            dest = kwargs.get("dest") or max(args, key=len).lstrip("-").replace("-", "_")
            if dest in _METAVARS:
                kwargs["metavar"] = _METAVARS[dest]
        return super().add_argument(*args, **kwargs)

    def _parse_optional(self, arg_string: str) -> Any:
        if _DASH_ID.fullmatch(arg_string) and not any(o.startswith(arg_string) for o in self._option_string_actions):
            return None  # a positional argument: a YouTube id that starts with "-"
        return super()._parse_optional(arg_string)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(f"{self.prog}: {_dutch(message)}", f"zie '{self.prog} --help'")


def build_parser() -> argparse.ArgumentParser:
    from studio.config import default_config_file

    parser = _Parser(
        prog="studio",
        description=(
            "Studiopaneel voor het digitaal wijkspreekuur Heerlen. Zonder subcommando start het paneel."
        ),
        epilog=f"Configuratie: --config, anders $STUDIO_CONFIG, anders {default_config_file()}",
    )
    parser.add_argument("--version", action="version", version=f"studio {__version__}",
                        help="toon het versienummer en stop")
    parser.add_argument("--config", metavar="BESTAND", help="configuratiebestand (TOML)")
    parser.add_argument("--debug", action="store_true", help="toon bij een fout de volledige traceback")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDO", parser_class=_Parser)
    panel = sub.add_parser("panel", help="start het paneel (hetzelfde als 'studio' zonder commando)")
    panel.set_defaults(func=_run_panel)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _run_panel(args: argparse.Namespace, settings: Settings) -> int:
    from studio.tui import graphics

    graphics.start_detection()  # the terminal answers while Textual is being imported
    from studio.tui.app import run_panel

    return run_panel(settings, debug=args.debug)


def _private_and_printable() -> None:
    """Files the studio makes are its user's only (0600, folders 0700: chat text, the audit, reports,
    recordings' sidecars), and a name that is not UTF-8 never stops a line from being printed."""
    import contextlib
    import os

    if hasattr(os, "umask"):
        os.umask(0o077)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if callable(reconfigure):
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change (a test's capture)
                reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    _private_and_printable()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        from studio.config import load_settings

        settings = load_settings(args.config)
        func: Handler = getattr(args, "func", _run_panel)
        return int(func(args, settings) or 0)
    except StudioError as exc:
        if debug:
            raise
        print(f"fout: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("afgebroken", file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        print(
            f"onverwachte fout: {type(exc).__name__}: {exc} (start opnieuw met --debug voor details)",
            file=sys.stderr,
        )
        return 1
