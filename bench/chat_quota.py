"""Chat intake in one simulated hour: the chat stream against list polling, side by side, in one run.

One YouTube emulator, two live chats that receive the same ~120 messages in bursts (seeded) at the same
moments. Time is compressed: SCALE session seconds pass per real second; the emulator's
pollingIntervalMillis and the stream lifetimes are scaled down by the same factor, and the intakes read
them back in session time (``time_scale``), with their governors on the session clock. Three intakes run at
once, each with its own store (so none sees another's questions), all through the project's API door:
- polling: ChatIntake(method="poll"), the governor as before (the baseline);
- stream, open: ChatIntake (auto) on chat A, whose streams stay open;
- stream, 10 s: ChatIntake (auto) on chat B, whose streams close every 10 s of session time.
Units are what each intake's ledger recorded for chat calls (5 a poll, 5 a stream connection).

Then one session's broadcast flow with today's table: create, go live (ffmpeg pushes RTMP to the emulator's
ingest, standing in for OBS) and end, units as the emulator charged them and as our ledger recorded them,
against the floor (insert, bind, three transitions) and the same calls priced with the table the project
used before (the figures that said 276 a session).

Prints three JSON lines: chat_stream_open, chat_stream_10s (both methods' units and delays side by side)
and youtube_session_quota_table.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCALE = 60.0  # session seconds per real second: the hour takes one minute
SESSION = 3600.0
SERVER_INTERVAL = 2.0  # pollingIntervalMillis, in session seconds
SHORT_LIFETIME = 10.0  # session seconds a stream stays open in the second scenario
MESSAGES = 120
BURSTS = 12
BUDGET = 1500
CHAT_METHODS = ("liveChatMessages.list", "liveChatMessages.streamList")
# What the project's table said before the calculator of 2026-12-01 (for the comparison line only; the
# table itself is studio.youtube.quota.TABLE).
PREVIOUS_TABLE = {"liveBroadcasts.insert": 50, "liveBroadcasts.bind": 50, "liveBroadcasts.transition": 50,
                  "liveBroadcasts.list": 1, "liveStreams.list": 1, "liveStreams.insert": 50}


def schedule(seed: int = 7) -> list[float]:
    """Message times in session seconds: bursts of questions with quiet stretches between them."""
    rng = random.Random(seed)
    times: list[float] = []
    for start in sorted(rng.uniform(90, SESSION - 240) for _ in range(BURSTS)):
        t = start
        for _ in range(MESSAGES // BURSTS):
            times.append(t)
            t += rng.expovariate(1 / 6)
    return sorted(times)


def _settings(data_dir: str, endpoint: str) -> Any:
    from studio.config import Settings

    settings = Settings()
    settings.paths.data_dir = data_dir
    settings.youtube.endpoint = endpoint
    settings.youtube.rehearsal = "yes"
    return settings


class Reader:
    """One intake with its own store and ledger."""

    def __init__(self, name: str, endpoint: str, chat_id: str, clock: Any, tmp: str, **options: Any) -> None:
        from studio.store import open_store
        from studio.store.questions import QuestionBook
        from studio.youtube.api import build_youtube
        from studio.youtube.chat import ChatIntake

        self.name = name
        self.store = open_store(_settings(str(Path(tmp) / name), endpoint))
        api = build_youtube(_settings(str(Path(tmp) / name), endpoint), self.store, endpoint=endpoint,
                            max_retries=0)
        self.ledger = api.ledger
        self.book = QuestionBook(self.store, clock=clock)
        self.intake = ChatIntake(api, self.book, chat_id, budget_units=BUDGET, budget_minutes=SESSION / 60,
                                 clock=clock, time_scale=SCALE, idle_timeout=None, **options)

    def delays(self, posted: dict[str, float]) -> list[float]:
        added = {q.text: self.book.events(q.id)[0].at for q in self.book.queue()}
        return [added[text] - at for text, at in posted.items() if text in added]

    def units(self) -> int:
        return sum(units for method, units in self.ledger.usage().by_method.items() if method in CHAT_METHODS)

    def close(self) -> None:
        self.store.close()


def _figures(delays: list[float]) -> dict[str, Any]:
    if not delays:
        return {"median_s": None, "p95_s": None}
    p95 = statistics.quantiles(delays, n=20)[-1] if len(delays) > 2 else max(delays)
    return {"median_s": round(statistics.median(delays), 2), "p95_s": round(p95, 2)}


def chat_hour() -> tuple[list[dict[str, Any]], bool]:
    from studio.youtube.emulator import start_emulator

    emu = start_emulator(port=0, rtmp_port=0, quota_limit=1_000_000,
                         polling_interval_ms=max(1, round(SERVER_INTERVAL * 1000 / SCALE)))
    tmp = tempfile.TemporaryDirectory()
    readers: list[Reader] = []
    try:
        from tests.fixtures.emulator import build_client

        yt = build_client(emu)
        chats = []
        for title in ("bench open", "bench 10 s"):
            b = yt.liveBroadcasts().insert(part="snippet,status", body={
                "snippet": {"title": title, "scheduledStartTime": "2030-01-01T18:00:00Z"},
                "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False}}).execute()
            chats.append(b["snippet"]["liveChatId"])
        open_chat, short_chat = chats
        emu.control.set_stream_lifetime(None, live_chat_id=open_chat)
        emu.control.set_stream_lifetime(SHORT_LIFETIME / SCALE, live_chat_id=short_chat)

        t0 = time.monotonic()

        def clock() -> float:
            return (time.monotonic() - t0) * SCALE

        polling = Reader("polling", emu.endpoint, open_chat, clock, tmp.name, method="poll")
        stream_open = Reader("stream-open", emu.endpoint, open_chat, clock, tmp.name)
        stream_short = Reader("stream-10s", emu.endpoint, short_chat, clock, tmp.name)
        readers = [polling, stream_open, stream_short]
        posted: dict[str, dict[str, float]] = {open_chat: {}, short_chat: {}}
        stop = threading.Event()

        def poster() -> None:
            for i, at in enumerate(schedule()):
                if stop.wait(max(0.0, at / SCALE - (time.monotonic() - t0))):
                    return
                text = f"vraag {i:03d} over de wijk"
                for chat_id in chats:
                    posted[chat_id][text] = clock()
                    emu.control.post_chat(chat_id, text, author=f"kijker {i % 17}")

        thread = threading.Thread(target=poster, daemon=True)
        thread.start()
        for r in readers:
            r.intake.start()
        while clock() < SESSION:
            time.sleep(0.2)
        for r in readers:
            r.intake.stop()
        stop.set()
        thread.join(10)

        poll_delays = polling.delays(posted[open_chat])
        lines = []
        complete = True
        for r, chat_id, bench, target in (
            (stream_open, open_chat, "chat_stream_open", "median <= 1 s, p95 <= 3 s, <= 100 units/h"),
            (stream_short, short_chat, "chat_stream_10s",
             "never more units than polling, for no worse a delay (the intake chooses)"),
        ):
            delays = r.delays(posted[chat_id])
            units, poll_units = r.units(), polling.units()
            complete = complete and len(delays) == len(posted[chat_id]) == len(poll_delays)
            mine, theirs = _figures(delays), _figures(poll_delays)
            if bench == "chat_stream_open":
                ok = (mine["median_s"] is not None and mine["median_s"] <= 1.0 and mine["p95_s"] <= 3.0
                      and units <= 100)
            else:
                ok = units <= poll_units and mine["median_s"] is not None and theirs["median_s"] is not None \
                    and mine["median_s"] <= theirs["median_s"]
            lines.append({
                "bench": bench, "value_units": units, "baseline_units": poll_units,
                "ratio": round(units / poll_units, 3) if poll_units else None,
                "stream": {"units": units, **mine, "connections": r.intake.status.connections,
                           "mean_lifetime_s": round(r.intake.status.mean_lifetime, 1),
                           "method_at_end": r.intake.method},
                "polling": {"units": poll_units, **theirs, "polls": polling.intake.status.polls},
                "messages_posted": len(posted[chat_id]), "messages_in_queue": len(delays),
                "session_s": SESSION, "target": target, "meets_target": ok,
            })
        return lines, complete
    finally:
        for r in readers:
            r.close()
        emu.stop()
        tmp.cleanup()


class _FfmpegEncoder:
    """What the broadcast flow needs from OBS, played by ffmpeg pushing a test pattern over RTMP."""

    def __init__(self) -> None:
        self.server = self.key = ""
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def snapshot(self) -> Any:
        return type("S", (), {"streaming": self.proc is not None and self.proc.poll() is None})()

    def set_stream_service(self, server: str, key: str) -> None:
        self.server, self.key = server, key

    def start_stream(self, timeout: float = 20) -> None:
        self.proc = subprocess.Popen(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-f", "lavfi", "-i",
             "testsrc2=size=320x180:rate=15", "-t", "120", "-c:v", "libx264", "-preset", "ultrafast",
             "-f", "flv", f"{self.server}/{self.key}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop_stream(self, timeout: float = 20) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


def session_quota() -> dict[str, Any]:
    from studio.store import open_store
    from studio.youtube.emulator import start_emulator
    from studio.youtube.quota import cost_of, session_sheet
    from studio.youtube.service import YouTubeService

    emu = start_emulator(port=0, rtmp_port=0, quota_limit=1_000_000)
    tmp = tempfile.TemporaryDirectory()
    encoder = _FfmpegEncoder()
    try:
        settings = _settings(tmp.name, emu.endpoint)
        store = open_store(settings)
        svc = YouTubeService(settings, store, obs=encoder)
        life = svc.broadcasts
        q0 = emu.control.quota_used()
        calls0 = len(emu.control.state()["calls"])
        rec = life.create("inbraak", "nl", datetime.now(UTC) + timedelta(hours=1))  # setup: stream + broadcast
        assert rec.broadcast_id
        assert life.go_live(rec.broadcast_id).lifecycle == "live"
        assert life.end(rec.broadcast_id).lifecycle == "complete"
        calls = [c[0] for c in emu.control.state()["calls"][calls0:]]
        units = emu.control.quota_used() - q0
        ledger = sum(store.query("SELECT COALESCE(SUM(units), 0) AS u FROM youtube_quota")[0])
        floor = sum(cost_of(m) for m in ("liveBroadcasts.insert", "liveBroadcasts.bind")) \
            + 3 * cost_of("liveBroadcasts.transition")
        counts = {m: calls.count(m) for m in sorted(set(calls))}
        svc.close()
        store.close()
        return {
            "bench": "youtube_session_quota_table", "value_units": units, "ledger_units": ledger,
            "baseline_units": floor, "ratio": round(units / floor, 2),
            "previous_table_units": sum(PREVIOUS_TABLE.get(m, 1) * n for m, n in counts.items()),
            "forecast_units": session_sheet().units, "calls": counts,
            "target": "setup, go live and end of one session well under 50 units",
            "meets_target": units < 50,
        }
    finally:
        encoder.stop_stream()
        emu.stop()
        tmp.cleanup()


def main() -> int:
    lines, complete = chat_hour()
    for line in lines:
        print(json.dumps(line), flush=True)
    print(json.dumps(session_quota()), flush=True)
    return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
