"""How a recording's files are named on the Archive screen and in the session report: a recording that OBS
started again after a crash has parts, and the first file's name alone hid them (found on a rehearsal evening
with two OBS crashes: the screen showed one file of three)."""

from studio.domain import labels


def test_one_file_is_just_its_name():
    assert labels.recording_files("/opnamen/2026-12-01 18-41-14.mkv", 1) == "2026-12-01 18-41-14.mkv"


def test_parts_after_a_crash_are_counted():
    assert labels.recording_files("/o/a.mkv", 2) == "a.mkv en 1 vervolgdeel (na een storing)"
    assert labels.recording_files("/o/a.mkv", 3) == "a.mkv en 2 vervolgdelen (na een storing)"


def test_a_name_that_is_not_printable_stays_safe():
    assert labels.recording_files("/o/\x1b[31mrood.mkv", 1) == labels.file_name("/o/\x1b[31mrood.mkv")
