"""`studio schedule --create/--ics/--announce`, `studio broadcast create/list`, `studio quota` against the emulator."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from studio.cli import main


@pytest.fixture
def cli_env(youtube_settings, monkeypatch):
    monkeypatch.setenv("STUDIO_DATA_DIR", str(youtube_settings.data_dir))
    return youtube_settings


def test_schedule_create_is_idempotent(cli_env, emulator, capsys, tmp_path):
    start = (date.today() + timedelta(days=30)).isoformat()
    assert main(["schedule", "--from", start, "--months", "3", "--create"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OEFENMODUS")
    made = len(emulator.control.state()["broadcasts"])
    assert made >= 6 and f"{made} aangemaakt, 0 bestonden al" in out
    titles = [b["title"] for b in emulator.control.state()["broadcasts"].values()]
    assert any("لقاء الحي الرقمي" in t for t in titles) and any("Digitaal wijkspreekuur" in t for t in titles)
    quota = emulator.control.quota_used()
    assert main(["schedule", "--from", start, "--months", "3", "--create"]) == 0
    out = capsys.readouterr().out
    assert f"0 aangemaakt, {made} bestonden al" in out
    assert len(emulator.control.state()["broadcasts"]) == made
    assert emulator.control.quota_used() - quota <= made  # only cheap look-ups the second time


def test_schedule_ics_and_announce(cli_env, capsys, tmp_path):
    ics = tmp_path / "wijkspreekuur.ics"
    assert main(["schedule", "--from", "2026-03-01", "--months", "2", "--ics", str(ics), "--announce"]) == 0
    out = capsys.readouterr().out
    assert "dinsdag 3 maart 2026" in out and "Arabisch" in out
    assert "--- Facebook · 2026-03-03-ar · ar ---" in out and "--- Instagram · 2026-03-03-ar · nl ---" in out
    assert "الثلاثاء 3 مارس 2026" in out
    data = ics.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.count(b"BEGIN:VEVENT") == 6
    assert b"UID:2026-03-03-ar@wijkspreekuur.heerlen.nl" in data.replace(b"\r\n ", b"")


def test_schedule_ics_onto_a_folder_is_one_line_and_leaves_nothing(cli_env, capsys, tmp_path):
    folder = tmp_path / "agenda"
    folder.mkdir()
    assert main(["schedule", "--from", "2026-03-01", "--months", "1", "--ics", str(folder)]) == 2
    assert capsys.readouterr().err.startswith(f"fout: kan {folder} niet schrijven")
    assert sorted(p.name for p in tmp_path.iterdir() if "agenda" in p.name) == ["agenda"]  # no agenda.tmp


def test_broadcast_create_list_and_usage_errors(cli_env, emulator, capsys):
    assert main(["broadcast", "create", "--topic", "oplichting", "--lang", "ar",
                 "--start", (date.today() + timedelta(days=3)).isoformat() + "T20:00"]) == 0
    out = capsys.readouterr().out
    bid = next(iter(emulator.control.state()["broadcasts"]))
    assert bid in out and "aangemaakt" in out and "created" not in out and "الاحتيال" in out
    assert main(["broadcast", "list"]) == 0
    assert bid in capsys.readouterr().out
    assert main(["broadcast", "create", "--topic", "x", "--start", "gisteren"]) == 2
    assert "geen geldige tijd" in capsys.readouterr().err
    for empty in ("", "  ", "<>"):  # used to make a broadcast titled "...Heerlen:  (datum)"
        assert main(["broadcast", "create", "--topic", empty, "--start", "2026-12-01T19:00"]) == 2
        assert "fout: het onderwerp is leeg" in capsys.readouterr().err
    assert len(emulator.control.state()["broadcasts"]) == 1
    assert main(["broadcast", "golive", "bestaatniet"]) != 0
    err = capsys.readouterr().err
    assert err.startswith("fout:") and "Traceback" not in err


def test_quota_command_shows_use_and_warns(cli_env, emulator, capsys, monkeypatch):
    assert main(["broadcast", "create", "--topic", "inbraak", "--start",
                 (date.today() + timedelta(days=3)).isoformat() + "T19:00"]) == 0
    capsys.readouterr()
    assert main(["quota"]) == 0
    out = capsys.readouterr().out
    assert "OEFENMODUS" in out and "liveBroadcasts.insert" in out and "van 10000 eenheden" in out
    monkeypatch.setenv("STUDIO_YOUTUBE_DAILY_QUOTA", "2")  # an insert costs 1 unit now: 1+ of 2 is above 80 %
    assert main(["quota"]) == 1
    assert "WAARSCHUWING" in capsys.readouterr().out


def test_a_topic_with_a_name_or_address_makes_no_broadcast(cli_env, emulator, capsys):
    """The topic goes into a public title and description that stay online for years: the privacy filter
    looks at it first, and the error shows it as it would have to read, never the detail itself."""
    start = (date.today() + timedelta(days=3)).isoformat() + "T19:00"
    for topic in ("inbraak bij Piet Jansen", "overlast Kerkstraat 12"):
        assert main(["broadcast", "create", "--topic", topic, "--start", start]) == 1
        err = capsys.readouterr().err
        assert err.startswith("fout: het onderwerp '") and "geen uitzending gemaakt" in err, err
        assert "Jansen" not in err and "Kerkstraat 12" not in err and err.count("\n") == 1
    assert emulator.control.state()["broadcasts"] == {}
    assert main(["broadcast", "create", "--topic", "woninginbraak in Heerlen-Noord", "--start", start]) == 0
    assert len(emulator.control.state()["broadcasts"]) == 1
