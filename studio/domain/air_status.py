"""Is the studio on air? One answer for the whole panel, from OBS's and YouTube's own reports, that does not flicker.

The status bar on every screen and the Spreekuur screen's clock read the same ``AirState`` and draw it with
``describe`` (pure, tested on its own). ``AirTracker`` turns reports into that state:

* **YouTube decides LIVE.** Only a report of the followed broadcast counts (the session's broadcast; another
  broadcast's report, e.g. the finished Dutch one polled on the Uitzending screen during the Arabic session, is
  ignored). A report that moves the lifecycle forward (created -> ... -> live -> complete: the only way YouTube
  moves) is taken at once; a report that would move it back must come ``confirm`` times in a row, and a read
  that failed changes nothing. So one stale or failed answer never turns "LIVE" into "STREAM" and back.
* **One LIVE clock**, from YouTube's ``actualStartTime`` (until YouTube has given it: from the moment LIVE was
  confirmed). **The TEST/STREAM clock** runs from OBS's own stream duration, or from the moment OBS was seen to
  start streaming: it runs even when OBS reports a duration of zero.
* **"LIVE ZONDER BEELD"** only when YouTube, while live, reports no data from the stream (health ``noData`` or
  the stream not active) ``confirm`` times in a row, and the studio is not ending the broadcast itself.
* OBS's own state (streaming or not) comes from its events; while OBS is not connected its last state is kept
  and marked unknown, never guessed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

LIFECYCLE = ("created", "ready", "testStarting", "testing", "liveStarting", "live", "complete")
TESTING = ("testStarting", "testing")
NO_PICTURE = "noData"
CONFIRM = 2  # reports in a row needed to move back, or to say "no picture"
STALE_AFTER = 60.0  # seconds without a good YouTube answer about a live broadcast: say that it is unsure


@dataclass(frozen=True)
class YouTubeReport:
    """One successful answer of YouTube about a broadcast (and the stream bound to it)."""

    broadcast_id: str
    lifecycle: str
    at: float  # unix time of the answer
    actual_start: float | None = None  # actualStartTime, unix time ('' from YouTube: None)
    stream_status: str = ""  # active, inactive, ... ('' when unknown)
    health: str = ""  # good, ok, bad, noData ('' when unknown)

    @property
    def no_picture(self) -> bool:
        return self.health == NO_PICTURE or self.stream_status in ("inactive", "ready", "created")


@dataclass(frozen=True)
class AirState:
    """What is known, at one moment; ``describe(state, now)`` makes the words."""

    broadcast_id: str | None = None
    lifecycle: str = ""  # confirmed lifecycle of the followed broadcast ('' = YouTube has not said)
    live_since: float | None = None  # YouTube's actualStartTime (or when LIVE was confirmed)
    ending: bool = False  # the studio is ending the broadcast itself (end slate, transition to complete)
    no_picture: bool = False  # YouTube reported no data from the stream, CONFIRM times in a row
    obs_connected: bool = False
    obs_streaming: bool = False
    stream_since: float | None = None  # when OBS's stream began
    last_good: float | None = None  # unix time of YouTube's last good answer about this broadcast

    @property
    def live(self) -> bool:
        return self.lifecycle == "live"

    def stale(self, now: float) -> bool:
        return self.live and self.last_good is not None and now - self.last_good > STALE_AFTER


class AirTracker:
    """Reports in, ``state`` out. Not thread-safe: the panel feeds it on its event loop."""

    def __init__(self, confirm: int = CONFIRM) -> None:
        self.confirm = confirm
        self.state = AirState()
        self._back: list[str] = []  # reports in a row that would move the lifecycle back
        self._dark = 0  # reports in a row of no picture while live

    def _set(self, **changes: object) -> bool:
        new = dataclasses.replace(self.state, **changes)  # type: ignore[arg-type]
        changed = new != self.state
        self.state = new
        return changed

    # --- which broadcast ---------------------------------------------------------------------------------
    def follow(self, broadcast_id: str | None, *, ending: bool | None = None) -> bool:
        """Follow this broadcast (the session's); a different one starts from nothing known."""
        changed = False
        if broadcast_id != self.state.broadcast_id:
            self._back, self._dark = [], 0
            changed = self._set(broadcast_id=broadcast_id, lifecycle="", live_since=None, ending=False,
                                no_picture=False, last_good=None)
        if ending is not None:
            changed = self._set(ending=ending) or changed
        return changed

    # --- YouTube ------------------------------------------------------------------------------------------
    def youtube(self, report: YouTubeReport) -> bool:
        """A good answer of YouTube. Returns whether the state changed.

        A read that failed is not reported at all: the answer before it stands (``stale`` says when it is old).
        """
        if report.lifecycle not in LIFECYCLE:
            return False
        if self.state.broadcast_id is None:
            if report.lifecycle in ("created", "ready", "complete"):
                return False  # a broadcast that is not running is not followed on its own
            self.follow(report.broadcast_id)
        if report.broadcast_id != self.state.broadcast_id:
            return False
        st = self.state
        changes: dict[str, object] = {"last_good": report.at}
        now_at = LIFECYCLE.index(st.lifecycle) if st.lifecycle else -1
        new_at = LIFECYCLE.index(report.lifecycle)
        if new_at >= now_at:
            self._back = []
            changes["lifecycle"] = report.lifecycle
        else:
            self._back = [*self._back[-(self.confirm - 1):], report.lifecycle] if self.confirm > 1 else [
                report.lifecycle]
            if len(self._back) >= self.confirm and len(set(self._back)) == 1:
                changes["lifecycle"] = report.lifecycle
                self._back = []
        lifecycle = str(changes.get("lifecycle", st.lifecycle))
        if lifecycle == "live":
            if report.actual_start:
                changes["live_since"] = report.actual_start
            elif st.live_since is None:
                changes["live_since"] = report.at
            self._dark = self._dark + 1 if report.no_picture else 0
            changes["no_picture"] = self._dark >= self.confirm
        else:
            self._dark = 0
            changes["no_picture"] = False
        if lifecycle == "complete":
            changes["ending"] = False
        return self._set(**changes)

    # --- OBS ----------------------------------------------------------------------------------------------
    def obs(self, *, connected: bool, streaming: bool, at: float, stream_seconds: float | None = None) -> bool:
        """OBS's state (from its events) and, when known, how long its stream runs by its own count."""
        st = self.state
        if not connected:
            return self._set(obs_connected=False)  # its last known state stays, marked unknown
        since = st.stream_since
        if not streaming:
            since = None
        else:
            if since is None:
                since = at
            if stream_seconds and stream_seconds > 0:
                since = min(since, at - stream_seconds)
        return self._set(obs_connected=True, obs_streaming=streaming, stream_since=since)


@dataclass(frozen=True)
class AirText:
    text: str
    tone: str  # "off", "test", "live", "alarm", "warn"


def clock(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def live_clock(state: AirState, now: float) -> str | None:
    """The one LIVE clock (h:mm:ss since YouTube's actualStartTime), None when not live."""
    if not state.live or state.live_since is None:
        return None
    return clock(now - state.live_since)


def describe(state: AirState, now: float) -> AirText:
    """The status bar's words for LIVE/TEST/STREAM, in Dutch."""
    st = state
    streaming = st.obs_streaming
    stream_clock = clock(now - st.stream_since) if st.stream_since is not None else "0:00:00"
    if st.live:
        lc = live_clock(st, now) or "0:00:00"
        unsure = " (?)" if st.stale(now) else ""
        if st.ending:
            return AirText(f"● LIVE {lc} · einde loopt", "live")
        if st.no_picture:
            return AirText("● LIVE ZONDER BEELD", "alarm")
        if st.obs_connected and not streaming:
            return AirText(f"● LIVE {lc} · OBS stuurt niet", "warn")
        return AirText(f"● LIVE {lc}{unsure}", "live")
    if st.lifecycle == "liveStarting":
        return AirText("● LIVE start…", "test")
    if not st.obs_connected and not streaming:
        return AirText("○ live ?", "off")
    if streaming and st.lifecycle in TESTING:
        return AirText(f"● TEST {stream_clock} (niet live)", "test")
    if streaming and st.lifecycle == "complete":
        return AirText(f"● STREAM {stream_clock} (afgelopen)", "test")
    if streaming and st.lifecycle in ("created", "ready"):
        return AirText(f"● STREAM {stream_clock} (niet live)", "test")
    if streaming:
        return AirText(f"● STREAM {stream_clock}", "test")  # YouTube has not said: never claim LIVE
    return AirText("○ niet live", "off")


def parse_timecode(timecode: str) -> float | None:
    """OBS's "HH:MM:SS.mmm" in seconds (None when there is none or it cannot be read)."""
    try:
        hh, mm, ss = timecode.split(":")
        return int(hh) * 3600 + int(mm) * 60 + float(ss)
    except ValueError:
        return None


def parse_youtube_time(text: str) -> float | None:
    """YouTube's RFC 3339 time ("2026-11-24T18:00:05Z" or with fractions/offset) as unix time."""
    from datetime import datetime

    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
