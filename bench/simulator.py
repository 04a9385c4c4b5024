"""The simulator's population run, timed: `waymark simulate --population N --months M --seed S
--json`, each run in a process of its own with nothing else of ours running. With `--baseline
REV` the same population also runs on an earlier revision, checked out beside this one
(`git worktree`) and run with this virtual environment, in the same bench run; the two must
agree on every count (events, tasks, notices, breaches, the cross-check), or the speed is not
the same work done faster.

    .venv/bin/python -m bench.simulator [--women 1000] [--months 24] [--seed 1] [--baseline REV]

`make bench` runs the issue's population (1,000 women, 24 months) against the target alone, and
200 women over 12 months against the revision before the simulator's speed work (`BEFORE`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.table import Figure, show  # noqa: E402

# Issue 16: the 1,000-woman, 24-month population in at most 11 minutes, 5× faster than before.
TARGET_MINUTES = 11
TARGET_RATIO = 0.2
# The last revision before the simulator's speed work: the baseline `make bench` compares with.
BEFORE = "37f4e3d"
# Not the work: how long the run took, and where its output was written.
UNCOMPARED = frozenset({"wall_seconds"})


def simulate(women: int, months: int, seed: int, tree: Path = ROOT) -> tuple[float, dict[str, Any]]:
    """One population run in its own process, from the source in `tree`: (seconds, its JSON)."""
    command = [sys.executable, "-m", "waymark", "simulate", "--population", str(women)]
    command += ["--months", str(months), "--seed", str(seed), "--json"]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    began = time.monotonic()
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - began
    if done.returncode != 0:
        raise RuntimeError(f"the simulation in {tree} failed:\n{done.stderr[-4000:]}")
    return seconds, json.loads(done.stdout)


@contextmanager
def checkout(revision: str) -> Iterator[Path]:
    """The source at `revision`, in a temporary work tree removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="waymark-baseline-") as folder:
        tree = Path(folder) / "tree"
        git = ["git", "-C", str(ROOT)]
        subprocess.run([*git, "worktree", "add", "--detach", str(tree), revision], check=True)
        try:
            yield tree
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=False)


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """The keys on which two runs of the same population disagree."""
    keys = (set(ours) | set(theirs)) - UNCOMPARED
    return sorted(key for key in keys if ours.get(key) != theirs.get(key))


def measure(women: int, months: int, seed: int, baseline: str | None) -> list[Figure]:
    label = f"simulator: {women:,} women × {months} months"
    seconds, ours = simulate(women, months, seed)
    print(f"{label}: {seconds:.1f} s, {ours['breaches']} breaches", flush=True)  # noqa: T201
    disagree = ours["cross_check"]["days_disagreeing"]
    figures = [
        Figure(f"{label}, breaches", ours["breaches"], "woman-days", at_most=0),
        Figure(f"{label}, days the cross-check disagrees", disagree, "days", at_most=0),
    ]
    if baseline is None:
        full = (women, months) == (1000, 24)
        at_most = TARGET_MINUTES if full else None
        return [Figure(f"{label}, wall", seconds / 60, "min", at_most=at_most), *figures]
    with checkout(baseline) as tree:
        before, theirs = simulate(women, months, seed, tree)
    differ = differences(ours, theirs)
    print(f"{label}: {before:.1f} s at {baseline}; differing: {differ or 'none'}")  # noqa: T201
    for key in differ:
        print(f"  {key}: {theirs.get(key)!r} before, {ours.get(key)!r} now")  # noqa: T201
    return [
        Figure(f"{label}, wall (vs {baseline})", seconds / 60, "min", before / 60, TARGET_RATIO),
        Figure(f"{label}, counts differing from {baseline}", len(differ), "keys", at_most=0),
        *figures,
    ]


def figures(quick: bool) -> list[Figure]:
    """For `make bench`: a short population against the baseline when quick; else the issue's
    population against the target, and 200 women over 12 months against the baseline."""
    if quick:
        return measure(100, 6, 1, BEFORE)
    return measure(1000, 24, 1, None) + measure(200, 12, 1, BEFORE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--women", type=int, default=1000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", help="a git revision to run the same population on")
    args = parser.parse_args()
    show(measure(args.women, args.months, args.seed, args.baseline), "simulator")


if __name__ == "__main__":
    main()
