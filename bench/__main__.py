"""`make bench`: every benchmark here, one after another, each against its own baseline from
the same run, then one table (figure, value, baseline, ratio, target, met), also written as
JSON under var/bench/. Each benchmark also runs alone: `python -m bench.NAME`.

    .venv/bin/python -m bench [--quick] [--only api_load ...]
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.table import Figure, show  # noqa: E402

BENCHES = (
    "notice_latency",
    "removal_latency",
    "api_load",
    "scale_out",
    "ledger",
    "search",
    "onboard",
    "urgent_delivery",
    "simulator",
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (a shared machine)")
    parser.add_argument("--only", nargs="+", choices=BENCHES, default=list(BENCHES))
    args = parser.parse_args(argv)
    figures: list[Figure] = []
    for name in args.only:
        print(f"== {name}", flush=True)  # noqa: T201 (progress)
        figures += importlib.import_module(f"bench.{name}").figures(args.quick)
    show(figures, "all")


if __name__ == "__main__":
    main()
