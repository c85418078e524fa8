"""Scene switch and GetStats through the studio's Obs (its supervisor) vs a bare obsws-python ReqClient, same OBS, same run.

Starts its own headless OBS exactly like the test fixture (tests/fixtures/_obs_process.py), then alternates
rounds of the two clients so that drift of the machine hits both alike. Prints one JSON line per operation
with p50 and p95 of both and their ratios (target: supervisor <= 1.3x raw).
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROUNDS = 12
PER_ROUND = 40
TARGET = 1.3


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[int], object], n: int) -> list[float]:
    out = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1000.0)
    return out


def main() -> int:
    import obsws_python as obsws

    from studio.obs.commands import Obs
    from studio.obs.supervisor import ObsSupervisor
    from tests.fixtures._obs_process import ObsProcess, Xvfb, obs_available

    reason = obs_available()
    if reason:
        print(json.dumps({"bench": "obs_supervisor", "skipped": reason}))
        return 0
    logging.getLogger("obsws_python").setLevel(logging.CRITICAL + 1)
    xvfb = Xvfb()
    server = ObsProcess(xvfb.display)
    try:
        server.start()
        raw = obsws.ReqClient(host=server.host, port=server.port, password=server.password, timeout=5)
        for name in ("Bench A", "Bench B"):
            raw.create_scene(name)
        sup = Obs(ObsSupervisor(server.host, server.port, server.password)).start()
        if not sup.wait_connected(10):
            raise SystemExit(f"supervisor did not connect: {sup.snapshot.reason}")
        scenes = ("Bench A", "Bench B")
        ops: dict[str, tuple[Callable[[int], object], Callable[[int], object]]] = {
            "obs_scene_switch": (lambda i: sup.switch_scene(scenes[i % 2]),
                                 lambda i: raw.set_current_program_scene(scenes[i % 2])),
            "obs_get_stats": (lambda i: sup.get_stats(), lambda i: raw.get_stats()),
        }
        for bench, (through, bare) in ops.items():
            timed(through, 20)  # warm up both
            timed(bare, 20)
            sup_ms: list[float] = []
            raw_ms: list[float] = []
            for _ in range(ROUNDS):
                sup_ms += timed(through, PER_ROUND)
                raw_ms += timed(bare, PER_ROUND)
            p50, p95 = statistics.median(sup_ms), percentile(sup_ms, 0.95)
            b50, b95 = statistics.median(raw_ms), percentile(raw_ms, 0.95)
            print(json.dumps({
                "bench": bench, "value_ms": round(p50, 3), "p95_ms": round(p95, 3),
                "baseline_ms": round(b50, 3), "baseline_p95_ms": round(b95, 3),
                "ratio": round(p50 / b50, 2), "ratio_p95": round(p95 / b95, 2),
                "n": len(sup_ms), "target": f"<={TARGET}x raw obsws-python",
                "obs": server.version,
            }), flush=True)
        sup.close()
        raw.disconnect()
    finally:
        server.stop()
        server.kill()
        xvfb.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
