"""The question queue as pure rules: states, transitions, merging, ordering. No I/O, no clock.

A question comes from the live chat or is added by hand (sent in advance on social media, or by phone).
It moves new -> shortlisted -> on air -> answered, or is parked, forwarded (with a note for a colleague)
or rejected. Duplicates are merged into one question that counts them. The moderator may edit the text
before it airs; the original text is never overwritten. Every change returns a ``QuestionEvent`` with the
time it happened (the caller passes ``now``), which the store keeps beside the question.

Only one question is on air at a time. Ordering: urgent first, then oldest first.

A question belongs to one session of the evening (``session_id``): the Arabic session's queue is its own.
An urgent question needs the moderator's attention until it is handled: answered in the chat (the canned 112
reply, ``reply``), put on air, answered, forwarded or rejected; until then the panel shows its age.

``Queue`` holds questions in memory. Given a ``QuestionSource`` it fetches the questions a change touches on
demand (by id, the one on air, by chat message), so a change costs the same with ten or ten thousand
questions in the book; iterating such a queue gives only what it has fetched.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol


class State(enum.Enum):
    NEW = "new"
    SHORTLISTED = "shortlisted"
    ON_AIR = "on_air"
    ANSWERED = "answered"
    PARKED = "parked"
    FORWARDED = "forwarded"
    REJECTED = "rejected"
    MERGED = "merged"  # folded into another question (which counts it)
    REMOVED = "removed"  # deleted in the chat, or its author was banned

    @property
    def label(self) -> str:
        """The Dutch word the panel shows."""
        return _STATE_LABELS[self]


_STATE_LABELS = {
    State.NEW: "nieuw",
    State.SHORTLISTED: "gekozen",
    State.ON_AIR: "IN BEELD",
    State.ANSWERED: "beantwoord",
    State.PARKED: "geparkeerd",
    State.FORWARDED: "doorgezet",
    State.REJECTED: "afgewezen",
    State.MERGED: "samengevoegd",
    State.REMOVED: "verwijderd",
}


class Source(enum.Enum):
    CHAT = "chat"
    SOCIAL = "social"  # sent in advance through social media
    PHONE = "phone"

    @property
    def label(self) -> str:
        return {Source.CHAT: "chat", Source.SOCIAL: "sociale media", Source.PHONE: "telefoon"}[self]


# Which moves the moderator may make. MERGED and REMOVED are reached only through merge() / remove().
TRANSITIONS: dict[State, frozenset[State]] = {
    State.NEW: frozenset({State.SHORTLISTED, State.PARKED, State.FORWARDED, State.REJECTED}),
    State.SHORTLISTED: frozenset({State.ON_AIR, State.NEW, State.PARKED, State.FORWARDED, State.REJECTED}),
    State.PARKED: frozenset({State.SHORTLISTED, State.FORWARDED, State.REJECTED}),
    State.ON_AIR: frozenset({State.ANSWERED, State.SHORTLISTED, State.PARKED}),
    State.ANSWERED: frozenset({State.FORWARDED}),  # answered on air, and handed to a colleague as well
    State.FORWARDED: frozenset(),
    State.REJECTED: frozenset({State.NEW}),  # undo a rejection made by mistake
    State.MERGED: frozenset(),
    State.REMOVED: frozenset(),
}

OPEN_STATES = frozenset({State.NEW, State.SHORTLISTED, State.ON_AIR, State.PARKED})
WAITING_STATES = frozenset({State.NEW, State.SHORTLISTED, State.PARKED})  # open, and nobody answering yet
EDITABLE_STATES = frozenset({State.NEW, State.SHORTLISTED, State.PARKED})
MAX_TEXT = 2000  # characters kept of one question; longer chat text is cut (hostile input)
MAX_NOTE = 1000


class QueueError(ValueError):
    """A move the rules do not allow; the message is one Dutch line for the moderator."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str  # the original, as received (already made safe by the sanitiser); never overwritten
    received_at: float  # unix time
    source: Source = Source.CHAT
    lang: str = "nl"  # 'nl' or 'ar'
    urgent: bool = False
    state: State = State.NEW
    edited_text: str | None = None  # the moderator's version, when edited
    note: str = ""  # for the colleague, when forwarded
    count: int = 1  # how many messages this question stands for (merged duplicates included)
    merged_into: str | None = None
    message_id: str | None = None  # the chat message id (chat questions)
    author_hash: str | None = None  # salted hash of the chat author's channel id: for bans only
    updated_at: float = 0.0
    session_id: str | None = None  # the session it was asked in (e.g. '2026-12-01-ar'); None: not known
    replied_at: float | None = None  # when the moderator first answered it in the chat (a canned reply)
    reply: str = ""  # which reply, e.g. '112/ar' (the canned reply's key and language)

    @property
    def display_text(self) -> str:
        """The text that airs: the moderator's edit if there is one, else the original."""
        return self.edited_text if self.edited_text is not None else self.text

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def needs_attention(self) -> bool:
        """Urgent and not handled yet: no reply in the chat, not on air, not answered, forwarded or rejected."""
        return self.urgent and self.replied_at is None and self.state in WAITING_STATES


def urgent_age(question: Question, now: float) -> str:
    """'! 2 min' while an urgent question waits (whole minutes since it came in; '! <1 min' at first)."""
    minutes = int(max(0.0, now - question.received_at) // 60)
    return "! <1 min" if minutes < 1 else f"! {minutes} min"


class QuestionSource(Protocol):
    """Where a lazy ``Queue`` fetches questions it has not seen (the store, inside its transaction)."""

    def by_id(self, qid: str) -> Question | None: ...

    def on_air(self) -> Question | None: ...

    def by_message(self, message_id: str) -> Question | None: ...


@dataclass(frozen=True)
class QuestionEvent:
    question_id: str
    at: float
    kind: str  # 'added', 'state', 'edited', 'merged', 'removed'
    from_state: State | None
    to_state: State | None
    detail: dict[str, object] = field(default_factory=dict)


def sort_key(q: Question) -> tuple[bool, float, str]:
    """Urgent first, then by the time it came in (oldest first), then by id for a stable order."""
    return (not q.urgent, q.received_at, q.id)


def ordered(questions: Iterable[Question]) -> list[Question]:
    return sorted(questions, key=sort_key)


def detect_lang(text: str) -> str:
    """'ar' when most letters are Arabic script, else 'nl'."""
    arabic = latin = 0
    for ch in text:
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFEFF:
            arabic += 1
        elif ch.isalpha():
            latin += 1
    return "ar" if arabic > latin else "nl"


class Queue:
    """All questions of the studio, keyed by id. Methods change it and return the events they caused.

    Methods raise QueueError for a move the rules forbid and leave the queue unchanged then. With a
    ``source`` the queue starts from ``questions`` and fetches what else a change needs from there.
    """

    def __init__(self, questions: Iterable[Question] = (), source: QuestionSource | None = None) -> None:
        self._q: dict[str, Question] = {q.id: q for q in questions}
        self._source = source

    def _lookup(self, qid: str) -> Question | None:
        q = self._q.get(qid)
        if q is None and self._source is not None:
            q = self._source.by_id(qid)
            if q is not None:
                self._q[qid] = q
        return q

    # -- reading --------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._q)

    def __iter__(self) -> Iterator[Question]:
        return iter(self._q.values())

    def __contains__(self, qid: object) -> bool:
        return isinstance(qid, str) and self._lookup(qid) is not None

    def get(self, qid: str) -> Question:
        q = self._lookup(qid)
        if q is None:
            raise QueueError(f"vraag {qid} bestaat niet (meer)")
        return q

    def on_air(self) -> Question | None:
        here = next((q for q in self._q.values() if q.state is State.ON_AIR), None)
        if here is not None or self._source is None:
            return here
        there = self._source.on_air()
        if there is None or there.id in self._q:  # fetched already, and no longer on air here
            return None
        self._q[there.id] = there
        return there

    def ordered(self, *, include_closed: bool = False) -> list[Question]:
        return ordered(q for q in self._q.values() if include_closed or q.is_open)

    def by_message(self, message_id: str) -> Question | None:
        here = next((q for q in self._q.values() if q.message_id == message_id), None)
        if here is not None or self._source is None:
            return here
        there = self._source.by_message(message_id)
        if there is None:
            return None
        return self._q.setdefault(there.id, there)

    # -- changing -------------------------------------------------------------------------------
    def add(self, q: Question, now: float) -> list[QuestionEvent]:
        if q.id in self:
            raise QueueError(f"vraag {q.id} bestaat al")
        if q.state is not State.NEW:
            raise QueueError("een nieuwe vraag begint als 'nieuw'")
        q = replace(q, text=q.text[:MAX_TEXT], updated_at=now)
        self._q[q.id] = q
        return [
            QuestionEvent(q.id, now, "added", None, State.NEW,
                          {"source": q.source.value, "lang": q.lang, "urgent": q.urgent})
        ]

    def move(self, qid: str, to: State, now: float, *, note: str = "") -> list[QuestionEvent]:
        """Move a question to another state, if the rules allow it."""
        q = self.get(qid)
        if to not in TRANSITIONS[q.state]:
            raise QueueError(f"kan een vraag die {q.state.label} is niet op {to.label} zetten")
        if to is State.ON_AIR:
            current = self.on_air()
            if current is not None:
                raise QueueError("er staat al een vraag in beeld: haal die eerst uit beeld")
        detail: dict[str, object] = {}
        new_note = q.note
        if to is State.FORWARDED:
            note = note.strip()[:MAX_NOTE]
            if not note:
                raise QueueError("doorzetten kan alleen met een notitie voor de collega")
            new_note = note
            detail["note"] = note
        self._q[qid] = replace(q, state=to, note=new_note, updated_at=now)
        return [QuestionEvent(qid, now, "state", q.state, to, detail)]

    def shortlist(self, qid: str, now: float) -> list[QuestionEvent]:
        return self.move(qid, State.SHORTLISTED, now)

    def put_on_air(self, qid: str, now: float) -> list[QuestionEvent]:
        """On air; a new or parked question is shortlisted on the way (both moves are recorded)."""
        q = self.get(qid)
        events: list[QuestionEvent] = []
        if q.state in (State.NEW, State.PARKED):
            if self.on_air() is not None:
                raise QueueError("er staat al een vraag in beeld: haal die eerst uit beeld")
            events += self.move(qid, State.SHORTLISTED, now)
        try:
            events += self.move(qid, State.ON_AIR, now)
        except QueueError:
            if events:  # undo the shortlisting made above
                self._q[qid] = q
            raise
        return events

    def take_off_air(self, now: float, *, answered: bool = False) -> list[QuestionEvent]:
        q = self.on_air()
        if q is None:
            return []
        return self.move(q.id, State.ANSWERED if answered else State.SHORTLISTED, now)

    def forward(self, qid: str, note: str, now: float) -> list[QuestionEvent]:
        return self.move(qid, State.FORWARDED, now, note=note)

    def edit(self, qid: str, text: str, now: float) -> list[QuestionEvent]:
        q = self.get(qid)
        if q.state not in EDITABLE_STATES:
            raise QueueError(f"een vraag die {q.state.label} is kan niet meer worden aangepast")
        text = text.strip()[:MAX_TEXT]
        if not text:
            raise QueueError("de vraag mag niet leeg zijn")
        new_edit = None if text == q.text else text
        if new_edit == q.edited_text:
            return []
        self._q[qid] = replace(q, edited_text=new_edit, updated_at=now)
        return [QuestionEvent(qid, now, "edited", q.state, q.state,
                              {"before": q.display_text, "after": text, "original": q.text})]

    def merge(self, keep_id: str, duplicate_id: str, now: float) -> list[QuestionEvent]:
        """Fold a duplicate into another question; the kept one counts the duplicate's messages."""
        if keep_id == duplicate_id:
            raise QueueError("een vraag kan niet met zichzelf worden samengevoegd")
        keep, dup = self.get(keep_id), self.get(duplicate_id)
        if not keep.is_open or not dup.is_open:
            raise QueueError("alleen open vragen kunnen worden samengevoegd")
        if dup.state is State.ON_AIR:
            raise QueueError("de vraag die in beeld staat kan niet in een andere opgaan")
        self._q[keep_id] = replace(keep, count=keep.count + dup.count, urgent=keep.urgent or dup.urgent,
                                   updated_at=now)
        self._q[duplicate_id] = replace(dup, state=State.MERGED, merged_into=keep_id, updated_at=now)
        return [
            QuestionEvent(duplicate_id, now, "merged", dup.state, State.MERGED, {"into": keep_id}),
            QuestionEvent(keep_id, now, "merged", keep.state, keep.state,
                          {"from": duplicate_id, "count": keep.count + dup.count}),
        ]

    def remove(self, qid: str, now: float, reason: str) -> list[QuestionEvent]:
        """Take a question out (message deleted in the chat, author banned). Works from any state."""
        q = self.get(qid)
        if q.state is State.REMOVED:
            return []
        events: list[QuestionEvent] = []
        # A merged question is counted by every question up its merge chain: uncount it there.
        parent_id = q.merged_into if q.state is State.MERGED else None
        while parent_id is not None:
            p = self._lookup(parent_id)
            if p is None or p.state is State.REMOVED:
                break
            count = max(1, p.count - q.count)
            self._q[p.id] = replace(p, count=count, updated_at=now)
            events.append(QuestionEvent(p.id, now, "unmerged", p.state, p.state, {"removed": qid, "count": count}))
            parent_id = p.merged_into if p.state is State.MERGED else None
        self._q[qid] = replace(q, state=State.REMOVED, updated_at=now)
        events.append(QuestionEvent(qid, now, "removed", q.state, State.REMOVED, {"reason": reason}))
        return events

    def reply(self, qid: str, reply: str, now: float) -> list[QuestionEvent]:
        """The moderator answered this question in the chat (a canned reply): it counts as handled."""
        q = self.get(qid)
        if q.state in (State.MERGED, State.REMOVED):
            raise QueueError(f"een vraag die {q.state.label} is kan geen antwoord meer krijgen")
        first = q.replied_at is None
        self._q[qid] = replace(q, replied_at=q.replied_at if not first else now, reply=reply, updated_at=now)
        return [QuestionEvent(qid, now, "replied", q.state, q.state, {"reply": reply, "first": first})]

    def changed_since(self, events: Iterable[QuestionEvent]) -> list[Question]:
        """The questions these events touched (for the store to write back)."""
        ids = dict.fromkeys(e.question_id for e in events)
        return [self._q[i] for i in ids if i in self._q]
