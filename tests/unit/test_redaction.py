"""The aired text from (original, findings, masks, restores): markers, merging, decisions, determinism."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from studio.domain.redaction import (
    ADDRESS,
    KINDS,
    MANUAL,
    NAME,
    PHONE,
    Finding,
    Mask,
    Restore,
    ScrubResult,
    compose,
    make_finding,
)
from studio.domain.texts import PRIVACY_MARKERS

TEXT = "Mijn buurman Piet Jansen op de Kampstraat 14a, bel 06-41234567"


def find(kind, part, lang="nl", certain=True, text=TEXT):
    start = text.index(part)
    return make_finding(kind, start, start + len(part), lang, certain)


FINDINGS = (find(NAME, "Piet Jansen"), find(ADDRESS, "Kampstraat 14a"), find(PHONE, "06-41234567"))


def test_every_kind_has_a_dutch_and_an_arabic_marker():
    for kind in KINDS:
        assert PRIVACY_MARKERS[kind]["nl"].startswith("[") and PRIVACY_MARKERS[kind]["ar"].startswith("[")


def test_certain_findings_are_replaced():
    assert compose(TEXT, FINDINGS) == "Mijn buurman [naam] op de [adres], bel [telefoonnummer]"
    assert compose(TEXT, FINDINGS, lang="ar") == "Mijn buurman [اسم] op de [عنوان], bel [رقم هاتف]"


def test_uncertain_findings_air_unless_masked():
    maybe = find(NAME, "Piet Jansen", certain=False)
    result = ScrubResult(TEXT, "nl", (maybe,))
    assert result.text == TEXT and not result.changed and result.to_check == (maybe,)
    # The moderator confirms it: a mask with the finding's kind, so the marker names it.
    assert result.final(masks=[Mask(maybe.start, maybe.end, NAME)]).startswith("Mijn buurman [naam] op")


def test_manual_mask_hides_any_span():
    start = TEXT.index("dealt") if "dealt" in TEXT else TEXT.index("buurman")
    aired = compose(TEXT, FINDINGS, masks=[Mask(start, start + len("buurman"))])
    assert aired == "Mijn [weggelaten] [naam] op de [adres], bel [telefoonnummer]"


def test_restore_lets_one_false_positive_air():
    aired = compose(TEXT, FINDINGS, restores=[Restore.of(FINDINGS[1])])
    assert aired == "Mijn buurman [naam] op de Kampstraat 14a, bel [telefoonnummer]"


def test_restore_never_lifts_a_mask_and_only_names_exact_findings():
    f = FINDINGS[0]
    mask = Mask(f.start, f.end, NAME)
    assert "[naam]" in compose(TEXT, FINDINGS, masks=[mask], restores=[Restore.of(f)])
    wrong = Restore(f.kind, f.start, f.end - 1)
    assert compose(TEXT, FINDINGS, restores=[wrong]) == compose(TEXT, FINDINGS)


def test_overlapping_and_neighbouring_spans_merge_into_one_marker():
    text = "bel Piet Jansen 0612345678"
    findings = [find(NAME, "Piet", text=text), find(NAME, "Jansen", text=text), find(PHONE, "0612345678", text=text),
                find(PHONE, "Jansen 06", text=text)]
    aired = compose(text, findings)
    assert "Piet" not in aired and "Jansen" not in aired and "0612" not in aired
    assert aired.count("[") == 1  # one merged span: no piece of either survives


def test_bad_spans_are_refused():
    with pytest.raises(ValueError):
        compose("abc", [Finding(2, 5, NAME, "[naam]")])
    with pytest.raises(ValueError):
        compose("abc", [], masks=[Mask(1, 1)])
    with pytest.raises(ValueError):
        compose("abc", [], masks=[Mask(0, 1, "nonsense")])


def test_public_dict_never_holds_the_detail():
    d = FINDINGS[0].as_public_dict()
    assert d == {"kind": NAME, "start": 13, "end": 24, "marker": "[naam]"}


spans = st.tuples(st.integers(0, 40), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1]))


@given(text=st.text(min_size=60, max_size=80), found=st.lists(st.tuples(spans, st.booleans(),
       st.sampled_from(KINDS)), max_size=6), masked=st.lists(spans, max_size=3), restored=st.lists(st.integers(0, 5),
       max_size=3), lang=st.sampled_from(["nl", "ar"]))
def test_compose_is_deterministic_and_hides_what_it_must(text, found, masked, restored, lang):
    assume(not any(PRIVACY_MARKERS[k][lang] in text for k in KINDS))
    findings = [make_finding(kind, s, e, lang, sure) for (s, e), sure, kind in found]
    masks = [Mask(s, e) for s, e in masked]
    restores = [Restore.of(findings[i]) for i in restored if i < len(findings)]
    aired = compose(text, findings, masks, restores, lang)
    assert aired == compose(text, list(reversed(findings)), list(reversed(masks)), restores, lang)
    # Whatever is masked, or certain and not restored, is not on air: the text around the markers is the
    # original outside those spans.
    hidden = set()
    restored_keys = {(r.kind, r.start, r.end) for r in restores}
    for f in findings:
        if f.certain and (f.kind, f.start, f.end) not in restored_keys:
            hidden.update(range(f.start, f.end))
    for m in masks:
        hidden.update(range(m.start, m.end))
    visible = "".join(c for i, c in enumerate(text) if i not in hidden)
    stripped = aired
    for kind in KINDS:
        stripped = stripped.replace(PRIVACY_MARKERS[kind][lang], "")
    # (spans of one kind separated only by whitespace merge, so that whitespace may go too)
    def solid(s):
        return "".join(c for c in s if not c.isspace())

    assert solid(stripped) == solid(visible) and len(stripped) <= len(visible)


def test_manual_kind_is_the_default_mask():
    assert Mask(0, 1).kind == MANUAL


def test_original_span_maps_through_markers():
    from studio.domain.redaction import Finding, ScrubResult, original_span

    original = "bel Piet op 0612345678 nu"
    findings = (Finding(4, 8, "name", "[naam]", True),)
    aired = ScrubResult(original, "nl", findings).text
    assert aired == "bel [naam] op 0612345678 nu"
    number = aired.index("0612")
    assert original_span(original, findings, number, number + 10) == (12, 22)  # plain text shifts back
    assert original_span(original, findings, 4, 10) == (4, 8)  # the marker stands for what it hides
    assert original_span(original, findings, 6, 14) == (4, 12)  # touching a marker takes its whole span


def test_settle_hides_what_a_marker_glued_together():
    from studio.domain.redaction import Finding, ScrubResult, settle

    # a stand-in filter: "X" is a name, and "]@0" reads as an account handle
    def scan(text):
        found = [Finding(i, i + 1, "name", "[naam]", True) for i, c in enumerate(text) if c == "X"]
        if "]@0" in text:
            i = text.index("]@0") + 1
            found.append(Finding(i, i + 2, "handle", "[account]", True))
        return ScrubResult(text, "nl", tuple(found))

    first = scan("X@0")
    assert first.text == "[naam]@0" and scan(first.text).certain  # the marker made a new shape
    settled = settle(first, scan)
    assert "X" not in settled.text and "@0" not in settled.text  # both hidden (touching spans merge)
    assert not scan(settled.text).certain
