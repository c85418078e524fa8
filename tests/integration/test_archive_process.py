"""Cataloguing and processing real files with real ffmpeg: remux, trim at keyframes, truncated, disk full."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from studio.media import ffmpeg, levels
from studio.store import archive as repo
from studio.usecases.archive import catalog
from studio.usecases.archive import processing as process


def _ffprobe_streams(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                          str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_add_catalogues_in_sqlite_and_sidecar(store, recording):
    before = recording.read_bytes()
    entry = catalog.add_recording(store, [recording], "2026-11-24-nl", topic="fietsendiefstal", lang="nl")
    assert entry.state == "archived" and not entry.truncated
    assert entry.sha256 == __import__("hashlib").sha256(before).hexdigest()
    assert 29 <= entry.duration <= 31 and entry.size == len(before)
    assert entry.session_date == "2026-11-24" and "Fietsendiefstal" in entry.title
    side = json.loads(catalog.sidecar_path(recording).read_text())
    assert side["id"] == entry.id and side["sha256"] == entry.sha256 and side["state"] == "archived"
    assert side["sources"][0]["path"] == str(recording)
    assert recording.read_bytes() == before
    assert catalog.add_recording(store, [recording]).id == entry.id  # the same file twice: one entry
    assert [c.ok for c in catalog.verify(store, entry.id)] == [True]


def test_not_a_video_is_one_clear_line(store, tmp_path):
    text = tmp_path / "notities.mkv"
    text.write_text("dit is geen video\n" * 100)
    with pytest.raises(ffmpeg.NotAVideo) as err:
        catalog.add_recording(store, [text])
    assert "notities.mkv is geen video" in str(err.value) and "\n" not in str(err.value)
    assert repo.list_entries(store) == []


def test_process_trims_pre_and_post_show_at_keyframes(store, recording):
    entry = catalog.add_recording(store, [recording], "2026-11-24-nl", record_started_at=1000.0)
    repo.add_mark(store, "2026-11-24-nl", 1000.0, "scene", "Begint zo")
    # the show starts at 15.3 s: the last 10 s of the starting slate stay, from the keyframe at 4.0 s
    repo.add_mark(store, "2026-11-24-nl", 1000.0 + 15.3, "scene", "Agent")
    repo.add_mark(store, "2026-11-24-nl", 1000.0 + 20.0, "scene", "Einde")
    # the next session's slate at 25 s: the end slate ends there, the cut is the first keyframe past it (26 s)
    repo.add_mark(store, "2026-11-24-nl", 1000.0 + 25.0, "scene", "Begint zo")
    seen: list[float] = []
    result = process.process(store, entry.id, end_slate_seconds=5, progress=lambda f, _l: seen.append(f))
    out = Path(result.entry.processed_path)
    assert out.name == "2026-11-24 19-00-00.verwerkt.mp4" and out.exists()
    assert result.cut.start == pytest.approx(4.0, abs=0.05) and result.cut.end == pytest.approx(26.0, abs=0.05)
    info = _ffprobe_streams(out)
    assert info["format"]["format_name"].startswith("mov,mp4")
    kinds = sorted(s["codec_type"] for s in info["streams"])
    assert kinds == ["audio", "video"]
    assert float(info["format"]["duration"]) == pytest.approx(22.0, abs=0.3)
    assert {s["codec_name"] for s in info["streams"]} == {"h264", "aac"}  # stream copy, no re-encode
    assert ffmpeg.keyframes(out)[0] == pytest.approx(0.0, abs=0.05)  # begins on a full picture
    assert seen[-1] == 1.0 and seen == sorted(seen)
    assert result.entry.state == "processed" and result.entry.processed_sha256 == catalog.sha256_file(out)
    assert recording.exists() and catalog.sha256_file(recording) == entry.sha256  # original untouched
    assert not list(out.parent.glob(".*part*"))
    assert json.loads(catalog.sidecar_path(recording).read_text())["state"] == "processed"
    assert all(c.ok for c in catalog.verify(store, entry.id))


def test_truncated_mkv_is_archived_and_its_readable_part_processed(store, truncated_recording):
    entry = catalog.add_recording(store, [truncated_recording])
    assert entry.truncated and 5 < entry.duration < 20
    result = process.process(store, entry.id)
    assert ffmpeg.probe(result.entry.processed_path).duration == pytest.approx(entry.duration, abs=1.0)
    assert any("afgebroken" in w for w in result.warnings)


def test_silent_audio_fails_verification_unless_allowed(store, silent_recording):
    entry = catalog.add_recording(store, [silent_recording])
    with pytest.raises(catalog.ArchiveError, match="geluid is stil"):
        process.process(store, entry.id)
    assert repo.get_entry(store, entry.id).state == "failed"
    assert not process.processed_path_for(silent_recording).exists()
    assert process.process(store, entry.id, allow_silent=True).entry.state == "processed"


def test_audio_peak_agrees_with_a_full_measurement(recording, silent_recording, tmp_path):
    loud = levels.audio_peak(recording)
    assert loud is not None and not loud.is_silent()
    assert not loud.complete  # stopped at the first loud sample instead of decoding 30 s
    assert levels.SILENCE_DB < loud.max_volume_db <= levels.audio_levels(recording).max_volume_db + 0.5
    silent = levels.audio_peak(silent_recording)
    assert silent is not None and silent.is_silent() and silent.complete
    assert levels.audio_levels(silent_recording).is_silent()
    late = tmp_path / "pas-laat-geluid.mkv"  # 8 s of digital silence, then a tone: read up to the tone
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                    "-f", "lavfi", "-i", "aevalsrc=if(gt(t\\,8)\\,0.5*sin(2*PI*440*t)\\,0):s=48000",
                    "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(late)],
                   check=True, timeout=60)
    found = levels.audio_peak(late)
    assert found is not None and not found.is_silent() and not levels.audio_levels(late).is_silent()
    mute = tmp_path / "zonder-geluid.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-t", "2",
                    "-c:v", "libx264", "-preset", "ultrafast", str(mute)], check=True, timeout=60)
    assert levels.audio_peak(mute) is None and levels.audio_levels(mute) is None


def test_changed_original_is_refused(store, recording):
    entry = catalog.add_recording(store, [recording])
    with open(recording, "r+b") as f:
        f.seek(200_000)
        f.write(b"\x00" * 16)
    with pytest.raises(catalog.ArchiveError, match="veranderd"):
        process.process(store, entry.id)
    assert not process.processed_path_for(recording).exists()
    assert not any(c.ok for c in catalog.verify(store, entry.id))


def _small_fs(tmp_path: Path, size: str = "3m") -> Path | None:
    mnt = tmp_path / "klein"
    mnt.mkdir()
    if os.geteuid() != 0:
        return None
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)], capture_output=True)
    return mnt if r.returncode == 0 else None


@pytest.mark.parametrize("how", ["small_tmpfs", "injected_enospc"])
def test_disk_full_mid_remux_keeps_original_and_removes_partial(how, store, recording, tmp_path, monkeypatch):
    mnt = _small_fs(tmp_path) if how == "small_tmpfs" else None
    if how == "small_tmpfs" and mnt is None:
        pytest.skip("no privileges to mount a small tmpfs here; the injected ENOSPC variant covers it")
    try:
        if mnt is not None:  # a real small file system: original fits, the copy does not
            src = mnt / "opname.mkv"
            data = recording.read_bytes()[: 2 * 1024 * 1024]  # 2 MB of a 3 MB file system
            src.write_bytes(data)
        else:  # no privileges: every write of the output fails with ENOSPC (/dev/full)
            src = recording
            monkeypatch.setattr(process, "temp_output_path", lambda final: _dev_full_link(final))
        entry = catalog.add_recording(store, [src])
        digest = entry.sha256
        with pytest.raises(ffmpeg.DiskFull) as err:
            process.process(store, entry.id, check_space=False)
        assert "schijf is vol" in str(err.value) and "origineel is onaangeroerd" in str(err.value)
        assert catalog.sha256_file(src) == digest
        leftovers = [p.name for p in src.parent.iterdir() if p.name not in {src.name, src.name + ".json"}]
        assert leftovers == []
        e = repo.get_entry(store, entry.id)
        assert e.state == "failed" and "schijf is vol" in e.error
        if mnt is not None:  # the space check refuses before starting, with the same promise
            with pytest.raises(ffmpeg.DiskFull, match="te weinig vrije ruimte"):
                process.process(store, entry.id)
    finally:
        if mnt is not None:
            subprocess.run(["umount", "-l", str(mnt)], check=False)


def _dev_full_link(final: Path) -> Path:
    link = final.with_name(f".{final.name}.part.mp4")
    link.unlink(missing_ok=True)
    link.symlink_to("/dev/full")
    return link


def test_split_recording_is_joined(store, recording, tmp_path):
    second = recording.with_name("2026-11-24 19-00-30.mkv")
    second.write_bytes(recording.read_bytes())
    entry = catalog.add_recording(store, [recording, second])
    assert len(entry.sources) == 2 and entry.duration == pytest.approx(60, abs=1.5)
    result = process.process(store, entry.id)
    assert ffmpeg.probe(result.entry.processed_path).duration == pytest.approx(60, abs=1.5)
    assert time.time() - result.entry.updated_at < 60


def test_a_file_still_being_written_is_taken_only_once_it_rests(store, recording, tmp_path):
    import threading

    growing = tmp_path / "opnames" / "nog-bezig.mkv"
    data = recording.read_bytes()
    half = len(data) // 2
    growing.write_bytes(data[:half])

    def finish() -> None:  # a copy (or OBS) still writing for a moment
        time.sleep(0.8)
        with open(growing, "ab") as f:
            f.write(data[half:])

    writer = threading.Thread(target=finish)
    writer.start()
    entry = catalog.add_recording(store, [growing], settle=1.0)
    writer.join()
    assert entry.sha256 == catalog.sha256_file(recording) and not entry.truncated
