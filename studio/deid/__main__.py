"""`python -m studio.deid prepare`: build the scrubber's lookup data once (scripts/bootstrap.sh runs this).

Idempotent: when the data for this deduce version is there, it says so and exits at once. Exit 0 when the
data is ready, 1 when it could not be built (one Dutch line on stderr says why and what to do).
"""

from __future__ import annotations

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio.deid",
                                     description="Bereidt de naamlijsten van de privacyfilter voor (eenmalig).")
    parser.add_argument("action", choices=("prepare",), help="prepare: bouw de lijsten als ze er nog niet zijn")
    parser.add_argument("--prune", action="store_true", help="verwijder ook lijsten van oudere versies")
    args = parser.parse_args(argv)
    from studio.deid import lookups
    from studio.deid.errors import DeidError

    try:
        directory = lookups.cache_dir()
        if lookups.is_built(directory):
            print(f"privacyfilter: naamlijsten staan klaar ({directory})")
        else:
            started = time.perf_counter()
            directory = lookups.build()
            print(f"privacyfilter: naamlijsten voorbereid in {time.perf_counter() - started:.1f} s ({directory})")
        if args.prune:
            for removed in lookups.prune():
                print(f"privacyfilter: oude lijsten verwijderd ({removed})")
    except DeidError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
