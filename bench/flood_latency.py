"""Key press to OBS under a chat flood and with 10,000 questions queued, as a ratio against idle (issue 12.4).

The panel runs headless (Textual's run_test) in this process, on the Questions screen, with the chat intake
reading the live chat in its own thread, exactly as during a show; a real headless OBS (own process) and the
YouTube emulator (own process: the rehearsal's shared emulator, as YouTube is not in the panel's process).
One round: select a shortlisted question, press ``b`` and time until OBS's own events say the card is shown
(SceneItemEnableStateChanged) and the transition to the question scene started (SceneTransitionStarted);
``u`` takes it off again (as bench/onair_latency.py does). Phases, all in one run:

- idle: nothing queued, no chat traffic (the baseline);
- flood: a separate process posts 2,000 chat messages a minute into the live chat (one in twenty urgent);
  the intake stores them while the rounds run;
- queued: 10,000 questions in the session's queue, chat quiet;
- queued_flood: 10,000 queued and the flood on top.

Prints one JSON line per phase (p50/p95 and the ratio to idle; target <= 1.5x) and one with the panel
process's memory (RSS) at idle and with 10,000 questions queued and shown. ``--quick``: fewer rounds.
Set BENCH_STUDIO_ROOT to measure another checkout's studio package with this same script (before/after).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
if os.environ.get("BENCH_STUDIO_ROOT"):
    sys.path.insert(0, os.environ["BENCH_STUDIO_ROOT"])

QUICK = "--quick" in sys.argv
ROUNDS = 12 if QUICK else 30
QUEUED = 10_000
FLOOD_PER_MINUTE = 2_000
TARGET_RATIO = 1.5
ROUND_TIMEOUT = 20.0

# The flooder: its own process (its CPU is the viewers', not the panel's), posting through the emulator's
# control endpoint at a steady rate until it is stopped or has posted its count.
FLOODER = r"""
import json, ssl, sys, time, urllib.request
endpoint, ca, chat, per_minute, count = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5])
ctx = ssl.create_default_context(cafile=ca) if ca else None
interval = 60.0 / per_minute
start = time.monotonic()
for i in range(count):
    urgent = i % 20 == 7
    text = (f"SPOED er wordt nu ingebroken bij nummer {i}" if urgent else f"Vraag {i}: hoe beveilig ik mijn fiets?")
    body = json.dumps({"live_chat_id": chat, "text": text, "author": f"Kijker {i % 97}",
                       "channel_id": f"UC{i % 97:04d}"}).encode()
    req = urllib.request.Request(endpoint + "/emulator/post_chat", data=body,
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, context=ctx, timeout=10).read()
    delay = start + (i + 1) * interval - time.monotonic()
    if delay > 0:
        time.sleep(delay)
print(json.dumps({"posted": count, "seconds": round(time.monotonic() - start, 1)}), flush=True)
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Rounds:
    """Presses b/t on the Questions screen and times OBS's answer (events as the supervisor receives them)."""

    def __init__(self, ctx: Any) -> None:
        from studio.domain.scenes import SCENE_QUESTION
        from studio.obs.state import ObsEvent

        self.shown = threading.Event()
        self.hidden = threading.Event()
        self.stamp: dict[str, float] = {}

        def listener(event: object) -> None:
            if not isinstance(event, ObsEvent):
                return
            if event.name == "SceneItemEnableStateChanged":
                if event.data.get("sceneItemEnabled"):
                    self.stamp.setdefault("shown", time.perf_counter())
                    self.shown.set()
                else:
                    self.hidden.set()
            elif event.name == "SceneTransitionStarted":
                self.stamp.setdefault("transition", time.perf_counter())
            elif event.name == "CurrentProgramSceneChanged" and event.data.get("sceneName") == SCENE_QUESTION:
                self.stamp.setdefault("scene", time.perf_counter())

        self.unsubscribe = ctx.obs.add_listener(listener)

    async def run(self, app: Any, pilot: Any, ids: list[str], rounds: int, phase: str) -> list[float]:
        from textual.widgets import DataTable

        print(f"# phase {phase} (pid {os.getpid()})", file=sys.stderr, flush=True)
        table = app.screen.query_one(DataTable)
        out: list[float] = []
        for i in range(rounds + 2):
            qid = ids[i % len(ids)]
            for _ in range(400):  # the row is there (the view follows the queue)
                if qid in app.screen.questions:
                    break
                await pilot.pause(0.05)
            table.move_cursor(row=table.get_row_index(qid))
            pane = app.screen.preview_pane
            for _ in range(200):  # 'b' airs only what the preview showed: wait for it (the filter loads first)
                if pane.current is not None and pane.current.question_id == qid:
                    break
                await pilot.pause(0.05)
            else:
                raise SystemExit("the preview did not appear (privacy filter not ready?)")
            await pilot.pause(0.4)  # the moderator reads the preview; the screen preloads the card meanwhile
            self.shown.clear()
            self.hidden.clear()
            self.stamp.clear()
            t0 = time.perf_counter()
            await pilot.press("b")
            while not (self.shown.is_set() and "transition" in self.stamp):
                await asyncio.sleep(0.001)
                if time.perf_counter() - t0 > ROUND_TIMEOUT:
                    break
            took = (max(self.stamp.get("shown", t0 + ROUND_TIMEOUT), self.stamp.get("transition", t0 + ROUND_TIMEOUT))
                    - t0) * 1000.0
            if "shown" not in self.stamp or "transition" not in self.stamp:
                raise SystemExit(f"{phase} round {i}: OBS did not show the card within {ROUND_TIMEOUT:.0f} s "
                                 "(a key that changed meaning? see studio.tui.keymap)")
            if i >= 2:  # warm-up rounds excluded
                out.append(took)
            if "-v" in sys.argv:
                print(f"#   {phase} round {i}: {took:.1f} ms {sorted(self.stamp)}", file=sys.stderr, flush=True)
            await pilot.press("u")  # uit beeld (the key table: studio.tui.keymap)
            deadline = time.perf_counter() + ROUND_TIMEOUT
            while not self.hidden.is_set() and time.perf_counter() < deadline:
                await asyncio.sleep(0.002)
            await pilot.pause(0.15)
        return out


FILLER = r"""
import runpy, sys, time
sys.path[:0] = sys.argv[5:]
from studio.store import Store
from studio.store.questions import QuestionBook
fill_queue = runpy.run_path(sys.argv[4])["fill_queue"]
store = Store(sys.argv[1])
fill_queue(QuestionBook(store), sys.argv[2], int(sys.argv[3]), time.time())
store.close()
"""


def fill_queue(book: Any, live_chat_id: str, count: int, start: float) -> None:
    """``count`` questions stored as the intake stores them (pages of 500), one in fifty urgent. Run in a
    process of its own (FILLER): the panel's memory is measured, not the bench's bulk insert."""
    from studio.domain.questions import Question

    for base in range(0, count, 500):
        page = [Question(id=f"bulk{i:05d}", text=f"Opgespaarde vraag {i} over fietsendiefstal", received_at=start + i,
                         message_id=f"bulk-m{i}", urgent=i % 50 == 3) for i in range(base, min(count, base + 500))]
        book.record_page(live_chat_id, f"bulk-t{base}", page, [q.message_id for q in page])


def main() -> int:
    from bench.onair_latency import build_scenes
    from studio.config import Settings
    from studio.domain.questions import Source
    from studio.tui.app import StudioApp
    from studio.tui.screens.questions import MAX_ROWS
    from studio.usecases.context import Studio
    from studio.usecases.onair import prepare_card
    from studio.youtube.rehearsal_emulator import find_shared_emulator, stop_shared_emulator
    from tests.fixtures._obs_process import ObsProcess, Xvfb, obs_available

    reason = obs_available()
    if reason:
        print(json.dumps({"bench": "flood_key_to_obs", "skipped": reason}))
        return 0
    logging.getLogger("obsws_python").setLevel(logging.CRITICAL + 1)
    logging.getLogger("studio").setLevel(logging.ERROR)
    xvfb = Xvfb()
    server = ObsProcess(xvfb.display)
    tmp = tempfile.TemporaryDirectory()
    settings = Settings()
    flooders: list[subprocess.Popen[str]] = []
    try:
        server.start()
        settings.paths.data_dir = tmp.name
        settings.obs.host, settings.obs.port, settings.obs.password = server.host, server.port, server.password
        settings.youtube.rehearsal = "yes"
        settings.chat.quota_budget = 100_000  # the bench's chat is read as fast as YouTube lets it
        settings.schedule.first_dutch_session = settings.schedule.first_arabic_session = "2099-01-06"
        ctx = Studio(settings)
        if not ctx.obs.wait_connected(15):
            raise SystemExit("OBS did not connect")
        raw = server.client()
        try:
            build_scenes(raw)
        finally:
            raw.disconnect()
        from datetime import datetime, timedelta

        yt = ctx.youtube
        rec = yt.broadcasts.create("fietsendiefstal", "nl", datetime.now().astimezone() + timedelta(minutes=5),
                                   session_key="2099-01-06-nl")
        chat_id = yt.broadcasts.status(rec.broadcast_id, with_health=False).live_chat_id
        emu = find_shared_emulator(settings)
        assert emu is not None and chat_id
        ctx.chat.start(chat_id)

        qb = ctx.questions
        ids = []
        for text in ("Hoe beveilig ik mijn fiets?", "Wat doe ik bij oplichting via WhatsApp?",
                     "ماذا أفعل إذا سُرقت دراجتي؟"):
            q = qb.add_manual(text, Source.SOCIAL)
            qb.shortlist(q.id)
            prepare_card(ctx, qb.get(q.id))
            ids.append(q.id)

        def flood(count: int) -> subprocess.Popen[str]:
            proc = subprocess.Popen([sys.executable, "-c", FLOODER, emu.endpoint, emu.ca_file or "", chat_id,
                                     str(FLOOD_PER_MINUTE), str(count)], stdout=subprocess.PIPE, text=True)
            flooders.append(proc)
            return proc

        def in_book() -> int:  # counted in SQL: loading 10,000 questions here would be measured as the panel's
            row = ctx.store.query_one("SELECT COUNT(*) FROM questions")
            return int(row[0]) if row else 0

        results: dict[str, list[float]] = {}
        memory: dict[str, float] = {}
        queued: dict[str, int] = {}

        async def measure() -> None:
            from textual.widgets import DataTable

            rounds = Rounds(ctx)
            app = StudioApp(ctx, stats_interval=30)
            async with app.run_test(size=(150, 40)) as pilot:
                await pilot.press("f4")
                for _ in range(400):
                    if app.screen.query(DataTable) and all(i in getattr(app.screen, "questions", {}) for i in ids):
                        break
                    await pilot.pause(0.05)
                memory["idle"] = rss_mb()
                results["idle"] = await rounds.run(app, pilot, ids, ROUNDS, "idle")
                queued["idle"] = in_book()

                # 2,000 a minute for as long as the rounds take (at most a minute: 2,000 messages)
                proc = flood(FLOOD_PER_MINUTE)
                await pilot.pause(3)
                results["flood"] = await rounds.run(app, pilot, ids, ROUNDS, "flood")
                proc.wait(120)
                queued["flood"] = in_book()
                await pilot.pause(2)
                memory["after_flood"] = rss_mb()

                have = in_book()
                filler = [sys.executable, "-c", FILLER, str(settings.database_file), chat_id, str(max(0, QUEUED - have)),
                          str(Path(__file__).resolve()), *sys.path[:2]]
                await asyncio.to_thread(subprocess.run, filler, check=True)
                table = app.screen.query_one(DataTable)
                for _ in range(1200):  # the view follows: the window is full and the screen counts them all
                    if table.row_count >= min(QUEUED, MAX_ROWS) and getattr(app.screen, "total", 0) >= QUEUED - 50:
                        break
                    await pilot.pause(0.1)
                else:
                    raise SystemExit("the Questions screen did not follow the 10,000 queued questions")
                await pilot.pause(2)
                queued["queued"] = in_book()
                memory["queued"] = rss_mb()
                memory["rows"] = table.row_count
                results["queued"] = await rounds.run(app, pilot, ids, ROUNDS, "queued")

                proc = flood(FLOOD_PER_MINUTE)
                await pilot.pause(3)
                results["queued_flood"] = await rounds.run(app, pilot, ids, ROUNDS, "queued_flood")
                proc.terminate()
                proc.wait(30)
                queued["queued_flood"] = in_book()
                memory["end"] = rss_mb()
            rounds.unsubscribe()

        asyncio.run(measure())
        ctx.close()

        idle50, idle95 = statistics.median(results["idle"]), percentile(results["idle"], 0.95)
        for phase in ("idle", "flood", "queued", "queued_flood"):
            values = results[phase]
            p50, p95 = statistics.median(values), percentile(values, 0.95)
            print(json.dumps({
                "bench": f"flood_key_to_obs_{phase}", "p50_ms": round(p50, 1), "p95_ms": round(p95, 1),
                "ratio_p50": round(p50 / idle50, 2), "ratio_p95": round(p95 / idle95, 2),
                "max_ms": round(max(values), 1), "n": len(values), "questions_in_book": queued[phase],
                "target": f"p50 and p95 <= {TARGET_RATIO}x idle (key b to OBS: card shown, transition started)",
                "studio": os.environ.get("BENCH_STUDIO_ROOT", str(HERE.parent)),
            }), flush=True)
        print(json.dumps({
            "bench": "flood_panel_memory", "idle_rss_mb": round(memory["idle"], 1),
            "after_flood_rss_mb": round(memory["after_flood"], 1), "queued_rss_mb": round(memory["queued"], 1),
            "queued_vs_after_flood": round(memory["queued"] / memory["after_flood"], 2), "end_rss_mb": round(memory["end"], 1),
            "ratio": round(memory["queued"] / memory["idle"], 2), "rows_shown": memory["rows"],
            "questions_in_book": queued["queued"],
            "note": "resident memory of the panel process (panel, intake, OBS client; OBS and the emulator apart)",
        }), flush=True)
        return 0
    finally:
        for proc in flooders:
            if proc.poll() is None:
                proc.kill()
        stop_shared_emulator(settings)
        server.stop()
        server.kill()
        xvfb.stop()
        tmp.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
