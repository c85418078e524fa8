"""What the moderator sees and what airs: pieces by role, words to pick, and cuts that keep markers whole.

The property at the heart of issue 11: whatever the findings, masks and restores, the aired text never holds
a character that a certain (not restored) finding or a mask covers. The texts are made of distinct characters
(CJK ideographs, which no marker contains), so "a covered character in the aired text" can only mean a leak.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from studio.domain.redaction import KINDS, MANUAL, NAME, Finding, Mask, Restore, compose, make_finding
from studio.domain.redaction_view import (
    CHECK,
    HIDDEN,
    PLAIN,
    RESTORED,
    marker_spans,
    segments,
    shorten,
    text_digest,
    word_spans,
)
from studio.domain.texts import PRIVACY_MARKERS

TEXT = "Mijn buurman Piet Jansen op de Kampstraat 14a, bel 06-41234567 en kevin weet het"


def find(kind, part, certain=True):
    start = TEXT.index(part)
    return make_finding(kind, start, start + len(part), "nl", certain)


FINDINGS = (find(NAME, "Piet Jansen"), find("address", "Kampstraat 14a"), find("phone", "06-41234567"),
            find(NAME, "kevin", certain=False))


def test_segments_show_every_role_and_join_to_the_aired_text():
    segs = segments(TEXT, FINDINGS, restores=[Restore.of(FINDINGS[1])])
    roles = [(s.role, TEXT[s.start : s.end], s.aired) for s in segs if s.role != PLAIN]
    assert roles == [(HIDDEN, "Piet Jansen", "[naam]"), (RESTORED, "Kampstraat 14a", "Kampstraat 14a"),
                     (HIDDEN, "06-41234567", "[telefoonnummer]"), (CHECK, "kevin", "kevin")]
    assert "".join(s.aired for s in segs) == compose(TEXT, FINDINGS, restores=[Restore.of(FINDINGS[1])])
    assert "".join(TEXT[s.start : s.end] for s in segs) == TEXT


def test_a_masked_uncertain_finding_is_hidden_with_its_kind():
    kevin = FINDINGS[3]
    segs = segments(TEXT, FINDINGS, masks=[Mask(kevin.start, kevin.end, NAME)])
    assert [s.aired for s in segs if s.role == HIDDEN] == ["[naam]", "[adres]", "[telefoonnummer]", "[naam]"]
    assert not [s for s in segs if s.role == CHECK]


def test_word_spans_keep_a_detail_in_one_piece():
    text = "bel 06-41234567, mail jan@example.nl of kom naar nr. 14a!"
    assert [text[s:e] for s, e in word_spans(text)] == ["bel", "06-41234567", "mail", "jan@example.nl", "of",
                                                        "kom", "naar", "nr", "14a"]
    arabic = "جاري أحمد، رقمه ٠٦١٢"
    assert [arabic[s:e] for s, e in word_spans(arabic)] == ["جاري", "أحمد", "رقمه", "٠٦١٢"]


def test_shorten_cuts_on_a_word_boundary_outside_markers():
    text = "Mijn buurman [naam] op de [adres], bel [telefoonnummer] want het is echt niet meer te doen hier"
    for limit in range(8, len(text)):
        short = shorten(text, limit)
        assert len(short) <= limit
        body = short.removesuffix("…")
        assert text.startswith(body)
        # every "[" in the cut text is a whole marker
        assert body.count("[") == len(marker_spans(body))
    assert shorten("kort", 70) == "kort"
    assert shorten("[telefoonnummer]" * 3, 20) in ("[telefoonnummer]…", "…")


def test_text_digest_names_one_version():
    assert text_digest("a") == text_digest("a") != text_digest("b")


# --- the property ----------------------------------------------------------------------------------------

UNIQUE = [chr(c) for c in range(0x4E00, 0x4E00 + 400)]


@st.composite
def decisions(draw):
    n = draw(st.integers(1, 60))
    text = "".join(draw(st.permutations(UNIQUE))[:n])
    span = st.tuples(st.integers(0, n - 1), st.integers(1, n)).map(sorted).filter(lambda p: p[0] < p[1])
    kinds = st.sampled_from(KINDS)
    findings = [make_finding(k, s, e, "nl", c) for (s, e), k, c in
                draw(st.lists(st.tuples(span, kinds, st.booleans()), max_size=6))]
    masks = [Mask(s, e, k) for (s, e), k in draw(st.lists(st.tuples(span, kinds), max_size=4))]
    certain = [f for f in findings if f.certain]
    restores = [Restore.of(f) for f in certain if draw(st.booleans())]
    # a restore naming no finding is ignored, and restores never lift masks
    restores += [Restore(k, s, e) for (s, e), k in draw(st.lists(st.tuples(span, kinds), max_size=2))]
    lang = draw(st.sampled_from(["nl", "ar"]))
    return text, findings, masks, restores, lang


def covered(findings: list[Finding], masks: list[Mask], restores: list[Restore]) -> set[int]:
    restored = {(r.kind, r.start, r.end) for r in restores}
    out: set[int] = set()
    for f in findings:
        if f.certain and (f.kind, f.start, f.end) not in restored:
            out.update(range(f.start, f.end))
    for m in masks:
        out.update(range(m.start, m.end))
    return out


@given(decisions())
def test_aired_text_never_holds_what_a_certain_finding_or_a_mask_covers(case):
    text, findings, masks, restores, lang = case
    aired = compose(text, findings, masks, restores, lang)
    leaked = [i for i in covered(findings, masks, restores) if text[i] in aired]
    assert not leaked, (text, findings, masks, restores, aired)
    # and what nobody hid airs: every character outside the covered spans is still there
    assert all(text[i] in aired for i in range(len(text)) if i not in covered(findings, masks, restores))


@given(decisions())
def test_segments_agree_with_compose(case):
    text, findings, masks, restores, lang = case
    segs = segments(text, findings, masks, restores, lang)
    assert "".join(s.aired for s in segs) == compose(text, findings, masks, restores, lang)
    assert [(s.start, s.end) for s in segs] == sorted((s.start, s.end) for s in segs)
    hide = covered(findings, masks, restores)
    for s in segs:
        if s.role != HIDDEN:
            assert not hide.intersection(range(s.start, s.end)), s
        else:
            assert s.aired in {m for by_lang in PRIVACY_MARKERS.values() for m in by_lang.values()}


def test_manual_is_a_kind_with_a_marker():
    assert MANUAL in KINDS and compose("abc", (), [Mask(0, 3)]) == "[weggelaten]"
