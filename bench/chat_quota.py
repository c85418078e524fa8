"""Chat intake quota over a simulated 60-minute session vs naive polling at pollingIntervalMillis.

One YouTube emulator, one live chat, about 120 messages in bursts (seeded). Time is compressed: SCALE
virtual seconds pass per real second; the emulator's pollingIntervalMillis is scaled down by the same factor
and ChatIntake reads it back in virtual time (its ``time_scale``), with the governor on the virtual clock.
In the same run, a naive reader polls the same chat every pollingIntervalMillis. Both go through the real
google-api-python-client and the project's API door; units are counted per reader (5 per list call) and
checked against the emulator's own count.

Prints two JSON lines: units (target <= 1,500 and >= 3x fewer than naive) and the median delay from chat to
queue (target <= 6 s of session time).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCALE = 60.0  # virtual seconds per real second: the hour takes one minute
SESSION = 3600.0
SERVER_INTERVAL = 2.0  # pollingIntervalMillis, in session seconds
MESSAGES = 120
BURSTS = 12
BUDGET = 1500


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


def main() -> int:
    from studio.store import open_store
    from studio.store.questions import QuestionBook
    from studio.youtube.api import build_youtube
    from studio.youtube.chat import LIST_COST, ChatIntake
    from studio.youtube.emulator import start_emulator

    emu = start_emulator(port=0, rtmp_port=0, quota_limit=1_000_000,
                         polling_interval_ms=max(1, round(SERVER_INTERVAL * 1000 / SCALE)))
    tmp = tempfile.TemporaryDirectory()
    try:
        settings = _settings(tmp.name, emu.endpoint)
        store = open_store(settings)
        api = build_youtube(settings, store, endpoint=emu.endpoint, max_retries=0)
        naive_api = build_youtube(settings, store, endpoint=emu.endpoint, max_retries=0)
        broadcast = api.insert_broadcast({
            "snippet": {"title": "bench", "scheduledStartTime": "2030-01-01T18:00:00Z"},
            "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
        })
        chat_id = broadcast["snippet"]["liveChatId"]
        quota_before = emu.control.quota_used()

        t0 = time.monotonic()

        def clock() -> float:
            return (time.monotonic() - t0) * SCALE

        book = QuestionBook(store, clock=clock)
        posted: dict[str, float] = {}
        stop = threading.Event()

        def poster() -> None:
            for i, at in enumerate(schedule()):
                if stop.wait(max(0.0, at / SCALE - (time.monotonic() - t0))):
                    return
                text = f"vraag {i:03d} over de wijk"
                posted[text] = clock()
                emu.control.post_chat(chat_id, text, author=f"kijker {i % 17}")

        naive_calls = 0
        naive_seen: dict[str, float] = {}

        def naive() -> None:
            nonlocal naive_calls
            token = None
            while not stop.is_set() and clock() < SESSION:
                kwargs = {"pageToken": token} if token else {}
                resp = naive_api.execute(naive_api.service.liveChatMessages().list(
                    liveChatId=chat_id, part="id,snippet,authorDetails", **kwargs))
                naive_calls += 1
                now = clock()
                for item in resp.get("items", []):
                    naive_seen.setdefault(item["snippet"]["displayMessage"], now)
                token = resp.get("nextPageToken") or token
                stop.wait(float(resp.get("pollingIntervalMillis", 0)) / 1000.0)

        intake = ChatIntake(api, book, chat_id, budget_units=BUDGET, budget_minutes=SESSION / 60,
                            clock=clock, time_scale=SCALE)
        threads = [threading.Thread(target=poster, daemon=True), threading.Thread(target=naive, daemon=True)]
        for t in threads:
            t.start()
        intake.start()
        while clock() < SESSION:
            time.sleep(0.2)
        intake.stop()
        stop.set()
        for t in threads:
            t.join(10)

        added = {}
        for q in book.queue():
            events = book.events(q.id)
            added[q.text] = events[0].at
        delays = [added[text] - at for text, at in posted.items() if text in added]
        naive_delays = [naive_seen[text] - at for text, at in posted.items() if text in naive_seen]
        units = intake.governor.used_units
        naive_units = naive_calls * LIST_COST
        emulator_units = emu.control.quota_used() - quota_before
        median = statistics.median(delays) if delays else float("inf")
        print(json.dumps({
            "bench": "chat_quota_60min", "value_units": units, "baseline_units": naive_units,
            "ratio": round(naive_units / units, 2) if units else None,
            "messages_posted": len(posted), "messages_in_queue": len(delays),
            "emulator_counted_units": emulator_units,
            "target": "<= 1500 units and >= 3x fewer than naive polling at pollingIntervalMillis",
        }))
        print(json.dumps({
            "bench": "chat_to_queue_delay", "value_s": round(median, 2),
            "baseline_s": round(statistics.median(naive_delays), 2) if naive_delays else None,
            "ratio": round(median / statistics.median(naive_delays), 2) if naive_delays else None,
            "p90_s": round(statistics.quantiles(delays, n=10)[-1], 2) if len(delays) > 2 else None,
            "target": "median <= 6 s (session time)",
        }))
        store.close()
        return 0 if len(delays) == len(posted) else 1
    finally:
        emu.stop()
        tmp.cleanup()


def _settings(data_dir: str, endpoint: str):  # type: ignore[no-untyped-def]
    from studio.config import Settings

    settings = Settings()
    settings.paths.data_dir = data_dir
    settings.youtube.endpoint = endpoint
    settings.youtube.rehearsal = "yes"
    return settings


if __name__ == "__main__":
    raise SystemExit(main())
