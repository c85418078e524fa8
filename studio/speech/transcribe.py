"""Transcription of a recording's speech with faster-whisper, offline, in the session's known language.

Input is the sound as 16 kHz mono float32 samples (studio.media.pcm decodes the recording with ffmpeg,
the program that already reads every recording here; this adapter never opens media files itself).
Word timestamps and voice activity detection (Silero, inside faster-whisper) are on.

What this module adds to the library:
- pieces of at most ``PIECE_SECONDS``, cut in pauses: faster-whisper computes the spectrogram of all the
  audio it is given at once (an hour would need gigabytes); pieces keep memory flat and give a progress
  report and a chance to cancel between them as well as between segments;
- word times snapped to the speech the VAD found: Whisper's word alignment tends to start the first word
  after a pause early, inside the silence (the cue would appear before anyone speaks);
- word times the rest of the studio can rely on (``place_words``; the word rules are in ``words``): inside the piece and so inside the sound,
  in order, and at least ``MIN_WORD`` long. Whisper's alignment gives words no length at all now and then
  (start == end after its rounding to 0.01 s), more often in the text its sampling fallback produces;
  snapping a start forward can meet the end;
- a checkpoint after each piece (``on_piece``) and a resume from one (``resume_from``, ``done``): a job that
  has to make way for a live session, or a panel that restarts, loses at most one piece;
- the checks the issue asks for, before spending CPU: silent sound, no speech, clearly another language;
- a fixed seed for the sampling Whisper falls back to on hard passages (temperature > 0 when a window's
  average log-probability is below -1: the robotic Arabic test voice gets there). CTranslate2 keeps its
  random generator per thread (``static thread_local std::mt19937``, seeded from the global seed at the
  thread's FIRST draw), so ``set_random_seed`` only holds for a model's first transcription: later ones on
  the same model go on where the generator stopped. A job therefore gets a model of its own
  (``open_model``; new worker thread, generator seeded with ``SEED``), and a rerun gives the same captions;
- sound annotations removed: on music Whisper writes what it hears as a caption ("MUZIEK", "[Muziek]", "♪",
  "(applaus)"); those are not words anyone said. Music alone then ends as NoSpeech, like a recording in
  which the voice activity detection hears less than ``MIN_SPEECH`` seconds of speech in all (an AAC
  encoder's first frames can sound like a syllable to it);
- repetition loops removed: on a hard passage Whisper can emit one word over and over ("m m m m m ...");
  a run of more than ``MAX_REPEATS`` identical words keeps only its first word (nobody says a word six
  times in a row; "nul nul nul nul" in a phone number stays).

Language check: Whisper's language detection on the first speech. Only a clear verdict for another
language (>= ``WRONG_LANGUAGE_CONFIDENCE``) with the session's language unlikely (< 5 %) stops the job:
a synthetic or accented voice gives vague verdicts, and those must not block captions.
"""

from __future__ import annotations

import itertools
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from studio.domain.captions import Word
from studio.speech.errors import (
    ModelBroken,
    NoSound,
    NoSpeech,
    SpeechError,
    TranscriptionCancelled,
    WrongLanguage,
    language_name,
)
from studio.speech.models import resolve_model
from studio.speech.words import (
    MAX_REPEATS,
    MIN_WORD,
    SpokenWord,
    drop_annotations,
    drop_loops,
    is_sound_annotation,
    place_words,
    snap_to_speech,
)

SAMPLE_RATE = 16_000
PIECE_SECONDS = 300.0
SILENT_PEAK = 10 ** (-50 / 20)  # the archive's threshold for a dead microphone (-50 dBFS)
WRONG_LANGUAGE_CONFIDENCE = 0.8
LANGUAGE_SAMPLE_SECONDS = 90.0
# Transcription VAD: pauses of half a second split speech, with 0.2 s of context kept on each side.
VAD_OPTIONS = {"min_silence_duration_ms": 500, "speech_pad_ms": 200}
SEED = 14
MIN_SPEECH = 1.0  # seconds of speech in all below which a recording has no speech to caption
# Where speech really is, for snapping word times: finer pauses, little padding.
SNAP_VAD_OPTIONS = {"min_silence_duration_ms": 300, "speech_pad_ms": 100}

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Progress:
    fraction: float  # 0..1 of the recording's time
    position: float  # seconds of the recording done
    duration: float
    elapsed: float  # seconds since transcription started
    eta: float | None  # seconds left (None while too early to tell)


ProgressFn = Callable[[Progress], None]


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    words: tuple[SpokenWord, ...]
    avg_logprob: float
    no_speech_prob: float


PieceFn = Callable[[float, tuple[Segment, ...]], None]  # (heard until, every segment so far)


@dataclass(frozen=True)
class Transcript:
    language: str
    duration: float  # seconds of sound given
    segments: tuple[Segment, ...]
    speech: tuple[tuple[float, float], ...]  # where the VAD heard speech
    model: str
    elapsed: float  # seconds the transcription took

    def words(self) -> list[Word]:
        """The words for caption layout (studio.domain.captions.layout_cues)."""
        return [Word(w.text, w.start, w.end, w.probability) for s in self.segments for w in s.words]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def real_time_factor(self) -> float:
        return self.elapsed / self.duration if self.duration > 0 else 0.0


def segments_to_data(segments: tuple[Segment, ...]) -> list[dict[str, Any]]:
    """Segments as JSON-safe data (a job's checkpoint)."""
    return [{"start": s.start, "end": s.end, "text": s.text, "avg_logprob": s.avg_logprob,
             "no_speech_prob": s.no_speech_prob, "words": [[w.text, w.start, w.end, w.probability] for w in s.words]}
            for s in segments]


def segments_from_data(data: list[dict[str, Any]]) -> tuple[Segment, ...]:
    return tuple(Segment(float(s["start"]), float(s["end"]), str(s["text"]),
                         tuple(SpokenWord(str(w[0]), float(w[1]), float(w[2]), float(w[3])) for w in s["words"]),
                         float(s["avg_logprob"]), float(s["no_speech_prob"])) for s in data)


def speech_regions(audio: Samples, options: dict[str, int] | None = None) -> list[tuple[float, float]]:
    """(start, end) seconds of speech according to Silero VAD."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    chunks = get_speech_timestamps(audio, VadOptions(**(options or SNAP_VAD_OPTIONS)))
    return [(c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE) for c in chunks]


def plan_pieces(regions: list[tuple[float, float]], duration: float,
                longest: float = PIECE_SECONDS) -> list[tuple[float, float]]:
    """Cut [0, duration] into pieces of at most ``longest`` seconds, in the pauses between speech regions.

    A cut goes in the middle of the longest pause in the second half of the allowed length; speech that
    runs on longer than a piece without any pause is cut where it must be.
    """
    pieces: list[tuple[float, float]] = []
    start = 0.0
    while duration - start > longest:
        limit = start + longest
        pauses = [(b[0] - a[1], (a[1] + b[0]) / 2) for a, b in itertools.pairwise(regions)
                  if start + longest / 2 <= (a[1] + b[0]) / 2 < limit]
        cut = max(pauses)[1] if pauses else limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, duration))
    return pieces


class SpeechModel:
    """A loaded Whisper model (CTranslate2, int8 on the CPU). One job's model: see ``open_model``."""

    def __init__(self, path: Path, name: str = "", *, threads: int = 0, compute_type: str = "int8") -> None:
        from faster_whisper import WhisperModel

        self.path = path
        self.name = name or path.name
        self.threads = threads or max(1, os.cpu_count() or 1)
        try:
            self._model = WhisperModel(str(path), device="cpu", compute_type=compute_type,
                                       cpu_threads=self.threads, num_workers=1, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelBroken(f"het spraakmodel in {path} kan niet geladen worden: {str(exc)[:160]}",
                              f"haal het opnieuw op met 'studio models fetch {self.name}' of kies een ander "
                              "model in [captions] model") from None

    # -- checks ------------------------------------------------------------------------------------------
    def detect_language(self, audio: Samples, regions: list[tuple[float, float]]) -> tuple[str, dict[str, float]]:
        """Whisper's most likely language for the first speech, and every language's probability."""
        budget, parts = int(LANGUAGE_SAMPLE_SECONDS * SAMPLE_RATE), []
        for a, b in regions:
            part = audio[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)]
            parts.append(part[:budget])
            budget -= len(parts[-1])
            if budget <= 0:
                break
        speech = np.concatenate(parts) if parts else audio
        top, _p, probabilities = self._model.detect_language(
            speech, language_detection_segments=max(1, math.ceil(len(speech) / (30 * SAMPLE_RATE))))
        return str(top), {str(code): float(p) for code, p in probabilities}

    def check_language(self, audio: Samples, regions: list[tuple[float, float]], language: str) -> None:
        top, probabilities = self.detect_language(audio, regions)
        if (top != language and probabilities.get(top, 0.0) >= WRONG_LANGUAGE_CONFIDENCE
                and probabilities.get(language, 0.0) < 0.05):
            raise WrongLanguage(
                f"er wordt {language_name(top)} gesproken in de opname, niet {language_name(language)}",
                "controleer de taal van de sessie; klopt die toch, maak de ondertitels dan zonder taalcontrole")

    # -- the job -----------------------------------------------------------------------------------------
    def transcribe(self, audio: Samples, language: str, *, progress: ProgressFn | None = None,
                   cancel: threading.Event | None = None, check_language: bool = True,
                   beam_size: int = 5, piece_seconds: float | None = None, resume_from: float = 0.0,
                   done: tuple[Segment, ...] = (), on_piece: PieceFn | None = None) -> Transcript:
        """Words with times for ``audio`` (16 kHz mono float32) in ``language`` (nl, ar).

        ``on_piece(until, segments)`` is called after each piece with everything heard so far; a job that
        stopped can go on with ``resume_from=until, done=segments`` (the same sound gives the same pieces:
        the voice activity detection is deterministic). Raises NoSound, NoSpeech, WrongLanguage or
        TranscriptionCancelled (all SpeechError).
        """
        clock = time.monotonic()
        audio = np.ascontiguousarray(audio, dtype=np.float32).reshape(-1)
        duration = len(audio) / SAMPLE_RATE
        # the loudest sample, without a second copy of an hour of sound (NaN: not sound either)
        peak = max(float(audio.max()), -float(audio.min())) if len(audio) else 0.0
        if not math.isfinite(peak) or peak <= SILENT_PEAK:
            raise NoSound("de opname is stil: er is geen geluid opgenomen",
                          "controleer in OBS of de microfoon in de opname zit; zonder geluid geen ondertitels")
        regions = speech_regions(audio)
        if sum(b - a for a, b in regions) < MIN_SPEECH:
            raise NoSpeech("er wordt niet gesproken in de opname (alleen muziek of geruis?)",
                           "controleer of de microfoon van de wijkagent in de opname zit")
        self._stop_if(cancel)
        if check_language and resume_from <= 0:
            self.check_language(audio, regions, language)
        import ctranslate2

        ctranslate2.set_random_seed(SEED)  # process-wide; holds for this model's first job (module docstring)
        segments: list[Segment] = list(done)
        first = min(1.0, resume_from / duration) if duration > 0 else 0.0
        for piece_start, piece_end in plan_pieces(regions, duration, piece_seconds or PIECE_SECONDS):
            if piece_end <= resume_from + 1e-6:
                continue  # heard before the job stopped
            self._stop_if(cancel)
            piece = audio[int(piece_start * SAMPLE_RATE):int(piece_end * SAMPLE_RATE)]
            found, _info = self._model.transcribe(
                piece, language=language, task="transcribe", beam_size=beam_size, word_timestamps=True,
                vad_filter=True, vad_parameters=VAD_OPTIONS, condition_on_previous_text=False)
            try:
                for seg in found:
                    after = segments[-1].words[-1].start if segments and segments[-1].words else piece_start
                    segments.append(self._segment(seg, piece_start, piece_end, regions, after))
                    if progress is not None:
                        progress(_progress(min(duration, piece_start + float(seg.end)), duration, clock, first))
                    self._stop_if(cancel)
            finally:
                close = getattr(found, "close", None)
                if close is not None:
                    close()
            if on_piece is not None:
                on_piece(piece_end, tuple(segments))
            if progress is not None:
                progress(_progress(piece_end, duration, clock, first))
        if not any(s.words for s in segments):
            raise NoSpeech("er zijn geen woorden verstaan in de opname (alleen muziek of geruis?)",
                           "controleer of de microfoon van de wijkagent in de opname zit")
        return Transcript(language, duration, tuple(segments), tuple(regions), self.name, time.monotonic() - clock)

    @staticmethod
    def _stop_if(cancel: threading.Event | None) -> None:
        if cancel is not None and cancel.is_set():
            raise TranscriptionCancelled("ondertitelen afgebroken", "start opnieuw om de ondertitels te maken")

    @staticmethod
    def _segment(seg: Any, offset: float, piece_end: float, regions: list[tuple[float, float]],
                 after: float) -> Segment:
        heard = [(str(w.word).strip(), offset + float(w.start), offset + float(w.end), float(w.probability))
                 for w in seg.words or ()]
        words = place_words([w for w in heard if w[0]], offset, piece_end, regions, after)
        kept = drop_loops(drop_annotations(words))
        text = str(seg.text).strip() if len(kept) == len([w for w in heard if w[0]]) else " ".join(
            w.text for w in kept)
        return Segment(offset + float(seg.start), offset + float(seg.end), text, tuple(kept),
                       float(seg.avg_logprob), float(seg.no_speech_prob))


def _progress(position: float, duration: float, clock: float, first: float = 0.0) -> Progress:
    """Where the job is; the ETA from the pace of this run (``first``: the fraction it resumed at)."""
    fraction = min(1.0, position / duration) if duration > 0 else 1.0
    elapsed = time.monotonic() - clock
    done_here = fraction - first
    eta = elapsed * (1 - fraction) / done_here if done_here >= 0.02 else None
    return Progress(fraction, position, duration, elapsed, eta)


_LOADED: dict[tuple[Path, int], SpeechModel] = {}
_LOADED_LOCK = threading.Lock()


def open_model(setting: str, folder: Path, *, threads: int = 0) -> SpeechModel:
    """The configured model loaded for one job, not shared: its own CTranslate2 worker thread, so the fixed
    seed holds (module docstring), and its memory is given back when the job drops it (OBS needs it more)."""
    name, path = resolve_model(setting, folder)
    return SpeechModel(path, name, threads=threads)


def load_model(setting: str, folder: Path, *, threads: int = 0) -> SpeechModel:
    """The configured model (``[captions] model``: a name in ``folder`` or a folder), loaded once per process.

    Shared: a second transcription on it continues the sampling generator of the first (module docstring);
    jobs that must give the same captions on a rerun use ``open_model``."""
    name, path = resolve_model(setting, folder)
    key = (path.resolve(), threads)
    with _LOADED_LOCK:
        if key not in _LOADED:
            _LOADED[key] = SpeechModel(path, name, threads=threads)
        return _LOADED[key]


def unload_models() -> None:
    """Forget the loaded models (their memory is freed once no job holds one)."""
    with _LOADED_LOCK:
        _LOADED.clear()


__all__ = [
    "MAX_REPEATS",
    "MIN_WORD",
    "PIECE_SECONDS",
    "SAMPLE_RATE",
    "Progress",
    "Segment",
    "SpeechError",
    "SpeechModel",
    "SpokenWord",
    "Transcript",
    "drop_annotations",
    "drop_loops",
    "is_sound_annotation",
    "load_model",
    "open_model",
    "place_words",
    "plan_pieces",
    "segments_from_data",
    "segments_to_data",
    "snap_to_speech",
    "speech_regions",
    "unload_models",
]
