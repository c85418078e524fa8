"""Every text the viewers see, in Dutch and Arabic, organised by purpose.

Sections: privacy markers, the question card, the slates (starting / pause / end), thumbnails.
(Broadcast title and description templates join this file later, in their own section.)

Rules: Dutch is the fallback for a missing Arabic text; numbers and web addresses are written with Western
digits in both languages (viewers must dial and type them exactly); Arabic is stored in logical order and
left to the renderer to shape and lay out right to left.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

LANGUAGES = ("nl", "ar")

# The public contact points shown on the end slate and in canned replies.
EMERGENCY_NUMBER = "112"
POLICE_NUMBER = "0900-8844"
CONTACT_URL = "heerlen.nl/contact"


def _pick(table: Mapping[str, str], lang: str) -> str:
    return table.get(lang) or table["nl"]


def is_rtl(lang: str) -> bool:
    return lang == "ar"


# --- Privacy markers (what replaces a scrubbed detail on air) ---------------------------------------------

PRIVACY_MARKERS: dict[str, dict[str, str]] = {
    "phone": {"nl": "[telefoonnummer]", "ar": "[رقم هاتف]"},
    "email": {"nl": "[e-mail]", "ar": "[بريد إلكتروني]"},
    "postcode": {"nl": "[postcode]", "ar": "[رمز بريدي]"},
    "plate": {"nl": "[kenteken]", "ar": "[لوحة سيارة]"},
    "link": {"nl": "[link]", "ar": "[رابط]"},
    "name": {"nl": "[naam]", "ar": "[اسم]"},
    "address": {"nl": "[adres]", "ar": "[عنوان]"},
    "iban": {"nl": "[rekeningnummer]", "ar": "[رقم حساب]"},
    "bsn": {"nl": "[BSN]", "ar": "[رقم المواطن]"},
    "birthdate": {"nl": "[geboortedatum]", "ar": "[تاريخ الميلاد]"},
    "handle": {"nl": "[account]", "ar": "[حساب]"},
    "number_words": {"nl": "[nummer]", "ar": "[رقم]"},
    "manual": {"nl": "[weggelaten]", "ar": "[محذوف]"},  # masked by hand by the moderator
}


def privacy_marker(kind: str, lang: str) -> str:
    return _pick(PRIVACY_MARKERS[kind], lang)


# --- Question card (lower third while the officer answers) ------------------------------------------------

QUESTION_HEADING = {"nl": "Vraag uit de chat", "ar": "سؤال من الدردشة"}


# --- Slates (full screen: before the start, during a pause, after the end) --------------------------------

PROGRAMME_NAME = {"nl": "Digitaal wijkspreekuur", "ar": "لقاء الحي الرقمي"}
ORGANISERS = {"nl": "Politie en gemeente Heerlen", "ar": "الشرطة وبلدية هيرلن"}

STARTING_TITLE = {"nl": "We beginnen zo", "ar": "نبدأ بعد قليل"}
TOPIC_LINE = {"nl": "Onderwerp: {topic}", "ar": "الموضوع: {topic}"}
START_TIME_LINE = {"nl": "Aanvang {time} uur", "ar": "البداية الساعة {time}"}
ASK_LINE = {
    "nl": "Stel uw vraag in de chat — anoniem, zonder naam of adres",
    "ar": "اطرحوا أسئلتكم في الدردشة — دون ذكر الاسم أو العنوان",
}

PAUSE_TITLE = {"nl": "Even pauze", "ar": "استراحة قصيرة"}
PAUSE_LINE = {"nl": "We zijn zo terug", "ar": "نعود إليكم بعد قليل"}

END_TITLE = {"nl": "Bedankt voor het kijken", "ar": "شكرًا على المتابعة"}
END_EMERGENCY = {"nl": f"Spoed? Bel altijd {EMERGENCY_NUMBER}", "ar": f"في حالة الطوارئ اتصلوا دائمًا بالرقم {EMERGENCY_NUMBER}"}
END_POLICE = {
    "nl": f"Geen spoed? Bel de politie: {POLICE_NUMBER}",
    "ar": f"لغير الحالات الطارئة اتصلوا بالشرطة: {POLICE_NUMBER}",
}
END_MUNICIPALITY = {"nl": f"Gemeente Heerlen: {CONTACT_URL}", "ar": f"بلدية هيرلن: {CONTACT_URL}"}


def countdown_line(minutes: int, lang: str) -> str:
    """'Over 5 minuten' / its Arabic form with the plural Arabic grammar asks for (1, 2, 3-10, 11+)."""
    minutes = max(0, minutes)
    if lang == "ar":
        if minutes <= 0:
            return "نبدأ الآن"
        if minutes == 1:
            return "بعد دقيقة واحدة"
        if minutes == 2:
            return "بعد دقيقتين"
        if minutes <= 10:
            return f"بعد {minutes} دقائق"
        return f"بعد {minutes} دقيقة"
    if minutes <= 0:
        return "We beginnen nu"
    return "Over 1 minuut" if minutes == 1 else f"Over {minutes} minuten"


COUNTDOWN_FROM_MINUTES = 120  # the starting-soon slate counts down in the last two hours


def starting_lines(lang: str, topic: str, when: datetime | None, now: datetime | None = None) -> list[str]:
    """The starting-soon slate's lines below its title: topic, start time and (given `now`) a countdown."""
    from studio.domain.broadcast_texts import topic_label

    lines = []
    if topic:  # in the session's language: 'diefstal' is 'السرقة' on an Arabic slate
        lines.append(_pick(TOPIC_LINE, lang).format(topic=topic_label(topic, lang) if lang == "ar" else topic))
    if when is not None:
        lines.append(_pick(START_TIME_LINE, lang).format(time=when.strftime("%H:%M")))
        if now is not None:
            remaining = (when - now).total_seconds()
            if remaining <= COUNTDOWN_FROM_MINUTES * 60:  # "over 963 minuten" helps nobody
                lines.append(countdown_line(int(-(-remaining // 60)), lang))  # round up: 4:01 left -> 5 min
    lines.append(_pick(ASK_LINE, lang))
    return lines


def end_lines(lang: str) -> list[str]:
    return [_pick(END_EMERGENCY, lang), _pick(END_POLICE, lang), _pick(END_MUNICIPALITY, lang)]


def text(table: Mapping[str, str], lang: str) -> str:
    """One text from a table above in the session's language (Dutch when there is no translation)."""
    return _pick(table, lang)


# --- Thumbnails ---------------------------------------------------------------------------------------------

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
           "نوفمبر", "ديسمبر"),
}  # fmt: skip


def long_date(day: datetime, lang: str) -> str:
    """'21 november 2026' / '21 نوفمبر 2026' (Western digits, like the numbers on the slates)."""
    months = MONTHS.get(lang, MONTHS["nl"])
    return f"{day.day} {months[day.month - 1]} {day.year}"
