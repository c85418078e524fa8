"""All of the scrubber's own rules in one pass: fold the text, run every detector, map back, tidy up.

``scan(text, lang, is_street, extra)`` is what the scrubber (studio.deid) calls for every question. The
detectors here are pure; what needs a library's word lists comes in as arguments: ``is_street`` (the street
list) and ``extra`` (more detectors on the folded text: the de-identification adapter's person names).

Detectors, all on the folded copy (studio.domain.textnorm), so no invisible character, homoglyph or
Arabic-Indic digit lets a detail through:
phone, e-mail, postcode, plate, link (studio.domain.privacy, with its public numbers and sites kept visible),
IBAN, BSN, date of birth, handle (studio.domain.identifiers), numbers in words (studio.domain.number_words),
street addresses (studio.domain.addresses), names in Arabic script (studio.domain.arabic_names).

Tidying: identical findings once; an uncertain finding inside or overlapping a certain one is dropped (it is
hidden anyway); the result is sorted by position. Offsets are into ``text`` exactly as given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from studio.domain.addresses import StreetPredicate, find_addresses
from studio.domain.arabic_names import find_arabic_names
from studio.domain.identifiers import Hit, find_birthdates, find_bsns, find_handles, find_ibans
from studio.domain.number_words import find_number_words
from studio.domain.privacy import find_details
from studio.domain.redaction import Finding, ScrubResult, make_finding
from studio.domain.textnorm import Folded, fold

Detector = Callable[[str], Iterable[Hit]]

# Beyond this many characters a question is cut for detection and the rest hidden whole: a chat message is
# at most 200 characters on YouTube and the sanitiser caps at 500, so only hostile input gets here.
MAX_SCAN_CHARS = 20_000


def _no_street(_name: str) -> bool:
    return False


def rule_hits(folded: str, is_street: StreetPredicate = _no_street) -> list[Hit]:
    """Every pure detector's hits on the folded text."""
    hits: list[Hit] = [Hit(s, e, k) for s, e, k in find_details(folded)]
    for detector in (find_ibans, find_bsns, find_birthdates, find_handles, find_number_words, find_arabic_names):
        hits.extend(detector(folded))
    hits.extend(find_addresses(folded, is_street))
    return hits


def tidy(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    unique = sorted(set(findings))
    certain = [f for f in unique if f.certain]
    out = []
    for f in unique:
        if not f.certain and any(c.start < f.end and f.start < c.end for c in certain):
            continue
        out.append(f)
    return tuple(out)


def to_findings(folded: Folded, hits: Iterable[Hit], lang: str) -> list[Finding]:
    out = []
    for hit in hits:
        start, end = folded.span(hit.start, hit.end)
        if start < end:
            out.append(make_finding(hit.kind, start, end, lang, hit.certain))
    return out


def scan(
    text: str,
    lang: str = "nl",
    is_street: StreetPredicate = _no_street,
    extra: Sequence[Detector] = (),
) -> ScrubResult:
    """Scrub ``text`` with the pure rules (and ``extra`` detectors); never raises on any string."""
    lang = lang if lang in ("nl", "ar") else "nl"
    head = text[:MAX_SCAN_CHARS]
    folded = fold(head)
    hits = rule_hits(folded.text, is_street)
    for detector in extra:
        hits.extend(detector(folded.text))
    findings = to_findings(folded, hits, lang)
    if len(text) > MAX_SCAN_CHARS:
        findings.append(make_finding("manual", MAX_SCAN_CHARS, len(text), lang))
    return ScrubResult(text, lang, tidy(findings))
