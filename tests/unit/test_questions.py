"""The question queue's rules (studio.domain.questions): pure, no store."""

from __future__ import annotations

import pytest

from studio.domain.questions import (
    TRANSITIONS,
    Question,
    Queue,
    QueueError,
    Source,
    State,
    detect_lang,
    ordered,
)


def q(qid: str, at: float = 0.0, urgent: bool = False, **kw) -> Question:
    return Question(id=qid, text=f"vraag {qid}", received_at=at, urgent=urgent, **kw)


def queue_with(*qs: Question) -> Queue:
    queue = Queue()
    for x in qs:
        queue.add(x, now=x.received_at)
    return queue


def test_happy_path_records_every_move_with_its_time():
    queue = queue_with(q("a", 1.0))
    events = queue.shortlist("a", 2.0) + queue.put_on_air("a", 3.0) + queue.take_off_air(4.0, answered=True)
    assert [(e.from_state, e.to_state, e.at) for e in events] == [
        (State.NEW, State.SHORTLISTED, 2.0),
        (State.SHORTLISTED, State.ON_AIR, 3.0),
        (State.ON_AIR, State.ANSWERED, 4.0),
    ]
    assert queue.get("a").state is State.ANSWERED
    assert queue.get("a").updated_at == 4.0


def test_put_on_air_from_new_shortlists_on_the_way():
    queue = queue_with(q("a"))
    events = queue.put_on_air("a", 5.0)
    assert [e.to_state for e in events] == [State.SHORTLISTED, State.ON_AIR]


def test_only_one_question_on_air():
    queue = queue_with(q("a"), q("b"))
    queue.put_on_air("a", 1.0)
    with pytest.raises(QueueError, match="al een vraag in beeld"):
        queue.put_on_air("b", 2.0)
    # the failed attempt left b as it was (not half-shortlisted)
    assert queue.get("b").state is State.NEW
    queue.take_off_air(3.0)
    assert queue.get("a").state is State.SHORTLISTED
    queue.put_on_air("b", 4.0)
    assert queue.on_air() is not None and queue.on_air().id == "b"


def test_forbidden_moves_raise_and_change_nothing():
    queue = queue_with(q("a"))
    queue.move("a", State.REJECTED, 1.0)
    with pytest.raises(QueueError):
        queue.move("a", State.ON_AIR, 2.0)
    with pytest.raises(QueueError):
        queue.move("a", State.ANSWERED, 2.0)
    assert queue.get("a").state is State.REJECTED
    queue.move("a", State.NEW, 3.0)  # undo a rejection
    assert queue.get("a").state is State.NEW


def test_forward_needs_a_note_and_keeps_it():
    queue = queue_with(q("a"))
    with pytest.raises(QueueError, match="notitie"):
        queue.forward("a", "   ", 1.0)
    events = queue.forward("a", "Graag terugbellen, wijkagent Zuid", 2.0)
    assert queue.get("a").state is State.FORWARDED
    assert queue.get("a").note == "Graag terugbellen, wijkagent Zuid"
    assert events[0].detail["note"] == "Graag terugbellen, wijkagent Zuid"


def test_answered_question_can_still_be_forwarded():
    queue = queue_with(q("a"))
    queue.put_on_air("a", 1.0)
    queue.take_off_air(2.0, answered=True)
    queue.forward("a", "nabellen", 3.0)
    assert queue.get("a").state is State.FORWARDED


def test_edit_keeps_the_original():
    queue = queue_with(q("a"))
    events = queue.edit("a", "Wat doet de politie aan inbraken?", 1.0)
    got = queue.get("a")
    assert got.text == "vraag a"
    assert got.display_text == "Wat doet de politie aan inbraken?"
    assert events[0].detail == {"before": "vraag a", "after": "Wat doet de politie aan inbraken?",
                                "original": "vraag a"}
    # editing back to the original drops the edit; editing to the same text is no change
    queue.edit("a", "vraag a", 2.0)
    assert queue.get("a").edited_text is None
    assert queue.edit("a", "vraag a", 3.0) == []


def test_edit_not_allowed_on_air_or_empty():
    queue = queue_with(q("a"), q("b"))
    with pytest.raises(QueueError, match="leeg"):
        queue.edit("a", "  ", 1.0)
    queue.put_on_air("a", 1.0)
    with pytest.raises(QueueError, match="niet meer"):
        queue.edit("a", "anders", 2.0)


def test_merge_counts_duplicates_and_removal_uncounts():
    queue = queue_with(q("a", 1.0), q("b", 2.0, urgent=True), q("c", 3.0))
    queue.merge("a", "b", 4.0)
    queue.merge("a", "c", 5.0)
    a = queue.get("a")
    assert a.count == 3 and a.urgent  # an urgent duplicate makes the kept question urgent
    assert queue.get("b").state is State.MERGED and queue.get("b").merged_into == "a"
    assert [x.id for x in queue.ordered()] == ["a"]
    queue.remove("c", 6.0, "deleted")
    assert queue.get("a").count == 2
    with pytest.raises(QueueError):
        queue.merge("a", "a", 7.0)


def test_cannot_merge_the_question_on_air_into_another():
    queue = queue_with(q("a"), q("b"))
    queue.put_on_air("a", 1.0)
    with pytest.raises(QueueError):
        queue.merge("b", "a", 2.0)
    queue.merge("a", "b", 2.0)
    assert queue.get("a").count == 2


def test_remove_works_from_any_state_and_once():
    queue = queue_with(q("a"))
    queue.put_on_air("a", 1.0)
    events = queue.remove("a", 2.0, "banned")
    assert events[-1].from_state is State.ON_AIR and events[-1].to_state is State.REMOVED
    assert queue.on_air() is None
    assert queue.remove("a", 3.0, "deleted") == []


def test_ordering_urgent_first_then_oldest():
    qs = [q("late", 30.0), q("urgent-late", 40.0, urgent=True), q("early", 10.0), q("urgent-early", 20.0, urgent=True)]
    assert [x.id for x in ordered(qs)] == ["urgent-early", "urgent-late", "early", "late"]


def test_closed_questions_leave_the_open_view():
    queue = queue_with(q("a"), q("b"), q("c"))
    queue.move("b", State.REJECTED, 1.0)
    assert [x.id for x in queue.ordered()] == ["a", "c"]
    assert {x.id for x in queue.ordered(include_closed=True)} == {"a", "b", "c"}


def test_add_rejects_duplicates_and_cuts_enormous_text():
    queue = queue_with(q("a"))
    with pytest.raises(QueueError):
        queue.add(q("a"), 1.0)
    queue.add(Question(id="big", text="x" * 100_000, received_at=0.0), 1.0)
    assert len(queue.get("big").text) == 2000
    with pytest.raises(QueueError, match="bestaat niet"):
        queue.get("nope")


def test_manual_sources_have_dutch_labels():
    assert Source.PHONE.label == "telefoon" and Source.SOCIAL.label == "sociale media"
    assert all(s.label for s in State)


def test_every_state_is_in_the_transition_table():
    assert set(TRANSITIONS) == set(State)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Wat kan ik doen tegen inbraak?", "nl"), ("ماذا أفعل ضد السرقة؟", "ar"),
     ("112 ماذا أفعل", "ar"), ("", "nl"), ("1234", "nl")],
)
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang
