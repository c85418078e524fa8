"""Urgency: who needs 112 now, and which ordinary questions about the show's topics do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.domain.urgency import is_urgent, normalise, urgency, urgency_score


@pytest.mark.parametrize(
    "text",
    [
        "Help! Er is iemand in mijn huis",
        "HELP ME",
        "Ik word bedreigd door mijn buurman",
        "mijn ex bedreigt me al de hele avond",
        "Er wordt nu ingebroken bij de buren!!!",
        "Noodgeval, bel iemand",
        "spoed: mijn vader is gevallen",
        "Er is brand, het brandt in de flat",
        "Iemand met een mes op straat, nu",
        "Mijn buurvrouw wordt mishandeld",
        "Ik ben in gevaar",
        "ساعدوني! زوجي يضربني",
        "هناك حريق في العمارة",
        "أنا خائف، هناك عنف الآن",
        "حالة طوارئ",
        "النجدة",
        "أنا مُهَدَّدٌ من جاري",  # diacritics
        "الطـــوارئ",  # tatweel
        "اسعاف بسرعة",
        "إسعاف بسرعة",  # alef with hamza below
        "والنجدة",  # clitic و + article
    ],
)
def test_urgent(text):
    assert is_urgent(text), urgency(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hoe voorkom ik een inbraak?",
        "Wat doen jullie tegen huiselijk geweld?",
        "Wanneer moet ik 112 bellen?",
        "Is het noodzakelijk om aangifte te doen?",  # nood inside a word
        "Graag een spoedig antwoord",  # spoed inside a word
        "Komt de brandweer ook bij jullie spreekuur?",
        "Mijn vraag gaat over de helpdesk van de gemeente",
        "Wat is het nummer 1120 of 0112?",
        "Waar kan ik mijn fiets laten graveren?",
        "كيف أحمي دراجتي من السرقة؟",
        "متى يبدأ البث؟",
        "شكرا على المعلومات",
    ],
)
def test_not_urgent(text):
    assert not is_urgent(text), urgency(text)


def test_terms_explain_the_flag():
    result = urgency("Ik word bedreigd, help")
    assert result.urgent
    assert set(result.terms) == {"word bedreigd", "help"}
    assert urgency_score("Ik word bedreigd, help") == result.score >= 4


def test_longer_term_claims_its_words_once():
    # "in gevaar" counts once, not also as "gevaar".
    assert urgency("in gevaar").terms == ("in gevaar",)


def test_normalise_unifies_arabic_variants_and_strips_accents():
    assert normalise("إسعاف") == normalise("اسعاف") == normalise("أسعاف")
    assert normalise("الطـــوارئ") == normalise("الطوارئ")
    assert normalise("مُهَدَّد") == "مهدد"
    assert normalise("SUÏCIDE") == "suicide"
    assert normalise("١١٢") == "112"


def test_arabic_indic_112_counts():
    assert "112" in urgency("اتصلت بـ ١١٢ الآن").terms


@given(st.text(max_size=300))
def test_never_raises_and_scores_are_non_negative(text):
    assert urgency_score(text) >= 0
