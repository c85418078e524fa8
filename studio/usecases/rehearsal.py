"""Rehearsal: the whole evening against the YouTube emulator, with a scripted audience in the chat.

`studio rehearse` starts the panel in rehearsal mode (OEFENMODUS: YouTube is the built-in emulator, OBS is
the real one on the studio PC) and a `ScriptedAudience` that watches for a broadcast going live and then
posts the script of `studio.domain.rehearsal_script` into that broadcast's chat: ordinary questions, urgent
ones, ones with personal data and hostile ones, in the session's language.

The audience talks to the emulator only through its control API (in-process, or over HTTP at
``<endpoint>/emulator/post_chat`` when the emulator runs elsewhere), exactly as a viewer would appear.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from studio.config import Settings
from studio.domain.rehearsal_script import ScriptedMessage, script_for
from studio.usecases.context import Studio

if TYPE_CHECKING:
    from studio.store import Store

log = logging.getLogger(__name__)


def rehearsal_mode(settings: Settings) -> bool:
    """OEFENMODUS: YouTube is the emulator (the YouTube adapter decides; the panel only shows it)."""
    from studio.youtube.auth import is_rehearsal

    return is_rehearsal(settings)


class HttpControl:
    """The emulator's control endpoint over HTTP (when it runs in another process)."""

    def __init__(self, endpoint: str) -> None:
        self.base = endpoint.rstrip("/") + "/emulator/"

    def post_chat(self, live_chat_id: str, text: str, author: str = "Kijker", **_: Any) -> dict[str, Any]:
        import urllib.request

        body = json.dumps({"live_chat_id": live_chat_id, "text": text, "author": author}).encode()
        req = urllib.request.Request(self.base + "post_chat", data=body,
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=5) as resp:
            return dict(json.loads(resp.read() or b"{}"))


class Memory(Protocol):
    """How far the script got in each chat; kept in the store so that a restarted panel carries on."""

    def get(self, live_chat_id: str) -> int: ...
    def set(self, live_chat_id: str, n: int) -> None: ...


class StoreMemory:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, live_chat_id: str) -> int:
        from studio.store import rehearsal as repo

        return repo.posted(self.store, live_chat_id)

    def set(self, live_chat_id: str, n: int) -> None:
        from studio.store import rehearsal as repo

        repo.set_posted(self.store, live_chat_id, n)


class ScriptedAudience:
    """Posts the script into every live chat that goes live, once per chat, at the script's pace.

    ``live_chats`` returns ``[(live_chat_id, lang, live_since_unix_time)]`` for broadcasts that are live.
    ``speed`` > 1 compresses the script (tests); 1 is real time. With a ``memory`` (the store) a restarted
    audience goes on after the last message it sent: each message is noted as sent BEFORE it is posted, so
    a kill at the wrong moment loses at most that one message and never posts one twice.
    """

    def __init__(self, control: Any, live_chats: Callable[[], list[tuple[str, str, float]]], *,
                 speed: float = 1.0, poll: float = 1.0, clock: Callable[[], float] = time.time,
                 memory: Memory | None = None) -> None:
        self.control = control
        self.live_chats = live_chats
        self.speed = speed
        self.poll = poll
        self.clock = clock
        self.memory = memory
        self.posted: dict[str, int] = {}  # live chat id -> messages posted
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> ScriptedAudience:
        self._thread = threading.Thread(target=self._run, name="scripted-audience", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)

    def close(self) -> None:
        self.stop()

    def step(self) -> int:
        """Post whatever is due now in every live chat; returns how many were posted."""
        n = 0
        try:
            chats = self.live_chats()
        except Exception as exc:  # YouTube (the emulator) busy or gone: try again next round
            log.debug("audience: no live chats now: %s", exc)
            return 0
        for live_chat_id, lang, live_since in chats:
            script = script_for(lang)
            if live_chat_id not in self.posted:
                self.posted[live_chat_id] = self.memory.get(live_chat_id) if self.memory else 0
            done = self.posted[live_chat_id]
            elapsed = (self.clock() - live_since) * self.speed
            while done < len(script) and script[done].at <= elapsed:
                if self.memory:
                    self.memory.set(live_chat_id, done + 1)
                if not self._post(live_chat_id, script[done]):
                    if self.memory:
                        self.memory.set(live_chat_id, done)  # not sent after all: the next round tries again
                    break
                done += 1
                n += 1
            self.posted[live_chat_id] = done
        return n

    def _post(self, live_chat_id: str, msg: ScriptedMessage) -> bool:
        try:
            self.control.post_chat(live_chat_id, msg.text, author=msg.author)
            return True
        except Exception as exc:  # chat ended or emulator gone: the rehearsal goes on without this one
            log.info("audience: could not post to %s: %s", live_chat_id, exc)
            return False

    def _run(self) -> None:
        while not self._stop.wait(self.poll):
            self.step()


def live_chats_from_store(ctx: Studio) -> Callable[[], list[tuple[str, str, float]]]:
    """Live chats of the broadcasts this studio took live (from the broadcast records in the store), timed
    from the session's ``live_since`` (when the show flow saw it go live), not from the record's last change."""
    from studio.store import session as sessions

    def live_chats() -> list[tuple[str, str, float]]:
        out = []
        for rec in ctx.youtube.broadcasts.pending():
            if rec.step == "live" and rec.live_chat_id:
                row = sessions.get_session(ctx.store, rec.session_key)
                since = (row or {}).get("live_since") or rec.updated_at or time.time()
                out.append((rec.live_chat_id, rec.lang, float(since)))
        return out

    return live_chats


def start_audience(ctx: Studio, speed: float = 1.0) -> ScriptedAudience:
    """The scripted audience for this studio's rehearsal (needs the emulator: rehearsal mode).

    The caller stops it (``close()``) when the rehearsal ends.
    """
    from studio.errors import StudioError

    yt = ctx.youtube
    if not yt.rehearsal:
        raise StudioError("het publiek kan alleen meedoen in de oefenmodus",
                          "zet [youtube] rehearsal = \"yes\" of verwijder de YouTube-inloggegevens")
    control = yt.emulator.control if yt.emulator is not None else HttpControl(yt.endpoint)
    return ScriptedAudience(control, live_chats_from_store(ctx), speed=speed, memory=StoreMemory(ctx.store)).start()


def release_emulator(ctx: Studio) -> bool:
    """When the panel closes: stop the shared rehearsal emulator unless a session is still under way.

    A session under way (started, not finished) keeps it, so that a restarted panel carries on with the same
    broadcasts and chat. Returns True when it was stopped.
    """
    from studio.store import session as sessions
    from studio.usecases.show import STEP_IDS
    from studio.youtube.auth import is_rehearsal
    from studio.youtube.rehearsal_emulator import stop_shared_emulator

    settings = ctx.settings
    if ctx.youtube_if_started() is None:  # this run never used YouTube: nothing of ours to stop
        return False
    if not is_rehearsal(settings) or settings.youtube.endpoint:
        return False
    under_way = [r for r in sessions.unfinished_sessions(ctx.store)
                 if not (r["step"] == STEP_IDS[0] and r["status"] == "pending")]
    if under_way:
        return False
    return stop_shared_emulator(settings)
