"""What airs: the original, the scrubber's findings, and the moderator's decisions, composed deterministically.

A scrub produces *findings*: a kind, a span ``[start, end)`` of the original text (the text the caller gave,
never a normalised copy), the visible marker that replaces it, and whether it is *certain*. Certain findings
are replaced automatically. Uncertain ones ("a capitalised word pair that may be a name", "a number that may
be a house number") are shown to the moderator for a look and air unchanged unless the moderator masks them.

The moderator decides with two kinds of decisions:

* ``Mask(start, end, kind)``: hide any span by hand (a word the scrubber missed, or an uncertain finding
  confirmed: then it carries that finding's kind, so the marker says "[naam]" rather than "[weggelaten]");
* ``Restore(kind, start, end)``: a certain finding was a false positive; it airs as written. A restore names
  a finding exactly and never lifts a mask.

``compose(original, findings, masks, restores, lang)`` is a pure function of its arguments: store those five
and the aired text can be recomputed, audited and compared at any time. Overlapping or touching hidden spans
become one marker (no piece of either survives), whose kind is that of the longest part; spans of the same
kind separated only by spaces also merge ("Piet" + "Jansen" -> one "[naam]").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from studio.domain.texts import PRIVACY_MARKERS, privacy_marker

# Kinds (the existing five live in studio.domain.privacy under the same values).
PHONE = "phone"
EMAIL = "email"
POSTCODE = "postcode"
PLATE = "plate"
LINK = "link"
NAME = "name"
ADDRESS = "address"
IBAN = "iban"
BSN = "bsn"
BIRTHDATE = "birthdate"
HANDLE = "handle"
NUMBER_WORDS = "number_words"
MANUAL = "manual"

KINDS = (PHONE, EMAIL, POSTCODE, PLATE, LINK, NAME, ADDRESS, IBAN, BSN, BIRTHDATE, HANDLE, NUMBER_WORDS, MANUAL)
# When two kinds tie for the longest part of a merged span: the more specific one names the marker.
_KIND_RANK = {kind: rank for rank, kind in enumerate(
    (IBAN, BSN, EMAIL, LINK, PHONE, HANDLE, BIRTHDATE, POSTCODE, PLATE, ADDRESS, NAME, NUMBER_WORDS, MANUAL))}


@dataclass(frozen=True, order=True)
class Finding:
    """One detail in the original text: ``original[start:end]`` is it, ``marker`` replaces it on air."""

    start: int
    end: int
    kind: str
    marker: str
    certain: bool = True

    def as_public_dict(self) -> dict[str, object]:
        """Kind, offsets and marker: never the detail itself (for JSON, logs and the audit)."""
        return {"kind": self.kind, "start": self.start, "end": self.end, "marker": self.marker}


@dataclass(frozen=True, order=True)
class Mask:
    """The moderator hides ``[start, end)`` by hand; ``kind`` names the marker (MANUAL: "[weggelaten]")."""

    start: int
    end: int
    kind: str = MANUAL


@dataclass(frozen=True, order=True)
class Restore:
    """The moderator lets the finding with exactly this kind and span air as written."""

    kind: str
    start: int
    end: int

    @classmethod
    def of(cls, finding: Finding) -> Restore:
        return cls(finding.kind, finding.start, finding.end)


def make_finding(kind: str, start: int, end: int, lang: str, certain: bool = True) -> Finding:
    return Finding(start, end, kind, privacy_marker(kind, lang), certain)


def _check_span(start: int, end: int, length: int) -> None:
    if not 0 <= start < end <= length:
        raise ValueError(f"span [{start}, {end}) does not fit a text of {length} characters")


def hidden_spans(
    original: str,
    findings: Iterable[Finding],
    masks: Iterable[Mask] = (),
    restores: Iterable[Restore] = (),
) -> list[tuple[int, int, str]]:
    """The merged (start, end, kind) spans that ``compose`` replaces, left to right."""
    restored = {(r.kind, r.start, r.end) for r in restores}
    parts: list[tuple[int, int, str]] = []
    for f in findings:
        if f.certain and (f.kind, f.start, f.end) not in restored:
            _check_span(f.start, f.end, len(original))
            parts.append((f.start, f.end, f.kind))
    for m in masks:
        _check_span(m.start, m.end, len(original))
        if m.kind not in PRIVACY_MARKERS:
            raise ValueError(f"unknown kind {m.kind!r}")
        parts.append((m.start, m.end, m.kind))
    parts.sort()
    merged: list[tuple[int, int, str, int]] = []  # start, end, kind, length of the part that named it
    for start, end, kind in parts:
        if merged:
            m_start, m_end, m_kind, m_len = merged[-1]
            gap = original[m_end:start]
            touches = start <= m_end or (kind == m_kind and gap.isspace())
            if touches:
                length = end - start
                better = length > m_len or (length == m_len and _KIND_RANK[kind] < _KIND_RANK[m_kind])
                merged[-1] = (m_start, max(m_end, end), kind if better else m_kind, max(length, m_len))
                continue
        merged.append((start, end, kind, end - start))
    return [(s, e, k) for s, e, k, _ in merged]


def compose(
    original: str,
    findings: Iterable[Finding],
    masks: Iterable[Mask] = (),
    restores: Iterable[Restore] = (),
    lang: str = "nl",
) -> str:
    """The text that airs: ``original`` with every hidden span replaced by its marker (see module doc)."""
    out: list[str] = []
    pos = 0
    for start, end, kind in hidden_spans(original, findings, masks, restores):
        out.append(original[pos:start])
        out.append(privacy_marker(kind, lang))
        pos = end
    out.append(original[pos:])
    return "".join(out)


def original_span(original: str, findings: Iterable[Finding], start: int, end: int, lang: str = "nl") -> tuple[int, int]:
    """The span of ``original`` behind ``[start, end)`` of what airs (``compose(original, findings)``).

    A position inside a marker stands for the whole span the marker hides.
    """
    pieces: list[tuple[int, int, int, int, bool]] = []  # aired start, aired end, original start, end, marker
    pos = aired = 0
    for s_, e_, kind in hidden_spans(original, findings):
        if s_ > pos:
            pieces.append((aired, aired + s_ - pos, pos, s_, False))
            aired += s_ - pos
        marker = privacy_marker(kind, lang)
        pieces.append((aired, aired + len(marker), s_, e_, True))
        aired += len(marker)
        pos = e_
    pieces.append((aired, aired + len(original) - pos, pos, len(original), False))

    def at(i: int, left: bool) -> int:
        for a0, a1, o0, o1, is_marker in pieces:
            if a0 <= i < a1 or (not left and a0 < i <= a1):
                if is_marker:
                    return o0 if left else o1
                return o0 + (i - a0)
        return len(original)

    return at(start, True), at(end, False)


def settle(result: ScrubResult, rescan: Callable[[str], ScrubResult], rounds: int = 3) -> ScrubResult:
    """Scrub what airs again until nothing new is found there, so that it never holds a detail the filter
    would hide (a marker can glue what was left into a new shape: "A_A@0" airs as "[naam]@0"). What a later
    round finds is hidden in the original too (mapped back; a span touching a marker takes the marker's span)."""
    for _ in range(rounds):
        again = rescan(result.text).certain
        if not again:
            break
        extra = []
        for f in again:
            start, end = original_span(result.original, result.findings, f.start, f.end, result.lang)
            if start < end:
                extra.append(Finding(start, end, f.kind, f.marker, True))
        if not extra:
            break
        result = ScrubResult(result.original, result.lang, result.findings + tuple(extra))
    return result


@dataclass(frozen=True)
class ScrubResult:
    """A scrubbed question: the original as given, its language, and every finding (certain or not)."""

    original: str
    lang: str
    findings: tuple[Finding, ...] = field(default=())

    @property
    def certain(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.certain)

    @property
    def to_check(self) -> tuple[Finding, ...]:
        """Uncertain findings: highlighted for the moderator, not replaced unless masked."""
        return tuple(f for f in self.findings if not f.certain)

    @property
    def text(self) -> str:
        """What airs when the moderator changes nothing."""
        return compose(self.original, self.findings, lang=self.lang)

    @property
    def changed(self) -> bool:
        return bool(self.certain)

    def final(self, masks: Sequence[Mask] = (), restores: Sequence[Restore] = ()) -> str:
        """What airs with the moderator's masks and restores applied."""
        return compose(self.original, self.findings, masks, restores, self.lang)
