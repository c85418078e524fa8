"""Captions benchmarks: transcription speed and memory with the Whisper base model, and the word error rate.

1. ``captions_transcribe_rtf``: seconds of transcription per second of sound (real-time factor) of
   ``SpeechModel.transcribe`` with the base model (int8, all cores) on a synthetic Dutch recording:
   ten espeak-ng sentences with pauses, repeated to ``--minutes``, encoded as AAC in Matroska like OBS's.
   Target <= 0.5 (an hour in at most 30 minutes). Baseline in the same run: ffmpeg decoding the same
   recording's sound to 16 kHz (``studio.media.pcm``), the step before it.
2. ``captions_peak_memory``: peak resident memory of a process that decodes and transcribes that recording,
   against one that only loads the model. Target <= 1.5 GB.
3. ``captions_wer_dutch_synthetic``: word error rate (jiwer) of the ten sentences once, after lower-casing
   and removing punctuation. espeak's voice is robotic: this is a figure to follow, not a verdict.
4. ``captions_job``: the whole job as the panel's queue and ``studio archive caption`` run it (the archive use
   case: decode, hear with a model of its own, lay out, mark with the privacy filter, write the files, store),
   real-time factor and peak memory, against the bare transcription of (1) and (2) in the same run: what the
   wiring adds.

The model is the test model (tests/fixtures/whisper.py reassembles it from the dev extra's packages).

    python -m bench.captions [--minutes 10] [--threads 0]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = [
    "Goedenavond en welkom bij het digitale wijkspreekuur van de politie in Heerlen.",
    "Vandaag praten we over fietsendiefstal en hoe u uw fiets kunt beveiligen.",
    "Gebruik altijd twee sloten, bij voorkeur een kettingslot en een ringslot.",
    "Laat uw fiets graveren bij de gemeente, dat is gratis.",
    "Bij spoed belt u altijd het alarmnummer.",
    "Voor een gesprek zonder spoed kunt u de politie bellen.",
    "Er is een vraag binnengekomen over inbraak in een schuur.",
    "Zorg voor goede verlichting rond het huis en sluit de schuur altijd af.",
    "De wijkagent is elke dinsdag aanwezig in het buurthuis.",
    "Dank u wel voor het kijken en tot de volgende keer.",
]
PAUSES = [1.5, 2.5, 0.8, 3.5]


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def make_recording(folder: Path, minutes: float) -> tuple[Path, Path]:
    """(the sentences once as wav, the recording: those sentences repeated to ``minutes``, as MKV with AAC)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.fixtures.whisper import speak

    once = speak(folder / "zinnen.wav", SENTENCES, "nl", PAUSES).path
    seconds = float(subprocess.run(["soxi", "-D", str(once)], capture_output=True, text=True, check=True).stdout)
    loops = max(0, int(minutes * 60 / seconds + 0.999) - 1)
    recording = folder / "opname.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:size=320x180:rate=5",
                    "-stream_loop", str(loops), "-i", str(once), "-shortest", "-c:v", "libx264", "-preset",
                    "ultrafast", "-c:a", "aac", "-b:a", "96k", str(recording)], check=True, timeout=900)
    return once, recording


def child(mode: str, model: str, media: str, threads: int) -> None:
    """Run in a process of its own so that its peak memory is its own."""
    from studio.media.pcm import decode_speech_audio
    from studio.speech.transcribe import SpeechModel

    t0 = time.perf_counter()
    speech = SpeechModel(Path(model), "base", threads=threads)
    loaded = time.perf_counter() - t0
    out: dict[str, object] = {"load_s": loaded}
    if mode in ("decode", "transcribe"):
        t1 = time.perf_counter()
        audio = decode_speech_audio(media)
        out["decode_s"] = time.perf_counter() - t1
        out["duration_s"] = audio.duration
        if mode == "transcribe":
            t2 = time.perf_counter()
            transcript = speech.transcribe(audio.samples, "nl", check_language=False)
            out["transcribe_s"] = time.perf_counter() - t2
            out["text"] = transcript.text
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out, ensure_ascii=False))


def job_child(model: str, media: str, threads: int) -> None:
    """The archive use case's job in a process of its own, on a catalogued copy of the recording."""
    from studio.config import load_settings
    from studio.usecases.archive import captions, catalog
    from studio.usecases.context import Studio

    with tempfile.TemporaryDirectory(prefix="bench-captions-job-") as tmp:
        (Path(tmp) / "studio.toml").write_text("", encoding="utf-8")  # the defaults, nothing of the user's own
        settings = load_settings(Path(tmp) / "studio.toml", env={"STUDIO_DATA_DIR": str(Path(tmp) / "data"),
                                                                "STUDIO_CAPTIONS_MODEL": model})
        with Studio(settings) as ctx:
            entry = catalog.add_recording(ctx.store, [media], None)
            t0 = time.perf_counter()
            made = captions.make(ctx.store, settings, entry.id, threads=threads,
                                 finder_for=lambda lang: captions.privacy_finder(ctx.scrubber, lang))
            out = {"job_s": time.perf_counter() - t0, "duration_s": made.duration, "cues": made.cues,
                   "to_check": made.to_check,
                   "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    print(json.dumps(out))


def _run_child(mode: str, model: Path, media: Path, threads: int) -> dict[str, object]:
    proc = subprocess.run([sys.executable, "-m", "bench.captions", "--child", mode, str(model), str(media),
                           str(threads)], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parent.parent)
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.captions")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=0, help="0: all cores")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, model, media, threads = args.child
        if mode == "job":
            job_child(model, media, int(threads))
        else:
            child(mode, model, media, int(threads))
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.fixtures.whisper import test_model_dir

    model = test_model_dir()
    with tempfile.TemporaryDirectory(prefix="bench-captions-") as tmp:
        once, recording = make_recording(Path(tmp), args.minutes)
        loaded = _run_child("load", model, recording, args.threads)
        full = _run_child("transcribe", model, recording, args.threads)
        duration = float(full["duration_s"])  # type: ignore[arg-type]
        rtf = float(full["transcribe_s"]) / duration  # type: ignore[arg-type]
        decode_rtf = float(full["decode_s"]) / duration  # type: ignore[arg-type]
        print(json.dumps({
            "bench": "captions_transcribe_rtf", "value": round(rtf, 3), "unit": "s per s of sound",
            "audio_minutes": round(duration / 60, 1), "model": "whisper base (CTranslate2 int8)",
            "baseline": "ffmpeg decoding the same recording's sound to 16 kHz", "baseline_rtf": round(decode_rtf, 4),
            "ratio": round(rtf / decode_rtf, 1) if decode_rtf > 0 else None,
            "model_load_s": round(float(full["load_s"]), 2),  # type: ignore[arg-type]
            "target": "<=0.5", "meets_target": rtf <= 0.5,
        }), flush=True)
        peak, base = float(full["peak_rss_mb"]), float(loaded["peak_rss_mb"])  # type: ignore[arg-type]
        print(json.dumps({
            "bench": "captions_peak_memory", "value_mb": round(peak), "audio_minutes": round(duration / 60, 1),
            "baseline": "a process that only loads the model", "baseline_mb": round(base),
            "ratio": round(peak / base, 2), "target": "<=1536 MB", "meets_target": peak <= 1536,
        }), flush=True)
        # the job as the archive runs it, on a copy beside which its files may be written
        copy = Path(tmp) / "job" / "opname.mkv"
        copy.parent.mkdir()
        copy.write_bytes(recording.read_bytes())
        job = _run_child("job", model, copy, args.threads)
        job_rtf = float(job["job_s"]) / float(job["duration_s"])  # type: ignore[arg-type]
        print(json.dumps({
            "bench": "captions_job", "rtf": round(job_rtf, 3), "peak_mb": round(float(job["peak_rss_mb"])),  # type: ignore[arg-type]
            "audio_minutes": round(float(job["duration_s"]) / 60, 1),  # type: ignore[arg-type]
            "cues": job["cues"], "to_check": job["to_check"],
            "baseline": "the bare transcription above (rtf, peak memory)", "baseline_rtf": round(rtf, 3),
            "baseline_mb": round(peak), "ratio_rtf": round(job_rtf / rtf, 2) if rtf > 0 else None,
            "ratio_mb": round(float(job["peak_rss_mb"]) / peak, 2),  # type: ignore[arg-type]
            "target": "rtf <= 0.5, peak <= 1536 MB",
            "meets_target": job_rtf <= 0.5 and float(job["peak_rss_mb"]) <= 1536,  # type: ignore[arg-type]
        }), flush=True)
        import jiwer

        from studio.media.pcm import decode_speech_audio
        from studio.speech.transcribe import SpeechModel

        speech = SpeechModel(model, "base", threads=args.threads)
        heard = speech.transcribe(decode_speech_audio(once).samples, "nl", check_language=False).text
        reference = _normalise(" ".join(SENTENCES))
        wer = jiwer.wer(reference, _normalise(heard))
        print(json.dumps({
            "bench": "captions_wer_dutch_synthetic", "value": round(wer, 3), "sentences": len(SENTENCES),
            "words": len(reference.split()), "voice": "espeak-ng nl", "model": "whisper base",
            "note": "robotic synthetic voice; a figure to follow, not a verdict", "heard": heard,
        }, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
