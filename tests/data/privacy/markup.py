"""Turn corpus_source.txt and holdout_source.txt (questions with {kind|text} marks) into corpus.jsonl and
holdout.jsonl (text + spans with offsets).

    python tests/data/privacy/markup.py          # rewrites both .jsonl files beside this file

The test tests/unit/test_privacy_corpus.py checks that corpus.jsonl is what this script makes of the source
and that every span's offsets point at its text, so the two can never drift apart.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
SOURCE = HERE / "corpus_source.txt"
CORPUS = HERE / "corpus.jsonl"
HOLDOUT_SOURCE = HERE / "holdout_source.txt"
HOLDOUT = HERE / "holdout.jsonl"
PAIRS = ((SOURCE, CORPUS), (HOLDOUT_SOURCE, HOLDOUT))
KINDS = frozenset(
    {"name", "address", "phone", "email", "iban", "bsn", "postcode", "plate", "link", "birthdate", "handle",
     "number_words"}
)
_MARK_RE = re.compile(r"\{([a-z_]+)\|([^{}]+)\}")


def parse_line(markup: str) -> tuple[str, list[dict[str, object]]]:
    """The plain text of one marked-up question and its spans (kind, start, end, value)."""
    text: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for m in _MARK_RE.finditer(markup):
        kind, value = m.group(1), m.group(2)
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} in: {markup}")
        before = markup[pos : m.start()]
        text.append(before)
        length += len(before)
        spans.append({"kind": kind, "start": length, "end": length + len(value), "value": value})
        text.append(value)
        length += len(value)
        pos = m.end()
    rest = markup[pos:]
    if "{" in rest or "}" in rest or any("{" in t or "}" in t for t in text):
        raise ValueError(f"unbalanced mark in: {markup}")
    text.append(rest)
    return "".join(text), spans


def build(source: str) -> list[dict[str, object]]:
    rows = []
    for number, line in enumerate(source.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        lang, _, markup = line.partition("\t")
        if lang not in ("nl", "ar") or not markup:
            raise ValueError(f"line {number}: expected 'nl<TAB>text' or 'ar<TAB>text'")
        text, spans = parse_line(markup)
        rows.append({"id": f"q{len(rows) + 1:03d}", "lang": lang, "text": text, "spans": spans})
    return rows


def render(rows: list[dict[str, object]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main() -> int:
    for source, target in PAIRS:
        target.write_text(render(build(source.read_text(encoding="utf-8"))), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
