"""Issue 12: how fast the studio is back after a kill of the panel at each step, and after an OBS crash.

Real components, one evening: OBS headless (a tone video as camera and microphone), the YouTube emulator with
its RTMP ingest, PulseAudio with a tone for the microphone check, and the real panel (`python -m studio`) on
a pseudo-terminal, read through a VT100 screen (tests/fixtures/_panel_process.py).

- baseline: a cold panel start in the same run, spawn -> the first screen with tonight's session ("Druk op  s").
- resume after a kill, per step: the panel is SIGKILLed while the step runs (or while it waits at a gate),
  a new panel is spawned; measured from the spawn to the moment the new panel took the interrupted step up
  (its 'interrupted' row in the store) and to the moment its screen says so; at a gate, to the moment the
  screen offers the key again. Target: <= 5 s. Ratio: against the cold start.
- OBS crash while live (guest scene, camera muted): OBS itself SIGKILLed (its muxer finishes part 1), started
  again; measured from OBS answering again (GetVersion) to program scene, mute, recording and stream each being
  back, as a raw obs-websocket client sees them. Target: <= 5 s. Reference: how long OBS itself took to start.

    python -m bench.show_resilience [--crashes N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("scenes", "broadcast", "preflight", "slate", "record", "stream")
END_STEPS = ("end_slate", "end_broadcast", "stop_record", "archive")


def interrupted_rows(watch, sid: str, step: str) -> int:
    return sum(1 for s, st in watch.log(sid) if s == step and st == "interrupted")


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.show_resilience")
    p.add_argument("--crashes", type=int, default=2)
    p.add_argument("--cold", type=int, default=3, help="cold panel starts for the baseline")
    args = p.parse_args(argv)

    from bench.show_golive import make_settings, tone_video
    from studio.youtube.emulator import start_emulator
    from tests.fixtures._obs_process import ObsProcess, Xvfb
    from tests.fixtures._panel_process import PanelProcess, ShowWatch
    from tests.fixtures.obs_supervisor import ask
    from tests.fixtures.pulse import PulseServer, sine
    from tests.fixtures.show import write_settings

    tmp = Path(tempfile.mkdtemp(prefix="bench-resilience-"))
    video = tone_video(tmp / "tone.mp4")
    xvfb = Xvfb()
    obs = ObsProcess(xvfb.display, home=tmp / "obs")
    pulse = PulseServer(tmp / "pulse")
    emu = start_emulator(port=0, rtmp_port=0)
    panel: PanelProcess | None = None
    cold: list[float] = []
    resume: dict[str, dict[str, float]] = {}
    crashes: list[dict[str, float]] = []
    try:
        obs.start()
        pulse.start()
        os.environ["PULSE_SERVER"] = pulse.server
        pulse.play(sine(440, 3600, -14.0))
        emu.control.set_polling_interval(300)
        s = make_settings(tmp / "studio", obs, emu, video)
        s.show.end_slate_seconds = 2
        s.youtube.golive_timeout = 60.0
        config = str(write_settings(s, tmp / "studio.toml"))
        watch = ShowWatch(s.database_file)
        sid = f"{s.schedule.first_dutch_session}-nl"

        for _ in range(args.cold):  # the baseline: a cold panel start to tonight's session on screen
            panel = PanelProcess(config).start()
            cold.append(panel.wait_text("Druk op  s", timeout=60))
            panel.quit()

        panel = PanelProcess(config).start()
        panel.wait_text("Druk op  s", timeout=60)
        panel.press("s")
        panel.wait_text("starten?")
        panel.press("j")

        def kill_running(step: str) -> None:
            nonlocal panel
            watch.wait(sid, step, "running", panel)
            before = interrupted_rows(watch, sid, step)
            panel.kill()
            panel = PanelProcess(config).start()
            while interrupted_rows(watch, sid, step) == before:
                if time.monotonic() - panel.started_at > 60:
                    raise RuntimeError(f"{step} not taken up within 60 s:\n{panel.text()}")
                time.sleep(0.01)
            taken = time.monotonic() - panel.started_at
            said = panel.wait_text("Het paneel stopte tijdens", timeout=60)
            resume[step] = {"taken_up_s": round(taken, 3), "on_screen_s": round(said, 3)}

        def kill_waiting(label: str, step: str, text: str) -> None:
            nonlocal panel
            watch.wait(sid, step, "waiting", panel)
            panel.kill()
            panel = PanelProcess(config).start()
            offered = panel.wait_text(text, timeout=60)
            resume[label] = {"taken_up_s": round(offered, 3), "on_screen_s": round(offered, 3)}

        for step in STEPS:
            kill_running(step)
        kill_waiting("live (waiting)", "live", "Druk op  l")
        panel.press("l")
        panel.wait_text("LIVE gaan?")
        panel.press("j")
        kill_running("live")
        kill_waiting("on_air (live)", "on_air", "e einde")

        panel.press("3")  # the guest scene (1 Starten, 2 Wijkagent, 3 met gast); the technician mutes the camera's sound
        client = obs.client()
        try:
            ask(client, "SetInputMute", inputName="Camera", inputMuted=True)
        finally:
            client.disconnect()
        client = obs.client()
        try:
            t0 = time.monotonic()
            while client.get_current_program_scene().current_program_scene_name != "Wijkagent met gast":
                if time.monotonic() - t0 > 30:
                    raise RuntimeError(f"key 3 did not bring the guest scene:\n{panel.text()}")
                time.sleep(0.05)
        finally:
            client.disconnect()
        for _ in range(args.crashes):
            time.sleep(2.0)  # the panel notes what OBS shows
            obs.crash()
            panel.wait_text("verbinding kwijt", timeout=30)
            spawned = time.monotonic()
            obs.start()
            back = time.monotonic()
            crashes.append({"obs_start_s": back - spawned, **restored_after(obs, ask, back)})
            panel.wait_text("OBS is terug na een storing", timeout=30)

        panel.press("e")
        panel.wait_text("afsluiten met e")
        panel.press("j")
        for step in END_STEPS:
            kill_running(step)
        watch.wait(sid, "done", "done", panel)
        panel.quit()
    finally:
        if panel is not None:
            panel.kill()
        emu.stop()
        pulse.stop()
        obs.stop()
        obs.kill()
        xvfb.stop()

    base = statistics.median(cold)
    worst = max(v["on_screen_s"] for v in resume.values())
    print(json.dumps({
        "bench": "show_resume_after_kill",
        "per_step_s": resume,
        "max_s": round(worst, 3),
        "baseline_cold_start_s": round(base, 3),
        "baseline": "cold panel start (spawn -> tonight's session on screen), median, same run",
        "ratio_max": round(worst / base, 3),
        "ratio_per_step": {k: round(v["on_screen_s"] / base, 2) for k, v in resume.items()},
        "target": "<= 5 s per step",
    }, ensure_ascii=False))
    total = [c["all_s"] for c in crashes]
    print(json.dumps({
        "bench": "obs_crash_recovery",
        "value_s": round(max(total), 3),
        "median_s": round(statistics.median(total), 3),
        "crashes": [{k: round(v, 3) for k, v in c.items()} for c in crashes],
        "measured": "OBS answering again (GetVersion) -> program scene, mute, recording and stream back",
        "reference_obs_start_s": round(statistics.median(c["obs_start_s"] for c in crashes), 3),
        "ratio_to_obs_start": round(statistics.median(total) / statistics.median(c["obs_start_s"] for c in crashes), 3),
        "target": "<= 5 s",
    }, ensure_ascii=False))
    return 0


def restored_after(obs, ask, back: float, timeout: float = 60.0) -> dict[str, float]:
    """Seconds from ``back`` until each of scene, mute, recording and stream was restored (raw client)."""
    want = {"scene": "Wijkagent met gast", "mute": True, "record": True, "stream": True}
    seen: dict[str, float] = {}
    now: dict[str, object] = {}
    client = None
    while len(seen) < len(want) and time.monotonic() - back < timeout:
        try:
            if client is None:
                client = obs.client()
            now = {
                "scene": client.get_current_program_scene().current_program_scene_name,
                "mute": ask(client, "GetInputMute", inputName="Camera")["inputMuted"],
                "record": client.get_record_status().output_active,
                "stream": client.get_stream_status().output_active,
            }
        except Exception:  # still starting
            client = None
            time.sleep(0.05)
            continue
        t = time.monotonic() - back
        for k, v in want.items():
            if k not in seen and now[k] == v:
                seen[k] = t
        time.sleep(0.05)
    if client is not None:
        client.disconnect()
    if len(seen) < len(want):
        raise RuntimeError(f"not restored within {timeout:.0f} s: {seen}; last seen: {now}")
    return {f"{k}_s": v for k, v in seen.items()} | {"all_s": max(seen.values())}


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
