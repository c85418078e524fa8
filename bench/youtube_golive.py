"""One session's YouTube cost and go-live latency, against the emulator with a real headless OBS streaming.

1. Quota: units the emulator charged (and our ledger recorded) to create, take live and end one session,
   chat excluded, with today's table (every live call 1 unit). Baseline: the calls no client can avoid
   (insert, bind, testing, live, complete). Target: well under 50 units.
2. Go-live time: from calling go_live (OBS not yet streaming) until YouTube reports 'live', vs the emulator's
   own minimum measured in the same run: OBS StartStream until the ingest is detected (polled directly in
   the emulator, no API calls), plus its two transition delays (testStarting, liveStarting). Rounds of the
   two alternate so machine drift hits both alike. Target <= 1.2x.
"""

from __future__ import annotations

import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROUNDS = 5


def _stream_status(emu, stream_id: str) -> str:  # type: ignore[no-untyped-def]
    return str(emu.control.state()["streams"][stream_id]["streamStatus"])


def _wait(pred, timeout: float, interval: float = 0.01) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    while not pred():
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError("timed out")
        time.sleep(interval)
    return time.perf_counter() - t0


def main() -> int:
    from studio.config import load_settings
    from studio.obs.commands import Obs
    from studio.obs.supervisor import ObsSupervisor
    from studio.store import open_store
    from studio.youtube.emulator import start_emulator
    from studio.youtube.quota import cost_of
    from studio.youtube.service import YouTubeService
    from tests.fixtures._obs_process import ObsProcess, Xvfb, obs_available

    reason = obs_available()
    if reason:
        print(json.dumps({"bench": "youtube_golive", "skipped": reason}))
        return 0
    logging.getLogger("obsws_python").setLevel(logging.CRITICAL + 1)
    tmp = Path(tempfile.mkdtemp(prefix="bench-yt-"))
    video = tmp / "tone.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=15",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "10", "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15", "-c:a", "aac", "-shortest",
                    str(video)], check=True, timeout=120)
    xvfb = Xvfb()
    server = ObsProcess(xvfb.display)
    emu = start_emulator(port=0, rtmp_port=0, quota_limit=1_000_000)
    sup = None
    try:
        server.start()
        sup = Obs(ObsSupervisor(server.host, server.port, server.password)).start()
        if not sup.wait_connected(15):
            raise SystemExit("OBS did not connect")
        raw = server.client()
        try:
            scene = raw.send("GetSceneList", raw=True)["currentProgramSceneName"]
            raw.send("CreateInput", {"sceneName": scene, "inputName": f"Testbeeld-{uuid.uuid4().hex[:6]}",
                                     "inputKind": "ffmpeg_source", "inputSettings": {
                                         "local_file": str(video), "looping": True, "is_local_file": True}})
        finally:
            raw.disconnect()
        settings = load_settings(env={"STUDIO_DATA_DIR": str(tmp / "data"), "STUDIO_YOUTUBE_ENDPOINT": emu.endpoint,
                                      "STUDIO_YOUTUBE_REHEARSAL": "yes"})
        store = open_store(settings)
        svc = YouTubeService(settings, store, obs=sup)
        life = svc.broadcasts
        stream_id = life.streams.ensure()["id"]  # made once for the channel, not per session
        delays = 2 * emu.world.config.start_delay

        quota_runs: list[tuple[int, int]] = []
        golive_s: list[float] = []
        minimum_s: list[float] = []
        base = datetime.now(UTC) + timedelta(days=1)
        for i in range(ROUNDS):
            # -- the emulator's own minimum: StartStream -> ingest detected, plus the transition delays
            life.prepare(life.create("bench", "nl", base + timedelta(days=100 + i)).broadcast_id)
            t0 = time.perf_counter()
            sup.start_stream(timeout=20)
            _wait(lambda: _stream_status(emu, stream_id) == "active", 60)
            detected = time.perf_counter() - t0
            minimum_s.append(detected + delays)
            sup.stop_stream(timeout=20)
            _wait(lambda: _stream_status(emu, stream_id) != "active", 30)

            # -- one whole session through the studio
            q0 = emu.control.quota_used()
            ledger0 = sum(r["units"] for r in store.query("SELECT units FROM youtube_quota"))
            rec = life.create("bench", "nl", base + timedelta(days=i))
            assert rec.broadcast_id
            t0 = time.perf_counter()
            st = life.go_live(rec.broadcast_id)
            golive_s.append(time.perf_counter() - t0)
            assert st.lifecycle == "live", st
            life.end(rec.broadcast_id)
            _wait(lambda: _stream_status(emu, stream_id) != "active", 30)
            ledger1 = sum(r["units"] for r in store.query("SELECT units FROM youtube_quota"))
            quota_runs.append((emu.control.quota_used() - q0, ledger1 - ledger0))

        floor = sum(cost_of(m) for m in ("liveBroadcasts.insert", "liveBroadcasts.bind"))
        floor += 3 * cost_of("liveBroadcasts.transition")
        emu_units = statistics.median(q for q, _ in quota_runs)
        ledger_units = statistics.median(ledger for _, ledger in quota_runs)
        print(json.dumps({
            "bench": "youtube_session_quota", "value_units": emu_units, "ledger_units": ledger_units,
            "baseline_units": floor, "ratio": round(emu_units / floor, 2), "target": "well under 50 units",
            "note": "baseline = insert+bind+3 transitions (1 unit each in the quota calculator of 2026-12-01)",
        }), flush=True)
        g, m = statistics.median(golive_s), statistics.median(minimum_s)
        print(json.dumps({
            "bench": "youtube_golive_time", "value_ms": round(g * 1000), "baseline_ms": round(m * 1000),
            "ratio": round(g / m, 2), "target": "<=1.2x emulator minimum", "n": ROUNDS,
            "all_ms": [round(x * 1000) for x in golive_s], "baseline_all_ms": [round(x * 1000) for x in minimum_s],
        }), flush=True)
        svc.close()
        store.close()
    finally:
        if sup is not None:
            sup.close()
        emu.stop()
        server.stop()
        server.kill()
        xvfb.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
