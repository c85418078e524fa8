"""The privacy corpus (tests/data/privacy/corpus.jsonl) and how a scrubber is scored on it.

Shared by the regression tests (tests/unit/test_privacy_corpus.py, tests/integration/test_deid_scrubber.py)
and the benchmark (bench/privacy.py), so both count the same way:

* an annotated span is *caught* when every letter and digit in it is inside a certain finding (of any kind:
  a phone number hidden as "[BSN]" is still hidden); it is *flagged* when covered by certain or uncertain
  findings together;
* recall per category: names are split into Latin script ("name") and Arabic script ("name_ar");
* a clean question (no spans) is *changed* when the scrubber has any certain finding in it;
* false positives: certain findings in annotated questions that touch no annotated span.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studio.domain.redaction import Finding, ScrubResult

CORPUS = Path(__file__).parent / "data" / "privacy" / "corpus.jsonl"
# Written after the rules were tuned on CORPUS, to show over-fitting (see its source's header).
HOLDOUT = CORPUS.with_name("holdout.jsonl")
_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")

# The targets (issue 11).
RECALL_TARGETS = {
    "phone": 0.99, "email": 0.99, "iban": 0.99, "bsn": 0.99, "postcode": 0.99, "plate": 0.99,
    "name": 0.95, "address": 0.95, "name_ar": 0.90,
}  # fmt: skip
MAX_CLEAN_CHANGED = 0.02


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    value: str

    @property
    def category(self) -> str:
        if self.kind == "name" and _ARABIC_RE.search(self.value):
            return "name_ar"
        return self.kind


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    text: str
    spans: tuple[Span, ...]


def load(path: Path = CORPUS) -> list[Question]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        Question(r["id"], r["lang"], r["text"], tuple(Span(s["kind"], s["start"], s["end"], s["value"])
                                                      for s in r["spans"]))
        for r in rows
    ]


def _covered(text: str, span: Span, findings: Iterable[Finding]) -> bool:
    hidden = set()
    for f in findings:
        hidden.update(range(max(f.start, span.start), min(f.end, span.end)))
    return all(i in hidden for i in range(span.start, span.end) if text[i].isalnum())


@dataclass
class Score:
    caught: dict[str, int] = field(default_factory=dict)
    flagged: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    clean: int = 0
    clean_changed: list[str] = field(default_factory=list)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)  # (id, kind, text)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (id, category, value)

    def recall(self, category: str) -> float:
        total = self.total.get(category, 0)
        return self.caught.get(category, 0) / total if total else 1.0

    def flagged_recall(self, category: str) -> float:
        total = self.total.get(category, 0)
        return self.flagged.get(category, 0) / total if total else 1.0

    @property
    def clean_changed_ratio(self) -> float:
        return len(self.clean_changed) / self.clean if self.clean else 0.0


def score(questions: Iterable[Question], scrub: Callable[[str, str], ScrubResult]) -> Score:
    out = Score()
    for q in questions:
        result = scrub(q.text, q.lang)
        certain = [f for f in result.findings if f.certain]
        if not q.spans:
            out.clean += 1
            if certain:
                out.clean_changed.append(q.id)
            continue
        for span in q.spans:
            cat = span.category
            out.total[cat] = out.total.get(cat, 0) + 1
            if _covered(q.text, span, certain):
                out.caught[cat] = out.caught.get(cat, 0) + 1
            else:
                out.missed.append((q.id, cat, span.value))
            if _covered(q.text, span, result.findings):
                out.flagged[cat] = out.flagged.get(cat, 0) + 1
        for f in certain:
            if not any(f.start < s.end and s.start < f.end for s in q.spans):
                out.false_positives.append((q.id, f.kind, q.text[f.start : f.end]))
    return out
