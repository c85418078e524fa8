"""Questions belong to a session (migration 0008 and the book), replies handle urgent questions, and the views
follow the queue by its events without reading what did not change."""

from __future__ import annotations

import calendar
import sqlite3
import time
from importlib import resources

import pytest

from studio.domain.questions import Question, Queue, QueueError, Source, State, urgent_age
from studio.store import Store
from studio.store.questions import QuestionBook


def chat_q(qid: str, mid: str, at: float, text: str = "Hoe meld ik overlast?", urgent: bool = False) -> Question:
    return Question(id=qid, text=text, received_at=at, message_id=mid, urgent=urgent)


def test_old_questions_get_their_session_from_the_chat_or_else_the_time_window(tmp_path):
    """A database from before 0008: the migration finds each question's session and says how it found it."""
    path = tmp_path / "studio.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    for f in sorted(resources.files("studio.store.migrations").iterdir(), key=lambda f: f.name):
        if f.name.endswith(".sql") and f.name < "0008":
            db.executescript(f.read_text(encoding="utf-8"))
            db.execute("INSERT INTO schema_migrations VALUES (?, 0)", (f.name,))
    # An evening: Dutch 19:00 (steps 18:30-19:50), Arabic 20:00 (steps 19:55-21:00), Europe/Amsterdam (+01:00)
    # wall times in Amsterdam (UTC+1 in December) as unix time, whatever this machine's time zone
    utc = {hm: calendar.timegm(time.strptime(f"2026-12-01 {hm}", "%Y-%m-%d %H:%M")) for hm in
           ("14:00", "18:30", "18:45", "19:20", "19:50", "19:52", "19:55", "20:30", "21:00", "23:59")}
    offset = 3600.0
    for sid, lang, starts in (("2026-12-01-nl", "nl", "2026-12-01T19:00:00+01:00"),
                              ("2026-12-01-ar", "ar", "2026-12-01T20:00:00+01:00")):
        db.execute("INSERT INTO show_sessions (session_id, lang, topic, starts_at, step, status, created_at,"
                   " updated_at) VALUES (?, ?, 'inbraak', ?, 'done', 'done', 0, 0)", (sid, lang, starts))
    steps = [("2026-12-01-nl", "preflight", "18:30"), ("2026-12-01-nl", "end_broadcast", "19:50"),
             ("2026-12-01-ar", "preflight", "19:55"), ("2026-12-01-ar", "end_broadcast", "21:00")]
    for sid, step, hm in steps:
        db.execute("INSERT INTO show_steps (session_id, step, status, at) VALUES (?, ?, 'done', ?)",
                   (sid, step, utc[hm] - offset))
    db.execute("INSERT INTO youtube_broadcasts (session_key, target, broadcast_id, lang, topic, title,"
               " scheduled_start, step, live_chat_id, created_at, updated_at) VALUES ('2026-12-01-ar', 'youtube',"
               " 'b-ar', 'ar', 'inbraak', 't', '', 'complete', 'chat-ar', 0, 0)")
    rows = [  # id, live chat, received (wall time)
        ("in-ar-chat", "chat-ar", "19:20"),  # the Arabic chat, whatever its time says
        ("phone-nl", None, "19:20"),  # by hand during the Dutch show
        ("early-nl", None, "18:45"),  # sent before the show
        ("between", None, "19:52"),  # after the Dutch broadcast ended, before the Arabic preflight
        ("phone-ar", None, "20:30"),
        ("unknown-chat", "chat-x", "23:59"),  # late: within two hours of the Arabic end
        ("afternoon", None, "14:00"),  # far from any session
    ]
    for qid, chat, hm in rows:
        db.execute("INSERT INTO questions (id, source, text, lang, urgent, state, live_chat_id, received_at,"
                   " updated_at) VALUES (?, 'chat', 'vraag', 'nl', 0, 'new', ?, ?, 0)", (qid, chat, utc[hm] - offset))
    db.execute("INSERT INTO chat_position (live_chat_id, started_at, updated_at) VALUES ('chat-ar', 0, 0)")
    db.commit()
    db.close()

    store = Store(path)
    try:
        got = {r["id"]: (r["session_id"], r["session_source"]) for r in store.query("SELECT * FROM questions")}
        assert got == {
            "in-ar-chat": ("2026-12-01-ar", "chat"),
            "phone-nl": ("2026-12-01-nl", "window"),
            "early-nl": ("2026-12-01-nl", "window"),
            "between": ("2026-12-01-nl", "window"),  # nearer the Dutch end (2 min) than the Arabic start (3 min)
            "phone-ar": ("2026-12-01-ar", "window"),
            "unknown-chat": (None, "unknown"),  # 23:59 is more than two hours after 21:00
            "afternoon": (None, "unknown"),
        }
        assert store.query_one("SELECT session_id FROM chat_position")[0] == "2026-12-01-ar"
        # what the report reads: the time-window ones are marked as such
        found = QuestionBook(store).session_questions("2026-12-01-nl")
        assert {q.id for q in found.questions} == {"phone-nl", "early-nl", "between"}
        assert set(found.sources.values()) == {"window"}
    finally:
        store.close()


def test_chat_questions_take_their_session_from_the_bound_chat_or_the_broadcast(store):
    book = QuestionBook(store)
    book.bind_chat("chat-nl", "2026-12-01-nl")
    store.execute("INSERT INTO youtube_broadcasts (session_key, target, broadcast_id, lang, topic, title,"
                  " scheduled_start, step, live_chat_id, created_at, updated_at) VALUES ('2026-12-01-ar', 'oefen',"
                  " 'b-ar', 'ar', 'inbraak', 't', '', 'live', 'chat-ar', 0, 0)")
    now = time.time()
    book.record_page("chat-nl", "t1", [chat_q("n1", "m1", now)], ["m1"])
    book.record_page("chat-ar", "t1", [chat_q("a1", "m2", now)], ["m2"])
    book.record_page("chat-x", "t1", [chat_q("x1", "m3", now)], ["m3"])
    phone = book.add_manual("per telefoon", Source.PHONE, session_id="2026-12-01-ar")
    assert [book.get(i).session_id for i in ("n1", "a1", "x1")] == ["2026-12-01-nl", "2026-12-01-ar", None]
    assert {q.id for q in book.queue(session_id="2026-12-01-ar")} == {"a1", phone.id, "x1"}  # + no session
    assert {q.id for q in book.view("2026-12-01-nl")[0]} == {"n1", "x1"}
    assert book.count("2026-12-01-nl") == 2 and book.count(None) == 4


def test_views_follow_the_queue_by_its_events(store):
    book = QuestionBook(store)
    now = time.time()
    book.record_page("c", "t", [chat_q(f"q{i}", f"m{i}", now + i) for i in range(5)], [f"m{i}" for i in range(5)])
    rows, since = book.view(None)
    assert [q.id for q in rows] == [f"q{i}" for i in range(5)]
    assert book.changes(since, None) == ([], since)  # nothing new: nothing read
    book.shortlist("q3")
    book.record_page("c", "t2", [chat_q("u", "mu", now + 9, urgent=True)], ["mu"])
    changed, last = book.changes(since, None)
    assert {q.id for q in changed} == {"q3", "u"} and last > since
    assert next(q for q in changed if q.id == "q3").state is State.SHORTLISTED
    assert [q.id for q in book.top(None, 3)] == ["u", "q0", "q1"]
    assert book.next_shortlisted(None).id == "q3"
    assert [q.id for q in book.view(None, limit=2)[0]] == ["u", "q0"]


def test_a_change_reads_only_the_questions_it_touches(store):
    """10,000 questions in the book; putting one on air reads a handful of rows, not the queue."""
    book = QuestionBook(store)
    now = time.time()
    for base in range(0, 10_000, 1000):
        book.record_page("c", f"t{base}", [chat_q(f"q{i}", f"m{i}", now + i) for i in range(base, base + 1000)],
                         [f"m{i}" for i in range(base, base + 1000)])
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        book.mark_on_air("q5000")
        book.record_page("c", "t-last", [chat_q("new", "m-new", now)], ["m-new"], deleted_message_ids=["m7"])
    finally:
        store._conn.set_trace_callback(None)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM QUESTIONS" in s.upper()]
    assert reads and all("WHERE" in s.upper() for s in reads)  # every read of the questions is by key
    assert book.get("q5000").state is State.ON_AIR and book.get("q7").state is State.REMOVED
    with pytest.raises(Exception, match="al een vraag in beeld"):
        book.mark_on_air("q6000")  # the lazy queue still finds the one on air


def test_a_reply_in_the_chat_handles_an_urgent_question(store):
    book = QuestionBook(store)
    t0 = time.time() - 130
    book.record_page("c", "t", [chat_q("u", "m1", t0, "Spoed: inbraak", urgent=True)], ["m1"])
    q = book.get("u")
    assert q.needs_attention and urgent_age(q, t0 + 130) == "! 2 min" and urgent_age(q, t0 + 5) == "! <1 min"
    book.reply("u", "1/nl")
    q = book.get("u")
    assert not q.needs_attention and q.reply == "1/nl" and q.replied_at is not None
    assert [e.kind for e in book.events("u")] == ["added", "replied"]
    assert q.state is State.NEW  # still in the queue: it may be answered on air as well


def test_a_lazy_queue_fetches_on_demand():
    stored = {q.id: q for q in (Question("a", "x", 1.0), Question("b", "y", 2.0, state=State.ON_AIR))}

    class Source_:
        def by_id(self, qid):
            return stored.get(qid)

        def on_air(self):
            return stored["b"]

        def by_message(self, message_id):
            return None

    queue = Queue(source=Source_())
    assert len(queue) == 0 and "a" in queue and len(queue) == 1
    with pytest.raises(QueueError):
        queue.put_on_air("a", 5.0)  # b is on air in the source
    queue.take_off_air(6.0)
    queue.put_on_air("a", 7.0)
    assert queue.get("a").state is State.ON_AIR and queue.get("b").state is State.SHORTLISTED


@pytest.fixture
def store(settings):
    from studio.store import open_store

    st = open_store(settings)
    yield st
    st.close()
