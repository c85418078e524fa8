"""Broadcast titles, descriptions and announcements in Dutch and Arabic."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from studio.domain import broadcast_texts as t

WHEN = datetime(2026, 3, 3, 20, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def test_dutch_title_and_description():
    title = t.broadcast_title("inbraak", WHEN, "nl")
    assert "Inbraak" in title and "3 maart 2026" in title and len(title) <= 100
    d = t.broadcast_description("inbraak", WHEN, "nl")
    for needle in ("Inbraak", "Bij spoed altijd 112", "0900-8844", "heerlen.nl/contact", "dinsdag 3 maart 2026"[1:]):
        assert needle in d


def test_arabic_title_and_description():
    title = t.broadcast_title("huiselijk geweld", WHEN, "ar")
    assert "العنف المنزلي" in title and "مارس" in title and "2026" in title
    d = t.broadcast_description("huiselijk geweld", WHEN, "ar")
    for needle in ("العنف المنزلي", "112", "0900-8844", "heerlen.nl/contact", "الثلاثاء"):
        assert needle in d


def test_hostile_topic_is_cleaned_and_bounded():
    topic = "<script>\u202eoverlast\n" + "x" * 300
    title = t.broadcast_title(topic, WHEN, "nl")
    assert "<" not in title and ">" not in title and "\u202e" not in title and "\n" not in title
    assert len(title) <= 100
    d = t.broadcast_description(topic * 30, WHEN, "nl")
    assert "<" not in d and len(d.encode()) <= 5000


def test_announcements_have_date_time_topic_and_link():
    link = "https://www.youtube.com/watch?v=abc"
    for platform in ("facebook", "instagram"):
        nl = t.announcement(platform, "diefstal", WHEN, "nl", link)
        assert "Diefstal" in nl and "3 maart 2026" in nl and "20:00" in nl and link in nl
        ar = t.announcement(platform, "diefstal", WHEN, "ar", link)
        assert "السرقة" in ar and "مارس" in ar and "20:00" in ar and link in ar
