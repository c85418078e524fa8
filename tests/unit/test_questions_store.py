"""The question queue in SQLite (studio.store.questions): transactions, chat pages, removal, purge."""

from __future__ import annotations

import threading
import time

import pytest

from studio.domain.questions import Question, Source, State
from studio.store import Store
from studio.store.questions import QuestionBook, QuestionError


class Clock:
    def __init__(self) -> None:
        self.t = float(int(time.time()))  # the audit log stamps real time: stay close to it

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def book(store, clock):
    return QuestionBook(store, clock=clock)


def chat_q(book: QuestionBook, mid: str, text: str = "Hoe meld ik overlast?", author: str = "UCabc", at: float = 0.0):
    return Question(id=f"id-{mid}", text=text, received_at=at or book.clock(), message_id=mid,
                    author_hash=book.author_hash(author))


def test_manual_question_and_its_history(book, clock, store):
    t0 = clock.t
    q = book.add_manual("Ingestuurd via Facebook: wat doe ik bij oplichting?", Source.SOCIAL)
    assert q.source is Source.SOCIAL and q.state is State.NEW and q.lang == "nl"
    clock.t += 10
    book.shortlist(q.id)
    clock.t += 5
    book.edit(q.id, "Wat doe ik bij oplichting?")
    kinds = [(e.kind, e.to_state, e.at - t0) for e in book.events(q.id)]
    assert kinds == [("added", State.NEW, 0.0), ("state", State.SHORTLISTED, 10.0), ("edited", State.SHORTLISTED, 15.0)]
    got = book.get(q.id)
    assert got.text.startswith("Ingestuurd") and got.display_text == "Wat doe ik bij oplichting?"
    audit = store.audit_entries(action="question.edit")[0]
    # the original stays in the question (above); the audit log says an edit happened, never the texts
    assert audit["params"] == {"id": q.id, "chars_before": 51, "chars_after": 26, "decisions_cleared": 0}
    assert "oplichting" not in str(store.audit_entries(limit=100))


def test_manual_question_validation(book):
    with pytest.raises(QuestionError):
        book.add_manual("  ", Source.PHONE)
    with pytest.raises(QuestionError):
        book.add_manual("tekst", Source.CHAT)


def test_rule_violation_is_a_dutch_studio_error(book):
    a = book.add_manual("a", Source.PHONE)
    b = book.add_manual("b", Source.PHONE)
    book.mark_on_air(a.id)
    with pytest.raises(QuestionError, match="al een vraag in beeld"):
        book.mark_on_air(b.id)
    assert book.on_air().id == a.id


def test_author_hash_is_salted_and_stable(book, store):
    h = book.author_hash("UCabc")
    assert h == book.author_hash("UCabc") and h != book.author_hash("UCother")
    assert "UCabc" not in h
    # a second book on the same store uses the same salt (bans after a restart still match)
    assert QuestionBook(store).author_hash("UCabc") == h
    # and another database uses another salt
    other = Store(store.path.parent / "other.sqlite3")
    try:
        assert QuestionBook(other).author_hash("UCabc") != h
    finally:
        other.close()


def test_record_page_dedupes_and_keeps_the_token(book):
    out = book.record_page("chat1", "tok1", [chat_q(book, "m1"), chat_q(book, "m2")], ["m1", "m2"])
    assert len(out.added) == 2 and out.duplicates == 0
    # the same page again (a restart before the token was stored elsewhere): nothing new
    again = [Question(id="other-id", text="x", received_at=1.0, message_id="m1")]
    out = book.record_page("chat1", "tok2", again, ["m1"])
    assert out.added == [] and out.duplicates == 1
    pos = book.chat_position("chat1")
    assert pos.page_token == "tok2" and pos.polls == 2 and not pos.ended
    assert len(book.queue()) == 2
    assert book.seen("m1") and not book.seen("m9")
    # a page without a next token keeps the last one
    book.record_page("chat1", None, [], [], ended=True)
    pos = book.chat_position("chat1")
    assert pos.page_token == "tok2" and pos.ended


def test_deleted_message_and_banned_author_leave_the_queue(book):
    book.record_page("chat1", "t", [chat_q(book, "m1", author="UCa"), chat_q(book, "m2", author="UCb"),
                                    chat_q(book, "m3", author="UCb")], ["m1", "m2", "m3"])
    on_air = book.queue().by_message("m1")
    book.mark_on_air(on_air.id)
    out = book.record_page("chat1", "t2", [], ["d1"], deleted_message_ids=["m1"])
    assert out.removed == [on_air.id] and out.removed_on_air == on_air.id
    assert book.on_air() is None
    gone = book.get(on_air.id)
    assert gone.state is State.REMOVED and gone.text == ""  # the text of a deleted message is not kept
    out = book.record_page("chat1", "t3", [], ["b1"], banned_author_hashes=[book.author_hash("UCb")])
    assert len(out.removed) == 2 and out.removed_on_air is None
    assert [q for q in book.queue().ordered()] == []


def test_two_threads_never_lose_changes(book):
    ids = [book.add_manual(f"vraag {i}", Source.PHONE).id for i in range(20)]

    def moderator() -> None:
        for qid in ids:
            book.shortlist(qid)

    def intake() -> None:
        for i in range(20):
            book.record_page("chat", f"t{i}", [chat_q(book, f"m{i}")], [f"m{i}"])

    threads = [threading.Thread(target=moderator), threading.Thread(target=intake)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    queue = book.queue()
    assert len(queue) == 40
    assert all(queue.get(qid).state is State.SHORTLISTED for qid in ids)


def test_airings_for_chapters(book, clock):
    q = book.add_manual("vraag", Source.PHONE)
    book.mark_on_air(q.id)
    book.start_airing(q.id, "vraag", record_ms=61_000)
    clock.t += 30
    book.end_airing(record_ms=91_000)
    (a,) = book.airings()
    assert (a.question_id, a.record_start_ms, a.record_end_ms, a.ended_at - a.started_at) == (q.id, 61_000, 91_000, 30)


def test_purge_removes_old_text_and_history(book, clock, store):
    old = book.add_manual("oude vraag met 06-12345678", Source.PHONE)
    book.edit(old.id, "oude vraag")
    book.record_page("chat-old", "t", [chat_q(book, "m-old")], ["m-old"])
    clock.t += 31 * 86400
    new = book.add_manual("nieuwe vraag", Source.PHONE)
    book.record_page("chat-new", "t", [chat_q(book, "m-new")], ["m-new"])
    counts = book.purge(retention_days=30)
    assert counts["questions"] == 2 and counts["seen_ids"] == 1 and counts["audit_entries"] == 1
    assert {q.id for q in book.queue()} == {new.id, book.queue().by_message("m-new").id}
    assert book.events(old.id) == []
    assert book.chat_position("chat-old") is None and book.chat_position("chat-new") is not None
    rows = store.query("SELECT params FROM audit_log")
    assert not any("06-12345678" in r["params"] for r in rows)


def test_queue_scoped_to_one_session_chat_keeps_manual_questions(book):
    """The Arabic session's queue does not show the Dutch session's leftovers; hand-added questions show."""
    book.record_page("chat-nl", "t1", [Question(id="n1", text="Dutch leftover", received_at=1.0, message_id="m1")],
                     ["m1"])
    book.record_page("chat-ar", "t2", [Question(id="a1", text="سؤال", received_at=2.0, lang="ar",
                                                message_id="m2")], ["m2"])
    phone = book.add_manual("Vraag per telefoon", Source.PHONE)
    assert {q.id for q in book.queue()} == {"n1", "a1", phone.id}
    assert {q.id for q in book.queue("chat-ar")} == {"a1", phone.id}
    assert {q.id for q in book.queue("chat-nl")} == {"n1", phone.id}
