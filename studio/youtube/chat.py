"""Chat intake: the live chat into the question queue, over the stream when it pays, else by polling.

``ChatIntake`` reads one live chat in a thread, one "round" at a time; a round costs 5 units:
- stream (liveChatMessages.streamList, studio.youtube.chat_stream): one connection that carries each message
  the moment it is posted, for as long as YouTube keeps it open; after it closes the intake reconnects with
  the last page token, no sooner than the governor's interval;
- poll (liveChatMessages.list): one page, then a pause.
``MethodChooser`` (studio.youtube.chat_pace) picks the method from how the stream connections behaved (how
long they lasted, whether they delivered): streaming until it would cost more than polling for the same
delay, then polling, and back to the stream after a probe. ``QuotaGovernor`` spends the session's budget
(``[chat] quota_budget`` over ``budget_minutes``) where it matters: fast while the chat is busy, slower while
it is quiet; never sooner than YouTube's ``pollingIntervalMillis`` when polling.

Each page (or stream message) is stored together with the page token that follows it, in one transaction
(``QuestionBook.record_page``); messages are deduplicated by id, so a restart or a reconnect continues from
the stored token and neither loses nor repeats a question.

Faults: rateLimitExceeded, 5xx, network trouble and broken streams back off exponentially; liveChatEnded, a
chatEndedEvent or ``offlineAt`` stop intake cleanly; an exhausted daily quota stops it with a message.
messageDeletedEvent and userBannedEvent take those messages out of the queue (``on_removed_on_air`` is called
when one of them was on air, so the use case can clear the screen).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from studio.youtube.chat_pace import LIST_COST, POLL, STREAM, Connection, MethodChooser, QuotaGovernor
from studio.youtube.chat_parse import ParsedPage, parse_page
from studio.youtube.chat_stream import ChatStream, StreamUnavailable, open_chat_stream, streaming_session
from studio.youtube.errors import ChatEnded, NotFound, QuotaExceeded, YouTubeAuthError, YouTubeError
from studio.youtube.quota import cost_of

log = logging.getLogger(__name__)

INSERT_COST = cost_of("liveChatMessages.insert")

__all__ = ["INSERT_COST", "LIST_COST", "POLL", "STREAM", "ChatIntake", "IntakeStatus", "MethodChooser",
           "ParsedPage", "QuotaGovernor", "parse_page", "post_chat_message"]


@dataclass(frozen=True)
class IntakeStatus:
    state: str  # 'idle', 'running', 'backoff', 'ended', 'stopped', 'failed'
    message: str = ""  # Dutch, one line
    polls: int = 0  # paid rounds: polls and stream connections
    units: int = 0
    next_poll_in: float = 0.0
    questions: int = 0  # added since start
    method: str = STREAM  # 'stream' or 'poll': how the chat is read now
    connections: int = 0  # stream connections opened
    mean_lifetime: float = 0.0  # seconds the recent stream connections lasted


class ChatIntake:
    """Reads one live chat into the queue. ``start()`` runs it in a thread; ``step()`` is one round
    (``stream_once()`` or ``poll_once()``, which tests also call directly).

    ``method``: 'auto' (stream, falling back to polling and back), 'stream' or 'poll'. ``clock`` and
    ``time_scale`` exist for the benchmark: with ``time_scale=60`` a minute of chat takes a second, and
    YouTube's pollingIntervalMillis (real milliseconds) is read in that compressed time. ``idle_timeout`` is
    in real seconds: a stream connection that carries no byte for that long is ended and made again.
    """

    def __init__(self, api: Any, book: Any, live_chat_id: str, *, budget_units: int = 1500,
                 budget_minutes: float = 60.0, skip_texts: Iterable[str] = (),
                 on_change: Callable[[Any], None] | None = None,
                 on_removed_on_air: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time, time_scale: float = 1.0,
                 max_backoff: float = 120.0, new_id: Callable[[], str] | None = None,
                 method: str = "auto", idle_timeout: float | None = 300.0, probe_after: float = 300.0,
                 min_reconnect: float = 1.0) -> None:
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
        self.idle_timeout = idle_timeout
        self.min_reconnect = min_reconnect
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
        self.chooser = MethodChooser(method, probe_after=probe_after, clock=clock)
        self.server_min = 0.0
        self._failures = 0
        self._added = 0
        self._connections = 0
        self._status = IntakeStatus("ended" if self.ended else "idle",
                                    "de chat is afgelopen" if self.ended else "", method=self.chooser.method)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._session: Any = None
        self._stream: ChatStream | None = None

    # -- one round ------------------------------------------------------------------------------------
    def step(self) -> float | None:
        """One round in the method the chooser picks; seconds (clock time) until the next, None to stop."""
        if self.ended:
            return None
        return self.stream_once() if self.chooser.next_method() == STREAM else self.poll_once()

    def poll_once(self) -> float | None:
        """One liveChatMessages.list; returns seconds (in clock time) until the next round, None to stop."""
        if self.ended:
            return None
        try:
            response = self._list()
        except YouTubeError as exc:
            return self._refused(exc)
        self._failures = 0
        self.server_min = max(0.0, float(response.get("pollingIntervalMillis") or 0) / 1000.0) * self.time_scale
        ended, added = self._apply(response, rounds=1)
        self.governor.record_poll(added)
        if ended:
            self._finish("de chat is afgelopen")
            return None
        delay = self.governor.next_interval(self.server_min)
        self._set_status("running", "", delay)
        return delay

    def stream_once(self) -> float | None:
        """One stream connection, read until YouTube closes it; returns the pause before the next round."""
        if self.ended:
            return None
        interval = max(self.governor.next_interval(self.server_min), self.min_reconnect)
        opened = self.clock()
        try:
            stream = open_chat_stream(self.api, self._streaming_session(), self.live_chat_id, self.page_token,
                                      idle_timeout=self.idle_timeout)
        except StreamUnavailable as exc:
            log.info("chat stream not offered (%s): polling", exc.reason)
            self.chooser.unavailable()
            return 0.0
        except YouTubeError as exc:
            if not isinstance(exc, ChatEnded | NotFound | QuotaExceeded | YouTubeAuthError):
                self.chooser.record(Connection(0.0, False, interval))
            return self._refused(exc)
        self._stream = stream
        self._connections += 1
        if self._stop.is_set():
            stream.abort()
        self.governor.record_poll(0)  # the connection's units; its messages count as activity below
        self._set_status("running", "", 0.0)
        delivered, ended, broke = False, False, None
        try:
            for element in stream:
                ended, added = self._apply(element, rounds=0 if delivered else 1)
                delivered = True
                if added:
                    self.governor.record_activity()
                if ended:
                    break
        except ChatEnded:
            ended = True
        except YouTubeError as exc:  # broken mid-stream, or an error message in the stream
            broke = exc
        finally:
            stream.close()
            self._stream = None
        lifetime = self.clock() - opened
        if self._stop.is_set() and not ended:
            return 0.0  # we ended it: says nothing about how long YouTube keeps connections open
        self.chooser.record(Connection(lifetime, delivered, interval))
        if ended:
            self._finish("de chat is afgelopen")
            return None
        if broke is not None and not delivered:
            return self._back_off(broke)
        self._failures = 0
        wait = max(self.min_reconnect, self.governor.next_interval(0.0) - lifetime)
        self._set_status("running", "", wait)
        return wait

    def _list(self) -> dict[str, Any]:
        request = self.api.service.liveChatMessages().list(
            liveChatId=self.live_chat_id, part="id,snippet,authorDetails", maxResults=2000,
            **({"pageToken": self.page_token} if self.page_token else {}))
        result: dict[str, Any] = self.api.execute(request, "chat ophalen")
        return result

    def _streaming_session(self) -> Any:
        if self._session is None:
            self._session = streaming_session(self.api.credentials)
        return self._session

    def _apply(self, response: dict[str, Any], rounds: int) -> tuple[bool, int]:
        """Store one page or stream message with its next page token; (chat ended, questions added)."""
        page = parse_page(response.get("items") or [], self.book.author_hash, skip_texts=self.skip_texts,
                          new_id=self._new_id)
        ended = page.ended or bool(response.get("offlineAt"))
        token = response.get("nextPageToken") or None
        outcome = self.book.record_page(self.live_chat_id, token, page.questions, page.seen_ids,
                                        page.deleted, page.banned, ended=ended, rounds=rounds)
        if token:
            self.page_token = token
        self._added += len(outcome.added)
        if outcome.added:  # the count on the Questions screen follows every page and stream message
            self._status = dataclasses.replace(self._status, questions=self._added, polls=self.governor.polls,
                                               units=self.governor.used_units)
        if outcome.removed_on_air and self.on_removed_on_air is not None:
            self.on_removed_on_air(outcome.removed_on_air)
        if (outcome.added or outcome.removed) and self.on_change is not None:
            self.on_change(outcome)
        return ended, len(outcome.added)

    def _refused(self, exc: YouTubeError) -> float | None:
        if isinstance(exc, ChatEnded):
            self._finish("de chat is afgelopen")
            return None
        if isinstance(exc, NotFound):
            self._finish("YouTube kent deze chat niet (meer)", state="failed")
            return None
        if isinstance(exc, QuotaExceeded | YouTubeAuthError):
            self._finish(str(exc), state="failed")
            return None
        return self._back_off(exc)

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
            self.book.record_page(self.live_chat_id, None, [], [], ended=True, rounds=0)
        self._set_status(state, message, 0.0)
        if self.on_change is not None:
            self.on_change(None)

    def _set_status(self, state: str, message: str, delay: float) -> None:
        self._status = IntakeStatus(state, message, self.governor.polls, self.governor.used_units,
                                    delay / self.time_scale if self.time_scale else delay, self._added,
                                    self.chooser.method, self._connections, self.chooser.mean_lifetime)

    @property
    def status(self) -> IntakeStatus:
        return self._status

    @property
    def method(self) -> str:
        """'stream' or 'poll': how the chat is read now."""
        return self.chooser.method

    # -- the thread -----------------------------------------------------------------------------------
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
                delay = self.step()
            except Exception as exc:  # never let the thread die silently: show it and keep trying
                if self._stop.is_set():  # stopped under a round that was reading: nothing is lost (dedup by id)
                    log.info("chat intake stopped during a round (%s)", type(exc).__name__)
                    break
                log.exception("chat intake step failed")
                delay = self._back_off(YouTubeError(f"chat ophalen mislukt: {type(exc).__name__}"))
            if delay is None:
                return
            self._stop.wait(delay / self.time_scale)
        if self._status.state not in ("ended", "failed"):
            self._set_status("stopped", "chat-ophalen gestopt", 0.0)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        stream = self._stream
        if stream is not None:
            stream.abort()  # the thread may be waiting for the next message: wake it
        if self._thread is not None:
            self._thread.join(timeout)
        if self._session is not None and (self._thread is None or not self._thread.is_alive()):
            self._session.close()
            self._session = None

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
    """liveChatMessages.insert: the studio's own message in the chat (20 units; never sent twice blindly:
    a lost answer raises OutcomeUnknown and the message may be in the chat already)."""
    body = {"snippet": {"liveChatId": live_chat_id, "type": "textMessageEvent",
                        "textMessageDetails": {"messageText": text[:200]}}}
    result: dict[str, Any] = api.execute(api.service.liveChatMessages().insert(part="snippet", body=body),
                                         "bericht in de chat plaatsen")
    return result

