"""Chapter rules (YouTube: first at 0:00, at least 3, ascending, each >= 10 s) as property tests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from studio.domain.chapters import (
    DESCRIPTION_MAX_BYTES,
    Chapter,
    Mark,
    build_chapters,
    chapters_from_description,
    clean_title,
    compose_description,
    follows_youtube_rules,
    format_chapters,
    format_timestamp,
)

titles = st.text(min_size=0, max_size=120)
marks = st.lists(
    st.builds(Mark, at=st.floats(min_value=-100, max_value=20_000) | st.sampled_from([float("nan"), float("inf")]), title=titles),
    max_size=60,
)
durations = st.floats(min_value=-10, max_value=20_000) | st.just(float("nan"))


@given(marks, durations)
@settings(max_examples=400, deadline=None)
def test_chapters_keep_every_rule_or_are_empty(ms, duration):
    chapters = build_chapters(ms, duration)
    if chapters:
        assert follows_youtube_rules(chapters, duration)
        assert all(c.title and "<" not in c.title and ">" not in c.title and "\n" not in c.title for c in chapters)


@given(marks, st.floats(min_value=30, max_value=20_000))
@settings(max_examples=300, deadline=None)
def test_formatted_chapters_parse_back_and_still_keep_the_rules(ms, duration):
    chapters = build_chapters(ms, duration)
    parsed = chapters_from_description(format_chapters(chapters))
    assert [c.start for c in parsed] == [c.start for c in chapters]
    if chapters:
        assert format_chapters(chapters).startswith("0:00 ")
        assert follows_youtube_rules(parsed, duration)


@given(st.text(max_size=6000), marks, st.floats(min_value=30, max_value=20_000), st.text(max_size=3000))
@settings(max_examples=200, deadline=None)
def test_description_fits_and_has_no_angle_brackets(intro, ms, duration, footer):
    chapters = build_chapters(ms, duration)
    text = compose_description(intro, chapters, footer)
    assert len(text.encode("utf-8")) <= DESCRIPTION_MAX_BYTES
    assert "<" not in text and ">" not in text
    if chapters and len(format_chapters(chapters).encode()) < 2000:
        assert [c.start for c in chapters_from_description(text)][: len(chapters)] == [c.start for c in chapters]


@given(st.lists(st.floats(min_value=0, max_value=3000), min_size=0, max_size=40))
def test_well_spread_marks_all_become_chapters(times):
    spaced = sorted({int(t) // 20 * 20 for t in times if t >= 20})  # 20 s apart, after the opening
    ms = [Mark(t, f"Vraag {i}") for i, t in enumerate(spaced)]
    chapters = build_chapters(ms, 3100)
    if len(spaced) >= 2:
        assert [c.start for c in chapters[1:]] == spaced
        assert chapters[0] == Chapter(0, "Welkom")
    else:
        assert chapters == []


def test_examples():
    ms = [Mark(3.2, "Opening"), Mark(8, "te dichtbij"), Mark(65.9, "Vraag over fietsendiefstal"),
          Mark(70, "te kort erna"), Mark(200, "Vraag <script>"), Mark(595, "te dicht bij het eind")]
    chapters = build_chapters(ms, 600)
    assert chapters == [Chapter(0, "Opening"), Chapter(65, "Vraag over fietsendiefstal"), Chapter(200, "Vraag script")]
    assert format_chapters(chapters) == "0:00 Opening\n1:05 Vraag over fietsendiefstal\n3:20 Vraag script"
    assert build_chapters([Mark(100, "een")], 600) == []  # only two possible: YouTube would ignore them
    assert format_timestamp(3723) == "1:02:03"
    assert clean_title("12:30 \u202eevil\ntext") == "evil text"


def test_long_video_counts_hours():
    chapters = build_chapters([Mark(100, "a"), Mark(3700, "b")], 4000)
    assert format_chapters(chapters).splitlines() == ["0:00 Welkom", "1:40 a", "1:01:40 b"]
