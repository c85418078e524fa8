"""Subtitle files: WebVTT and SRT written and read, the plain-text transcript, written atomically.

Owns the two format libraries: ``webvtt-py`` (WebVTT) and ``srt`` (SubRip). Why two: webvtt-py also
reads SRT, but silently drops a cue it cannot read or whose text is empty, and a reader that must refuse
bad files (the YouTube emulator) needs to see those; ``srt`` parses strictly and keeps empty cues.

Below the adapters and above the store in the layers: the YouTube emulator reads uploaded tracks with
it, the use cases write the files beside a recording with it. It never decides what a cue says; that is
``studio.domain.captions``.
"""

from studio.subtitles.files import (
    CaptionFiles,
    SubtitleWriteError,
    caption_paths,
    write_caption_files,
)
from studio.subtitles.formats import (
    ParsedCue,
    SubtitleFormatError,
    parse_subtitles,
    to_srt,
    to_transcript,
    to_webvtt,
)

__all__ = [
    "CaptionFiles", "ParsedCue", "SubtitleFormatError", "SubtitleWriteError", "caption_paths",
    "parse_subtitles", "to_srt", "to_transcript", "to_webvtt", "write_caption_files",
]
