"""The caption files beside a recording, written all or nothing.

``<recording stem>.<lang>.vtt``, ``.srt`` and ``.txt`` (the transcript) sit beside the recording (YouTube
and players find ``name.nl.vtt`` next to ``name.mp4`` by that convention). Each file is first written in
full to a temporary file in the same folder and fsync'ed; only when all three are complete are they
renamed into place, so a full disk or a crash leaves the old files (or none), never half of one.
``studio.files.write_atomic`` does this for one file; three that belong together need the renames held
back until all are written, which is what ``write_texts`` adds (same temporary files, mode 0600).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studio.domain.captions import Cue
from studio.errors import StudioError
from studio.files import fsync_dir
from studio.subtitles.formats import to_srt, to_transcript, to_webvtt


class SubtitleWriteError(StudioError):
    """The caption files could not be written; nothing half-written is left."""


class SubtitleDiskFull(SubtitleWriteError):
    pass


@dataclass(frozen=True)
class CaptionFiles:
    vtt: Path
    srt: Path
    transcript: Path

    def all(self) -> tuple[Path, Path, Path]:
        return (self.vtt, self.srt, self.transcript)


def caption_paths(recording: str | Path, language: str) -> CaptionFiles:
    """Where the captions of ``recording`` in ``language`` live: beside it, named after it."""
    p = Path(recording)
    base = p.with_name(f"{p.stem}.{language}")
    return CaptionFiles(base.with_name(base.name + ".vtt"), base.with_name(base.name + ".srt"),
                        base.with_name(base.name + ".txt"))


def _write_temp(folder: Path, final: Path, text: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_texts(files: Sequence[tuple[Path, str]]) -> None:
    """Write every (path, text) or none of them (all in one folder or several)."""
    temps: list[tuple[Path, Path]] = []
    try:
        for final, text in files:
            final.parent.mkdir(parents=True, exist_ok=True)
            temps.append((_write_temp(final.parent, final, text), final))
        for tmp, final in temps:
            os.replace(tmp, final)
    except OSError as exc:
        for tmp, _final in temps:
            tmp.unlink(missing_ok=True)
        folder = files[0][0].parent if files else Path(".")
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise SubtitleDiskFull(f"de schijf is vol: de ondertitels zijn niet geschreven ({folder})",
                                   "maak ruimte vrij en probeer opnieuw; de opname is onaangeroerd") from None
        raise SubtitleWriteError(f"kan de ondertitels niet schrijven in {folder}: {exc.strerror or exc}",
                                 "controleer of de map bestaat en schrijfbaar is; de opname is onaangeroerd") from None
    except BaseException:
        for tmp, _final in temps:
            tmp.unlink(missing_ok=True)
        raise
    for folder in {final.parent for _tmp, final in temps}:
        fsync_dir(folder)


def write_caption_files(cues: Sequence[Cue], language: str, recording: str | Path) -> CaptionFiles:
    """WebVTT, SRT and the transcript of ``cues`` beside ``recording``; returns where they are."""
    paths = caption_paths(recording, language)
    write_texts([(paths.vtt, to_webvtt(cues, language)), (paths.srt, to_srt(cues, language)),
                 (paths.transcript, to_transcript(cues, language))])
    return paths
