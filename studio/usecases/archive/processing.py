"""Process an archived recording: verify, cut off pre- and post-show at keyframes, remux to MP4, verify again.

Rules that protect the evidence:
- The original is only read. Its checksum is re-computed while ffmpeg reads it (a second thread on the other
  core; the page cache makes the second read nearly free) and must still match the catalogue.
- The new file is written under a temporary name in the same folder, probed and checksummed, and only then
  renamed to its final name. The final name never equals an original's name.
- On any failure (disk full, ffmpeg error, cancel) the partial output is removed and the entry says why.

Cost: the remux and then one SHA-256 pass over the new file (about 0.5 s per GB on one core), the rest runs
beside them on the other core. The new file cannot be hashed while ffmpeg writes it: an ordinary MP4 gets
its mdat size written into its first bytes when ffmpeg finishes. A fragmented MP4 could be hashed as it is
written, but an ordinary one is what every player and YouTube handle, so that is what we make.
"""

from __future__ import annotations

import concurrent.futures
import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studio import files
from studio.domain import show_timeline
from studio.media import ffmpeg, levels, remux
from studio.store import Store
from studio.store import archive as repo
from studio.usecases.archive import catalog
from studio.usecases.archive.catalog import ArchiveError

ProgressFn = Callable[[float, str], None]  # fraction 0..1, Dutch label of the phase

PROCESSED_SUFFIX = ".verwerkt.mp4"
STARTING_SCENES = ("Begint zo", "Starting soon")
END_SCENES = ("Einde", "End")


@dataclass(frozen=True)
class Cut:
    start: float  # seconds into the original (a keyframe)
    end: float | None  # None: to the end of what can be read
    reason: str


def processed_path_for(original: str | Path) -> Path:
    p = Path(original)
    name = p.name[: -len(p.suffix)] if p.suffix else p.name
    return p.with_name(name + PROCESSED_SUFFIX)


def temp_output_path(final: Path) -> Path:
    return final.with_name(f".{final.name}.{os.getpid()}.part.mp4")


def slate_scene_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The starting-soon and end scene names of the show (scenes/wijkspreekuur.toml via studio.obs.scenes)."""
    from studio.domain import scenes

    return (scenes.SCENE_STARTING, *STARTING_SCENES), (scenes.SCENE_END, *END_SCENES)


def scene_stretches(store: Store, entry: repo.Entry) -> list[show_timeline.Stretch]:
    """Which scene was on air when, in seconds from the recording's start (the session's scene marks)."""
    if not entry.session_id or entry.record_started_at is None:
        return []
    switches = [(m["at"] - entry.record_started_at, m["name"]) for m in repo.marks(store, entry.session_id, "scene")]
    return show_timeline.stretches(switches, entry.duration)


def show_window(store: Store, entry: repo.Entry, end_slate_seconds: float = 30.0) -> tuple[float, float | None, str]:
    """(start, end, reason) of what the archive keeps, from the scene switches of its session.

    Start: the last 10 s of the starting slate before the show. End: after the end slate, i.e. after the last
    run of the end scene that no scene of the show follows (studio.domain.show_timeline). Without marks
    (a stray recording) the whole file is kept.
    """
    if not entry.session_id or entry.record_started_at is None:
        return 0.0, None, "geen scènewissels bekend: hele opname"
    starting, ending = slate_scene_names()
    window = show_timeline.show_window(scene_stretches(store, entry), entry.duration, starting=starting,
                                       ending=ending, end_slate_seconds=end_slate_seconds)
    return window.start, window.end, window.reason


def plan_cut(store: Store, entry: repo.Entry, end_slate_seconds: float = 30.0) -> Cut:
    """The show window snapped to keyframes: start on the keyframe at or before, end on the first one past the
    end slate (so its last second is in the file)."""
    start, end, reason = show_window(store, entry, end_slate_seconds)
    if len(entry.sources) > 1 and (start > 0 or end is not None):
        return Cut(0.0, None, "meerdere bestanden: niet ingekort")
    original = entry.sources[0].path
    k_start = ffmpeg.keyframe_at_or_before(original, start) if start > 0 else 0.0
    k_end = ffmpeg.keyframe_at_or_after(original, end) if end is not None else None
    return Cut(k_start, k_end, reason)


@dataclass(frozen=True)
class ProcessResult:
    entry: repo.Entry
    cut: Cut
    audio: levels.AudioLevels | None
    warnings: tuple[str, ...]


def process(
    store: Store,
    entry_id: int,
    *,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    end_slate_seconds: float = 30.0,
    allow_silent: bool = False,
    check_space: bool = True,
) -> ProcessResult:
    entry = catalog.get(store, entry_id)
    if entry.original_pruned_at is not None:
        raise ArchiveError(f"het origineel van archiefnummer {entry_id} is al opgeruimd")
    for s in entry.sources:
        if not Path(s.path).is_file():
            raise ArchiveError(f"origineel {s.path} ontbreekt", "zet het bestand terug; verwerken kan niet zonder")
    report = progress or (lambda _f, _l: None)
    original = Path(entry.sources[0].path)
    final = processed_path_for(original)
    if final.resolve() in {Path(s.path).resolve() for s in entry.sources}:
        raise ArchiveError("de uitvoer zou het origineel overschrijven", "hernoem het origineel")
    for stale in final.parent.glob(f".{final.name}.*.part.mp4"):  # left by a run that crashed or was killed
        stale.unlink(missing_ok=True)
    tmp = temp_output_path(final)
    catalog.update(store, entry_id, state="processing", error="")
    store.audit("archive.process", {"entry": entry_id})
    try:
        report(0.0, "plannen")
        cut = plan_cut(store, entry, end_slate_seconds)
        expected = (cut.end if cut.end is not None else entry.duration) - cut.start
        if check_space:
            need = int(entry.size * (expected / entry.duration if entry.duration > 0 else 1.0) * 1.05) + (1 << 20)
            free = files.free_bytes(final.parent)
            if free < need:
                raise ffmpeg.DiskFull(
                    f"te weinig vrije ruimte in {final.parent}: {free >> 20} MB vrij, {need >> 20} MB nodig",
                    "maak ruimte vrij en probeer opnieuw; het origineel is onaangeroerd",
                )
        # Phase 1, on the two cores: ffmpeg remuxes (this thread follows its progress) while a worker re-reads
        # the originals, mostly from the page cache, to check them against the catalogue's checksums, and
        # probes them for a sound track.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            digests = pool.submit(lambda: [catalog.sha256_file(s.path) for s in entry.sources])
            sources_info = pool.submit(lambda: [ffmpeg.probe(s.path) for s in entry.sources])
            remux.remux(
                [s.path for s in entry.sources], tmp, start=cut.start or None, end=cut.end,
                expected_duration=expected, measure_audio=False,
                progress=lambda f: report(0.85 * f, "remuxen"), cancel=cancel,
            )
            report(0.85, "controleren")
            # Phase 2, the new file from the page cache: its checksum in this thread, started at once (the
            # originals' check may still be running: its verdict is awaited below, before anything is
            # renamed); beside it its probe, whether its sound is silent (the decode stops at the first loud
            # sample, so this is cheap unless the track is silent; it checks the file that will be published)
            # and the fsync that makes the rename below one of data on disk.
            out_probe = pool.submit(ffmpeg.probe, tmp)
            peak = pool.submit(levels.audio_peak, tmp)
            synced = pool.submit(files.fsync_file, tmp)
            size = tmp.stat().st_size
            digest = catalog.sha256_file(tmp, progress=lambda n: report(0.85 + 0.15 * n / max(1, size), "controlesom"))
            actual = digests.result()
            changed = [s.path for s, d in zip(entry.sources, actual, strict=True) if d != s.sha256]
            if changed:
                raise ArchiveError(f"het origineel {Path(changed[0]).name} is veranderd sinds het archiveren",
                                   "verwerken gestopt; controleer het bestand ('studio archive verify')")
            had_audio = any(i.audio is not None for i in sources_info.result())
            out_info = out_probe.result()
            audio = peak.result() if had_audio else None
            synced.result()
        warnings = _check_output(entry, out_info, expected, audio, allow_silent, had_audio)
        os.replace(tmp, final)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        message = exc.message if isinstance(exc, ArchiveError | ffmpeg.MediaError) else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, KeyboardInterrupt):
            message = "afgebroken"
        catalog.update(store, entry_id, state="failed", error=message)
        store.audit("archive.process", {"entry": entry_id}, message)
        raise
    entry = catalog.update(
        store, entry_id, state="processed", error="; ".join(warnings), processed_path=str(final),
        processed_sha256=digest, processed_size=final.stat().st_size, processed_duration=out_info.duration,
        trim_start=cut.start, trim_end=cut.end if cut.end is not None else entry.duration,
        processed_pruned_at=None,
    )
    report(1.0, "klaar")
    return ProcessResult(entry, cut, audio, tuple(warnings))


def _check_output(entry: repo.Entry, out: ffmpeg.ProbeResult, expected: float, audio: levels.AudioLevels | None,
                  allow_silent: bool, had_audio: bool) -> list[str]:
    warnings: list[str] = []
    if out.video is None:
        raise ArchiveError("het verwerkte bestand heeft geen beeld", "het origineel is onaangeroerd")
    if had_audio and out.audio is None:
        raise ArchiveError("het verwerkte bestand heeft geen geluid", "het origineel is onaangeroerd")
    if not had_audio:
        warnings.append("de opname heeft geen geluidsspoor")
    tolerance = max(2.0, 0.02 * expected)
    if expected > 0 and abs(out.duration - expected) > tolerance:
        raise ArchiveError(
            f"het verwerkte bestand duurt {out.duration:.1f} s in plaats van {expected:.1f} s",
            "het origineel is onaangeroerd; probeer opnieuw of meld het",
        )
    if audio is not None and audio.is_silent():
        level = f"{audio.max_volume_db:.0f} dB" if math.isfinite(audio.max_volume_db) else "digitale stilte"
        msg = f"het geluid is stil (hoogste niveau {level})"
        if not allow_silent:
            raise ArchiveError(msg, "controleer de microfoon in de opname; verwerk toch met --allow-silent")
        warnings.append(msg)
    if entry.truncated:
        warnings.append("het origineel was afgebroken: alleen het leesbare deel is verwerkt")
    return warnings
