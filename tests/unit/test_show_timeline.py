"""Where the show is inside a recording (studio.domain.show_timeline): the archive's cut and thumbnail windows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.domain.show_timeline import Stretch, clean_windows, closing_start, show_window, spread, stretches

STARTING, ENDING = ("Starten",), ("Einde",)


def window(switches, duration, **kw):
    return show_window(stretches(switches, duration), duration, starting=STARTING, ending=ENDING, **kw)


def test_stretches_from_switches():
    parts = stretches([(-3.0, "Starten"), (20.0, "Wijkagent"), (20.0, "Wijkagent"), (50.0, "Einde"), (99.0, "X")], 60.0)
    assert parts == [Stretch("Starten", 0.0, 20.0), Stretch("Wijkagent", 20.0, 50.0), Stretch("Einde", 50.0, 60.0)]
    assert stretches([], 60.0) == []
    assert stretches([(5.0, "Wijkagent")], 60.0) == [Stretch("Wijkagent", 5.0, 60.0)]


def test_the_end_slate_of_the_issue_is_kept_whole():
    """Rehearsal NL: the end scene went on air by mistake at 204 s (a key on F2), the show went on, and the
    real end slate came at 253 s. The old rule cut at 204 + 30 = 234 s: 112 and 0900-8844 were gone."""
    switches = [(0.0, "Starten"), (20.0, "Wijkagent"), (204.0, "Einde"), (206.0, "Wijkagent"), (253.0, "Einde")]
    w = window(switches, 288.0, end_slate_seconds=30)
    assert w.start == 10.0 and w.end is None  # the slate runs to the end of the recording: nothing cut
    assert "voorprogramma tot 10 s" in w.reason and "eindbeeld tot het einde" in w.reason
    # the same evening with the next session's starting slate after the end slate: cut after the slate
    w = window([*switches, (285.0, "Starten")], 400.0, end_slate_seconds=30)
    assert w.end == pytest.approx(286.0) and "naprogramma vanaf 285 s (na het eindbeeld van 253 s)" in w.reason


def test_an_end_scene_followed_by_the_show_is_not_the_end():
    w = window([(0.0, "Starten"), (30.0, "Wijkagent"), (100.0, "Einde"), (103.0, "Pauze"), (130.0, "Wijkagent")],
               300.0)
    assert w.end is None and "show verder" in w.reason


def test_a_flash_of_another_scene_before_the_slate_is_not_the_show():
    """OBS's own scene for a moment at the recording's start, then the starting slate (seen with a real OBS)."""
    w = window([(-1.0, "Scene"), (0.05, "Starten"), (22.9, "Wijkagent")], 60.0)
    assert w.start == pytest.approx(12.9) and "voorprogramma tot 13 s" in w.reason


def test_starting_slate_trimmed_to_its_last_ten_seconds():
    assert window([(0.0, "Starten"), (4.0, "Wijkagent")], 60.0).start == 0.0  # shorter than 10 s: all of it
    assert window([(0.0, "Starten"), (95.5, "Wijkagent")], 200.0).start == pytest.approx(85.5)
    assert window([(0.0, "Wijkagent")], 60.0).start == 0.0  # the recording starts inside the show
    assert window([], 60.0).end is None and window([(0.0, "Starten")], 60.0).start == 0.0


def test_a_recording_left_running_on_the_end_slate_is_cut_a_minute_after_its_time():
    w = window([(0.0, "Starten"), (20.0, "Wijkagent"), (100.0, "Einde")], 3600.0, end_slate_seconds=30)
    assert w.end == pytest.approx(100 + 30 + 60 + 1.0)


@given(st.lists(st.tuples(st.floats(-10, 400), st.sampled_from(["Starten", "Wijkagent", "Vraag in beeld", "Pauze",
                                                               "Einde"])), max_size=12),
       st.floats(1, 400))
def test_the_cut_never_loses_the_show_or_the_end_slate(switches, duration):
    """Whatever the switches: every moment of a show scene (but a flash under 2 s with the starting slate still
    to come), and every moment of the last end slate with no show after it (up to its time plus the grace), is
    inside what is kept."""
    parts = stretches(switches, duration)
    w = show_window(parts, duration, starting=STARTING, ending=ENDING, end_slate_seconds=30)
    end = duration if w.end is None else w.end
    for i, p in enumerate(parts):
        flash = p.length < 2.0 and any(q.scene in STARTING for q in parts[i + 1:])
        if p.scene not in STARTING + ENDING and not flash:
            assert w.start <= p.start and p.end <= end
    show = [i for i, p in enumerate(parts) if p.scene not in STARTING + ENDING]
    if show:
        for p in parts[show[-1] + 1:]:
            if p.scene in ENDING:
                assert p.start >= w.start and min(p.end, p.start + 90) <= end


def test_clean_windows_leave_out_switch_margins_and_cards():
    parts = [Stretch("Starten", 0, 10), Stretch("Wijkagent", 10, 40), Stretch("Vraag in beeld", 40, 50),
             Stretch("Wijkagent", 50, 80), Stretch("Einde", 80, 90)]
    assert clean_windows(parts, ["Wijkagent"]) == [(11.5, 38.5), (51.5, 78.5)]
    # a card on air 20..25 s (in the officer's scene by some other way): not there either
    assert clean_windows(parts, ["Wijkagent"], exclude=[(20, 25)]) == [(11.5, 18.5), (26.5, 38.5), (51.5, 78.5)]
    assert clean_windows(parts, ["Wijkagent"], within=(30, 60)) == [(30, 38.5), (51.5, 60)]
    assert clean_windows([Stretch("Wijkagent", 0, 2)], ["Wijkagent"]) == []


def test_spread_samples_every_window_by_its_length():
    times = spread([(0, 10), (100, 130)], 4)
    assert times == [5.0, 105.0, 115.0, 125.0]
    assert spread([], 4) == [] and spread([(1, 1)], 3) == []


def test_the_closing_is_the_end_slate_the_show_ended_with():
    def closing(switches, duration=300.0):
        return closing_start(stretches(switches, duration), starting=STARTING, ending=ENDING)

    mistaken = [(0.0, "Starten"), (20.0, "Wijkagent"), (204.0, "Einde"), (206.0, "Wijkagent"), (253.0, "Einde")]
    assert closing(mistaken) == 253.0
    assert closing(mistaken[:4]) is None  # the show went on after the end scene: no closing yet
    assert closing([*mistaken, (285.0, "Starten")]) == 253.0  # the next session's slate after it
    assert closing([(0.0, "Einde")]) == 0.0 and closing([]) is None
