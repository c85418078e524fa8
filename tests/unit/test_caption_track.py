"""The review data of a caption track (studio/domain/caption_track.py): marks, edits, reviewed flag, storage."""

from __future__ import annotations

import json

import pytest

from studio.domain.caption_track import (
    LOW_CONFIDENCE,
    PERSONAL_DATA,
    WRONG_SCRIPT,
    CaptionEditError,
    CaptionTrack,
    make_track,
    word_script,
)
from studio.domain.captions import Word, layout_cues


def _track(language="nl", finder=None):
    words = [Word("Goedenavond", 0.5, 1.0, 0.95), Word("meneer", 1.0, 1.3, 0.92), Word("Jansen.", 1.3, 1.8, 0.31),
             Word("Mijn", 4.0, 4.2, 0.9), Word("nummer", 4.2, 4.6, 0.9), Word("is", 4.6, 4.7, 0.9),
             Word("0612345678.", 4.7, 5.6, 0.88), Word("شكرا", 8.0, 8.5, 0.9), Word("allemaal.", 8.5, 9.0, 0.9)]
    return make_track(layout_cues(words, language), language, model="base", finder=finder)


def _phone_finder(text):
    return [w.strip(".") for w in text.split() if w.strip(".").isdigit() and len(w.strip(".")) >= 8]


def test_marks_low_confidence_wrong_script_and_personal_data():
    track = _track(finder=_phone_finder)
    assert [c.text for c in track.cues] == ["Goedenavond meneer Jansen.", "Mijn nummer is 0612345678.",
                                            "شكرا allemaal."]
    reasons = [[m.reason for m in c.marks] for c in track.cues]
    assert reasons == [[LOW_CONFIDENCE], [PERSONAL_DATA], [WRONG_SCRIPT]]
    assert track.cues[0].marks[0].words == ("Jansen.",)
    assert track.cues[1].marks[0].words == ("0612345678",)
    assert track.cues[2].marks[0].words == ("شكرا",)
    assert track.to_check() == [0, 1, 2]
    assert not track.reviewed


def test_in_an_arabic_session_latin_words_are_the_wrong_script():
    track = _track("ar")
    assert [m.reason for m in track.cues[2].marks] == [WRONG_SCRIPT]
    assert track.cues[2].marks[0].words == ("allemaal.",)
    assert word_script("0900-8844") == "" and word_script("Heerlen") == "latin" and word_script("مرحبا") == "arabic"


def test_no_finder_no_personal_marks():
    assert all(m.reason != PERSONAL_DATA for c in _track().cues for m in c.marks)


def test_edit_rewraps_clears_the_check_and_the_review():
    track = _track().mark_reviewed()
    edited = track.edit(0, "Goedenavond meneer Jansen, welkom bij het wijkspreekuur van Heerlen.")
    assert track.reviewed and not edited.reviewed
    assert len(edited.cues[0].lines) == 2 and all(len(line) <= 42 for line in edited.cues[0].lines)
    assert edited.cues[0].edited and not edited.cues[0].to_check
    assert (edited.cues[0].start, edited.cues[0].end) == (track.cues[0].start, track.cues[0].end)
    assert track.to_check() == [0, 2] and edited.to_check() == [2]
    assert track.cues[0].text == "Goedenavond meneer Jansen."  # the original is unchanged


def test_edit_refuses_empty_too_long_and_unknown_cues():
    track = _track()
    with pytest.raises(CaptionEditError, match="niet leeg"):
        track.edit(0, "  \u200f ")
    with pytest.raises(CaptionEditError, match="2 regels van 42"):
        track.edit(0, "woord " * 30)
    with pytest.raises(CaptionEditError, match="bestaat niet"):
        track.edit(7, "hallo")


def test_an_edit_is_checked_for_personal_data_again():
    edited = _track().edit(0, "Bel 0455551234 voor een afspraak.", finder=_phone_finder)
    assert [m.reason for m in edited.cues[0].marks] == [PERSONAL_DATA]


def test_remove_and_review_need_cues():
    track = _track()
    emptied = track.remove(0).remove(0).remove(0)
    assert emptied.cues == ()
    with pytest.raises(CaptionEditError, match="geen ondertitels"):
        emptied.mark_reviewed()


def test_round_trip_through_json():
    track = _track(finder=_phone_finder).edit(1, "Mijn nummer is geheim.").mark_reviewed()
    again = CaptionTrack.from_dict(json.loads(json.dumps(track.to_dict(), ensure_ascii=False)))
    assert again == track
    with pytest.raises(CaptionEditError, match="onbekende versie"):
        CaptionTrack.from_dict({**track.to_dict(), "version": 99})


def test_transcript_is_running_text():
    assert _track().transcript().splitlines()[0] == "Goedenavond meneer Jansen."


def test_text_between_gives_what_was_said_in_a_window():
    track = _track()
    assert track.text_between(3.9, 6.0) == "Mijn nummer is 0612345678."
    assert track.text_between(0.0, 100.0).startswith("Goedenavond meneer Jansen. Mijn nummer")
    assert track.text_between(2.5, 3.5) == ""


def test_shifted_moves_drops_and_clips():
    track = _track()
    later = track.shifted(10.0)
    assert [c.start for c in later.cues] == [round(c.start + 10, 3) for c in track.cues]
    earlier = track.shifted(-4.2, end_of_media=4.0)
    assert [c.text for c in earlier.cues] == ["Mijn nummer is 0612345678.", "شكرا allemaal."]
    assert earlier.cues[0].start == 0.0 and earlier.cues[-1].end == 4.0
    assert earlier.cues[0].marks == track.cues[1].marks
