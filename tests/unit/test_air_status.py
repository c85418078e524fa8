"""The one air state (studio.domain.air_status): LIVE/TEST/STREAM from OBS's and YouTube's reports, debounced.

The scenarios are the ones a rehearsal evening showed: the header flipping between LIVE and STREAM while the
Uitzending screen polled the finished Dutch broadcast during the Arabic session; a TEST clock that stayed at
0:00:00; two LIVE clocks that disagreed; "LIVE ZONDER BEELD" while the studio itself was ending the broadcast.
"""

from __future__ import annotations

from studio.domain.air_status import (
    AirState,
    AirTracker,
    YouTubeReport,
    describe,
    live_clock,
    parse_timecode,
    parse_youtube_time,
)

T0 = 1_795_000_000.0


def streaming(tracker: AirTracker, at: float = T0, seconds: float | None = None) -> None:
    tracker.obs(connected=True, streaming=True, at=at, stream_seconds=seconds)


def test_obs_streaming_alone_is_never_live():
    t = AirTracker()
    streaming(t)
    assert describe(t.state, T0 + 5).text == "● STREAM 0:00:05"
    t.youtube(YouTubeReport("b1", "testing", T0 + 5))
    said = describe(t.state, T0 + 65)
    assert said.text == "● TEST 0:01:05 (niet live)" and said.tone == "test"


def test_the_test_clock_runs_even_when_obs_reports_zero():
    """The Arabic session: OBS's stream timecode stayed 00:00:00; the clock still runs from when OBS began."""
    t = AirTracker()
    streaming(t, T0, seconds=0.0)
    t.youtube(YouTubeReport("b2", "testing", T0))
    streaming(t, T0 + 30, seconds=0.0)  # the poll again says zero
    assert describe(t.state, T0 + 42).text == "● TEST 0:00:42 (niet live)"


def test_obs_own_duration_sets_the_clock_after_a_restart():
    t = AirTracker()
    streaming(t, T0, seconds=600.0)  # the panel restarted while OBS had streamed for ten minutes
    assert describe(t.state, T0 + 2).text == "● STREAM 0:10:02"


def test_live_clock_is_youtubes_actual_start_time():
    t = AirTracker()
    streaming(t)
    t.youtube(YouTubeReport("b1", "live", T0 + 10, actual_start=T0 - 24))
    assert live_clock(t.state, T0 + 10) == "0:00:34"
    assert describe(t.state, T0 + 10).text == "● LIVE 0:00:34"
    # a later answer without the time keeps it; with a time, YouTube's time wins
    t.youtube(YouTubeReport("b1", "live", T0 + 20))
    assert t.state.live_since == T0 - 24


def test_live_clock_until_youtube_gives_the_time_starts_when_live_was_confirmed():
    t = AirTracker()
    streaming(t)
    t.youtube(YouTubeReport("b1", "live", T0 + 3))
    assert live_clock(t.state, T0 + 5) == "0:00:02"


def test_another_broadcasts_report_never_changes_the_state():
    """Arabic live; the Uitzending screen polls the finished Dutch broadcast every 15 s: no flicker."""
    t = AirTracker()
    streaming(t)
    t.follow("ar")
    t.youtube(YouTubeReport("ar", "live", T0, actual_start=T0))
    texts = set()
    for i in range(20):
        t.youtube(YouTubeReport("nl", "complete", T0 + i))  # the other broadcast
        if i % 3 == 0:
            t.youtube(YouTubeReport("ar", "live", T0 + i, actual_start=T0))
        texts.add(describe(t.state, T0 + 100).text.split(" ")[1])
    assert texts == {"LIVE"}


def test_one_stale_answer_does_not_move_the_state_back():
    t = AirTracker()
    streaming(t)
    t.youtube(YouTubeReport("b1", "live", T0, actual_start=T0))
    t.youtube(YouTubeReport("b1", "testing", T0 + 1))  # one stale answer: ignored
    assert t.state.live
    t.youtube(YouTubeReport("b1", "live", T0 + 2))
    t.youtube(YouTubeReport("b1", "testing", T0 + 3))
    assert t.state.live  # not two in a row
    t.youtube(YouTubeReport("b1", "testing", T0 + 4))
    assert t.state.lifecycle == "testing"  # confirmed twice in a row: YouTube means it


def test_forward_moves_are_taken_at_once():
    t = AirTracker()
    streaming(t)
    t.follow("b1")  # the session's broadcast: followed from its creation on
    for step in ("ready", "testing", "live", "complete"):
        t.youtube(YouTubeReport("b1", step, T0))
        assert t.state.lifecycle == step


def test_live_without_picture_only_when_youtube_says_no_data_twice():
    t = AirTracker()
    streaming(t)
    t.youtube(YouTubeReport("b1", "live", T0, actual_start=T0, stream_status="active", health="good"))
    t.youtube(YouTubeReport("b1", "live", T0 + 10, stream_status="active", health="noData"))
    assert describe(t.state, T0 + 10).text.startswith("● LIVE 0:00:10")  # one answer: not yet
    t.youtube(YouTubeReport("b1", "live", T0 + 20, stream_status="inactive", health="noData"))
    said = describe(t.state, T0 + 20)
    assert said.text == "● LIVE ZONDER BEELD" and said.tone == "alarm"
    t.youtube(YouTubeReport("b1", "live", T0 + 30, stream_status="active", health="good"))
    assert describe(t.state, T0 + 30).text == "● LIVE 0:00:30"


def test_ending_normally_is_never_live_without_picture():
    """The studio ends the broadcast: OBS stops before YouTube's 'complete' arrives, and YouTube may already
    report no data. That is the end, not an alarm."""
    t = AirTracker()
    streaming(t)
    t.follow("b1")
    t.youtube(YouTubeReport("b1", "live", T0, actual_start=T0, stream_status="active", health="good"))
    t.follow("b1", ending=True)
    t.obs(connected=True, streaming=False, at=T0 + 60)
    t.youtube(YouTubeReport("b1", "live", T0 + 61, stream_status="inactive", health="noData"))
    t.youtube(YouTubeReport("b1", "live", T0 + 62, stream_status="inactive", health="noData"))
    said = describe(t.state, T0 + 62)
    assert "ZONDER BEELD" not in said.text and "einde" in said.text
    t.youtube(YouTubeReport("b1", "complete", T0 + 63))
    assert describe(t.state, T0 + 63).text == "○ niet live"
    assert not t.state.ending


def test_obs_stopping_while_live_is_said_but_not_as_no_picture():
    t = AirTracker()
    streaming(t)
    t.youtube(YouTubeReport("b1", "live", T0, actual_start=T0, stream_status="active", health="good"))
    t.obs(connected=True, streaming=False, at=T0 + 5)
    said = describe(t.state, T0 + 5)
    assert said.text == "● LIVE 0:00:05 · OBS stuurt niet" and said.tone == "warn"


def test_obs_connection_lost_keeps_youtubes_live_and_says_unknown_otherwise():
    t = AirTracker()
    t.obs(connected=False, streaming=False, at=T0)
    assert describe(t.state, T0).text == "○ live ?"
    streaming(t)
    t.youtube(YouTubeReport("b1", "live", T0, actual_start=T0))
    t.obs(connected=False, streaming=False, at=T0 + 1)
    assert describe(t.state, T0 + 1).text == "● LIVE 0:00:01"  # YouTube says live: true, OBS unknown


def test_a_new_broadcast_starts_from_nothing_known():
    t = AirTracker()
    streaming(t)
    t.youtube(YouTubeReport("nl", "live", T0, actual_start=T0))
    t.youtube(YouTubeReport("nl", "complete", T0 + 10))
    t.obs(connected=True, streaming=False, at=T0 + 11)
    t.follow("ar")
    streaming(t, T0 + 100)
    assert describe(t.state, T0 + 105).text == "● STREAM 0:00:05"
    t.youtube(YouTubeReport("ar", "testing", T0 + 105))
    assert describe(t.state, T0 + 110).text == "● TEST 0:00:10 (niet live)"


def test_a_finished_broadcast_is_not_followed_on_its_own():
    t = AirTracker()
    t.youtube(YouTubeReport("old", "complete", T0))
    assert t.state == AirState()


def test_stale_answers_are_marked():
    t = AirTracker()
    streaming(t)
    t.youtube(YouTubeReport("b1", "live", T0, actual_start=T0))
    assert describe(t.state, T0 + 30).text == "● LIVE 0:00:30"
    assert describe(t.state, T0 + 90).text == "● LIVE 0:01:30 (?)"


def test_parsers():
    assert parse_timecode("01:02:03.500") == 3723.5 and parse_timecode("") is None and parse_timecode("x") is None
    assert parse_youtube_time("2026-11-24T18:00:05Z") == 1795543205.0
    assert parse_youtube_time("2026-11-24T18:00:05.250+00:00") == 1795543205.25
    assert parse_youtube_time("") is None and parse_youtube_time("gisteren") is None
