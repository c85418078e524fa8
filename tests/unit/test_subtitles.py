"""WebVTT, SRT and transcript files (studio/subtitles): round trips, direction marks, escapes, bad files, full disk."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.domain.captions import LRM, RLM, Cue, Word, layout_cues, strip_marks
from studio.subtitles import (
    SubtitleFormatError,
    SubtitleWriteError,
    caption_paths,
    parse_subtitles,
    to_srt,
    to_transcript,
    to_webvtt,
    write_caption_files,
)
from tests.conftest import skip_or_fail

NL = [Cue(1.5, 3.25, ("Goedenavond en welkom,", "R&D <b>niet vet</b>")), Cue(3.4, 5.0, ("Bel 0900-8844.",)),
      Cue(3725.001, 3727.5, ("Na een uur.",))]
AR = [Cue(0.5, 2.0, ("اتصل بالرقم 0900-8844", "في Heerlen.")), Cue(4.0, 6.0, ("Heerlen هي مدينة",))]


def test_webvtt_is_valid_and_reads_back_exactly():
    text = to_webvtt(NL, "nl")
    assert text.startswith("WEBVTT\n\n00:00:01.500 --> 00:00:03.250\n")
    assert "R&amp;D &lt;b&gt;niet vet&lt;/b&gt;" in text and "01:02:05.001 --> 01:02:07.500" in text
    kind, cues = parse_subtitles(text.encode())
    assert kind == "vtt"
    assert [(c.start, c.end) for c in cues] == [(c.start, c.end) for c in NL]
    assert cues[0].text == "Goedenavond en welkom,\nR&amp;D &lt;b&gt;niet vet&lt;/b&gt;"


def test_srt_reads_back_and_has_no_markup():
    text = to_srt(NL, "nl")
    assert text.startswith("1\n00:00:01,500 --> 00:00:03,250\nGoedenavond en welkom,\nR&D ‹b›niet vet‹/b›\n\n2\n")
    kind, cues = parse_subtitles(text)
    assert kind == "srt" and [c.index for c in cues] == [1, 2, 3]
    assert [(c.start, c.end) for c in cues] == [(c.start, c.end) for c in NL]


def test_arabic_lines_carry_direction_marks_in_both_formats():
    for text in (to_webvtt(AR, "ar"), to_srt(AR, "ar")):
        assert f"{RLM}اتصل بالرقم {LRM}0900-8844\n{RLM}في Heerlen." in text
        assert f"{RLM}Heerlen هي مدينة" in text
        _kind, cues = parse_subtitles(text)
        assert [strip_marks(c.text) for c in cues] == [c.text for c in AR]


def test_transcript_has_paragraphs_with_times():
    words = [Word("Goedenavond.", 0.5, 1.0), Word("Welkom", 1.1, 1.5), Word("allemaal.", 1.5, 2.0),
             Word("Tweede", 65.0, 65.5), Word("alinea.", 65.5, 66.0)]
    text = to_transcript(layout_cues(words, "nl"), "nl")
    assert text == "[0:00:00] Goedenavond. Welkom allemaal.\n\n[0:01:05] Tweede alinea.\n\n"
    assert to_transcript(AR, "ar").startswith(f"[0:00:00] {RLM}اتصل بالرقم {LRM}0900-8844 في Heerlen.")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 20_000), st.floats(0.001, 7),
                          st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
                                           max_size=42).map(str.strip).filter(bool), min_size=1, max_size=2)),
                min_size=1, max_size=20))
def test_any_cues_survive_both_formats(items):
    cues, t = [], 0.0
    for gap, dur, lines in items:
        start = round(t + gap / 1000, 3)
        cues.append(Cue(start, round(start + dur, 3), tuple(" ".join(line.replace("-->", "→").split()) for line in lines)))
        t = cues[-1].end
    cues = [c for c in cues if all(c.lines)]
    if not cues:
        return
    for writer in (to_webvtt, to_srt):
        _kind, parsed = parse_subtitles(writer(cues, "nl"))
        assert [(p.start, p.end) for p in parsed] == [(c.start, c.end) for c in cues]


@pytest.mark.parametrize("data, match", [
    (b"\xff\xfe\x00garbage", "UTF-8"),
    ("gewoon wat tekst\nzonder tijden\n", "geen WebVTT of SRT"),
    ("", "geen ondertitels"),
    ("WEBVTT\n\n00:00:01.000 --> 00:00:xx.000\nhoi\n", "WebVTT-bestand is onleesbaar"),
])
def test_bad_files_are_refused_with_one_dutch_line(data, match):
    with pytest.raises(SubtitleFormatError, match=match):
        parse_subtitles(data)


def test_empty_cues_are_kept_for_the_caller_to_judge():
    _kind, cues = parse_subtitles("1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nhoi\n")
    assert [c.text for c in cues] == ["", "hoi"]


def test_files_are_written_beside_the_recording(tmp_path):
    rec = tmp_path / "2026-11-24 19-00-00.mp4"
    rec.write_bytes(b"video")
    files = write_caption_files(NL, "nl", rec)
    assert files == caption_paths(rec, "nl")
    assert [p.name for p in files.all()] == ["2026-11-24 19-00-00.nl.vtt", "2026-11-24 19-00-00.nl.srt",
                                            "2026-11-24 19-00-00.nl.txt"]
    assert files.vtt.read_text(encoding="utf-8") == to_webvtt(NL, "nl")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([rec.name, *(p.name for p in files.all())])
    assert rec.read_bytes() == b"video"


def test_unwritable_folder_gives_one_line(tmp_path):
    target = tmp_path / "bestand"
    target.write_text("geen map")
    with pytest.raises(SubtitleWriteError, match="kan de ondertitels niet schrijven"):
        write_caption_files(NL, "nl", target / "opname.mp4")


def test_full_disk_leaves_nothing_half_written(tmp_path):
    """A real small file system that fills up while the three files are written."""
    mnt = tmp_path / "klein"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        skip_or_fail("kan geen kleine tmpfs koppelen (root nodig) voor de test met een volle schijf")
    try:
        rec = mnt / "opname.mp4"
        rec.write_bytes(b"v" * 1000)
        old = write_caption_files(NL[:1], "nl", rec)  # an earlier run's files stay as they were
        before = {p.name: p.read_bytes() for p in old.all()}
        (mnt / "vulsel").write_bytes(b"x" * (shutil.disk_usage(mnt).free - 2 * 4096))  # nearly full
        many = [Cue(i * 2.0, i * 2.0 + 1.5, ("Een vrij lange regel met tekst om de schijf te vullen",)) for i in range(400)]
        with pytest.raises(SubtitleWriteError, match="schijf is vol") as err:
            write_caption_files(many, "nl", rec)
        assert "opname is onaangeroerd" in str(err.value)
        assert {p.name: p.read_bytes() for p in old.all()} == before
        assert sorted(p.name for p in mnt.iterdir()) == sorted(["opname.mp4", "vulsel", *before])
        assert rec.read_bytes() == b"v" * 1000
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
