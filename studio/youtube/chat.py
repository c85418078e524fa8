"""Chat intake: liveChatMessages.list into the question queue, within a quota budget.

``ChatIntake`` polls one live chat in a thread. Each page is stored together with the page token that
follows it, in one transaction (``QuestionBook.record_page``); messages are deduplicated by id, so a
restart continues from the stored token and neither loses nor repeats a question.

The pace: never sooner than YouTube's ``pollingIntervalMillis``; within that, ``QuotaGovernor`` spends the
session's budget (``[chat] quota_budget`` units over ``budget_minutes``) where it matters: fast while the
chat is busy, slower while it is quiet. The slowest interval is derived from what is left of the budget and
the time, so saved units become faster polling later. Beyond ``budget_minutes`` (a session that runs over)
intake continues at the budget's average pace.

Faults: rateLimitExceeded, 5xx and network trouble back off exponentially (the API wrapper has already
retried a few times); liveChatEnded, a chatEndedEvent or ``offlineAt`` stop intake cleanly; an exhausted
daily quota stops it with a message. messageDeletedEvent and userBannedEvent take those messages out of the
queue (``on_removed_on_air`` is called when one of them was on air, so the use case can clear the screen).

Privacy: only the message text (sanitised on entry) and a salted hash of the author's channel id are kept;
the author's name and picture are never stored.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from studio.domain.questions import Question, detect_lang
from studio.domain.sanitize import clean_chat_text
from studio.domain.urgency import is_urgent
from studio.youtube.errors import (
    ChatEnded,
    NotFound,
    QuotaExceeded,
    RateLimited,
    YouTubeAuthError,
    YouTubeError,
    YouTubeServerError,
    YouTubeUnreachable,
)

log = logging.getLogger(__name__)

LIST_COST = 5  # liveChatMessages.list
INSERT_COST = 20  # liveChatMessages.insert


# --- the pace ----------------------------------------------------------------------------------------
class QuotaGovernor:
    """Decides how long to wait before the next poll. Pure arithmetic on an injectable clock (seconds).

    ``even`` is the interval that would spend exactly the remaining units in the remaining time. While the
    chat is busy (new messages in the last ``hold`` seconds) the governor polls at ``busy_ratio * even``;
    once quiet it backs off step by step to ``quiet_ratio * even``. Never sooner than the server's minimum.
    """

    def __init__(self, budget_units: int, budget_seconds: float, *, cost: int = LIST_COST,
                 clock: Callable[[], float] = time.time, busy_ratio: float = 0.25, quiet_ratio: float = 1.5,
                 hold: float = 25.0, ramp: float = 1.6, started_at: float | None = None,
                 used_units: int = 0, reserve: float = 0.05) -> None:
        # a small reserve absorbs what the governor cannot plan: refused calls, a restart's first poll
        self.budget_units = max(cost, int(budget_units * (1.0 - reserve)))
        self.budget_seconds = max(60.0, float(budget_seconds))
        self.cost = cost
        self.clock = clock
        self.busy_ratio = busy_ratio
        self.quiet_ratio = quiet_ratio
        self.hold = hold
        self.ramp = ramp
        self.started_at = clock() if started_at is None else started_at
        self.used_units = used_units
        self.polls = used_units // cost
        self._last_activity: float | None = None
        self._quiet_polls = 0

    @property
    def average_interval(self) -> float:
        return self.budget_seconds * self.cost / self.budget_units

    @property
    def remaining_units(self) -> int:
        return self.budget_units - self.used_units

    def record_poll(self, new_messages: int) -> None:
        self.used_units += self.cost
        self.polls += 1
        if new_messages > 0:
            self._last_activity = self.clock()
            self._quiet_polls = 0
        else:
            self._quiet_polls += 1

    def even_interval(self) -> float:
        now = self.clock()
        remaining_time = self.started_at + self.budget_seconds - now
        if remaining_time <= 0:
            return self.average_interval  # over time: keep the budget's average pace
        if self.remaining_units < self.cost:
            return remaining_time  # budget spent: the next poll is at the end of the budget period
        return remaining_time * self.cost / self.remaining_units

    def busy(self) -> bool:
        return self._last_activity is not None and self.clock() - self._last_activity <= self.hold

    def next_interval(self, server_min: float) -> float:
        even = self.even_interval()
        fast = max(server_min, even * self.busy_ratio)
        slow = max(server_min, even * self.quiet_ratio)
        if self.remaining_units < self.cost and self.clock() < self.started_at + self.budget_seconds:
            return max(server_min, even)
        if self.busy():
            return fast
        if self._last_activity is None:
            return slow
        # just quiet after a burst: slow down step by step (a lull inside a burst is common)
        return min(slow, fast * self.ramp ** self._quiet_polls)


# --- parsing -----------------------------------------------------------------------------------------
@dataclass
class ParsedPage:
    questions: list[Question] = dataclasses.field(default_factory=list)
    seen_ids: list[str] = dataclasses.field(default_factory=list)
    deleted: list[str] = dataclasses.field(default_factory=list)
    banned: list[str] = dataclasses.field(default_factory=list)  # author hashes
    ended: bool = False


def parse_page(items: Iterable[dict[str, Any]], hasher: Callable[[str], str], *, skip_texts: Iterable[str] = (),
               new_id: Callable[[], str]) -> ParsedPage:
    """Turn liveChatMessages into questions and removals. Nothing of the author but a hash is kept."""
    page = ParsedPage()
    skip = {t.strip() for t in skip_texts}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        mid = item["id"]
        page.seen_ids.append(mid)
        snippet = item.get("snippet") or {}
        author = item.get("authorDetails") or {}
        kind = snippet.get("type")
        if kind == "messageDeletedEvent":
            deleted = (snippet.get("messageDeletedDetails") or {}).get("deletedMessageId")
            if isinstance(deleted, str):
                page.deleted.append(deleted)
        elif kind == "userBannedEvent":
            banned = ((snippet.get("userBannedDetails") or {}).get("bannedUserDetails") or {}).get("channelId")
            if isinstance(banned, str):
                page.banned.append(hasher(banned))
        elif kind == "chatEndedEvent":
            page.ended = True
        elif kind in ("textMessageEvent", "superChatEvent"):
            if author.get("isChatOwner"):
                continue  # the channel's own messages (our canned replies) are not questions
            raw = _message_text(snippet, kind)
            text = clean_chat_text(raw)
            if not text or text.strip() in skip:
                continue
            channel = snippet.get("authorChannelId") or author.get("channelId") or ""
            page.questions.append(Question(
                id=new_id(), text=text, received_at=_published(snippet), lang=detect_lang(text),
                urgent=is_urgent(text), message_id=mid, author_hash=hasher(channel) if channel else None))
    return page


def _message_text(snippet: dict[str, Any], kind: str) -> str:
    if kind == "superChatEvent":
        comment = (snippet.get("superChatDetails") or {}).get("userComment")
        if isinstance(comment, str):
            return comment
    details = (snippet.get("textMessageDetails") or {}).get("messageText")
    if isinstance(details, str):
        return details
    display = snippet.get("displayMessage")
    return display if isinstance(display, str) else ""


def _published(snippet: dict[str, Any]) -> float:
    value = snippet.get("publishedAt")
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    return time.time()


# --- the intake --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IntakeStatus:
    state: str  # 'idle', 'running', 'backoff', 'ended', 'stopped', 'failed'
    message: str = ""  # Dutch, one line
    polls: int = 0
    units: int = 0
    next_poll_in: float = 0.0
    questions: int = 0  # added since start


class ChatIntake:
    """Polls one live chat into the queue. ``start()`` runs it in a thread; ``poll_once()`` is one step.

    ``clock`` and ``time_scale`` exist for the benchmark: with ``time_scale=60`` a minute of chat takes a
    second, and YouTube's pollingIntervalMillis (real milliseconds) is read in that compressed time.
    """

    def __init__(self, api: Any, book: Any, live_chat_id: str, *, budget_units: int = 1500,
                 budget_minutes: float = 60.0, skip_texts: Iterable[str] = (),
                 on_change: Callable[[Any], None] | None = None,
                 on_removed_on_air: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time, time_scale: float = 1.0,
                 max_backoff: float = 120.0, new_id: Callable[[], str] | None = None) -> None:
        from studio.store.questions import new_question_id

        self.api = api
        self.book = book
        self.live_chat_id = live_chat_id
        self.skip_texts = tuple(skip_texts)
        self.on_change = on_change
        self.on_removed_on_air = on_removed_on_air
        self.clock = clock
        self.time_scale = time_scale
        self.max_backoff = max_backoff
        self._new_id = new_id or new_question_id
        pos = book.chat_position(live_chat_id)
        self.page_token: str | None = pos.page_token if pos else None
        self.ended = bool(pos and pos.ended)
        self.governor = QuotaGovernor(
            budget_units, budget_minutes * 60.0, clock=clock,
            # after a restart the session's budget continues: units already spent count
            used_units=(pos.polls * LIST_COST) if pos else 0,
            started_at=_started_at(book, live_chat_id, clock),
        )
        self.server_min = 0.0
        self._failures = 0
        self._added = 0
        self._status = IntakeStatus("ended" if self.ended else "idle",
                                    "de chat is afgelopen" if self.ended else "")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one step -----------------------------------------------------------------------------------
    def poll_once(self) -> float | None:
        """One liveChatMessages.list; returns seconds (in clock time) until the next poll, None to stop."""
        if self.ended:
            return None
        try:
            response = self._list()
        except ChatEnded:
            self._finish("de chat is afgelopen")
            return None
        except NotFound:
            self._finish("YouTube kent deze chat niet (meer)", state="failed")
            return None
        except (QuotaExceeded, YouTubeAuthError) as exc:
            self._finish(str(exc), state="failed")
            return None
        except (RateLimited, YouTubeServerError, YouTubeUnreachable) as exc:
            return self._back_off(exc)
        except YouTubeError as exc:
            return self._back_off(exc)
        self._failures = 0
        self.server_min = max(0.0, float(response.get("pollingIntervalMillis") or 0) / 1000.0) * self.time_scale
        page = parse_page(response.get("items") or [], self.book.author_hash, skip_texts=self.skip_texts,
                          new_id=self._new_id)
        ended = page.ended or bool(response.get("offlineAt"))
        token = response.get("nextPageToken") or None
        outcome = self.book.record_page(self.live_chat_id, token, page.questions, page.seen_ids,
                                        page.deleted, page.banned, ended=ended)
        if token:
            self.page_token = token
        self.governor.record_poll(len(outcome.added))
        self._added += len(outcome.added)
        if outcome.removed_on_air and self.on_removed_on_air is not None:
            self.on_removed_on_air(outcome.removed_on_air)
        if (outcome.added or outcome.removed) and self.on_change is not None:
            self.on_change(outcome)
        if ended:
            self._finish("de chat is afgelopen")
            return None
        delay = self.governor.next_interval(self.server_min)
        self._set_status("running", "", delay)
        return delay

    def _list(self) -> dict[str, Any]:
        request = self.api.service.liveChatMessages().list(
            liveChatId=self.live_chat_id, part="id,snippet,authorDetails", maxResults=2000,
            **({"pageToken": self.page_token} if self.page_token else {}))
        result: dict[str, Any] = self.api.execute(request, "chat ophalen")
        return result

    def _back_off(self, exc: YouTubeError) -> float:
        self._failures += 1
        self.governor.record_poll(0)  # a refused call costs quota too
        base = max(self.server_min, 2.0 * self.time_scale)
        delay = min(self.max_backoff * self.time_scale, base * 2 ** (self._failures - 1))
        log.info("chat intake backing off %.1fs after %s", delay, exc.reason or type(exc).__name__)
        self._set_status("backoff", f"{exc.message}; opnieuw over {delay / self.time_scale:.0f} s", delay)
        return delay

    def _finish(self, message: str, state: str = "ended") -> None:
        self.ended = state == "ended"
        if self.ended:
            self.book.record_page(self.live_chat_id, None, [], [], ended=True)
        self._set_status(state, message, 0.0)
        if self.on_change is not None:
            self.on_change(None)
        return None

    def _set_status(self, state: str, message: str, delay: float) -> None:
        self._status = IntakeStatus(state, message, self.governor.polls, self.governor.used_units,
                                    delay / self.time_scale if self.time_scale else delay, self._added)

    @property
    def status(self) -> IntakeStatus:
        return self._status

    # -- the thread ---------------------------------------------------------------------------------
    def start(self) -> ChatIntake:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self.run, name=f"chat-intake-{self.live_chat_id[-6:]}",
                                            daemon=True)
            self._thread.start()
        return self

    def run(self) -> None:
        self._set_status("running", "", 0.0)
        while not self._stop.is_set():
            try:
                delay = self.poll_once()
            except Exception as exc:  # never let the thread die silently: show it and keep trying
                log.exception("chat intake step failed")
                delay = self._back_off(YouTubeError(f"chat ophalen mislukt: {type(exc).__name__}"))
            if delay is None:
                return
            self._stop.wait(delay / self.time_scale)
        if self._status.state not in ("ended", "failed"):
            self._set_status("stopped", "chat-ophalen gestopt", 0.0)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def close(self) -> None:
        """For Studio.close(): the thread ends before the store it writes to is closed."""
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def _started_at(book: Any, live_chat_id: str, clock: Callable[[], float]) -> float | None:
    getter = getattr(book, "chat_started_at", None)
    value = getter(live_chat_id) if getter is not None else None
    return float(value) if value is not None and clock is time.time else None


def post_chat_message(api: Any, live_chat_id: str, text: str) -> dict[str, Any]:
    """liveChatMessages.insert: the studio's own message in the chat (20 units)."""
    body = {"snippet": {"liveChatId": live_chat_id, "type": "textMessageEvent",
                        "textMessageDetails": {"messageText": text[:200]}}}
    result: dict[str, Any] = api.execute(api.service.liveChatMessages().insert(part="snippet", body=body),
                                         "bericht in de chat plaatsen")
    return result
