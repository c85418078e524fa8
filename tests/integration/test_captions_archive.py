"""Captions of an archived recording through the archive use cases, with the real Whisper base model, real
ffmpeg, the real privacy filter: files beside the recording, the review track, search; and every kind of bad
input as one Dutch line with the recording untouched and nothing half-written."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from studio.errors import StudioError
from studio.media.ffmpeg import MediaError
from studio.speech.errors import ModelBroken, ModelNotConfigured, NoSound, NoSpeech, WrongLanguage
from studio.store import caption_jobs
from studio.store import captions as stored
from studio.store import session as sessions
from studio.subtitles.files import SubtitleWriteError
from studio.usecases import archive
from studio.usecases.archive import catalog
from studio.usecases.archive.captions import privacy_finder
from studio.usecases.context import Studio
from tests.fixtures.whisper import as_recording, speak

SESSION = "2026-11-24-nl"


@pytest.fixture
def ctx(settings, whisper_model_dir):
    settings.captions.model = str(whisper_model_dir)
    c = Studio(settings)
    yield c
    c.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add(ctx, recording: Path, session: str | None = SESSION):
    if session:
        sessions.ensure_session(ctx.store, session, "nl", "fietsendiefstal", "2026-11-24T19:00:00+01:00", False,
                                "scenes")
    return catalog.add_recording(ctx.store, [recording], session, record_started_at=1_790_000_000.0)


def _caption_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix in (".vtt", ".srt", ".txt") or ".tmp" in p.name)


def test_captions_beside_the_recording_with_review_marks_and_search(ctx, speech_recording):
    entry = _add(ctx, speech_recording)
    before = _sha(speech_recording)
    seen = []
    made = archive.caption(ctx, entry.id, progress=lambda f, label: seen.append((f, label)))
    assert made.lang == "nl" and made.cues >= 3 and made.complete and made.model == "whisper-base"
    folder = speech_recording.parent
    assert _caption_files(folder) == ["2026-11-24 19-00-00.nl.srt", "2026-11-24 19-00-00.nl.txt",
                                      "2026-11-24 19-00-00.nl.vtt"]
    assert (folder / "2026-11-24 19-00-00.nl.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    assert _sha(speech_recording) == before  # only read
    fractions = [f for f, _label in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("nog ca." in label or "bijna klaar" in label for _f, label in seen)
    track = stored.get_track(ctx.store, entry.id, "nl")
    assert len(track.cues) == made.cues and not track.reviewed
    assert track.to_check()  # espeak through the base model: some words are unsure
    job = caption_jobs.get(ctx.store, entry.id, "nl")
    assert job.state == "done" and job.progress == 1.0 and not job.has_checkpoint
    assert "ondertiteld" in job.detail
    hits = archive.search_captions(ctx, "politie", entry.id)
    assert hits and all("politie" in h.text.lower() for h in hits) and hits[0].start < 5.0
    state = archive.caption_state(ctx, entry.id)
    assert state.line.startswith("Ondertitels (nl):") and "om na te kijken" in state.line
    # the audit says what happened, never what was said
    rows = ctx.store.audit_entries(action="captions.made")
    assert rows and "politie" not in str(rows).lower()


def test_an_arabic_session_gets_right_to_left_captions(ctx, arabic_clip, tmp_path):
    from studio.domain.caption_track import word_script
    from studio.domain.captions import RLM

    (tmp_path / "opnames").mkdir()
    recording = as_recording(arabic_clip.path, tmp_path / "opnames" / "2026-12-01 20-00-00.mkv")
    sessions.ensure_session(ctx.store, "2026-12-01-ar", "ar", "سرقة الدراجات", "2026-12-01T20:00:00+01:00", False,
                            "scenes")
    entry = catalog.add_recording(ctx.store, [recording], "2026-12-01-ar")
    assert entry.lang == "ar"
    made = archive.caption(ctx, entry.id)
    assert made.lang == "ar" and made.cues >= 2
    track = stored.get_track(ctx.store, entry.id, "ar")
    words = " ".join(track.transcript().split()).split()
    assert sum(word_script(w) == "arabic" for w in words) >= 0.9 * len(words)
    vtt = recording.with_name("2026-12-01 20-00-00.ar.vtt").read_text(encoding="utf-8")
    cue_lines = [line for block in vtt.split("\n\n")[1:] for line in block.splitlines()[1:] if line]
    assert cue_lines and all(line.startswith(RLM) for line in cue_lines)  # players show them right-to-left


def test_the_privacy_filter_marks_what_was_said(ctx):
    find = privacy_finder(ctx.scrubber, "nl")
    found = list(find("Meneer Jansen woont aan de Akerstraat 12 en zijn nummer is 06 12345678"))
    assert any("Jansen" in f for f in found) and any("0612345678" in f.replace(" ", "") for f in found)


def test_reviewed_work_is_not_replaced_unless_asked(ctx, speech_recording):
    entry = _add(ctx, speech_recording)
    archive.caption(ctx, entry.id)
    archive.approve_captions(ctx, entry.id)
    with pytest.raises(StudioError, match="al nagekeken") as err:
        archive.caption(ctx, entry.id)
    assert "--opnieuw" in str(err.value)
    assert stored.get_track(ctx.store, entry.id, "nl").reviewed
    archive.caption(ctx, entry.id, again=True)
    assert not stored.get_track(ctx.store, entry.id, "nl").reviewed


def test_processed_file_gets_its_own_clock(ctx, speech_recording):
    """After processing (cut 10 s before the first switch away from the starting slate), the files beside the
    processed file are on its clock: trim_start earlier than beside the original."""
    from studio.store import archive as repo
    from studio.subtitles import parse_subtitles

    entry = _add(ctx, speech_recording)
    repo.add_mark(ctx.store, SESSION, 1_790_000_000.0, "scene", "Starten")
    repo.add_mark(ctx.store, SESSION, 1_790_000_014.0, "scene", "Wijkagent")
    archive.process(ctx, entry.id)
    entry = catalog.get(ctx.store, entry.id)
    assert entry.trim_start and entry.trim_start > 1.0
    archive.caption(ctx, entry.id)
    _kind, original = parse_subtitles((speech_recording.parent / "2026-11-24 19-00-00.nl.vtt").read_bytes())
    processed_vtt = Path(entry.processed_path).with_name(Path(entry.processed_path).stem + ".nl.vtt")
    _kind, processed = parse_subtitles(processed_vtt.read_bytes())
    later = [c for c in original if c.end - entry.trim_start >= 0.1]
    assert len(processed) == len(later)
    assert processed[-1].start == pytest.approx(later[-1].start - entry.trim_start, abs=0.002)


# --- bad input: one Dutch line, the recording untouched, nothing half-written, the job says why ---------------
def _refused(ctx, entry, recording: Path, error: type[Exception], match: str) -> str:
    before = _sha(recording) if recording.exists() else None
    with pytest.raises(error, match=match) as err:
        archive.caption(ctx, entry.id)
    line = str(err.value)
    assert "\n" not in line and "Traceback" not in line
    if before is not None:
        assert _sha(recording) == before
    assert _caption_files(recording.parent) == []
    assert stored.get_track(ctx.store, entry.id, entry.lang) is None
    job = caption_jobs.get(ctx.store, entry.id, entry.lang)
    assert job.state == "failed" and job.detail == line and not job.has_checkpoint
    return line


def test_a_recording_without_sound(ctx, tmp_path):
    from tests.fixtures.recordings import make_recording

    (tmp_path / "opnames").mkdir()
    silent = make_recording(tmp_path / "opnames" / "stil.mkv", 6, size="160x90", rate=10, silent=True)
    line = _refused(ctx, _add(ctx, silent), silent, NoSound, "stil")
    assert "microfoon" in line


def test_only_music(ctx, tmp_path):
    music = tmp_path / "muziek.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(music), "synth", "0.4", "pluck", "C4",
                    ":", "synth", "0.4", "pluck", "E4", ":", "synth", "0.4", "pluck", "G4", ":", "synth", "0.4",
                    "pluck", "C5", "repeat", "8"], check=True, timeout=60)
    (tmp_path / "opnames").mkdir()
    recording = as_recording(music, tmp_path / "opnames" / "muziek.mkv")
    _refused(ctx, _add(ctx, recording), recording, NoSpeech, "niet gesproken")


def test_another_language(ctx, tmp_path):
    clip = speak(tmp_path / "en.wav", ["Good evening and welcome to the digital community hour of the police.",
                                       "Today we talk about bicycle theft and how to protect your bike."], "en", [1.0])
    (tmp_path / "opnames").mkdir()
    recording = as_recording(clip.path, tmp_path / "opnames" / "engels.mkv")
    line = _refused(ctx, _add(ctx, recording), recording, WrongLanguage, "Engels gesproken")
    assert "taal van de sessie" in line


def test_truncated_recordings(ctx, dutch_clip, tmp_path):
    """A cut MP4 has no index: refused, untouched. A cut Matroska file (a killed OBS) gives captions of what is
    there, and says so."""
    folder = tmp_path / "opnames"
    folder.mkdir()
    mp4 = as_recording(dutch_clip.path, folder / "opname.mp4")
    entry = catalog.add_recording(ctx.store, [mp4], None)  # catalogued whole...
    mp4.write_bytes(mp4.read_bytes()[: mp4.stat().st_size // 2])  # ...and cut afterwards (a failing disk)
    line = _refused(ctx, entry, mp4, MediaError, "niet te lezen")
    assert "onaangeroerd" in line
    whole = as_recording(dutch_clip.path, tmp_path / "heel.mkv").read_bytes()
    cut = tmp_path / "afgebroken"
    cut.mkdir()
    part = cut / "afgebroken.mkv"
    part.write_bytes(whole[: len(whole) * 6 // 10])
    before = _sha(part)
    made = archive.caption(ctx, catalog.add_recording(ctx.store, [part], None).id)
    assert not made.complete and "afgebroken opname" in archive.caption_summary(made)
    assert 3.0 < made.duration < 17.0 and _sha(part) == before


def test_no_model_configured(ctx, speech_recording):
    ctx.settings.captions.model = ""
    line = _refused(ctx, _add(ctx, speech_recording), speech_recording, ModelNotConfigured, "geen spraakmodel")
    assert "STUDIO_CAPTIONS_MODEL" in line


def test_a_broken_model_folder(ctx, speech_recording, whisper_model_dir, tmp_path):
    broken = tmp_path / "kapot"
    shutil.copytree(whisper_model_dir, broken)
    with open(broken / "model.bin", "r+b") as f:
        f.truncate(8 * 1024 * 1024)  # a copy that stopped half-way
    ctx.settings.captions.model = str(broken)
    line = _refused(ctx, _add(ctx, speech_recording), speech_recording, ModelBroken, "kan niet geladen worden")
    assert "studio models fetch" in line


def _small_disk(tmp_path: Path) -> Path | None:
    mnt = tmp_path / "klein"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        return None
    return mnt


def test_a_full_disk_while_writing_captions(ctx, speech_recording, tmp_path):
    from tests.conftest import skip_or_fail

    mnt = _small_disk(tmp_path)
    if mnt is None:
        skip_or_fail("kan geen kleine tmpfs koppelen (root nodig) voor de test met een volle schijf")
    try:
        recording = mnt / "2026-11-24 19-00-00.mkv"
        shutil.copyfile(speech_recording, recording)
        entry = _add(ctx, recording)
        (mnt / "vulsel").write_bytes(b"x" * (shutil.disk_usage(mnt).free - 4096))  # nearly full
        before = _sha(recording)
        with pytest.raises(SubtitleWriteError, match="schijf is vol") as err:
            archive.caption(ctx, entry.id)
        assert "ruimte" in str(err.value) and "onaangeroerd" in str(err.value)
        assert _sha(recording) == before
        assert sorted(p.name for p in mnt.iterdir()) == ["2026-11-24 19-00-00.mkv", "2026-11-24 19-00-00.mkv.json",
                                                         "vulsel"]  # no caption file, no temporary file
        assert stored.get_track(ctx.store, entry.id, "nl") is None
        assert caption_jobs.get(ctx.store, entry.id, "nl").state == "failed"
        (mnt / "vulsel").unlink()  # room again: the same command works
        assert archive.caption(ctx, entry.id).cues >= 3
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)
