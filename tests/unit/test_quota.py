"""Quota cost table (today's figures, its source and date), buckets, Pacific-day ledger, forecasts and warning."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from studio.youtube.quota import (
    BUCKETS,
    DEFAULT_BUCKET,
    TABLE,
    TABLE_CHECKED,
    TABLE_SOURCE,
    QuotaLedger,
    bucket_of,
    cost_of,
    evening_forecast,
    method_name,
    next_reset,
    pacific_day,
    price,
    session_forecast,
    session_sheet,
    sheet_lines,
    source_line,
    usage_from,
    usage_lines,
)


def ts(*args: int) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(("method", "units"), [
    *[(f"liveBroadcasts.{m}", 1) for m in ("bind", "delete", "insert", "insertCuepoint", "list", "transition",
                                           "update")],
    *[(f"liveStreams.{m}", 1) for m in ("delete", "insert", "list", "update")],
    ("liveChatMessages.list", 5), ("liveChatMessages.streamList", 5),
    ("liveChatMessages.insert", 20), ("liveChatMessages.delete", 20),
    ("liveChatBans.insert", 200), ("liveChatBans.delete", 200),
    ("liveChatModerators.insert", 200), ("liveChatModerators.delete", 200), ("liveChatModerators.list", 50),
    ("captions.list", 50), ("captions.insert", 400), ("captions.update", 450), ("captions.delete", 50),
    ("videos.update", 50), ("thumbnails.set", 50), ("playlistItems.insert", 50), ("playlistItems.update", 50),
    ("playlistItems.delete", 50), ("videos.list", 1), ("playlists.list", 1), ("channels.list", 1),
])  # fmt: skip
def test_cost_table_is_the_calculator_of_2026_12_01(method, units):
    assert cost_of(method) == units and bucket_of(method) == DEFAULT_BUCKET


def test_uploads_and_search_have_buckets_of_their_own():
    for method in ("videos.insert", "search.list"):
        assert cost_of(method) == 1 and bucket_of(method) == method
        assert BUCKETS[method].daily_limit == 100
    assert BUCKETS[DEFAULT_BUCKET].daily_limit is None  # the project's quota from the settings
    assert TABLE_CHECKED == "2026-12-01" and "quota calculator" in TABLE_SOURCE
    assert "2026-12-01" in source_line()


def test_unknown_methods_and_discovery_names():
    assert cost_of("somethingNew.list") == 1 and cost_of("somethingNew.frobnicate") == 50
    assert method_name("youtube.youtube.v3.liveChat.messages.stream") == "liveChatMessages.streamList"
    assert method_name("youtube.liveBroadcasts.insert") == "liveBroadcasts.insert"
    assert all(c.units >= 1 and c.bucket in BUCKETS for c in TABLE.values())


def test_pacific_day_boundaries_in_winter_and_summer():
    # PST = UTC-8: 07:59 UTC is still the previous day, 08:00 UTC the new one.
    assert pacific_day(ts(2026, 1, 10, 7, 59)) == "2026-01-09"
    assert pacific_day(ts(2026, 1, 10, 8, 0)) == "2026-01-10"
    # PDT = UTC-7
    assert pacific_day(ts(2026, 7, 10, 6, 59)) == "2026-07-09"
    assert pacific_day(ts(2026, 7, 10, 7, 0)) == "2026-07-10"
    # New Year in Amsterdam (23:00 UTC) is still 31 December in California.
    assert pacific_day(ts(2026, 12, 31, 23, 30)) == "2026-12-31"


def test_next_reset_is_midnight_pacific():
    assert next_reset(ts(2026, 1, 10, 12, 0)) == datetime(2026, 1, 11, 8, 0, tzinfo=UTC)
    assert next_reset(ts(2026, 7, 10, 12, 0)) == datetime(2026, 7, 11, 7, 0, tzinfo=UTC)
    # The night Pacific time springs forward (8 March 2026) midnight is still 08:00 UTC (PST).
    assert next_reset(ts(2026, 3, 7, 20, 0)) == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)


def test_ledger_sums_per_pacific_day_target_and_bucket(store):
    ledger = QuotaLedger(store, daily_limit=1000, warn_ratio=0.8)
    rehearsal = QuotaLedger(store, daily_limit=1000, target="oefen")
    ledger.record("liveBroadcasts.insert", at=ts(2026, 1, 10, 7, 0))  # day 9
    ledger.record("liveBroadcasts.insert", at=ts(2026, 1, 10, 9, 0))  # day 10
    ledger.record("liveChatMessages.list", at=ts(2026, 1, 10, 9, 1))
    ledger.record("liveBroadcasts.transition", ok=False, reason="errorStreamInactive", at=ts(2026, 1, 10, 9, 2))
    ledger.record("videos.insert", at=ts(2026, 1, 10, 9, 3))
    ledger.record("thumbnails.set", at=ts(2026, 1, 10, 9, 4))
    rehearsal.record("liveBroadcasts.insert", at=ts(2026, 1, 10, 9, 0))
    u = ledger.usage("2026-01-10")
    assert u.by_method == {"liveBroadcasts.insert": 1, "liveChatMessages.list": 5, "liveBroadcasts.transition": 1,
                           "videos.insert": 1, "thumbnails.set": 50}
    assert u.used == 57 and u.remaining == 943 and abs(u.ratio - 0.057) < 1e-9  # the upload is not in it
    assert u.bucket("videos.insert").used == 1 and u.bucket("videos.insert").limit == 100
    assert u.bucket("search.list").used == 0
    assert ledger.usage("2026-01-09").used == 1
    assert rehearsal.usage("2026-01-10").used == 1
    assert usage_lines(u) == ["dagquotum: 57 van 1000 eenheden (6%)", "video-uploads: 1 van 100 keer (1%)",
                              "zoekopdrachten: 0 van 100 keer (0%)"]
    from studio.youtube.quota import method_lines

    lines = method_lines(u)
    assert lines[0].split() == ["thumbnails.set", "50", "(dagquotum)"]
    assert ["videos.insert", "1", "(video-uploads)"] in [line.split() for line in lines]


def test_warning_at_80_percent(store):
    ledger = QuotaLedger(store, daily_limit=100, warn_ratio=0.8)
    ledger.record("x.insert", units=79)
    assert not ledger.should_warn()
    assert ledger.should_warn(extra=1)
    ledger.record("x.list", units=1)
    assert ledger.should_warn()


def test_session_costs_a_fraction_of_what_the_old_table_said():
    sheet = session_sheet()
    assert sheet.units == sum(n for n in sheet.by_bucket.values())  # all in the daily quota
    assert sheet.units < 100  # the old table said 276
    assert session_forecast(1500) == sheet.units + 1500
    lines = sheet_lines(sheet)
    assert any("liveBroadcasts.insert" in line and "(dagquotum)" in line for line in lines)
    assert lines[-1] == f"  totaal per bucket: dagquotum: {sheet.units}"


def test_price_puts_each_call_in_its_bucket():
    upload = price({"videos.insert": 1, "thumbnails.set": 1, "playlistItems.insert": 1, "videos.update": 1})
    assert upload.by_bucket == {"videos.insert": 1, DEFAULT_BUCKET: 150}  # the old table said 1,753
    assert upload.units == 150
    assert (upload + price(["videos.insert"])).by_bucket["videos.insert"] == 2


def test_evening_forecast_per_bucket_and_room_for_chat():
    usage = usage_from("2026-01-10", {"liveBroadcasts.list": 100, "videos.insert": 99}, 10_000)
    upload = price({"videos.insert": 1, "thumbnails.set": 1})
    f = evening_forecast(usage, 2, 1500, publications=[upload, upload])
    assert f.planned[DEFAULT_BUCKET] == 2 * (session_sheet().units + 1500) + 100
    assert f.planned["videos.insert"] == 2
    assert not f.fits  # 99 uploads today: two more do not fit in the upload bucket
    f1 = evening_forecast(usage, 2, 1500, publications=[upload])
    assert f1.fits and not f1.warn
    assert f1.total == 100 + f1.planned[DEFAULT_BUCKET]
    assert f1.chat_room == (10_000 - 100 - 2 * session_sheet().units - 50 - 500) // 2
    assert evening_forecast(usage, 0, 1500).chat_room == 0
    crowded = usage_from("2026-01-10", {"liveChatMessages.list": 7000}, 10_000)
    assert evening_forecast(crowded, 1, 1500).warn


def test_publish_sheet_puts_the_upload_in_its_own_bucket():
    from studio.youtube.publish import publish_sheet, step_cost

    upload = publish_sheet(("upload", "thumbnail", "playlist", "privacy"))
    assert upload.by_bucket == {"videos.insert": 1, DEFAULT_BUCKET: 51 + 52 + 51}
    assert step_cost("upload", "upload") == 0  # nothing from the daily quota
    update = publish_sheet(("metadata", "thumbnail", "playlist", "privacy"))
    assert update.by_bucket == {DEFAULT_BUCKET: 51 + 51 + 52 + 51}


def test_forecast_lines_say_it_per_bucket():
    from studio.youtube.quota import forecast_lines

    usage = usage_from("2026-01-10", {"liveBroadcasts.list": 100, "videos.insert": 99}, 10_000)
    upload = price({"videos.insert": 1, "thumbnails.set": 1})
    lines = forecast_lines(evening_forecast(usage, 2, 1500, publications=[upload, upload]))
    per = session_sheet().units
    assert lines[0] == f"per sessie: {per} eenheden voor de uitzending + ten hoogste 1500 voor de chat"
    total = 100 + 2 * (per + 1500) + 100
    assert lines[1] == f"vanavond (2 sessies): {2 * (per + 1500) + 100} eenheden uit het dagquotum -> {total} van 10000 ({total / 10_000:.0%})"
    assert "video-uploads: 2 keer (vandaag al 99 van 100)" in lines
    assert lines[-1] == "LET OP: dit past niet in het quotum van vandaag"
