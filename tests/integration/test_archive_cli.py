"""The archive commands as staff use them (`studio archive ...`, `studio report`), plus retention and report."""

from __future__ import annotations

import csv
import io
import time

import pytest

from studio.cli import main
from studio.store import archive as repo
from studio.store import session as sessions
from studio.usecases.archive import catalog, report, retention, thumbnail


@pytest.fixture
def cli_env(settings, monkeypatch):
    monkeypatch.setenv("STUDIO_DATA_DIR", str(settings.data_dir))
    return settings


def test_cli_add_list_process_verify(cli_env, recording, truncated_recording, capsys):
    assert main(["archive", "add", str(recording), "--session", "2026-11-24-nl", "--topic", "inbraak"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("archiefnummer 1: ") and "sha256 " in out
    assert main(["archive", "add", str(truncated_recording)]) == 0
    assert "afgebroken opname" in capsys.readouterr().out
    assert main(["archive", "list"]) == 0
    listing = capsys.readouterr().out
    assert "2026-11-24-nl" in listing and "gearchiveerd (afgebroken)" in listing
    assert main(["archive", "process", "1"]) == 0
    captured = capsys.readouterr()
    assert "verwerkt: " in captured.out and "100% klaar" in captured.err  # the progress goes to stderr
    assert main(["archive", "verify", "1"]) == 0
    assert capsys.readouterr().out.count("OK  ") == 2
    recording.write_bytes(recording.read_bytes()[:-10] + b"0123456789")  # tampered evidence
    assert main(["archive", "verify", "1"]) == 1
    assert "FOUT  origineel" in capsys.readouterr().out


def test_cli_errors_are_one_line(cli_env, tmp_path, capsys):
    bad = tmp_path / "foto.mkv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 500)
    assert main(["archive", "add", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("fout: foto.mkv bevat geen videobeeld") and "\n" not in err and "Traceback" not in err
    assert main(["archive", "show", "42"]) == 2
    assert "archiefnummer 42 bestaat niet" in capsys.readouterr().err
    assert main(["archive", "add", str(tmp_path / "weg.mkv")]) == 1
    assert "bestaat niet" in capsys.readouterr().err
    assert main(["archive", "add", str(tmp_path)]) == 1  # a folder is not "missing"
    assert f"fout: {tmp_path} is een map, geen opnamebestand" in capsys.readouterr().err


def test_retention_never_prunes_what_an_unpublished_entry_needs(store, recording, tmp_path):
    entry = catalog.add_recording(store, [recording])
    from studio.usecases.archive import processing as process

    entry = process.process(store, entry.id).entry
    later = time.time() + 400 * 86_400
    due, kept = retention.plan(store, 365, 90, now=later)
    assert due == [] and [k.entry_id for k in kept] == [entry.id]
    assert retention.prune(store, 365, 90, now=later) == []
    assert recording.exists() and entry.processed_path and (tmp_path / "opnames").exists()
    catalog.update(store, entry.id, state="published", published_at=time.time(), video_id="abc")
    assert retention.prune(store, 365, 90, dry_run=True, now=time.time() + 30 * 86_400) == []
    dry = retention.prune(store, 365, 90, dry_run=True, now=later)
    assert sorted(d.kind for d in dry) == ["origineel", "verwerkt"] and recording.exists()  # dry: nothing gone
    done = retention.prune(store, 365, 90, now=later)
    assert len(done) == 2 and not recording.exists()
    e = repo.get_entry(store, entry.id)
    assert e.original_pruned_at and e.processed_pruned_at and e.sha256  # the catalogue remembers
    assert catalog.read_sidecar(recording)["original_pruned_at"]


def test_report_is_anonymised_and_defused(store, recording, tmp_path, publication_scrub):
    from studio.domain.questions import Source
    from studio.store.questions import QuestionBook

    sessions.ensure_session(store, "2026-11-24-nl", "nl", "inbraak", "2026-11-24T19:00:00+01:00", False, "scenes")
    t0 = time.time()
    sessions.update_session(store, "2026-11-24-nl", live_since=t0 + 5, record_started_at=t0)
    store.execute("UPDATE show_sessions SET starts_at = ? WHERE session_id = ?",
                  (time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(t0)), "2026-11-24-nl"))
    book = QuestionBook(store)
    q1 = book.add_manual("Bel mij op 06-12345678 over mijn fiets", Source.PHONE, session_id="2026-11-24-nl")
    q2 = book.add_manual("=HYPERLINK(\"http://x\") | **vet** <script>", Source.PHONE, session_id="2026-11-24-nl")
    book.add_manual("Vraag van een andere sessie", Source.PHONE, session_id="2026-11-24-ar")  # not counted here
    book.forward(q1.id, "Graag terugbellen, zie melding [link](x)")
    repo.add_mark(store, "2026-11-24-nl", t0 + 30, "incident", "stream onderbroken", "3 s geen beeld")
    repo.add_mark(store, "2026-11-24-nl", t0 + 600, "scene", "Einde")
    catalog.add_recording(store, [recording], "2026-11-24-nl", record_started_at=t0)
    md, cs = report.write(store, "2026-11-24-nl", tmp_path / "verslagen", publication_scrub)
    text = md.read_text()
    assert "06-12345678" not in text and "Doorgestuurd naar collega" in text
    assert "Graag terugbellen" in text and "\\[link\\]" in text and "stream onderbroken" in text
    assert "Zendtijd: 0:09:55" in text
    assert "Er zijn 2 vragen gesteld" in text and "doorgestuurd naar een collega (met notitie): 1" in text
    assert "\\|" in text and "\\*\\*vet\\*\\*" in text and "\\<script\\>" in text  # hostile text is inert
    assert "# Sessieverslag 2026-11-24-nl" in text and "2026\\-" not in text  # our own words stay unescaped
    assert "(gearchiveerd)" in text and "(archived)" not in text  # Dutch, never the state's English name
    assert q1.id not in text and q2.id not in text  # no database ids
    rows = list(csv.DictReader(io.StringIO(cs.read_text())))
    assert len(rows) == 2 and {r["status"] for r in rows} == {"doorgestuurd", "nieuw"}
    assert all(not r["vraag"].startswith("=") for r in rows)
    assert "06-12345678" not in cs.read_text()


def test_thumbnail_skips_black_frames_and_fits_youtube(tmp_path):
    import subprocess

    from PIL import Image

    video = tmp_path / "zwart-dan-beeld.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:size=640x360:rate=10:d=6",
                    "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=10:d=6", "-filter_complex",
                    "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast",
                    str(video)], check=True, timeout=60)
    out, score = thumbnail.make_thumbnail(video, tmp_path / "m.jpg", "لقاء الحي الرقمي: السرقة", None, "ar",
                                          duration=12)
    assert score.at > 6 and score.brightness > 35  # from the picture half, not the black half
    with Image.open(out) as img:
        assert img.format == "JPEG" and img.size == (1280, 720)
    assert out.stat().st_size < 2 * 1024 * 1024


def test_cli_report_to_an_unwritable_place_is_one_line(cli_env, recording, tmp_path, capsys):
    assert main(["archive", "add", str(recording), "--session", "2026-11-24-nl"]) == 0
    capsys.readouterr()
    a_file = tmp_path / "geen-map"
    a_file.write_text("x")
    for out in (a_file, a_file / "sub"):  # a file where the folder should be; a folder under a file
        assert main(["report", "2026-11-24-nl", "--out", str(out)]) == 1
        err = capsys.readouterr().err.strip()
        assert err.startswith("fout: kan het verslag niet schrijven") and "\n" not in err, err
    assert a_file.read_text() == "x"
