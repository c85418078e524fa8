"""The scrubber's pure rules (studio.domain): folding, IBAN, BSN, birth dates, handles, numbers in words,
addresses, Arabic-script names, and the whole pass (scan) on hostile input. Properties with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.domain.addresses import find_addresses
from studio.domain.arabic_names import find_arabic_names
from studio.domain.identifiers import (
    elfproef,
    find_birthdates,
    find_bsns,
    find_handles,
    find_ibans,
    iban_is_valid,
)
from studio.domain.number_words import find_number_words
from studio.domain.scrub_rules import scan
from studio.domain.textnorm import fold

KNOWN_STREETS = {"kissel", "putgraaf", "kampstraat"}


def is_street(name: str) -> bool:
    return name.lower() in KNOWN_STREETS


def texts(hits, text):
    return [text[h.start : h.end] for h in hits]


def certain(hits, text):
    return [text[h.start : h.end] for h in hits if h.certain]


# --- folding ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("06\u200b41234567", "0641234567"),
        ("٠٦١٢٣٤٥٦٧٨", "0612345678"),
        ("۰۶۱۲", "0612"),  # Extended Arabic-Indic (Persian, Urdu)
        ("Piеt Jаnsen", "Piet Jansen"),  # Cyrillic е and а
        ("ΡΙΕΤ", "PIET"),  # Greek capitals
        ("ｊａｎ＠ｘ．ｎｌ", "jan@x.nl"),
        ("06‑1234–5678", "06-1234-5678"),
        ("O6I2345678", "0612345678"),
        ("RABO0417164300", "RABO0417164300"),  # a bank code is a word: its O stays a letter
        ("فاطِمَة", "فاطمه"),
        ("أحمد", "احمد"),
        ("a\u202eb\u2066c", "abc"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw).text == folded


@given(st.text(max_size=200))
def test_fold_maps_every_character_back_in_order(raw):
    f = fold(raw)
    assert len(f.origin) == len(f.text)
    assert list(f.origin) == sorted(f.origin)
    assert all(0 <= i < len(raw) for i in f.origin)
    if f.text:
        start, end = f.span(0, len(f.text))
        assert 0 <= start < end <= len(raw)


# --- IBAN and BSN -----------------------------------------------------------------------------------------

def _iban(country: str, bban: str) -> str:
    n = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - n % 97:02d}{bban}"


def test_iban_mod97():
    assert iban_is_valid("NL91ABNA0417164300")
    assert iban_is_valid("nl91abna0417164300")
    assert iban_is_valid("BE68539007547034")
    assert not iban_is_valid("NL91ABNA0417164301")
    assert not iban_is_valid("NL91ABNA04171643")  # too short for NL


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("rekening NL91 ABNA 0417 1643 00 is leeg", ["NL91 ABNA 0417 1643 00"]),
        ("NL91ABNA0417164300, graag", ["NL91ABNA0417164300"]),
        ("BE68 5390 0754 7034 en NL91 ABNA 0417 1643 00", ["BE68 5390 0754 7034", "NL91 ABNA 0417 1643 00"]),
        ("NL91 ABNA 0417 1643 01 (typo)", ["NL91 ABNA 0417 1643 01"]),  # Dutch shape, wrong check: hidden
        ("DE89 3704 0044 0532 0130 00", ["DE89 3704 0044 0532 0130 00"]),
        ("in NL en BE 2025 zijn 12 fietsen gestolen", []),
        ("NL12ABCD00000000001234", []),  # too long for a Dutch account, no other country's shape
    ],
)
def test_ibans(text, found):
    assert certain(find_ibans(text), text) == found


def test_short_dutch_iban_prefix_is_flagged_for_a_look():
    text = "mijn rekening NL91 ABNA ... is geplunderd"
    hits = list(find_ibans(text))
    assert [(texts([h], text)[0], h.certain) for h in hits] == [("NL91 ABNA", False)]


def test_elfproef():
    assert elfproef("111222333")
    assert elfproef("123456782")
    assert not elfproef("123456789")
    assert not elfproef("000000000")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mijn BSN is 111222333", ["111222333"]),
        ("bsn: 123.456.782", ["123.456.782"]),
        ("nummer 1234 56 782 misbruikt", ["1234 56 782"]),
        ("burgerservicenummer 12345678", ["12345678"]),  # cued: any 8 or 9 digits
        ("zaaknummer 123456789", []),  # fails the elfproef, no BSN cue
        ("in 1990 2000 en 2010", []),
        ("bel 0612345678", []),
    ],
)
def test_bsns(text, found):
    assert texts(find_bsns(text), text) == found


# --- birth dates, handles, numbers in words ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("geboren op 12-03-1985 in Heerlen", ["12-03-1985"]),
        ("ik ben geb. 1985 en woon hier", ["1985"]),
        ("geboortedatum: 3 mei 1990", ["3 mei 1990"]),
        ("hij is 7 mei 1939 geboren", ["7 mei 1939"]),
        ("geboren te Heerlen op 1/2/85", ["1/2/85"]),
        ("من مواليد 1990 وأسكن هنا", ["1990"]),
        ("تاريخ ميلادي 15/08/1978", ["15/08/1978"]),
        ("op 12-03-2026 is de bijeenkomst", []),  # an event date stays
        ("in 1985 is de mijn gesloten", []),
    ],
)
def test_birthdates(text, found):
    assert texts(find_birthdates(text), text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("bedreigd door @jantje_heerlen op snap", ["@jantje_heerlen"]),
        ("insta: jantje.h verkoopt", ["jantje.h"]),
        ("Instagram account: @heerlen.deals", ["@heerlen.deals"]),
        ("fb: Gerda.Huntjens.58", ["Gerda.Huntjens.58"]),
        ("volg @politieheerlen en @gemeenteheerlen", []),  # the organisers' own accounts
        ("mail jan@example.nl", []),  # an e-mail address is not a handle
        ("ik zag het op tiktok gisteren", []),
    ],
)
def test_handles(text, found):
    assert sorted(set(texts(find_handles(text), text))) == found


@pytest.mark.parametrize(
    ("text", "found", "sure"),
    [
        ("bel nul zes een twee drie vier vijf zes zeven acht", "nul zes een twee drie vier vijf zes zeven acht", True),
        ("nul zes, twaalf, vierendertig, zesenvijftig, achtenzeventig", None, True),
        ("06 twaalf vierendertig 56 78", "06 twaalf vierendertig 56 78", True),
        ("صفر ستة واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية", None, True),
        ("nul zes een twee drie vier", "nul zes een twee drie vier", False),  # six digits: a look
        ("twee of drie keer per week, een twee drie vier", None, None),
        ("er waren twee drie mensen", None, None),
    ],
)
def test_number_words(text, found, sure):
    text = fold(text).text  # the detectors read folded text (Arabic ة -> ه)
    hits = list(find_number_words(text))
    if sure is None:
        assert hits == []
        return
    assert len(hits) == 1 and hits[0].certain is sure
    if found is not None:
        assert texts(hits, text) == [found]


# --- addresses --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mijn buurman op de Kampstraat 14a dealt", ["Kampstraat 14a"]),
        ("Pancratiusplein 3 bus 2", ["Pancratiusplein 3 bus 2"]),
        ("de vrouw van nummer 8 wordt geslagen", ["nummer 8"]),
        ("op huisnummer 12 is het feest", ["huisnummer 12"]),
        ("شارع Akerstraat 25", ["Akerstraat 25"]),
        ("البيت رقم 8 فيه حفلات", ["رقم 8"]),
        ("ik woon op de kampstraat 9", ["kampstraat 9"]),  # chat in lower case
        ("op de Kissel 31 woont hij", ["Kissel 31"]),  # known to the street list
        ("Burgemeester van Grunsvenplein 3", ["Burgemeester van Grunsvenplein 3"]),
        ("Pater Beatusstraat 22 A en Putgraaf 3-B", ["Pater Beatusstraat 22 A", "Putgraaf 3-B"]),
        ("Dr. Poelsstraat 5", ["Dr. Poelsstraat 5"]),
        ("Aan de Van Grunsvenstraat 3 gebeurt iets", ["Van Grunsvenstraat 3"]),
        ("In de Kerkstraat 12 en 14 is ingebroken", ["Kerkstraat 12 en 14"]),
        ("Ik woon op Kerkstraat 12, 6411 AB", ["Kerkstraat 12"]),  # the postcode is the postcode rule's
        ("er wordt hard gereden op de Akerstraat", []),
        ("op de Akerstraat 3 keer per dag", []),
        ("Akerstraat, om 19:30 uur", []),
        ("bus 21 richting Kerkrade", []),
        ("bel het nummer 112", []),
        ("Sinds 1 januari is het rustig", []),
    ],
)
def test_addresses(text, found):
    assert certain(find_addresses(text, is_street), text) == found


def test_unknown_capitalised_word_with_a_number_is_only_flagged():
    text = "hij woont op Heuvelrug 31"
    assert [(texts([h], text)[0], h.certain) for h in find_addresses(text, is_street)] == [("Heuvelrug 31", False)]


# --- names in Arabic script -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("جاري أحمد الحسن يبيع المخدرات", ["احمد الحسن"]),
        ("جاري اسمه خالد يضرب زوجته", ["خالد"]),
        ("السيدة فاطمة تسكن فوقنا", ["فاطمه"]),
        ("بنت سعاد اختفت", ["سعاد"]),  # an everyday word ("happiness"), named by the cue
        ("كريم و ياسين يبيعون", ["كريم", "ياسين"]),
        ("جاري أبو خالد يركن سيارته", ["ابو خالد"]),
        ("السيد محمد بن علي", ["محمد بن علي"]),
        ("أريد أن أعرف السعادة والأمل في الحي", []),
        ("أضع الكتاب على الطاولة", []),  # "على" folds to the name "علي": no cue, no name
        ("هل يمكنني الإبلاغ بدون ذكر اسمي؟ رأيت تجارة", []),
    ],
)
def test_arabic_names(text, found):
    folded = fold(text).text
    assert texts(find_arabic_names(folded), folded) == found


# --- the whole pass -------------------------------------------------------------------------------------

def test_scan_offsets_point_into_the_original():
    text = "Bel 06\u200b41234567 of mail jаn@x.nl (Cyrillic а)"
    result = scan(text)
    kinds = {f.kind: text[f.start : f.end] for f in result.certain}
    assert kinds == {"phone": "06\u200b41234567", "email": "jаn@x.nl"}
    assert "0641234567" not in result.text.replace("\u200b", "")


def test_scan_arabic_markers():
    result = scan("رقمي ٠٦١٢٣٤٥٦٧٨ وحسابي NL91ABNA0417164300", "ar")
    assert result.text == "رقمي [رقم هاتف] وحسابي [رقم حساب]"


def test_public_numbers_places_and_times_stay():
    text = "Bel 112 of 0900-8844, kijk op politie.nl. Op 21-11-2026 om 19:30 in Hoensbroek op de Akerstraat."
    assert scan(text).findings == ()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("unit", ["Kampstraat 1 ", "nul zes ", "NL91 ", "@a ", "0 ", "أحمد ", "geb. 1985 ", "x" * 7])
def test_ten_thousand_characters_never_crash(unit):
    text = (unit * 10_000)[:10_000]
    result = scan(text)
    assert result.original == text
    assert all(0 <= f.start < f.end <= len(text) for f in result.findings)


def test_beyond_the_scan_limit_everything_is_hidden():
    from studio.domain.scrub_rules import MAX_SCAN_CHARS

    text = "a" * MAX_SCAN_CHARS + " bel 0612345678"
    assert scan(text).text.endswith("[weggelaten]")


# --- properties -------------------------------------------------------------------------------------------

invisible = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", ""])


@st.composite
def mobile_numbers(draw):
    rest = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    number = "06" + rest
    # An invisible character or a lookalike digit somewhere inside.
    pos = draw(st.integers(1, len(number) - 1))
    number = number[:pos] + draw(invisible) + number[pos:]
    if draw(st.booleans()):
        number = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return number


surrounding = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(number=mobile_numbers(), before=surrounding, after=surrounding)
def test_invisible_characters_never_let_a_phone_number_through(number, before, after):
    text = f"{before} {number} {after}"
    result = scan(text)
    start = len(before) + 1
    hidden = set()
    for f in result.certain:
        hidden.update(range(f.start, f.end))
    assert all(i in hidden for i in range(start, start + len(number)) if text[i].isdigit())


@settings(max_examples=200)
@given(bban=st.text(alphabet="0123456789", min_size=10, max_size=10),
       bank=st.sampled_from(["ABNA", "INGB", "RABO", "SNSB", "TRIO", "BUNQ"]),
       spaced=st.booleans(), lower=st.booleans())
def test_generated_ibans_are_found(bban, bank, spaced, lower):
    iban = _iban("NL", bank + bban)
    if spaced:
        iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    if lower:
        iban = iban.lower()
    text = f"mijn rekening {iban} is leeg"
    assert iban not in scan(text).text


@settings(max_examples=200)
@given(st.lists(st.integers(0, 9), min_size=8, max_size=8), st.sampled_from(["{}", "{:.3}.{:.3}.{:.3}"]))
def test_generated_bsns_are_found(digits, _fmt):
    total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True)) % 11
    if total == 10 or digits[0] == 0:
        return  # no valid check digit for this prefix
    bsn = "".join(map(str, digits)) + str(total)
    assert elfproef(bsn)
    text = f"is {bsn} misbruikt"
    assert bsn not in scan(text).text


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]),
                min_size=8, max_size=12), st.sampled_from([" ", ", ", "-"]))
def test_spelled_out_numbers_are_found(words, sep):
    spoken = sep.join(words)
    text = f"bel me op {spoken} aub"
    result = scan(text)
    assert spoken not in result.text


@settings(max_examples=200)
@given(st.lists(st.one_of(
    st.sampled_from(["de", "fiets", "is", "gestolen", "op", "wanneer", "komt", "politie", "wijk", "buurt", "en",
                     "in", "om", "uur", "het", "een", "twee", "drie", "Heerlen", "Hoensbroek", "Akerstraat",
                     "Heerlerbaan", "Maankwartier", "straat", "Kerkstraat", "?", ",", "!"]),
    st.integers(1, 59).map(lambda n: f"{n} minuten"),
    st.integers(1900, 2030).map(lambda y: f"in {y}"),
    st.builds(lambda h, m: f"om {h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
    st.builds(lambda d, m, y: f"op {d}-{m}-{y}", st.integers(1, 28), st.integers(1, 12), st.integers(2020, 2030)),
), max_size=25))  # fmt: skip
def test_ordinary_sentences_with_places_and_times_stay(words):
    sentence = " ".join(words)
    assert scan(sentence).certain == ()


def test_a_date_next_to_number_words_is_no_dictated_number():
    # found by hypothesis: the date's digits and "een een" together spelled eight digits
    assert scan("op 1-1-2020 een een").certain == ()
    assert "[" in scan("nul zes een twee drie vier vijf zes zeven acht").text  # dictation is still hidden
