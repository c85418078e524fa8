"""How a scrubbed question is shown and shortened: pieces to highlight, words to pick, cuts that keep markers whole.

``segments(original, findings, masks, restores, lang)`` splits the original into consecutive pieces, each with
a *role* and the text it airs as:

* ``HIDDEN``: replaced by a marker on air (a certain finding not restored, or a mask; merged exactly as
  ``compose`` merges them, so ``"".join(s.aired for s in segments(...)) == compose(...)`` always);
* ``CHECK``: an uncertain finding that nobody masked: airs as written, shown for a look;
* ``RESTORED``: a certain finding the moderator let through: airs as written, shown as a decision;
* ``PLAIN``: everything else.

The moderator's screen draws the original from ``original[s.start:s.end]`` and the aired text from
``s.aired``, both styled by role, so a highlight in one pane has its marker in the other.

``word_spans`` lists the words of a question a moderator may mask by hand; ``shorten`` cuts an aired text on
a word boundary that is not inside a marker (a chapter title cut at "[telefoonnu" would show half a marker and
look like a broken text, and a cut inside "[naam]" could never leak, but one just after "[" reads as a bug).
Pure: standard library only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from studio.domain.redaction import Finding, Mask, Restore, hidden_spans
from studio.domain.texts import PRIVACY_MARKERS, privacy_marker

PLAIN = "plain"
HIDDEN = "hidden"
CHECK = "check"
RESTORED = "restored"


@dataclass(frozen=True)
class Segment:
    start: int  # into the original
    end: int
    role: str
    kind: str | None  # the finding's kind (HIDDEN: the marker's kind); None for PLAIN
    aired: str  # what this piece airs as: the marker for HIDDEN, else the original piece


def segments(
    original: str,
    findings: Iterable[Finding],
    masks: Sequence[Mask] = (),
    restores: Sequence[Restore] = (),
    lang: str = "nl",
) -> list[Segment]:
    findings = tuple(findings)
    restored = {(r.kind, r.start, r.end) for r in restores}
    hidden = hidden_spans(original, findings, masks, restores)
    # What is not hidden, character by character: the role of an uncertain or restored finding there.
    roles: list[tuple[str, str | None]] = [(PLAIN, None)] * len(original)
    for f in findings:
        if f.certain and (f.kind, f.start, f.end) in restored:
            role = RESTORED
        elif not f.certain:
            role = CHECK
        else:
            continue
        for i in range(max(0, f.start), min(len(original), f.end)):
            if roles[i][0] == PLAIN or role == CHECK:  # a look is the more urgent thing to show
                roles[i] = (role, f.kind)
    out: list[Segment] = []

    def plain_run(start: int, end: int) -> None:
        i = start
        while i < end:
            role, kind = roles[i]
            j = i + 1
            while j < end and roles[j] == (role, kind):
                j += 1
            out.append(Segment(i, j, role, kind, original[i:j]))
            i = j

    pos = 0
    for start, end, kind in hidden:
        plain_run(pos, start)
        out.append(Segment(start, end, HIDDEN, kind, privacy_marker(kind, lang)))
        pos = end
    plain_run(pos, len(original))
    return out


def text_digest(text: str) -> str:
    """Names one version of a question's text: decisions (offsets into it) are only valid for that version."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def still_to_check(segs: Iterable[Segment]) -> list[Segment]:
    """The uncertain pieces that will air as written unless the moderator masks them."""
    return [s for s in segs if s.role == CHECK]


# --- words the moderator can pick ------------------------------------------------------------------------

# A word: letters or digits, with the joiners that keep a detail in one piece ("06-41234567", "14a",
# "jan@example.nl", "o'neill"); punctuation around it stays outside.
_WORD_RE = re.compile(r"\w(?:[\w@.'’/+-]*\w)?")


def word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]


# --- shortening aired text ---------------------------------------------------------------------------------

_ALL_MARKERS = sorted({m for by_lang in PRIVACY_MARKERS.values() for m in by_lang.values()}, key=len, reverse=True)
_MARKER_RE = re.compile("|".join(re.escape(m) for m in _ALL_MARKERS))
ELLIPSIS = "…"


def marker_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _MARKER_RE.finditer(text)]


def shorten(text: str, max_chars: int) -> str:
    """``text`` if it fits, else cut at the last space before ``max_chars`` (ellipsis included) that is not
    inside a marker; a marker is kept whole or left out whole. Never longer than ``max_chars``."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    if max_chars < 2:
        return ELLIPSIS[:max_chars]
    limit = max_chars - len(ELLIPSIS)
    inside = marker_spans(text)

    def in_marker(i: int) -> bool:
        return any(s < i < e for s, e in inside)

    cut = next((i for i in range(limit, 0, -1) if text[i] == " " and not in_marker(i)), None)
    if cut is None:  # one long word: cut it, but never inside a marker
        cut = limit
        for s, e in inside:
            if s < cut < e:
                cut = s
    head = text[:cut].rstrip(" ,;:-")
    return head + ELLIPSIS if head else ELLIPSIS
