"""Issue 7: wall time from "Start spreekuur" to live on the emulator, vs the sum of the steps' own minimum times.

Same machine, same run, real components: OBS headless (a tone video as camera and microphone), the YouTube
emulator with its RTMP ingest, PulseAudio with a tone in the null sink for the microphone check.

- flow: ShowFlow.advance() from the first step to the live gate, then go_live() at once (what "s" and "l"
  do), timed end to end, with everything the flow adds (recording each step in SQLite, the audit log).
- baseline: the same real actions called one after another directly, each timed; per step the minimum over
  the runs; their sum is the least the steps themselves need.

Also prints the key presses a whole evening takes on the Show screen (from tests/show/test_show_evening.py's
path: s j l j, b k twice, 3 2, e j, n, for both sessions).

    python -m bench.show_golive [--runs N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS_TO_LIVE = ("scenes", "broadcast", "preflight", "slate", "record", "stream", "live")


def tone_video(path: Path) -> Path:
    """Ten seconds of test picture with a 440 Hz tone: the camera and the microphone of these benches."""
    import subprocess

    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=15",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "10", "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15", "-c:a", "aac", "-shortest",
                    str(path)], check=True)
    return path


def make_settings(tmp: Path, obs, emu, video: Path):
    from studio.config import load_settings

    s = load_settings(None, env={"STUDIO_DATA_DIR": str(tmp / "data")})
    s.obs.host, s.obs.port, s.obs.password = obs.host, obs.port, obs.password
    s.youtube.endpoint = emu.endpoint
    s.youtube.rehearsal = "yes"
    tmp.mkdir(parents=True, exist_ok=True)
    override = tmp / "override.toml"
    override.write_text(
        f'[inputs.Camera]\nkind = "ffmpeg_source"\nsettings = {{ local_file = "{video}", looping = true }}\n'
        f'[inputs.Microfoon]\nkind = "ffmpeg_source"\nsettings = {{ local_file = "{video}", looping = true }}\n')
    s.obs.scenes_override = str(override)
    s.preflight.camera_file = str(video)
    s.preflight.audio_seconds = 1.0
    s.preflight.record_minutes = 1
    today = datetime.now(ZoneInfo(s.schedule.timezone)).date().isoformat()
    s.schedule.first_dutch_session = s.schedule.first_arabic_session = today
    s.show.end_slate_seconds = 0
    return s


def finish(ctx, plan) -> None:
    """End what a run started, so the next run starts clean."""
    from studio.usecases.show_steps import StudioShowActions

    actions = StudioShowActions(ctx, sleep=lambda s: None)
    rec = ctx.youtube.broadcasts.record(ctx.store.query_one(
        "SELECT broadcast_id FROM show_sessions WHERE session_id = ?", (plan.session_id,))[0])
    with contextlib.suppress(Exception):
        actions.end_broadcast(plan, rec.broadcast_id)
    with contextlib.suppress(Exception):
        actions.stop_record(plan, None)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)


    from studio.usecases.context import Studio
    from studio.usecases.evening import make_flow, tonight
    from studio.usecases.show_steps import StudioShowActions
    from studio.youtube.emulator import start_emulator
    from tests.fixtures._obs_process import ObsProcess, Xvfb
    from tests.fixtures.obs import reset_obs
    from tests.fixtures.pulse import PulseServer, sine

    tmp = Path(tempfile.mkdtemp(prefix="bench-show-"))
    video = tone_video(tmp / "tone.mp4")
    xvfb = Xvfb()
    obs = ObsProcess(xvfb.display, home=tmp / "obs")
    pulse = PulseServer(tmp / "pulse")
    import os

    flow_times: list[float] = []
    step_times: dict[str, list[float]] = {s: [] for s in STEPS_TO_LIVE}
    try:
        obs.start()
        pulse.start()
        os.environ["PULSE_SERVER"] = pulse.server
        pulse.play(sine(440, 3600, -14.0))
        for run in range(args.runs):
            for mode in ("flow", "direct"):
                reset_obs(obs)
                emu = start_emulator(port=0, rtmp_port=0)
                run_dir = tmp / f"{mode}-{run}"
                settings = make_settings(run_dir, obs, emu, video)
                ctx = Studio(settings)
                try:
                    plan = tonight(ctx)[0]
                    ctx.obs.ensure_connected(10)
                    if mode == "flow":
                        flow = make_flow(ctx, plan)
                        t0 = time.perf_counter()
                        st = flow.advance()
                        if st.step != "live":
                            raise RuntimeError(f"flow stopped at {st.step}: {st.detail}")
                        st = flow.go_live()
                        flow_times.append(time.perf_counter() - t0)
                        if st.step != "on_air":
                            raise RuntimeError(f"not live: {st.step}: {st.detail}")
                    else:
                        a = StudioShowActions(ctx, sleep=lambda s: None)
                        bid = ""
                        # the session's row, as the flow writes it before its first step (the recording's
                        # parts refer to it)
                        ctx.store.execute(
                            "INSERT OR REPLACE INTO show_sessions (session_id, lang, topic, starts_at, step, "
                            "status, broadcast_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'scenes', "
                            "'running', '', 0, 0)", (plan.session_id, plan.lang, plan.topic, plan.starts_at))
                        for step in STEPS_TO_LIVE:
                            t0 = time.perf_counter()
                            if step == "broadcast":
                                bid = a.broadcast(plan)
                            elif step == "stream":
                                a.stream(plan, bid, lambda _t: None)
                            elif step == "live":
                                a.live(plan, bid)
                            else:
                                getattr(a, step)(plan)
                            step_times[step].append(time.perf_counter() - t0)
                        ctx.store.execute(
                            "UPDATE show_sessions SET step = 'on_air', status = 'waiting', broadcast_id = ? "
                            "WHERE session_id = ?", (bid, plan.session_id))
                    finish(ctx, plan)
                finally:

                    ctx.chat.stop()
                    ctx.close()
                    emu.stop()
    finally:
        pulse.stop()
        obs.stop()
        obs.kill()
        xvfb.stop()
    baseline = sum(min(v) for v in step_times.values())
    best_flow = min(flow_times)
    print(json.dumps({
        "bench": "show_start_to_live", "flow_s_min": round(best_flow, 3),
        "flow_s_median": round(statistics.median(flow_times), 3),
        "baseline_sum_of_step_minimums_s": round(baseline, 3),
        "steps_min_s": {k: round(min(v), 3) for k, v in step_times.items()},
        "ratio": round(best_flow / baseline, 3), "ratio_median": round(statistics.median(flow_times) / baseline, 3),
        "target": "<= 1.2x", "runs": args.runs,
    }))
    # s j (start), l j (live), b k b k (two questions on air, answered), 3 2 (guest and back), e j (end),
    # n (next session)
    evening = 2 * len("sjljbkbk32ej") + 1
    print(json.dumps({"bench": "show_key_presses_whole_evening", "value": evening,
                      "sessions": 2, "questions_per_session": 2,
                      "measured_by": "tests/show/test_show_evening.py (asserts the same count)"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
