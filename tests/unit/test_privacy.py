"""Privacy scrubbing: examples of every kind, things that must stay, and properties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.domain.privacy import EMAIL, LINK, PHONE, PLATE, POSTCODE, find_details, scrub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bel me op 06-12345678 aub", "Bel me op [telefoonnummer] aub"),
        ("Bel me op 06 1234 5678", "Bel me op [telefoonnummer]"),
        ("06 12 34 56 78", "[telefoonnummer]"),
        ("+31 6 12345678", "[telefoonnummer]"),
        ("+31612345678!", "[telefoonnummer]!"),
        ("0031 6 1234 5678", "[telefoonnummer]"),
        ("+31 (0)45 1234567", "[telefoonnummer]"),
        ("045-1234567 of (045) 123 45 67", "[telefoonnummer] of [telefoonnummer]"),
        ("0900-1234567", "[telefoonnummer]"),
        ("belme0612345678", "belme[telefoonnummer]"),
        ("Bel +32 470 12 34 56 (België)", "Bel [telefoonnummer] (België)"),
        ("٠٦١٢٣٤٥٦٧٨ رقمي", "[telefoonnummer] رقمي"),
        ("er zijn 12 06 1234 5678", "er zijn 12 [telefoonnummer]"),
        ("06 12345678 2 keer", "[telefoonnummer] 2 keer"),
        ("mail jan.jansen@example.com", "mail [e-mail]"),
        ("mail jan @ hotmail . nl graag", "mail [e-mail] graag"),
        ("Ik woon op 6411 AB in Heerlen", "Ik woon op [postcode] in Heerlen"),
        ("postcode 6411ab", "postcode [postcode]"),
        ("6411 ab", "[postcode]"),
        ("auto XX-99-99 en 12-ABC-3", "auto [kenteken] en [kenteken]"),
        ("AB-123-C, 1-ABC-23, G-123-BB, ab-12-cd", "[kenteken], [kenteken], [kenteken], [kenteken]"),
        ("kenteken 99-XX-99 of GBZ12K", "kenteken [kenteken] of [kenteken]"),
        ("zie www.example.com/x?y=1.", "zie [link]."),
        ("https://bit.ly/abc en http://x.y.z", "[link] en [link]"),
        ("kijk op example.nl, daar staat het", "kijk op [link], daar staat het"),
    ],
)
def test_details_are_replaced_by_markers(text, expected):
    assert scrub(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bel 112 bij spoed, anders 0900-8844.",  # the police's own public numbers stay visible
        "Meld Misdaad Anoniem: 0800-7000",
        "Zie politie.nl of heerlen.nl/contact of www.politie.nl",
        "Om 19:00 of 19.30 uur, op 21-11-2026 of 21/11/2026.",
        "In 2025 en 2026 zijn er 3 fietsen en 250 scooters gestolen.",
        "Er waren 10 12 14 auto's en 12.345 euro schade, tussen 1990-2000.",
        "Wat gebeurt er na 2026 en in 2030 op de Markt?",
        "Dat kost 1.000 of 1,5 miljoen en is 100% veilig.",
        "Mijn fiets (merk Gazelle) is weg!",
        "Is dit een bv.Dat vroeg ik me af.",
        "سرقت دراجتي في 2025 الساعة 19:00",
    ],
)
def test_ordinary_text_is_left_alone(text):
    result = scrub(text)
    assert result.text == text
    assert result.findings == ()


def test_findings_keep_the_original_for_the_moderator():
    text = "Bel 06-12345678 of mail a@b.nl"
    result = scrub(text)
    assert [(f.kind, f.original) for f in result.findings] == [(PHONE, "06-12345678"), (EMAIL, "a@b.nl")]
    assert all(text[f.start : f.end] == f.original for f in result.findings)
    assert result.changed


def test_arabic_session_gets_arabic_markers():
    assert scrub("اتصل بي على 0612345678", "ar").text == "اتصل بي على [رقم هاتف]"


def test_email_wins_over_the_domain_inside_it():
    assert [k for _s, _e, k in find_details("x jan@politie.nl y")] == [EMAIL]


def test_postcode_like_plate_counts_as_postcode():
    assert [k for _s, _e, k in find_details("6411AB")] == [POSTCODE]


def test_kinds_reported():
    kinds = {f.kind for f in scrub("06-12345678 a@b.nl 6411 AB XX-99-99 www.x.nl").findings}
    assert kinds == {PHONE, EMAIL, POSTCODE, PLATE, LINK}


# --- properties -------------------------------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def phone_numbers(draw):
    mobile = "6" + draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    area = draw(st.sampled_from(["45", "43", "20", "10", "46"]))
    landline = area + draw(st.text(alphabet="0123456789", min_size=7, max_size=7))
    rest = draw(st.sampled_from([mobile, landline]))
    template = draw(
        st.sampled_from(
            [
                "0{r}",
                "0{a}-{b}",
                "0{a} {b}",
                "+31 {r}",
                "+31{r}",
                "0031 {r}",
                "+31 (0){r}",
                "(0{a}) {b}",
                "0{a} {b3} {b4}",
            ]
        )
    )
    split = 1 if rest.startswith("6") else 2
    return template.format(r=rest, a=rest[:split], b=rest[split:], b3=rest[split : split + 3], b4=rest[split + 3 :])


emails = st.builds(
    lambda user, host, tld: f"{user}@{host}.{tld}",
    st.from_regex(r"[a-z][a-z0-9._]{0,10}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True),
    st.sampled_from(["nl", "com", "be", "org", "info"]),
)
postcodes = st.builds(
    lambda num, letters, space: f"{num}{' ' if space else ''}{letters}",
    st.integers(1000, 9999),
    st.from_regex(r"[A-RT-Z][A-Z]", fullmatch=True),
    st.booleans(),
)


@st.composite
def plates(draw):
    code = draw(
        st.sampled_from(
            ["XX-99-99", "99-99-XX", "99-XX-99", "XX-99-XX", "XX-XX-99", "99-XX-XX", "99-XXX-9", "9-XXX-99",
             "XX-999-X", "X-999-XX", "XXX-99-X", "X-99-XXX", "9-XX-999", "999-XX-9"]
        )
    )  # fmt: skip
    out = "".join(
        draw(st.sampled_from("BDFGHJKLNPRSTVXZ")) if c == "X" else draw(digits) if c == "9" else c for c in code
    )
    return draw(st.sampled_from([out, out.replace("-", " "), out.replace("-", "")]))


links = st.builds(
    lambda scheme, host, tld, path: f"{scheme}{host}.{tld}{path}",
    st.sampled_from(["https://", "http://", "www.", ""]),
    st.from_regex(r"[a-z][a-z0-9-]{0,12}[a-z0-9]", fullmatch=True).filter(lambda h: h not in ("politie", "heerlen")),
    st.sampled_from(["nl", "com", "be", "ly", "org"]),
    st.sampled_from(["", "/", "/pad/naar?x=1", "/a-b_c"]),
)
surrounding = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    detail=st.one_of(phone_numbers(), emails, postcodes, plates(), links),
    before=surrounding,
    after=surrounding,
)
def test_generated_details_never_survive(detail, before, after):
    result = scrub(f"{before} {detail} {after}")
    assert detail not in result.text
    # Removed as a whole (a partly scrubbed phone number is still a phone number).
    assert any(detail in f.original for f in result.findings)


@settings(max_examples=400)
@given(st.text(max_size=200))
def test_scrubbing_is_idempotent(text):
    once = scrub(text).text
    assert scrub(once).text == once


@settings(max_examples=200)
@given(st.lists(st.one_of(
    st.sampled_from(["de", "fiets", "is", "gestolen", "op", "straat", "wanneer", "komt", "politie", "wijk",
                     "buurt", "en", "in", "om", "uur", "het", "een", "jaar", "?", ",", "!"]),
    st.integers(1, 999).map(str),
    st.integers(1900, 2099).map(str),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda h, m: f"{h}.{m:02d}", st.integers(10, 23), st.integers(0, 59)),
    st.builds(lambda d, m, y: f"{d}-{m}-{y}", st.integers(1, 28), st.integers(1, 12), st.integers(1990, 2030)),
), max_size=25))  # fmt: skip
def test_no_false_positives_on_ordinary_sentences(words):
    sentence = " ".join(words)
    assert scrub(sentence).findings == ()


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "flood", ["1 2 ", "0 ", "0 1", "(0", "06-", "a@", "www.", "1234 AB ", "A1", "a.", "ab-", "@.", "a@b.", "-a."]
)
def test_floods_are_handled_without_blowing_up(flood):
    """Chat is hostile: a message of thousands of digit groups must not stall intake (it once took seconds
    for 500 characters, cubic in the length). Bounded by the timeout, not timed."""
    text = (flood * 4000)[:4000]
    assert scrub(scrub(text).text).text == scrub(text).text
