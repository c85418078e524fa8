"""Moderation: the question queue the moderator works through, the chat intake that fills it, canned replies.

The queue's rules are pure (studio.domain.questions); the book that keeps it is in SQLite
(studio.store.questions, ``studio.questions``); the intake that reads the live chat is the YouTube adapter's
``ChatIntake``. This module is what the Questions screen, the Spreekuur screen and the CLI call: one function
per thing the moderator does, each written to the audit log by the caller that knows who pressed what.
"""

from __future__ import annotations

import contextlib
import logging
import threading
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


# --- the queue ---------------------------------------------------------------------------------------------
def queue(ctx: Studio, live_chat_id: str | None = None) -> Queue:
    """The questions of one live chat (plus those added by hand); all questions when ``live_chat_id`` is None."""
    return ctx.questions.queue(live_chat_id=live_chat_id)


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


def add_manual(ctx: Studio, text: str, source: Source) -> Question:
    return ctx.questions.add_manual(text, source)


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


def post_canned_reply(ctx: Studio, index: int, lang: str, live_chat_id: str | None = None) -> str:
    """Post canned reply ``index`` (0-based) in the session's language into the live chat."""
    from studio.youtube.chat import post_chat_message

    replies = canned_replies(ctx, lang)
    if not 0 <= index < len(replies):
        raise ModerationError(f"er is geen standaardantwoord {index + 1}",
                              "de antwoorden staan in [chat] canned_nl / canned_ar van de configuratie")
    chat_id = live_chat_id or ctx.questions.last_live_chat_id()
    if not chat_id:
        raise ModerationError("er is geen livechat om in te antwoorden", "start eerst de uitzending en de chat")
    text = replies[index]
    post_chat_message(ctx.youtube.api, chat_id, text)
    ctx.store.audit("chat.canned_reply", {"index": index, "lang": lang})
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

    def start(self, live_chat_id: str, **options: Any) -> ChatIntake:
        """Read this live chat in its own thread (a previous intake stops first)."""
        from studio.youtube.chat import ChatIntake

        ctx = self._ctx
        chat = ctx.settings.chat

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

    def ensure(self, live_chat_id: str) -> ChatIntake:
        """Reading this chat: started unless it already runs (after a restart of the panel, for instance)."""
        intake = self._intake
        if intake is not None and intake.running and intake.live_chat_id == live_chat_id:
            return intake
        return self.start(live_chat_id)

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
