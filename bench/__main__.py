"""`make bench`: run every benchmark module in bench/ in turn and collect their JSON lines.

Each module is run as `python -m bench.<name>` in its own process (so one crashing or leaking does not skew
the next); its JSON lines are passed through and also written to bench/results/latest.jsonl.
Run one: `python -m bench.<name>`; a subset: `python -m bench name1 name2`.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str]) -> int:
    names = argv or sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if not m.name.startswith("_"))
    results: list[dict] = []
    failed: list[str] = []
    for name in names:
        print(f"# bench.{name}", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", f"bench.{name}"], capture_output=True, text=True,
                              cwd=HERE.parent)
        for line in proc.stdout.splitlines():
            try:
                obj = json.loads(line)
            except ValueError:
                print(line, file=sys.stderr)
                continue
            print(json.dumps(obj, ensure_ascii=False), flush=True)
            results.append(obj)
        if proc.returncode != 0:
            failed.append(name)
            print(f"# bench.{name} failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}", file=sys.stderr)
        print(f"# bench.{name}: {time.monotonic() - t0:.1f} s", file=sys.stderr)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
    if failed:
        print(f"# failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
