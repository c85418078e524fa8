"""`studio emulator` in the foreground: prints its addresses in Dutch, serves, stops cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request


def test_studio_emulator_runs_in_the_foreground_and_stops_on_ctrl_c(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", "emulator", "--port", "0", "--quota", "500"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        lines = [proc.stdout.readline() for _ in range(6)]
        assert "YouTube-emulator draait" in lines[0]
        endpoint = lines[1].split()[1]
        assert endpoint.startswith("http://127.0.0.1:") and lines[2].split()[1].startswith("rtmp://127.0.0.1:")
        with urllib.request.urlopen(endpoint + "emulator/state", timeout=10) as response:
            state = json.loads(response.read())["result"]
        assert state["quota_limit"] == 500 and state["quota_used"] == 0
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, (out, err)
    assert "emulator gestopt" in out and "Traceback" not in err, (out, err)


def test_studio_emulator_refuses_a_bad_port(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "studio", "emulator", "--port", "70000"], capture_output=True, text=True, env=env, timeout=30
    )
    assert result.returncode == 2
    assert result.stderr.startswith("fout: --port 70000 is geen geldige poort")


def test_studio_emulator_announce_to_an_unwritable_place_is_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    a_dir = tmp_path / "map"
    a_dir.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "studio", "emulator", "--port", "0", "--announce", str(a_dir)],
        capture_output=True, text=True, env=env, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2, result
    assert result.stderr.startswith(f"fout: kan {a_dir} niet schrijven") and result.stderr.count("\n") == 1, result
    assert not list(tmp_path.glob("*.tmp")) and not list(a_dir.iterdir())  # no stray .tmp file left


def test_studio_emulator_refuses_a_negative_quota(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    env.update(XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-m", "studio", "emulator", "--port", "0", "--quota", "-5"],
                            capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 2 and result.stderr.startswith("fout: --quota -5 is ongeldig"), result
