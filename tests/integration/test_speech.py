"""Transcription with the real Whisper base model on real (espeak-ng) speech with known silences.

espeak's voice is robotic and the base model small: these tests assert the pipeline (timing against the
silences within 0.3 s, the caption rules, the language, the checks on bad input), not the words; the word
error rate is a figure in bench/captions.py.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import threading
import wave

import numpy as np
import pytest

from studio.domain.caption_track import make_track, word_script
from studio.domain.captions import LayoutRules, layout_cues
from studio.media.ffmpeg import MediaError
from studio.media.pcm import NoAudioTrack, decode_speech_audio
from studio.speech.errors import NoSound, NoSpeech, TranscriptionCancelled, WrongLanguage
from studio.speech.transcribe import SpokenWord, drop_loops, plan_pieces, snap_to_speech
from tests.fixtures.whisper import read_samples, speak

TOLERANCE = 0.3
RULES = LayoutRules()


def _wav_seconds(path):
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def _check_timing(cues, clip):
    """Cues begin when speech resumes after each silence and never run across one."""
    for before, after in clip.silences:
        first_after = min((c for c in cues if c.start >= before), key=lambda c: c.start)
        assert abs(first_after.start - after) <= TOLERANCE, (first_after, after)
        last_before = max((c for c in cues if c.start < before), key=lambda c: c.start)
        assert abs(last_before.words[-1].end - before) <= TOLERANCE, (last_before, before)
        assert last_before.end < after - RULES.min_gap / 2  # off screen before the next speech
        assert last_before.end <= before + max(RULES.max_linger, RULES.min_duration) + TOLERANCE
        assert not any(c.start < before - TOLERANCE and c.end > after for c in cues)
    assert abs(cues[0].start - clip.spans[0][0]) <= TOLERANCE
    assert abs(cues[-1].words[-1].end - clip.spans[-1][1]) <= TOLERANCE


def _check_rules(cues):
    assert cues
    for c in cues:
        assert 1 <= len(c.lines) <= 2 and all(len(line) <= 42 for line in c.lines)
        assert c.duration <= 7.0 + 1e-6
    assert all(a.end <= b.start for a, b in itertools.pairwise(cues))


def test_dutch_speech_gives_timed_dutch_captions(dutch_transcript, dutch_clip):
    t = dutch_transcript
    assert t.language == "nl" and t.model == "base"
    assert t.duration == pytest.approx(_wav_seconds(dutch_clip.path), abs=0.01)
    words = t.words()
    assert len(words) >= 12
    assert all(0 <= w.start < w.end <= t.duration + 0.05 and 0 <= w.probability <= 1 for w in words)
    assert sum(word_script(w.text) == "latin" for w in words) >= 0.9 * len(words)
    assert "politie" in t.text.lower()  # the base model hears espeak poorly, but not that poorly
    cues = layout_cues(words, "nl", end_of_media=t.duration)
    _check_rules(cues)
    _check_timing(cues, dutch_clip)
    assert len(t.speech) == len(dutch_clip.spans)


def test_arabic_speech_gives_timed_arabic_captions(arabic_transcript, arabic_clip):
    t = arabic_transcript
    assert t.language == "ar"
    words = t.words()
    assert sum(word_script(w.text) == "arabic" for w in words) >= 0.9 * len(words)
    cues = layout_cues(words, "ar", end_of_media=t.duration)
    _check_rules(cues)
    _check_timing(cues, arabic_clip)


def test_review_marks_come_from_the_model(dutch_transcript):
    track = make_track(layout_cues(dutch_transcript.words(), "nl"), "nl", model=dutch_transcript.model,
                       low_confidence=0.99)
    assert track.to_check()  # espeak through the base model: some words are unsure
    unsure = {w for c in track.cues for m in c.marks for w in m.words}
    assert unsure <= {w.text for w in dutch_transcript.words()}


def test_progress_reaches_the_end_with_an_eta_and_cancel_stops(speech_model, dutch_clip):
    samples = read_samples(dutch_clip.path)
    seen = []
    t = speech_model.transcribe(samples, "nl", progress=seen.append, check_language=False, piece_seconds=8.0)
    fractions = [p.fraction for p in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert any(p.eta is not None and p.eta >= 0 for p in seen)
    assert all(p.duration == pytest.approx(t.duration) for p in seen)
    # pieces of 8 s are cut in the silences: the times are the same as in one piece
    cues = layout_cues(t.words(), "nl")
    _check_timing(cues, dutch_clip)
    stop = threading.Event()

    def cancel_early(p):
        stop.set()

    with pytest.raises(TranscriptionCancelled, match="afgebroken"):
        speech_model.transcribe(samples, "nl", progress=cancel_early, cancel=stop, check_language=False)


def test_silence_is_no_sound(speech_model):
    with pytest.raises(NoSound, match="stil") as err:
        speech_model.transcribe(np.zeros(16000 * 5, dtype=np.float32), "nl")
    assert "microfoon" in str(err.value)
    with pytest.raises(NoSound):
        speech_model.transcribe(np.zeros(0, dtype=np.float32), "nl")


def test_music_alone_is_no_speech(speech_model, tmp_path):
    music = tmp_path / "muziek.wav"
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(music), "synth", "0.4", "pluck", "C4",
                    ":", "synth", "0.4", "pluck", "E4", ":", "synth", "0.4", "pluck", "G4", ":", "synth", "0.4",
                    "pluck", "C5", "repeat", "8"], check=True, timeout=60)
    with pytest.raises(NoSpeech, match="niet gesproken") as err:
        speech_model.transcribe(read_samples(music), "nl")
    assert "microfoon" in str(err.value)


def test_another_language_is_refused_and_can_be_overridden(speech_model, tmp_path):
    clip = speak(tmp_path / "en.wav", ["Good evening and welcome to the digital community hour of the police.",
                                       "Today we talk about bicycle theft and how to protect your bike."], "en", [1.0])
    samples = read_samples(clip.path)
    with pytest.raises(WrongLanguage, match=r"Engels gesproken.*niet Nederlands"):
        speech_model.transcribe(samples, "nl")
    with pytest.raises(WrongLanguage, match="niet Arabisch"):
        speech_model.transcribe(samples, "ar")
    assert speech_model.transcribe(samples, "nl", check_language=False).words()  # the person knows better


def _as_recording(wav, out, *extra):
    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg ontbreekt")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-i", str(wav),
                    "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-g", "20", "-c:a", "aac", *extra, str(out)],
                   check=True, timeout=120)
    return out


def test_truncated_recordings(speech_model, dutch_clip, tmp_path):
    """A killed OBS: a cut Matroska file gives its readable part; a cut MP4 has no index and says so."""
    mkv = _as_recording(dutch_clip.path, tmp_path / "opname.mkv")
    whole = decode_speech_audio(mkv)
    assert whole.complete and whole.duration == pytest.approx(_wav_seconds(dutch_clip.path), abs=0.25)  # AAC padding
    data = mkv.read_bytes()
    cut = tmp_path / "afgebroken.mkv"
    cut.write_bytes(data[: len(data) * 6 // 10])
    part = decode_speech_audio(cut)
    assert 3.0 < part.duration < whole.duration
    t = speech_model.transcribe(part.samples, "nl", check_language=False)
    assert t.words() and max(w.end for w in t.words()) <= part.duration + 0.05
    mp4 = _as_recording(dutch_clip.path, tmp_path / "opname.mp4")
    broken = tmp_path / "afgebroken.mp4"
    broken.write_bytes(mp4.read_bytes()[: mp4.stat().st_size // 2])
    with pytest.raises(MediaError, match="niet te lezen") as err:
        decode_speech_audio(broken)
    assert "onaangeroerd" in str(err.value)
    assert mp4.stat().st_size > broken.stat().st_size  # nothing was written to the recording


def test_recording_without_sound_track(tmp_path):
    video = tmp_path / "zonder-geluid.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-t", "2",
                    "-c:v", "libx264", "-preset", "ultrafast", str(video)], check=True, timeout=60)
    with pytest.raises(NoAudioTrack, match="geen geluidsspoor"):
        decode_speech_audio(video)


def test_pieces_are_cut_in_pauses():
    regions = [(0.5, 100.0), (101.0, 250.0), (253.0, 290.0), (292.0, 700.0), (700.5, 800.0)]
    pieces = plan_pieces(regions, 800.0, longest=300.0)
    assert pieces[0] == (0.0, pytest.approx(251.5)) and pieces[-1][1] == 800.0
    assert all(b - a <= 300.0 for a, b in pieces)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    assert plan_pieces([(0.0, 50.0)], 50.0) == [(0.0, 50.0)]


def test_words_snap_out_of_pauses():
    regions = [(0.5, 2.0), (4.0, 6.0)]
    assert snap_to_speech(3.2, 4.6, regions) == (4.0, 4.6)  # started early, in the pause
    assert snap_to_speech(1.5, 3.0, regions) == (1.5, 2.0)  # ran on into the pause
    assert snap_to_speech(4.2, 4.6, regions) == (4.2, 4.6)
    assert snap_to_speech(2.5, 3.0, regions) == (2.5, 3.0)  # wholly in a pause: left alone


def _spoken(text):
    return [SpokenWord(w, i * 0.3, i * 0.3 + 0.2, 0.5) for i, w in enumerate(text.split())]


def test_repetition_loops_are_dropped_but_real_repeats_stay():
    def kept(text):
        return " ".join(w.text for w in drop_loops(_spoken(text)))

    assert kept("bel het alarmnummer m m m m m m m m m m m. Er is") == "bel het alarmnummer m Er is"
    assert kept("m'n nacht raten " * 9 + "einde") == "m'n nacht raten einde"
    assert kept("bel nul nul nul nul acht acht") == "bel nul nul nul nul acht acht"
    assert kept("ja ja ja ja ja") == "ja ja ja ja ja"  # five times: still speech
    assert kept("") == "" and kept("- - - - - - - -") == "- - - - - - - -"  # no letters: not judged


def test_a_stopped_job_goes_on_from_its_last_piece(whisper_model_dir, dutch_clip):
    """Checkpoints after each piece; a job stopped after the first goes on in a new model from there and
    ends with the same words as a job that ran through (and as a rerun: a model per job keeps the seed)."""
    from tests.fixtures.whisper import fresh_model

    samples = read_samples(dutch_clip.path)
    whole = fresh_model(whisper_model_dir).transcribe(samples, "nl", check_language=False, piece_seconds=8.0)
    again = fresh_model(whisper_model_dir).transcribe(samples, "nl", check_language=False, piece_seconds=8.0)
    assert again.words() == whole.words()
    stop, saved = threading.Event(), []

    def checkpoint(until, segments):
        saved.append((until, segments))
        stop.set()

    with pytest.raises(TranscriptionCancelled):
        fresh_model(whisper_model_dir).transcribe(samples, "nl", check_language=False, piece_seconds=8.0,
                                                  on_piece=checkpoint, cancel=stop)
    (until, segments), = saved
    assert 0 < until < whole.duration and segments
    seen = []
    rest = fresh_model(whisper_model_dir).transcribe(samples, "nl", piece_seconds=8.0, resume_from=until,
                                                     done=segments, progress=seen.append)
    assert rest.words() == whole.words()
    assert seen[0].fraction >= until / whole.duration - 0.01  # progress goes on from where it stopped
