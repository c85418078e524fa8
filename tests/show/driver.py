"""A headless panel for the resilience test: runs tonight's sessions through ShowFlow with the real actions.

    python -m tests.show.driver --config FILE [--kill-after STEP] [--session ID]

It does what the officer does on the Show screen (advance; at the 'live' gate go live; at the 'on_air' gate
end), for the first unfinished session of tonight (or only session ID). With --kill-after STEP it SIGKILLs itself right
after STEP's real work is done and before the flow records it as done: the worst moment to die, since the
restarted panel must then run that step again without doing anything twice.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import Any

from studio.config import load_settings
from studio.usecases.context import Studio
from studio.usecases.evening import make_flow, tonight
from studio.usecases.show import resume
from studio.usecases.show_steps import StudioShowActions


class KillingActions:
    """The real actions, with a SIGKILL right after one of them finished its work."""

    def __init__(self, real: StudioShowActions, kill_after: str | None) -> None:
        self.real = real
        self.kill_after = kill_after

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.real, name)
        if name != self.kill_after or not callable(attr):
            return attr

        def then_die(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            print(f"killed after {name}", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
            return result

        return then_die


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--kill-after")
    p.add_argument("--session", help="only this session (its id, e.g. 2026-11-24-nl)")
    args = p.parse_args(argv)
    settings = load_settings(args.config)
    ctx = Studio(settings)
    try:
        plans = [p for p in tonight(ctx) if args.session in (None, p.session_id)]
        plan = resume(ctx.store, plans)
        if plan is None:
            print("nothing to do", flush=True)
            return 0
        flow = make_flow(ctx, plan, actions=KillingActions(StudioShowActions(ctx, sleep=lambda s: None),
                                                            args.kill_after))
        for _ in range(50):
            st = flow.advance()
            print(f"{plan.session_id} {st.step} {st.status} {st.detail}", flush=True)
            if st.finished:
                return 0
            if st.status == "failed":
                print(f"FAILED {st.step}: {st.detail}", flush=True)
                return 1
            if st.step == "live":
                flow.go_live()
            elif st.step == "on_air":
                flow.end()
        return 1
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
