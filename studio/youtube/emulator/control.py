"""The control API: what tests and rehearsals do to the emulator from outside YouTube's own API.

The same operations are reachable in Python (``emu.control.post_chat(...)``) and over HTTP
(``POST /emulator/post_chat`` with a JSON object of keyword arguments; the answer is ``{"result": ...}``;
``GET /emulator/state`` works too). None of them costs quota.

Fault names are discovery method names without the ``youtube.`` prefix ("liveBroadcasts.transition"),
``"upload.chunk"`` for the PUTs of a resumable upload, or ``"*"`` for any method. A fault with a reason
and/or status answers that error (the status defaults to YouTube's for the reason); a fault with only
``delay`` answers normally after that many seconds; ``reason="dropConnection"`` on ``upload.chunk`` resets
the connection after half of the chunk arrived (keeping whole 256 KiB units of it, as YouTube does), and on
any API method resets the connection without an answer (with ``complete=True``: after carrying it out;
``"closeConnection"`` the same with a plain close);
``reason="dropMidMessage"`` on ``liveChatMessages.streamList`` cuts the stream's first message after the
history in half and resets the connection. ``complete=True`` carries the method out before answering the
fault's error; with a ``delay`` longer than the client's timeout the method still happens (a slow YouTube).
``set_stream_lifetime`` closes chat streams after that many seconds (None: they stay open).
"""

from __future__ import annotations

from typing import Any

from studio.youtube.emulator import chat
from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.state import Fault, World


class ControlError(ValueError):
    """A control call that cannot be done (unknown chat, unknown stream...)."""


class Control:
    OPERATIONS = (
        "post_chat", "delete_chat", "ban_author", "end_chat", "inject_fault", "clear_faults", "quota_used",
        "set_quota_used", "set_quota_limit", "state", "reset", "set_polling_interval", "set_stream_health",
        "set_start_delay", "revoke_token", "stream_key", "set_stream_lifetime", "captions",
    )  # fmt: skip

    def __init__(self, world: World) -> None:
        self._world = world

    def call(self, operation: str, kwargs: dict[str, Any]) -> Any:
        """Run an operation by name (for the HTTP endpoint)."""
        if operation not in self.OPERATIONS:
            raise KeyError(f"unknown operation {operation!r}; known: {', '.join(self.OPERATIONS)}")
        return getattr(self, operation)(**kwargs)

    # --- chat ---------------------------------------------------------------------------------------------

    def post_chat(
        self,
        live_chat_id: str,
        text: str,
        author: str = "Kijker",
        kind: str = "textMessageEvent",
        channel_id: str | None = None,
    ) -> dict[str, Any]:
        """A viewer writes in the chat; returns the message resource (its id is what delete_chat takes).

        Text that is not valid Unicode (a lone surrogate) is refused, as YouTube's front end refuses invalid
        UTF-8: stored, it would make every later answer about this chat unencodable."""
        for value in (text, author, channel_id or ""):
            if not isinstance(value, str):
                raise ControlError("text, author and channel_id must be strings")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ControlError("text is not valid UTF-8 (unpaired surrogate)") from None
        with self._world.lock:
            target = self._chat(live_chat_id)
            try:
                return chat.post_text(self._world, target, text, author, channel_id, kind=kind)
            except ApiError as exc:
                raise ControlError(exc.message) from None

    def delete_chat(self, message_id: str) -> dict[str, Any]:
        """A moderator removes a message (in YouTube's own interface): a messageDeletedEvent follows."""
        with self._world.lock:
            try:
                return chat.delete_message(self._world, message_id)
            except ApiError as exc:
                raise ControlError(exc.message) from None

    def ban_author(self, channel_id: str, duration_seconds: int | None = None) -> list[dict[str, Any]]:
        with self._world.lock:
            return chat.ban_author(self._world, channel_id, duration_seconds)

    def end_chat(self, live_chat_id: str) -> None:
        with self._world.lock:
            chat.end_chat(self._world, self._chat(live_chat_id))

    def set_stream_lifetime(self, seconds: float | None, live_chat_id: str | None = None) -> None:
        """How long a chat stream stays open before the server ends it (None: until the chat ends).

        For one chat when ``live_chat_id`` is given, else the emulator's default. Takes effect for the
        next connection."""
        value = None if seconds is None else float(seconds)
        if value is not None and value < 0:
            raise ControlError("the stream lifetime cannot be negative")
        with self._world.lock:
            if live_chat_id is None:
                self._world.config.stream_lifetime = value
            else:
                target = self._chat(live_chat_id)
                target.stream_lifetime, target.lifetime_set = value, True

    def set_polling_interval(self, millis: int) -> None:
        self._world.config.polling_interval_ms = int(millis)

    def _chat(self, live_chat_id: str) -> chat.Chat:
        found = self._world.chats.get(live_chat_id)
        if found is None:
            raise ControlError(f"no live chat {live_chat_id!r}")
        return found

    # --- faults, quota, state -----------------------------------------------------------------------------

    def inject_fault(
        self,
        method: str,
        status: int | None = None,
        reason: str | None = None,
        times: int = 1,
        delay: float = 0,
        complete: bool = False,
    ) -> None:
        """Arm a fault for the next `times` calls of `method` (times=-1: until cleared).

        ``complete=True``: the method is carried out (after ``delay``), and then the error is answered, as
        YouTube sometimes does (a 5xx or a timeout for an insert that happened all the same)."""
        if not (status or reason or delay):
            raise ControlError("a fault needs a status, a reason or a delay")
        with self._world.lock:
            self._world.faults.append(Fault(method, status, reason, int(times), float(delay), bool(complete)))

    def clear_faults(self) -> None:
        with self._world.lock:
            self._world.faults.clear()

    def quota_used(self) -> int:
        return self._world.quota_used

    def set_quota_used(self, units: int) -> None:
        with self._world.lock:
            self._world.quota_used = int(units)

    def set_quota_limit(self, units: int) -> None:
        self._world.config.quota_limit = int(units)

    def set_start_delay(self, seconds: float) -> None:
        self._world.config.start_delay = float(seconds)

    def revoke_token(self, token: str) -> None:
        """Requests with this access token get 401 authError from now on (a revoked or expired token)."""
        with self._world.lock:
            self._world.revoked_tokens.add(token)

    def set_stream_health(
        self, stream_id: str, status: str = "good", issues: list[dict[str, Any]] | None = None
    ) -> None:
        """What healthStatus reports while the stream is active (good, ok, bad) and its configurationIssues."""
        if status not in ("good", "ok", "bad", "noData"):
            raise ControlError(f"unknown health status {status!r}")
        with self._world.lock:
            stream = self._world.streams.get(stream_id)
            if stream is None:
                raise ControlError(f"no live stream {stream_id!r}")
            self._world.health_override[stream_id] = (status, list(issues or []))
            self._world.refresh_health(stream)

    def stream_key(self, stream_id: str) -> str:
        """The stream key (a secret on YouTube; tests need it to publish)."""
        with self._world.lock:
            stream = self._world.streams.get(stream_id)
            if stream is None:
                raise ControlError(f"no live stream {stream_id!r}")
            return str(stream["cdn"]["ingestionInfo"]["streamName"])

    def captions(self, video_id: str | None = None) -> list[dict[str, Any]]:
        """The caption tracks stored (of one video): metadata, the uploaded file as text, its cues."""
        from studio.youtube.emulator import captions

        with self._world.lock:
            return captions.stored(self._world, video_id)

    def state(self) -> dict[str, Any]:
        """A summary of everything (no stream keys)."""
        return self._world.summary()

    def reset(self) -> None:
        """Back to an empty channel (the configured playlists only), quota 0, no faults."""
        self._world.reset()
