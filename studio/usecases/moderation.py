"""Moderation: the question queue the moderator works through, the chat intake that fills it, canned replies.

The queue's rules are pure (studio.domain.questions); the book that keeps it is in SQLite
(studio.store.questions, ``studio.questions``); the intake that reads the live chat is the YouTube adapter's
``ChatIntake``. This module is what the Questions screen, the Spreekuur screen and the CLI call: one function
per thing the moderator does, each written to the audit log by the caller that knows who pressed what.

Questions belong to a session (``current_session``: the session whose chat is read, else the one tonight's
show is on); the moderator's screens show that session's queue and reply in its language by default. The
screens follow the queue incrementally (``queue_view`` once, then ``queue_changes``): their cost is what
changed, never what is queued.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studio.domain.questions import Queue, Source, State
from studio.errors import StudioError
from studio.usecases import onair

if TYPE_CHECKING:
    from studio.domain.questions import Question
    from studio.usecases.context import Studio
    from studio.youtube.chat import ChatIntake, IntakeStatus

log = logging.getLogger(__name__)


class ModerationError(StudioError):
    pass


# --- the session --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionRef:
    """The session the moderator works for: its id, its language and its live chat (once known)."""

    session_id: str
    lang: str  # 'nl' or 'ar': canned replies default to it
    live_chat_id: str | None = None


def current_session(ctx: Studio) -> SessionRef | None:
    """The session whose chat is being read; else the one tonight's show is on (the one the Spreekuur screen
    opens: under way, or next); None without a schedule or a session."""
    chat_id = ctx.chat.live_chat_id
    if chat_id:
        sid = ctx.questions.session_for_chat(chat_id)
        if sid:
            return session_ref(ctx, sid, chat_id)
    from studio.usecases import evening

    try:
        plan = evening.session_to_open(ctx, evening.tonight(ctx))
    except StudioError:
        return None
    if plan is None:
        return None
    return SessionRef(plan.session_id, plan.lang, _chat_of(ctx, plan.session_id))


def session_ref(ctx: Studio, session_id: str, live_chat_id: str | None = None) -> SessionRef:
    """A session by its id, with its language from the show's record (else its broadcast, else its id)."""
    from studio.store import session as sessions

    row = sessions.get_session(ctx.store, session_id)
    lang = str(row["lang"]) if row else ""
    if not lang:
        record = _broadcast_of(ctx, session_id)
        lang = record.lang if record is not None else ("ar" if session_id.endswith("-ar") else "nl")
    return SessionRef(session_id, lang, live_chat_id or _chat_of(ctx, session_id))


def _broadcast_of(ctx: Studio, session_id: str) -> Any:
    from studio.store import youtube as yt_repo
    from studio.youtube.auth import is_rehearsal

    target = "oefen" if is_rehearsal(ctx.settings) else "youtube"
    return yt_repo.get_broadcast_by_session(ctx.store, session_id, target)


def _chat_of(ctx: Studio, session_id: str) -> str | None:
    record = _broadcast_of(ctx, session_id)
    return str(record.live_chat_id) if record is not None and record.live_chat_id else None


# --- the queue ---------------------------------------------------------------------------------------------
def queue(ctx: Studio, live_chat_id: str | None = None, *, session_id: str | None = None) -> Queue:
    """A session's questions (plus those of no session), or one live chat's, or all of them: loads every row
    (commands and tests; the screens use ``queue_view``/``queue_changes``)."""
    return ctx.questions.queue(live_chat_id=live_chat_id, session_id=session_id)


def queue_view(ctx: Studio, session_id: str | None, *, include_closed: bool = False,
               limit: int | None = None) -> tuple[list[Question], int]:
    """A screen's first load of the session's queue (None: every session), at most ``limit`` questions in the
    screen's order, and the event id to follow changes from."""
    return ctx.questions.view(session_id, include_closed=include_closed, limit=limit)


def queue_size(ctx: Studio, session_id: str | None, *, include_closed: bool = False) -> int:
    """How many questions the session's queue holds (what a view with a limit leaves out, it can say)."""
    return ctx.questions.count(session_id, include_closed=include_closed)


def queue_changes(ctx: Studio, since: int, session_id: str | None) -> tuple[list[Question], int]:
    """The session's questions changed after event ``since`` (a screen updates only those rows)."""
    return ctx.questions.changes(since, session_id)


def top_questions(ctx: Studio, session_id: str | None, limit: int = 8) -> list[Question]:
    """The first open questions in order (on air first): the Spreekuur screen's short list."""
    return ctx.questions.top(session_id, limit)


def on_air_question(ctx: Studio) -> Question | None:
    """The question on screen now, if any."""
    return ctx.questions.on_air()


def next_ready(ctx: Studio, session_id: str | None) -> Question | None:
    """The shortlisted question that goes on air next."""
    return ctx.questions.next_shortlisted(session_id)


def last_change(ctx: Studio) -> int:
    """Grows with every change of any question: a view redraws only when it moved."""
    return ctx.questions.last_event_id()


def question(ctx: Studio, question_id: str) -> Question:
    return ctx.questions.get(question_id)


def shortlist(ctx: Studio, question_id: str, shown: str | None = None) -> None:
    """Chosen for the screen; its card is rendered now so that airing it later is instant.

    ``shown``: the digest of the final text the panel showed (``AirPreview.digest``); when it is still what
    would air, the question is approved in that form, so the Spreekuur screen's 'v' may put it on air.
    Choosing a question that is already chosen approves what the preview shows now (after a change)."""
    if ctx.questions.get(question_id).state is not State.SHORTLISTED or shown is None:
        ctx.questions.shortlist(question_id)
    with contextlib.suppress(StudioError):  # put_on_air renders again and reports any problem there
        pv = onair.preview(ctx, ctx.questions.get(question_id), wait=onair.AHEAD_WAIT)
        if shown is not None and shown == pv.digest:
            onair.approve(ctx, pv)
        onair.prepare_card(ctx, pv)


def reject(ctx: Studio, question_id: str) -> None:
    ctx.questions.reject(question_id)


def park(ctx: Studio, question_id: str) -> None:
    ctx.questions.park(question_id)


def forward(ctx: Studio, question_id: str, note: str) -> None:
    ctx.questions.forward(question_id, note)


def edit(ctx: Studio, question_id: str, text: str) -> None:
    ctx.questions.edit(question_id, text)


def add_manual(ctx: Studio, text: str, source: Source, session_id: str | None = None) -> Question:
    """A question by phone or sent in advance, for ``session_id`` (default: the current session)."""
    if session_id is None:
        current = current_session(ctx)
        session_id = current.session_id if current is not None else None
    return ctx.questions.add_manual(text, source, session_id=session_id)


def merge(ctx: Studio, keep_id: str, duplicate_id: str) -> None:
    ctx.questions.merge(keep_id, duplicate_id)


# --- retention ---------------------------------------------------------------------------------------------
def purge(ctx: Studio) -> dict[str, int]:
    """Chat text older than ``[chat] retention_days`` removed, with the cards that showed it."""
    days = ctx.settings.chat.retention_days
    counts = ctx.questions.purge(days)
    counts["cards"] = onair.purge_cards(ctx, days)
    ctx.store.audit("questions.purge", {"retention_days": days, **counts})
    return counts


def purge_at_start(ctx: Studio) -> None:
    """`studio purge` when the panel starts; a problem here is logged, it never keeps the panel from starting."""
    try:
        purge(ctx)
    except (StudioError, OSError) as exc:
        log.warning("purge at panel start failed: %s", exc)


# --- the chat ------------------------------------------------------------------------------------------
def canned_replies(ctx: Studio, lang: str) -> list[str]:
    chat = ctx.settings.chat
    return list(chat.canned_ar if lang == "ar" else chat.canned_nl)


def reply_key(index: int, lang: str) -> str:
    """How a canned reply is recorded with the question it answered: '1/ar' (number as the keys show it)."""
    return f"{index + 1}/{lang}"


def canned_reply_texts(ctx: Studio) -> dict[str, str]:
    """Every canned reply by its key (for the session report)."""
    return {reply_key(i, lang): text for lang in ("nl", "ar") for i, text in enumerate(canned_replies(ctx, lang))}


def post_canned_reply(ctx: Studio, index: int, lang: str | None = None, live_chat_id: str | None = None, *,
                      question_id: str | None = None, session: SessionRef | None = None) -> str:
    """Post canned reply ``index`` (0-based) into the session's live chat, in the session's language unless
    ``lang`` says otherwise. With ``question_id`` that question is recorded as answered in the chat (an urgent
    question is handled from then on)."""
    from studio.youtube.chat import post_chat_message

    if session is None and (lang is None or live_chat_id is None):
        session = current_session(ctx)
    lang = lang or (session.lang if session is not None else "nl")
    replies = canned_replies(ctx, lang)
    if not 0 <= index < len(replies):
        raise ModerationError(f"er is geen standaardantwoord {index + 1}",
                              "de antwoorden staan in [chat] canned_nl / canned_ar van de configuratie")
    chat_id = (live_chat_id or (session.live_chat_id if session is not None else None)
               or ctx.chat.live_chat_id or ctx.questions.last_live_chat_id())
    if not chat_id:
        raise ModerationError("er is geen livechat om in te antwoorden", "start eerst de uitzending en de chat")
    text = replies[index]
    post_chat_message(ctx.youtube.api, chat_id, text)
    ctx.store.audit("chat.canned_reply", {"index": index, "lang": lang, "question": question_id})
    if question_id is not None:
        # posted: record it (a question gone meanwhile does not undo the message in the chat)
        try:
            ctx.questions.reply(question_id, reply_key(index, lang))
        except StudioError as exc:
            log.info("reply posted, not recorded with question %s: %s", question_id, exc)
    return text


def find_live_chat_id(ctx: Studio) -> str | None:
    """The live chat to read: the one intake used last, unless it ended; else the newest broadcast's."""
    qb = ctx.questions
    last = qb.last_live_chat_id()
    if last:
        pos = qb.chat_position(last)
        if pos is not None and not pos.ended:
            return last
    for record in ctx.youtube.broadcasts.pending():  # the broadcast being taken live or live now
        if record.live_chat_id:
            return str(record.live_chat_id)
    return None


class ChatDesk:
    """The studio's chat intake: at most one reads a live chat at a time. ``studio.chat`` holds it."""

    def __init__(self, ctx: Studio) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._intake: ChatIntake | None = None

    @property
    def current(self) -> ChatIntake | None:
        """The intake started last (running or finished), if any."""
        return self._intake

    @property
    def live_chat_id(self) -> str | None:
        intake = self._intake
        return intake.live_chat_id if intake is not None else None

    @property
    def status(self) -> IntakeStatus | None:
        intake = self._intake
        return intake.status if intake is not None else None

    @property
    def running(self) -> bool:
        intake = self._intake
        return intake is not None and intake.running

    def start(self, live_chat_id: str, session_id: str | None = None, **options: Any) -> ChatIntake:
        """Read this live chat in its own thread (a previous intake stops first); its questions belong to
        ``session_id`` (default: the session whose broadcast owns the chat)."""
        from studio.youtube.chat import ChatIntake

        ctx = self._ctx
        chat = ctx.settings.chat
        if session_id is not None:
            ctx.questions.bind_chat(live_chat_id, session_id)

        def removed_on_air(qid: str) -> None:  # the chat deleted what is on screen: off at once
            try:
                onair.on_removed_while_on_air(ctx, qid)
            except StudioError as exc:
                log.warning("could not take a removed question off air: %s", exc)

        kwargs: dict[str, Any] = {"budget_units": chat.quota_budget, "budget_minutes": chat.budget_minutes,
                                  "skip_texts": [*chat.canned_nl, *chat.canned_ar],
                                  "on_removed_on_air": removed_on_air, **options}
        with self._lock:
            if self._intake is not None:
                self._intake.stop()
            intake = ChatIntake(ctx.youtube.api, ctx.questions, live_chat_id, **kwargs)
            self._intake = intake
            return intake.start()

    def ensure(self, live_chat_id: str, session_id: str | None = None) -> ChatIntake:
        """Reading this chat: started unless it already runs (after a restart of the panel, for instance)."""
        intake = self._intake
        if intake is not None and intake.running and intake.live_chat_id == live_chat_id:
            if session_id is not None:
                self._ctx.questions.bind_chat(live_chat_id, session_id)
            return intake
        return self.start(live_chat_id, session_id)

    def start_found(self) -> ChatIntake:
        """The moderator's 'chat on': the live chat of the broadcast being taken live or live now."""
        live_chat_id = find_live_chat_id(self._ctx)
        if not live_chat_id:
            raise ModerationError("er is geen livechat gevonden", "maak eerst de uitzending aan (scherm Uitzending)")
        return self.start(live_chat_id)

    def stop(self) -> None:
        intake = self._intake
        if intake is not None:
            intake.stop()

    def close(self) -> None:
        self.stop()
