"""Chapters for a published recording, following YouTube's rules, and the description that carries them.

YouTube only shows chapters when the description lists timestamps that: start with 0:00, number at least
three, ascend, and are each at least 10 seconds long (the last one too: up to the end of the video).
A list that breaks a rule is silently ignored by YouTube, so ``build_chapters`` returns either a list that
keeps every rule or an empty list.

Times are whole seconds from the start of the published video (callers subtract the trimmed pre-show).
Titles come partly from chat questions: they are untrusted and cleaned here (one line, no < or >, short).
Pure: standard library only.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_CHAPTER_SECONDS = 10
MIN_CHAPTERS = 3
DESCRIPTION_MAX_BYTES = 5000
TITLE_MAX_CHARS = 80



@dataclass(frozen=True)
class Mark:
    """Something that started at ``at`` seconds (a question on air, a scene switch)."""

    at: float
    title: str


@dataclass(frozen=True)
class Chapter:
    start: int  # whole seconds
    title: str


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LEADING_TIME = re.compile(r"^\(?\d{1,2}(:\d{2}){1,2}\)?\s*")


def clean_title(text: str, max_chars: int = TITLE_MAX_CHARS) -> str:
    """One short line without angle brackets, control or bidi-override characters, or a leading timestamp."""
    t = unicodedata.normalize("NFC", text or "")
    t = _CONTROL.sub(" ", t).replace("<", "").replace(">", "")
    t = " ".join(t.split())
    while (stripped := _LEADING_TIME.sub("", t)) != t:  # a title starting with 1:23 would read as a chapter
        t = stripped.strip()
    if len(t) > max_chars:
        t = t[: max_chars - 1].rstrip() + "…"
    return t


def build_chapters(
    marks: Iterable[Mark], duration: float, intro_title: str = "Welkom", min_seconds: int = MIN_CHAPTER_SECONDS
) -> list[Chapter]:
    """A chapter list that keeps YouTube's rules for a video of ``duration`` seconds, or [] if none can.

    Marks outside the video are ignored; a mark less than ``min_seconds`` after the previous chapter is
    dropped, except that a mark in the first ``min_seconds`` names the opening chapter (at 0:00) instead of
    the generic ``intro_title``. Chapters too close to the end are dropped from the end.
    """
    if not math.isfinite(duration) or duration <= 0:
        return []
    end = math.floor(duration)
    chapters: list[Chapter] = [Chapter(0, clean_title(intro_title) or "Begin")]
    intro_named = False
    for mark in sorted((m for m in marks if math.isfinite(m.at)), key=lambda m: m.at):
        at = math.floor(mark.at)
        title = clean_title(mark.title)
        if not title or at < 0 or at >= end:
            continue
        if at < min_seconds and not intro_named:
            chapters[0] = Chapter(0, title)
            intro_named = True
            continue
        if at - chapters[-1].start >= min_seconds:
            chapters.append(Chapter(at, title))
    while len(chapters) > 1 and end - chapters[-1].start < min_seconds:
        chapters.pop()
    if len(chapters) < MIN_CHAPTERS or end - chapters[-1].start < min_seconds:
        return []
    return chapters


def format_timestamp(seconds: int) -> str:
    """0:00, 12:34 or 1:02:03 (the forms YouTube recognises; the first chapter is always 0:00)."""
    h, rest = divmod(max(0, int(seconds)), 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h}:{m:02d}:{s:02d}"
    return f"{m}:{s:02d}"


def format_chapters(chapters: Sequence[Chapter]) -> str:
    return "\n".join(f"{format_timestamp(c.start)} {c.title}" for c in chapters)


def parse_timestamp(text: str) -> int:
    parts = [int(p) for p in text.split(":")]
    total = 0
    for p in parts:
        total = total * 60 + p
    return total


def clean_description_text(text: str) -> str:
    """Description text YouTube accepts: no < or >, no control characters except newlines."""
    t = (text or "").replace("<", "").replace(">", "")
    return "\n".join(_CONTROL.sub(" ", line).rstrip() for line in t.split("\n"))


def compose_description(
    intro: str, chapters: Sequence[Chapter], footer: str = "", max_bytes: int = DESCRIPTION_MAX_BYTES
) -> str:
    """``intro``, the chapter list and ``footer``, within ``max_bytes`` UTF-8 bytes and without < or >.

    Space is given up in this order: the footer, then the intro (cut at a word), then chapter titles are
    shortened; the timestamps themselves are never dropped while the list could still stand on its own.
    """
    intro_c, footer_c = clean_description_text(intro).strip(), clean_description_text(footer).strip()
    chap = list(chapters)

    def assemble(i: str, chs: Sequence[Chapter], f: str) -> str:
        blocks = [b for b in (i, format_chapters(chs), f) if b]
        return "\n\n".join(blocks)

    def size(s: str) -> int:
        return len(s.encode("utf-8"))

    text = assemble(intro_c, chap, footer_c)
    if size(text) <= max_bytes:
        return text
    text = assemble(intro_c, chap, "")
    if size(text) > max_bytes:
        room = max_bytes - size(assemble("", chap, "")) - 2
        intro_c = _cut_bytes(intro_c, max(0, room))
        text = assemble(intro_c, chap, "")
    limit = TITLE_MAX_CHARS
    while size(text) > max_bytes and limit > 8 and chap:
        limit = max(8, limit // 2)
        chap = [Chapter(c.start, clean_title(c.title, limit)) for c in chap]
        text = assemble(intro_c, chap, "")
    if size(text) > max_bytes:  # pathological: keep what fits, whole lines only
        text = _cut_bytes(text, max_bytes, whole_lines=True)
    return text


def _cut_bytes(text: str, max_bytes: int, whole_lines: bool = False) -> str:
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    cut = text.encode("utf-8")[: max(0, max_bytes - len("…".encode()))].decode("utf-8", "ignore")
    sep = "\n" if whole_lines else " "
    if sep in cut:
        cut = cut[: cut.rfind(sep)]
    return cut.rstrip() + ("" if whole_lines else "…")


def chapters_from_description(text: str) -> list[Chapter]:
    """The chapter lines of a description (for checks and tests): lines starting with a timestamp."""
    out: list[Chapter] = []
    for line in text.splitlines():
        m = re.match(r"^(\d{1,2}(?::\d{2}){1,2})\s+(.*)$", line.strip())
        if m:
            out.append(Chapter(parse_timestamp(m.group(1)), m.group(2)))
    return out


def follows_youtube_rules(chapters: Sequence[Chapter], duration: float) -> bool:
    if len(chapters) < MIN_CHAPTERS or chapters[0].start != 0:
        return False
    starts = [c.start for c in chapters] + [math.floor(duration)]
    return all(b - a >= MIN_CHAPTER_SECONDS for a, b in itertools.pairwise(starts))
