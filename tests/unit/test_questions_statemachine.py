"""Property test: any sequence of moderator actions keeps the queue's invariants (hypothesis state machine)."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from studio.domain.questions import (
    TRANSITIONS,
    Question,
    Queue,
    QueueError,
    State,
)

IDS = [f"q{i}" for i in range(6)]


class QueueMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.queue = Queue()
        self.now = 0.0
        self.history: dict[str, list[State]] = {}
        self.messages = 0  # messages added and not removed
        self.originals: dict[str, str] = {}

    def _tick(self) -> float:
        self.now += 1.0
        return self.now

    def _try(self, fn, qid: str | None = None):
        before = {q.id: q for q in self.queue}
        try:
            events = fn()
        except QueueError:
            # a refused move changes nothing at all
            assert {q.id: q for q in self.queue} == before
            return None
        for e in events:
            assert e.at == self.now
            if e.to_state is not None:
                self.history.setdefault(e.question_id, []).append(e.to_state)
        return events

    @rule(qid=st.sampled_from(IDS), urgent=st.booleans(), text=st.text(max_size=30))
    def add(self, qid: str, urgent: bool, text: str) -> None:
        now = self._tick()
        if self._try(lambda: self.queue.add(Question(id=qid, text=text, received_at=now, urgent=urgent), now)):
            self.messages += 1
            self.originals[qid] = text

    @rule(qid=st.sampled_from(IDS), to=st.sampled_from([s for s in State if s not in (State.MERGED, State.REMOVED)]),
          note=st.sampled_from(["", "bel terug"]))
    def move(self, qid: str, to: State, note: str) -> None:
        if qid not in self.queue:
            return
        before = self.queue.get(qid).state
        now = self._tick()
        events = self._try(lambda: self.queue.move(qid, to, now, note=note))
        if events is not None:
            assert to in TRANSITIONS[before]

    @rule(qid=st.sampled_from(IDS))
    def put_on_air(self, qid: str) -> None:
        if qid in self.queue:
            now = self._tick()
            self._try(lambda: self.queue.put_on_air(qid, now))

    @rule(answered=st.booleans())
    def take_off_air(self, answered: bool) -> None:
        now = self._tick()
        self._try(lambda: self.queue.take_off_air(now, answered=answered))

    @rule(qid=st.sampled_from(IDS), text=st.text(max_size=30))
    def edit(self, qid: str, text: str) -> None:
        if qid in self.queue:
            now = self._tick()
            self._try(lambda: self.queue.edit(qid, text, now))

    @rule(keep=st.sampled_from(IDS), dup=st.sampled_from(IDS))
    def merge(self, keep: str, dup: str) -> None:
        if keep in self.queue and dup in self.queue:
            now = self._tick()
            self._try(lambda: self.queue.merge(keep, dup, now))

    @precondition(lambda self: len(self.queue) > 0)
    @rule(data=st.data())
    def remove(self, data) -> None:
        qid = data.draw(st.sampled_from(sorted(q.id for q in self.queue)))
        was = self.queue.get(qid).state
        now = self._tick()
        if self._try(lambda: self.queue.remove(qid, now, "deleted")) and was is not State.REMOVED:
            self.messages -= 1

    @invariant()
    def at_most_one_on_air(self) -> None:
        assert sum(q.state is State.ON_AIR for q in self.queue) <= 1

    @invariant()
    def originals_never_change(self) -> None:
        for q in self.queue:
            assert q.text == self.originals[q.id][:2000]

    @invariant()
    def counts_add_up(self) -> None:
        # a question stands for itself plus every duplicate merged into it (transitively)
        for q in self.queue:
            if q.state is State.REMOVED:
                continue
            children = [c for c in self.queue if c.state is State.MERGED and c.merged_into == q.id]
            assert q.count == 1 + sum(c.count for c in children), (q, children)

    @invariant()
    def forwarded_has_a_note(self) -> None:
        assert all(q.note for q in self.queue if q.state is State.FORWARDED)

    @invariant()
    def merged_points_at_an_existing_question(self) -> None:
        for q in self.queue:
            if q.state is State.MERGED:
                assert q.merged_into in self.queue and q.merged_into != q.id

    @invariant()
    def ordering_is_urgent_first(self) -> None:
        flags = [q.urgent for q in self.queue.ordered()]
        assert flags == sorted(flags, reverse=True)


QueueMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
TestQueueMachine = QueueMachine.TestCase
