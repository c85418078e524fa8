"""The broadcast lifecycle as a state machine that survives a restart.

Every step is written to SQLite BEFORE it is taken (``youtube_broadcasts.step``), and every action first
asks YouTube where the broadcast really is, so running an action again simply carries on:

    creating -> created -> binding -> ready -> starting -> testing -> going_live -> live -> ending -> complete

- create: one broadcast per session (session key = local date + language) and target; never a second one,
  also not after a crash during the insert, nor when the insert times out or answers 5xx while YouTube makes
  it anyway: the broadcast is then found again on YouTube by the session tag in its description (or its title
  and start time) and adopted before any second insert (studio.youtube.reconcile).
- go live: bind the reusable stream, put its ingest address and key into OBS, start OBS streaming, wait
  (bounded, with progress) until YouTube sees the stream active, transition to testing (retrying the
  transient errorStreamInactive), wait for testing, transition to live, wait for live.
- end: transition to complete, then stop OBS streaming.
redundantTransition counts as done; every other refusal is a typed error with what to do.

OBS is reached through the small ``StreamControl`` protocol (``studio.obs.commands.Obs`` fits it); this module does not
import studio.obs.

Why this file is a little over 400 lines: it is one state machine; its status and reconciliation already live
apart (broadcast_status, reconcile), and each step left here writes the state the next one reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from studio.config import Settings
from studio.domain import broadcast_texts as texts
from studio.errors import ConfigError
from studio.store import Store
from studio.store import youtube as repo
from studio.store.youtube import BroadcastRecord
from studio.youtube.api import YouTubeApi
from studio.youtube.broadcast_status import (
    ACTIVE_STATES,
    LIFECYCLE_NL,
    BroadcastStatus,
    iso_utc,
    same_instant,
    session_key_for,
    session_tag,
    status_of,
    with_tag,
)
from studio.youtube.errors import (
    NotFound,
    StreamNotActive,
    TransitionRefused,
    YouTubeError,
)
from studio.youtube.reconcile import DEFAULT_WINDOW, create_once
from studio.youtube.streams import StreamHealth, StreamRegistry, ingest_of

__all__ = ["ACTIVE_STATES", "LIFECYCLE_NL", "BroadcastLifecycle", "BroadcastStatus", "StreamControl",
           "session_key_for", "session_tag", "status_of"]

Progress = Callable[[str], None]


class StreamControl(Protocol):
    """What the lifecycle needs from OBS (studio.obs.commands.Obs provides it)."""

    @property
    def snapshot(self) -> Any: ...  # has .streaming
    def set_stream_service(self, server: str, key: str) -> None: ...
    def start_stream(self, timeout: float = ...) -> None: ...
    def stop_stream(self, timeout: float = ...) -> None: ...


class BroadcastLifecycle:
    def __init__(self, api: YouTubeApi, store: Store, settings: Settings, target: str,
                 obs: StreamControl | Callable[[], StreamControl] | None = None, *,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 poll_start: float = 0.05, poll_fast_window: float = 1.0, poll_max: float = 2.0,
                 inactive_retries: int = 6, reconcile_window: float = DEFAULT_WINDOW) -> None:
        self.api = api
        self.store = store
        self.settings = settings
        self.target = target
        self._obs = obs
        self.reconcile_window = reconcile_window
        self.streams = StreamRegistry(api, store, target, resolution=settings.youtube.resolution,
                                      frame_rate=settings.youtube.frame_rate, sleep=sleep, clock=clock,
                                      reconcile_window=reconcile_window)
        self._sleep = sleep
        self._clock = clock
        self.poll_start = poll_start
        self.poll_fast_window = poll_fast_window
        self.poll_max = poll_max
        self.inactive_retries = inactive_retries

    @property
    def obs(self) -> StreamControl:
        if self._obs is None:
            raise YouTubeError("geen verbinding met OBS ingesteld", "start de studio met OBS")
        if callable(self._obs) and not hasattr(self._obs, "start_stream"):
            self._obs = self._obs()
        return self._obs  # type: ignore[return-value]

    # -- create ---------------------------------------------------------------------------------------
    def create(self, topic: str, lang: str, start: datetime, *, duration: timedelta | None = None,
               session_key: str | None = None) -> BroadcastRecord:
        """The broadcast of this session: the existing one, or a new one made from the templates."""
        if lang not in ("nl", "ar"):
            raise YouTubeError(f"onbekende taal {lang!r}", "kies nl of ar")
        if not texts.topic_label(topic, lang).strip():
            raise ConfigError("het onderwerp is leeg", "geef een onderwerp op, bijvoorbeeld --topic inbraak")
        tz = self.settings.schedule.timezone
        local = start.astimezone(ZoneInfo(tz))
        key = session_key or session_key_for(start, lang, tz)
        title = texts.broadcast_title(topic, local, lang)
        earlier = repo.get_broadcast_by_session(self.store, key, self.target)
        rec = repo.begin_broadcast(self.store, session_key=key, target=self.target, lang=lang, topic=topic,
                                   title=title, scheduled_start=iso_utc(start))
        if rec.broadcast_id:
            found = self.api.get_broadcast(rec.broadcast_id)
            if found is not None:
                return self._note(rec, found)
            # Gone on YouTube (deleted, or a rehearsal emulator that was restarted): make it again.
            rec = repo.update_broadcast(self.store, key, self.target, broadcast_id=None, step="creating",
                                        error="verdwenen op YouTube")
        elif earlier is not None:
            # A previous insert may have reached YouTube before a crash: look before inserting again.
            existing = self._find_on_youtube(rec.title, rec.scheduled_start, session_tag(key))
            if existing is not None:
                return self._note(repo.update_broadcast(self.store, key, self.target, broadcast_id=existing["id"],
                                                        step="created"), existing)
        duration = duration or timedelta(minutes=self.settings.schedule.duration_minutes)
        body = {
            "snippet": {
                "title": rec.title,
                "description": with_tag(texts.broadcast_description(topic, local, lang), session_tag(key)),
                "scheduledStartTime": rec.scheduled_start,
                "scheduledEndTime": iso_utc(start + duration),
            },
            "status": {"privacyStatus": self.settings.youtube.privacy, "selfDeclaredMadeForKids": False},
            "contentDetails": {
                "enableAutoStart": False, "enableAutoStop": False, "enableDvr": True, "recordFromStart": True,
                "monitorStream": {"enableMonitorStream": True, "broadcastStreamDelayMs": 0},
                "latencyPreference": "normal",
            },
        }
        tag = session_tag(key)
        made = create_once(
            lambda: self.api.insert_broadcast(body),
            lambda: self._find_on_youtube(rec.title, rec.scheduled_start, tag),
            what="uitzending aanmaken", window=self.reconcile_window, sleep=self._sleep, clock=self._clock,
            on_adopt=lambda found: self.store.audit("youtube.broadcast.adopted",
                                                    {"broadcast_id": found["id"], "session": key}))
        rec = repo.update_broadcast(self.store, key, self.target, broadcast_id=made["id"], step="created",
                                    yt_status=(made.get("status") or {}).get("lifeCycleStatus", "created"), error="")
        self.store.audit("youtube.broadcast.insert", {"broadcast_id": made["id"], "session": key})
        return rec

    def _find_on_youtube(self, title: str, scheduled_start: str, tag: str = "") -> dict[str, Any] | None:
        """The session's broadcast on YouTube: by its session tag, else by title and start time."""
        page: str | None = None
        by_title: dict[str, Any] | None = None
        for _ in range(10):  # at most 500 broadcasts: enough for years of sessions
            answer = self.api.list_broadcasts(mine=True, page_token=page)
            for b in answer.get("items") or []:
                sn = b.get("snippet") or {}
                if tag and tag in str(sn.get("description", "")).splitlines():
                    return b
                if by_title is None and sn.get("title") == title and \
                        same_instant(str(sn.get("scheduledStartTime", "")), scheduled_start):
                    by_title = b
            page = answer.get("nextPageToken")
            if not page:
                break
        return by_title

    def _note(self, rec: BroadcastRecord, b: dict[str, Any]) -> BroadcastRecord:
        st = status_of(b)
        return repo.update_broadcast(self.store, rec.session_key, self.target, yt_status=st.lifecycle,
                                     live_chat_id=st.live_chat_id or rec.live_chat_id)

    # -- looking -------------------------------------------------------------------------------------
    def record(self, broadcast_id: str) -> BroadcastRecord:
        """The store's record of a broadcast; one made elsewhere (YouTube Studio) is adopted."""
        rec = repo.get_broadcast(self.store, broadcast_id, self.target)
        if rec is not None:
            return rec
        b = self._fetch(broadcast_id)
        st = status_of(b)
        return repo.adopt_broadcast(self.store, session_key=f"extern-{broadcast_id}", target=self.target,
                                    broadcast_id=broadcast_id, lang="nl", topic="", title=st.title,
                                    scheduled_start=st.scheduled_start, step="created", yt_status=st.lifecycle)

    def _fetch(self, broadcast_id: str) -> dict[str, Any]:
        b = self.api.get_broadcast(broadcast_id)
        if b is None:
            raise NotFound(f"YouTube kent uitzending {broadcast_id} niet (meer)",
                           "controleer het id met 'studio broadcast list'", reason="liveBroadcastNotFound", status=404)
        return b

    def status(self, broadcast_id: str, *, with_health: bool = True) -> BroadcastStatus:
        """The broadcast as YouTube reports it now (and its stream's health); the store follows."""
        b = self._fetch(broadcast_id)
        st = status_of(b)
        stream = self.streams.get(st.bound_stream_id) if with_health and st.bound_stream_id else None
        rec = repo.get_broadcast(self.store, broadcast_id, self.target)
        if rec is not None and (rec.yt_status != st.lifecycle or (st.live_chat_id and not rec.live_chat_id)):
            repo.update_broadcast(self.store, rec.session_key, self.target, yt_status=st.lifecycle,
                                  live_chat_id=st.live_chat_id or rec.live_chat_id)
        return status_of(b, stream)

    def pending(self) -> list[BroadcastRecord]:
        """Broadcasts a previous run was taking live or ending: what the panel offers to carry on."""
        return repo.in_progress(self.store, self.target)

    def known(self, limit: int = 50) -> list[BroadcastRecord]:
        """The broadcasts this studio made on this target (YouTube or the emulator), newest first."""
        return repo.list_broadcasts(self.store, self.target, limit)

    def known_for_session(self, session_key: str) -> BroadcastRecord | None:
        return repo.get_broadcast_by_session(self.store, session_key, self.target)

    def list_mine(self) -> list[BroadcastStatus]:
        """Every broadcast of the channel as YouTube lists it (also those made elsewhere)."""
        return [status_of(b) for b in self.api.list_broadcasts(mine=True).get("items") or []]

    # -- go live --------------------------------------------------------------------------------------
    def prepare(self, broadcast_id: str, progress: Progress = lambda _m: None, *,
                fetched: dict[str, Any] | None = None) -> BroadcastStatus:
        """Bind the reusable stream and put its ingest into OBS (idempotent; nothing changes once testing)."""
        rec = self.record(broadcast_id)
        b = fetched if fetched is not None else self._fetch(broadcast_id)
        st = status_of(b)
        if st.lifecycle in ("complete", "revoked"):
            raise TransitionRefused("deze uitzending is al afgelopen", "maak een nieuwe uitzending aan",
                                    reason="invalidTransition")
        stream = self.streams.ensure()
        if st.lifecycle in ("created", "ready") and st.bound_stream_id != stream["id"]:
            self._step(rec, "binding")
            progress("stream koppelen…")
            b = self.api.bind_broadcast(broadcast_id, stream["id"])
            self.store.audit("youtube.broadcast.bind", {"broadcast_id": broadcast_id, "stream_id": stream["id"]})
        elif st.bound_stream_id and st.bound_stream_id != stream["id"]:
            stream = self.streams.get(st.bound_stream_id) or stream  # already testing/live on another stream
        if not self._obs_streaming():
            ingest = ingest_of(stream)
            progress("streamadres in OBS zetten…")
            self.obs.set_stream_service(ingest.server, ingest.key)
        rec = repo.get_broadcast(self.store, broadcast_id, self.target) or rec
        if rec.step in ("creating", "created", "binding"):
            self._step(rec, "ready", stream_id=stream["id"])
        return status_of(b, stream)

    def go_live(self, broadcast_id: str, progress: Progress = lambda _m: None, *,
                stop_at: str = "live") -> BroadcastStatus:
        """Take the broadcast live from wherever it is; safe to run again after a crash or a failure.

        ``stop_at="testing"`` stops once YouTube reports 'testing' (OBS streaming, viewers see nothing yet):
        the show flow does that before the start time, and goes live later with a second call.
        """
        if stop_at not in ("testing", "live"):
            raise ValueError(f"stop_at must be 'testing' or 'live', not {stop_at!r}")
        timeout = float(self.settings.youtube.golive_timeout)
        deadline = self._clock() + timeout
        rec = self.record(broadcast_id)
        fetched = self._fetch(broadcast_id)
        st = status_of(fetched)
        if st.lifecycle in ("complete", "revoked"):
            raise TransitionRefused("deze uitzending is al afgelopen en kan niet opnieuw live",
                                    "maak een nieuwe uitzending aan", reason="invalidTransition")
        try:
            health: StreamHealth | None = None
            if st.lifecycle in ("created", "ready"):
                prepared = self.prepare(broadcast_id, progress, fetched=fetched)
                rec = self._step(rec, "starting")
                self._ensure_obs_streaming(progress)
                health = self._wait_stream_active(prepared.bound_stream_id or self._stream_id(), deadline,
                                                  progress)
                rec = self._step(rec, "testing")
                self._transition(broadcast_id, "testing", deadline, progress)
                st = self._wait_lifecycle(broadcast_id, ("testing", "live"), deadline, progress, "test")
            elif st.lifecycle == "testStarting":
                rec = self._step(rec, "testing")
                self._ensure_obs_streaming(progress)
                st = self._wait_lifecycle(broadcast_id, ("testing", "live"), deadline, progress, "test")
            if st.lifecycle == "testing" and stop_at == "testing":
                self._ensure_obs_streaming(progress)
                progress("klaar om live te gaan (YouTube: test)")
                return BroadcastStatus(**{**st.__dict__, "stream": health})
            if st.lifecycle == "testing":
                if health is None:  # carrying on after a restart: is the picture still arriving?
                    self._ensure_obs_streaming(progress)
                    health = self._wait_stream_active(st.bound_stream_id or self._stream_id(), deadline, progress)
                rec = self._step(rec, "going_live")
                self._transition(broadcast_id, "live", deadline, progress)
                st = self._wait_lifecycle(broadcast_id, ("live",), deadline, progress, "live")
            elif st.lifecycle == "liveStarting":
                rec = self._step(rec, "going_live")
                st = self._wait_lifecycle(broadcast_id, ("live",), deadline, progress, "live")
            if st.lifecycle == "live":
                self._ensure_obs_streaming(progress)  # after a crash OBS may have stopped: viewers need a picture
                self._step(rec, "live", error="", yt_status="live")
                self.store.audit("youtube.broadcast.live", {"broadcast_id": broadcast_id})
                progress("LIVE")
                if health is None and st.bound_stream_id:
                    health = self.streams.health(st.bound_stream_id)
                return BroadcastStatus(**{**st.__dict__, "stream": health})
            raise TransitionRefused(f"de uitzending staat op '{st.lifecycle}' en kan niet live",
                                    "ververs de status en probeer opnieuw", reason="invalidTransition")
        except YouTubeError as exc:
            repo.update_broadcast(self.store, rec.session_key, self.target, error=str(exc))
            raise

    def _stream_id(self) -> str:
        return str(self.streams.ensure()["id"])

    def _obs_streaming(self) -> bool:
        if self._obs is None:
            return False
        return bool(getattr(self.obs.snapshot, "streaming", False))

    def _ensure_obs_streaming(self, progress: Progress) -> None:
        if not self._obs_streaming():
            progress("OBS begint te streamen…")
            self.obs.start_stream(timeout=20.0)

    def _polls(self, deadline: float) -> Any:
        """Yield until the deadline: quick polls at first (the emulator and a warm YouTube answer within a
        second or two), then a growing interval so a slow YouTube does not eat the quota (1 unit a poll)."""
        interval = self.poll_start
        started = self._clock()
        while True:
            waited = self._clock() - started
            yield waited
            if self._clock() >= deadline:
                return
            self._sleep(min(interval, max(0.0, deadline - self._clock())))
            if waited >= self.poll_fast_window:
                interval = min(self.poll_max, interval * 1.5)

    def _wait_stream_active(self, stream_id: str, deadline: float, progress: Progress) -> StreamHealth:
        for waited in self._polls(deadline):
            health = self.streams.health(stream_id)
            if health is not None and health.active:
                return health
            progress(f"wacht tot YouTube beeld van OBS ontvangt… ({waited:.0f} s)")
        raise StreamNotActive(
            f"YouTube ontving binnen {self.settings.youtube.golive_timeout:g} s geen beeld van OBS",
            "controleer in OBS dat de stream loopt en de internetverbinding; probeer daarna opnieuw live te gaan",
            reason="errorStreamInactive")

    def _transition(self, broadcast_id: str, target: str, deadline: float, progress: Progress) -> None:
        for attempt in range(self.inactive_retries + 1):
            try:
                progress(f"uitzending naar '{LIFECYCLE_NL.get(target, target)}'…")
                self.api.transition_broadcast(broadcast_id, target)
                return
            except YouTubeError as exc:
                if exc.reason == "redundantTransition":
                    return  # already there or on its way
                if exc.reason == "errorStreamInactive" and attempt < self.inactive_retries and \
                        self._clock() < deadline:
                    self._sleep(min(1.0, 0.2 * (attempt + 1)))
                    continue
                raise

    def _wait_lifecycle(self, broadcast_id: str, wanted: tuple[str, ...], deadline: float, progress: Progress,
                        label: str) -> BroadcastStatus:
        st = None
        for waited in self._polls(deadline):
            st = status_of(self._fetch(broadcast_id))
            if st.lifecycle in wanted:
                return st
            if st.lifecycle in ("complete", "revoked"):
                raise TransitionRefused("de uitzending is onderweg afgelopen", "maak een nieuwe uitzending aan",
                                        reason="invalidTransition")
            progress(f"wacht op {label}… ({waited:.0f} s, YouTube: {st.label})")
        raise YouTubeError(f"YouTube zette de uitzending niet binnen de tijd op {label}",
                           "probeer 'live gaan' opnieuw: de studio gaat verder waar hij was", reason="timeout")

    # -- end ------------------------------------------------------------------------------------------
    def end(self, broadcast_id: str, progress: Progress = lambda _m: None) -> BroadcastStatus:
        """Transition to complete, then stop OBS streaming. Safe to run again."""
        rec = self.record(broadcast_id)
        st = status_of(self._fetch(broadcast_id))
        deadline = self._clock() + float(self.settings.youtube.golive_timeout)
        if st.lifecycle in ("created", "ready", "testStarting", "testing"):
            # Never went live: nothing for viewers to end. Stop sending, keep the broadcast for another try.
            self._stop_obs(progress)
            self._step(rec, "ready" if st.lifecycle in ("created", "ready") else "starting")
            return self.status(broadcast_id)
        if st.lifecycle != "complete":
            rec = self._step(rec, "ending")
            if st.lifecycle == "liveStarting":
                self._wait_lifecycle(broadcast_id, ("live", "complete"), deadline, progress, "live")
            self._transition(broadcast_id, "complete", deadline, progress)
            self._wait_lifecycle(broadcast_id, ("complete",), deadline, progress, "afgelopen")
        self._stop_obs(progress)
        self._step(rec, "complete", error="")
        self.store.audit("youtube.broadcast.complete", {"broadcast_id": broadcast_id})
        return self.status(broadcast_id, with_health=False)

    def _stop_obs(self, progress: Progress) -> None:
        if self._obs_streaming():
            progress("OBS stopt met streamen…")
            self.obs.stop_stream(timeout=20.0)

    def _step(self, rec: BroadcastRecord, step: str, **more: Any) -> BroadcastRecord:
        return repo.update_broadcast(self.store, rec.session_key, self.target, step=step, **more)
