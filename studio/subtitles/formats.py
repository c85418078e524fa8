"""WebVTT, SRT and plain text from cues, and cues from WebVTT or SRT.

Cue text arrives in logical order without direction marks (studio.domain.captions); the marks a player
needs are added here per line (``display_line``). WebVTT escapes ``&``, ``<`` and ``>`` as the format
requires (webvtt-py writes text as given); SRT has no escapes, so angle brackets become ‹ › there rather
than being read as formatting tags.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from studio.domain.captions import Cue, display_line
from studio.domain.labels import clock
from studio.errors import StudioError


class SubtitleFormatError(StudioError):
    """The data is not a WebVTT or SRT file that can be read (one Dutch line)."""


@dataclass(frozen=True)
class ParsedCue:
    index: int  # 1-based position in the file
    start: float
    end: float
    text: str  # as in the file (marks included), lines joined with "\n"


def _stamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _vtt_escape(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _lines(cue: Cue, language: str) -> list[str]:
    return [display_line(line, language) for line in cue.lines if line.strip()]


def to_webvtt(cues: Sequence[Cue], language: str) -> str:
    from webvtt import Caption, WebVTT

    doc = WebVTT(captions=[
        Caption(_stamp(c.start, "."), _stamp(c.end, "."), [_vtt_escape(line) for line in _lines(c, language)])
        for c in cues
    ])
    return str(doc.content)


def to_srt(cues: Sequence[Cue], language: str) -> str:
    import srt

    subs = [
        srt.Subtitle(i, dt.timedelta(milliseconds=round(c.start * 1000)), dt.timedelta(milliseconds=round(c.end * 1000)),
                     "\n".join(line.replace("<", "‹").replace(">", "›") for line in _lines(c, language)))
        for i, c in enumerate(cues, 1)
    ]
    return str(srt.compose(subs, reindex=False))


def to_transcript(cues: Sequence[Cue], language: str, paragraph_pause: float = 2.0) -> str:
    """Running text in paragraphs (a new one after a pause), each opened by its time: [0:01:23]."""
    paragraphs: list[tuple[float, list[str]]] = []
    previous_end: float | None = None
    for cue in cues:
        words = " ".join(line.strip() for line in cue.lines if line.strip())
        if not words:
            continue
        if previous_end is None or cue.start - previous_end >= paragraph_pause:
            paragraphs.append((cue.start, []))
        paragraphs[-1][1].append(words)
        previous_end = cue.end
    return "".join(f"[{clock(at)}] {display_line(' '.join(parts), language)}\n\n" for at, parts in paragraphs)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubtitleFormatError("het ondertitelbestand is geen UTF-8-tekst",
                                  "sla het op als UTF-8 (WebVTT of SRT)") from None


def parse_subtitles(data: bytes | str) -> tuple[str, list[ParsedCue]]:
    """("vtt" or "srt", the cues in file order). Empty cue texts are kept (the caller decides)."""
    text = _decode(data)
    if text.lstrip(" \t").startswith("WEBVTT"):
        import webvtt
        from webvtt.errors import MalformedCaptionError, MalformedFileError

        try:
            doc = webvtt.WebVTT.from_buffer(io.StringIO(text), strict=True)
        except (MalformedFileError, MalformedCaptionError) as exc:
            raise SubtitleFormatError(f"het WebVTT-bestand is onleesbaar: {exc}",
                                      "controleer de tijdregels (00:00:01.000 --> 00:00:02.000)") from None
        # webvtt-py's start_in_seconds drops the milliseconds: read the stamps here
        return "vtt", [ParsedCue(i, _seconds(c.start), _seconds(c.end), str(c.raw_text))
                       for i, c in enumerate(doc.captions, 1)]
    import srt

    try:
        subs = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as exc:
        raise SubtitleFormatError(f"het bestand is geen WebVTT of SRT: {str(exc)[:120]}",
                                  "lever een .vtt- of .srt-bestand aan") from None
    if not subs:
        raise SubtitleFormatError("het ondertitelbestand bevat geen ondertitels", "lever een gevuld bestand aan")
    return "srt", [ParsedCue(i, s.start.total_seconds(), s.end.total_seconds(), s.content)
                   for i, s in enumerate(subs, 1)]


def _seconds(stamp: str) -> float:
    """'01:02:03.456' (or '02:03.456') as seconds, to the millisecond."""
    clock, _, ms = stamp.partition(".")
    parts = [int(p) for p in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    h, m, s = parts
    return ((h * 3600 + m * 60 + s) * 1000 + int(ms.ljust(3, "0")[:3])) / 1000
