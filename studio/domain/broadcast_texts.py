"""Texts for YouTube broadcasts and announcements, in Dutch and Arabic. Pure functions, no I/O.

YouTube limits: a title has at most 100 characters, a description at most 5000 bytes, and neither may
contain '<' or '>'. Topics come from the (editable) settings, so they are cleaned here as well.
"""

from __future__ import annotations

from datetime import datetime

TITLE_MAX = 100
DESCRIPTION_MAX_BYTES = 5000
CHANNEL_URL = "https://www.youtube.com/@politieheerlen"
CONTACT_URL = "heerlen.nl/contact"

_MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
              "oktober", "november", "december")
_DAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_MONTHS_AR = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
              "نوفمبر", "ديسمبر")
_DAYS_AR = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")

# Arabic names of the default topics; a topic not listed here is shown as written in the settings.
TOPICS_AR = {
    "diefstal": "السرقة",
    "inbraak": "السطو على المنازل",
    "vernieling": "التخريب",
    "huiselijk geweld": "العنف المنزلي",
    "overlast": "الإزعاج",
    "fietsendiefstal": "سرقة الدراجات",
    "oplichting": "الاحتيال",
    "veilig uitgaan": "الخروج الآمن ليلًا",
}


def _clean(text: str) -> str:
    """One line, no angle brackets (YouTube rejects them), no control or bidi-override characters."""
    bad = {"<", ">", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}
    out = "".join(" " if (ch in bad or ord(ch) < 32 or ord(ch) == 127) else ch for ch in text)
    return " ".join(out.split())


def topic_label(topic: str, lang: str) -> str:
    topic = _clean(topic)
    if lang == "ar":
        return TOPICS_AR.get(topic.lower(), topic)
    return topic[:1].upper() + topic[1:]


def format_date(when: datetime, lang: str) -> str:
    """'dinsdag 6 januari 2026' / 'الثلاثاء 6 يناير 2026' (the local date of ``when``)."""
    if lang == "ar":
        return f"{_DAYS_AR[when.weekday()]} {when.day} {_MONTHS_AR[when.month - 1]} {when.year}"
    return f"{_DAYS_NL[when.weekday()]} {when.day} {_MONTHS_NL[when.month - 1]} {when.year}"


def format_time(when: datetime) -> str:
    return f"{when.hour:02d}:{when.minute:02d}"


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def broadcast_title(topic: str, when: datetime, lang: str) -> str:
    """Title with topic and date, at most 100 characters."""
    label = topic_label(topic, lang)
    if lang == "ar":
        date = f"{when.day} {_MONTHS_AR[when.month - 1]} {when.year}"
        title = f"لقاء الحي الرقمي مع شرطة هيرلن: {label} ({date})"
    else:
        date = f"{when.day} {_MONTHS_NL[when.month - 1]} {when.year}"
        title = f"Digitaal wijkspreekuur politie Heerlen: {label} ({date})"
    return _truncate(title, TITLE_MAX)


def broadcast_description(topic: str, when: datetime, lang: str) -> str:
    """Description with the topic, 112 for emergencies, 0900-8844 and heerlen.nl/contact (<= 5000 bytes)."""
    label = topic_label(topic, lang)
    if lang == "ar":
        text = "\n".join([
            f"لقاء الحي الرقمي مع شرطة وبلدية هيرلن. الموضوع: {label}.",
            f"{format_date(when, 'ar')}، الساعة {format_time(when)}.",
            "اطرح سؤالك في الدردشة المباشرة. لا تذكر اسمك الكامل أو عنوانك أو رقم هاتفك.",
            "",
            "في حالة الطوارئ اتصل دائمًا بالرقم 112.",
            "لمحادثة شخصية مع الشرطة اتصل بالرقم 0900-8844.",
            f"للتواصل مع البلدية: {CONTACT_URL}",
        ])
    else:
        text = "\n".join([
            f"Digitaal wijkspreekuur van politie en gemeente Heerlen. Onderwerp: {label}.",
            f"{format_date(when, 'nl').capitalize()}, {format_time(when)} uur.",
            "Stel uw vraag in de livechat. Noem geen volledige naam, adres of telefoonnummer.",
            "",
            "Bij spoed altijd 112.",
            "Voor een persoonlijk gesprek met de politie: 0900-8844.",
            f"Contact met de gemeente: {CONTACT_URL}",
        ])
    data = text.encode("utf-8")[:DESCRIPTION_MAX_BYTES]
    return data.decode("utf-8", errors="ignore")


def calendar_summary(topic: str, lang: str) -> str:
    label = topic_label(topic, lang)
    if lang == "ar":
        return f"لقاء الحي الرقمي (بالعربية): {label}"
    return f"Digitaal wijkspreekuur: {label}"


def announcement(platform: str, topic: str, when: datetime, lang: str, link: str) -> str:
    """A ready-to-post text for 'facebook' or 'instagram' with date, time, topic and link."""
    label = topic_label(topic, lang)
    day, at = format_date(when, lang), format_time(when)
    if lang == "ar":
        body = [
            f"📺 لقاء الحي الرقمي مع شرطة هيرلن باللغة العربية: {label}",
            f"🗓 {day}، الساعة {at}",
            "اطرح أسئلتك مباشرة في الدردشة. في حالة الطوارئ اتصل دائمًا بالرقم 112.",
        ]
        tags = "#هيرلن #الشرطة"
        link_line = f"شاهد البث: {link}" if platform == "facebook" else f"الرابط في السيرة الذاتية: {link}"
    else:
        body = [
            f"📺 Digitaal wijkspreekuur van politie Heerlen: {label}",
            f"🗓 {day.capitalize()} om {at} uur",
            "Stel uw vraag live in de chat. Bij spoed altijd 112.",
        ]
        tags = "#Heerlen #politie #wijkspreekuur"
        link_line = f"Kijk mee: {link}" if platform == "facebook" else f"Kijk mee via de link in onze bio: {link}"
    return "\n".join([*body, link_line, tags])
