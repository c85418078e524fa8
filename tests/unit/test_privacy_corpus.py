"""The privacy corpus itself (tests/data/privacy): in step with its source, offsets that point at their text,
big and varied enough; and the pure rules' recall on the kinds that need no word list.

Names and addresses need deduce's lists: their recall is checked with the real scrubber in
tests/integration/test_deid_scrubber.py (the targets of issue 11 are in tests/privacy_corpus.py)."""

from __future__ import annotations

import importlib.util
import itertools
from collections import Counter
from pathlib import Path

import pytest

from studio.domain.scrub_rules import scan
from tests import privacy_corpus as pc

MARKUP = Path(pc.CORPUS).with_name("markup.py")


def _markup_module():
    spec = importlib.util.spec_from_file_location("privacy_markup", MARKUP)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_corpus_is_what_the_source_says():
    markup = _markup_module()
    for source, target in markup.PAIRS:
        expected = markup.render(markup.build(source.read_text(encoding="utf-8")))
        assert target.read_text(encoding="utf-8") == expected, "run: python tests/data/privacy/markup.py"


@pytest.mark.parametrize("path", [pc.CORPUS, pc.HOLDOUT])
def test_offsets_match_the_text(path):
    for q in pc.load(path):
        for span in q.spans:
            assert q.text[span.start : span.end] == span.value, (q.id, span)
            assert span.value == span.value.strip(), (q.id, span)
        ordered = sorted(q.spans, key=lambda s: s.start)
        assert all(a.end <= b.start for a, b in itertools.pairwise(ordered)), q.id


def test_corpus_size_and_spread():
    questions = pc.load()
    langs = Counter(q.lang for q in questions)
    clean = [q for q in questions if not q.spans]
    categories = Counter(s.category for q in questions for s in q.spans)
    assert len(questions) >= 200 and langs["nl"] >= 100 and langs["ar"] >= 50
    assert len(clean) >= 60
    for category in pc.RECALL_TARGETS:
        assert categories[category] >= 7, category
    assert len({q.text for q in questions}) == len(questions)


def test_pure_rules_recall_on_kinds_without_word_lists():
    score = pc.score(pc.load(), lambda text, lang: scan(text, lang))
    for category in ("phone", "email", "iban", "bsn", "postcode", "plate", "name_ar"):
        assert score.recall(category) >= pc.RECALL_TARGETS[category], (category, score.missed)
    for category in ("link", "birthdate", "handle", "number_words"):
        assert score.recall(category) == 1.0, (category, score.missed)
    assert score.clean_changed_ratio <= pc.MAX_CLEAN_CHANGED, score.clean_changed
