"""`studio` itself: version, help with every subcommand, one-line errors and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from studio.cli import COMMAND_MODULES, build_parser, main


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True, env=env,
                          timeout=60)


def test_version():
    from studio import __version__

    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"studio {__version__}"


def test_help_lists_every_subcommand():
    out = run("--help")
    assert out.returncode == 0
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert len(COMMAND_MODULES) >= 6
    for name in sub.choices:
        assert name in out.stdout


def test_unknown_option_is_one_line_and_exit_2(capsys):
    assert main(["--bogus"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and err.count("\n") == 1 and "Traceback" not in err


def test_broken_config_file_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[obs\n")
    assert main(["--config", str(bad), "panel"]) == 2
    err = capsys.readouterr().err
    assert "geen geldige TOML" in err and "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[obs\n")
    with pytest.raises(Exception, match="TOML"):
        main(["--debug", "--config", str(bad), "panel"])


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["scenes"], "studio scenes: ontbreekt: WAT"),
        (["quota", "extra"], "studio: onbekend: extra"),
        (["archive", "show", "abc"], "ID: 'abc' is geen geheel getal"),
        (["check", "audio", "--seconds", "x"], "--seconds: 'x' is geen getal"),
        (["doctor", "--only", "foo"], "'foo' bestaat niet; kies uit 'audio'"),
        (["archive", "add", "--session"], "--session verwacht een waarde"),
        (["check", "camera", "--device", "1", "--file", "x"], "--file kan niet samen met --device"),
    ],
)
def test_usage_errors_are_dutch(argv, words, capsys):
    # argparse's own English ("the following arguments are required") used to reach the user untranslated.
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and words in err and err.count("\n") == 1, err


def _every_help() -> dict[str, str]:
    """The --help of `studio` and of every subcommand, however deep."""
    import argparse

    out: dict[str, str] = {}

    def walk(parser: argparse.ArgumentParser, name: str) -> None:
        out[name] = parser.format_help()
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub_name, sub in action.choices.items():
                    walk(sub, f"{name} {sub_name}")

    walk(build_parser(), "studio")
    return out


# argparse's own English, and the placeholders it makes from English option names
ENGLISH = ("usage:", "options:", "positional arguments", "show this help message", "show program's version",
           "FILE", "PORT", "TOPIC", "TEXT", "SPEED", "QUOTA", "MONTHS", "units")


def test_every_help_is_dutch():
    helps = _every_help()
    assert len(helps) > 30
    for name, text in helps.items():
        assert text.startswith("gebruik: "), name
        found = [w for w in ENGLISH if w in text]
        assert not found, f"{name}: {found}"
        assert "toon deze hulp en stop" in text, name


def test_help_through_the_command_line_is_dutch():
    out = run("rehearse", "--help")
    assert out.returncode == 0 and out.stdout.startswith("gebruik: studio rehearse")
    assert "opties:" in out.stdout and "options" not in out.stdout
    assert "toon het versienummer en stop" in run("--help").stdout


@pytest.mark.parametrize(("message", "dutch"), [
    ("argument --x: expected at least one argument", "--x verwacht minstens één waarde"),
    ("argument --x: expected 2 arguments", "--x verwacht 2 waarden"),
    ("argument --x: invalid parse_hhmm value: 'zeven'", "--x: 'zeven' is ongeldig"),
    ("argument --x: can't open 'a.txt': [Errno 2] No such file", "--x: 'a.txt' kan niet worden geopend"),
])
def test_other_argparse_messages_are_dutch(message, dutch):
    from studio.cli import _dutch

    assert _dutch(message).startswith(dutch)


@pytest.mark.parametrize("command", ["golive", "end", "status"])
def test_a_youtube_id_that_starts_with_a_dash_is_an_id(command):
    """YouTube's ids may start with "-"; argparse alone took one for an unknown option."""
    args = build_parser().parse_args(["broadcast", command, "-kK8mYyD2xQ"])
    assert args.id == "-kK8mYyD2xQ"
    assert build_parser().parse_args(["broadcast", command, "--", "--K8mYyD2xQ"]).id == "--K8mYyD2xQ"


def test_an_option_is_still_an_option(capsys):
    assert build_parser().parse_args(["broadcast", "create", "--topic", "inbraak"]).topic == "inbraak"
    assert main(["broadcast", "golive", "-x"]) == 2  # too short for an id: still an (unknown) option
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and "Traceback" not in err
