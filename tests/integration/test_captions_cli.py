"""Issue 14's Done-when, as staff do it: `studio archive caption ID` on a recording of the rehearsal (the
rehearsal's sentences spoken by espeak-ng, recorded by ffmpeg like OBS records) makes WebVTT and SRT, the review
marks what to check, `studio publish` waits for the review and then adds the track on the YouTube emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.cli import main
from studio.store import captions as stored
from studio.store import session as sessions
from studio.subtitles import parse_subtitles
from studio.usecases import archive
from studio.usecases.context import Studio

SESSION = "2026-11-24-nl"


@pytest.fixture
def cli_env(youtube_settings, whisper_model_dir, monkeypatch):
    monkeypatch.setenv("STUDIO_DATA_DIR", str(youtube_settings.data_dir))
    monkeypatch.setenv("STUDIO_CAPTIONS_MODEL", str(whisper_model_dir))
    youtube_settings.captions.model = str(whisper_model_dir)
    return youtube_settings


def test_caption_review_and_publish_a_rehearsal_recording(cli_env, emulator, speech_recording, capsys):
    with Studio(cli_env) as ctx:
        sessions.ensure_session(ctx.store, SESSION, "nl", "fietsendiefstal", "2026-11-24T19:00:00+01:00", True,
                                "scenes")
    assert main(["archive", "add", str(speech_recording), "--session", SESSION]) == 0
    capsys.readouterr()

    assert main(["archive", "caption", "1"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("#1 ondertiteld (nl): ") and "om eerst na te kijken" in out
    assert "ondertitelen:" in err and "100%" in err  # the progress bar, with the time left, on stderr
    vtt = speech_recording.with_name("2026-11-24 19-00-00.nl.vtt")
    srt = speech_recording.with_name("2026-11-24 19-00-00.nl.srt")
    assert parse_subtitles(vtt.read_bytes())[0] == "vtt" and parse_subtitles(srt.read_bytes())[0] == "srt"
    assert f"  {vtt}" in out and f"  {srt}" in out

    assert main(["archive", "show", "1", "--zoek", "politie"]) == 0
    shown = capsys.readouterr().out
    assert "om na te kijken" in shown and "(nl)" in shown and "politie" in shown.split("\n\n", 1)[1].lower()

    with Studio(cli_env) as ctx:  # the review marks what to check first
        track = stored.get_track(ctx.store, 1, "nl")
        assert track.to_check() and all(track.cues[i].marks for i in track.to_check())

    assert main(["archive", "process", "1"]) == 0
    capsys.readouterr()
    with Studio(cli_env) as ctx:  # processing put the captions beside the processed file too, on its clock
        processed = Path(archive.catalog_entry(ctx, 1).processed_path)
    assert processed.with_name(processed.stem + ".nl.vtt").is_file()
    assert main(["publish", "1", "--mode", "upload", "--yes"]) == 1
    err = capsys.readouterr().err
    assert "nog niet nagekeken" in err and err.count("\n") == 1 and emulator.world.videos == {}

    with Studio(cli_env) as ctx:  # staff looked at every cue (the panel's a)
        archive.approve_captions(ctx, 1)
    assert main(["publish", "1", "--mode", "upload", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Ondertitels: Nederlands (nagekeken)." in out and "ondertitels staan bij de video" in out
    (video_id,) = emulator.world.videos
    (published,) = emulator.control.captions(video_id)
    assert published["language"] == "nl" and published["name"] == "Nederlands"
    # on the uploaded file's clock: the same as the captions beside the processed file
    _kind, beside = parse_subtitles(processed.with_name(processed.stem + ".nl.vtt").read_bytes())
    assert [(c["start"], c["end"], c["text"]) for c in published["cues"]] == [(c.start, c.end, c.text)
                                                                              for c in beside]
