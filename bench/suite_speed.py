"""How long the test suite (or some of its files) takes here, and at another commit.

    .venv/bin/python bench/suite_speed.py [PATH ...] [--against main] [--workers N]
        [--marks "not load"] [--slowest 20]

Runs pytest on the given paths (default: the whole suite, as `make test` does) in this tree and,
with `--against REF`, on the same paths in `git archive REF` unpacked into a temporary folder,
with the same interpreter, one after the other. `--workers 0` runs serially (`-p no:xdist`, kind
to a shared machine); otherwise `-n N --dist loadfile`. With WAYMARK_TEST_POSTGRES_URL set, the
PostgreSQL pass runs too, as in `make test`. Prints each wall time, their ratio, and the slowest
tests of this tree. A measurement, not a test: it fails only when pytest does.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pytest_command(args: argparse.Namespace) -> list[str]:
    serial = args.workers == "0"
    spread = ["-p", "no:xdist"] if serial else ["-n", args.workers, "--dist", "loadfile"]
    quiet = ["-q", "-p", "no:cacheprovider", f"--durations={args.slowest}"]
    marks = ["-m", args.marks] if args.marks else []
    return [sys.executable, "-m", "pytest", *spread, *quiet, *marks, *args.paths]


def timed_run(tree: Path, command: list[str]) -> tuple[float, str]:
    """Wall seconds and output of the command run in `tree` (its own code first on the path)."""
    began = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=tree,
        env=None if tree == ROOT else {**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-4000:] + done.stderr[-2000:])
        raise SystemExit(f"pytest failed in {tree} (exit {done.returncode})")
    return elapsed, done.stdout


def export(ref: str, into: Path) -> Path:
    """The tree at `ref`, unpacked (no checkout, no change to the repository)."""
    archive = into / "tree.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", ref], cwd=ROOT, stdout=out, check=True)
    tree = into / "tree"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    node_modules = ROOT / "tests" / "e2e" / "node_modules"
    if node_modules.exists():
        (tree / "tests" / "e2e" / "node_modules").symlink_to(node_modules.resolve())
    return tree


def slowest_lines(output: str) -> list[str]:
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if "slowest" in line), len(lines))
    return [line for line in lines[start + 1 :] if line[:1].isdigit()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["tests"])
    parser.add_argument("--against", help="a commit to time the same paths at, e.g. main")
    parser.add_argument("--workers", default="auto", help="xdist workers; 0 runs serially")
    parser.add_argument("--slowest", type=int, default=20)
    parser.add_argument("--marks", help='a marker expression, e.g. "not load and not fuzz"')
    args = parser.parse_args()
    command = pytest_command(args)
    here, output = timed_run(ROOT, command)
    report = [f"this tree: {here:.1f} s"]
    if args.against:
        with tempfile.TemporaryDirectory(prefix="suite-speed-") as folder:
            there, _ = timed_run(export(args.against, Path(folder)), command)
        report.append(f"{args.against}: {there:.1f} s; this tree takes {here / there:.2f} of that")
    report += [f"slowest {args.slowest} here:", *slowest_lines(output)]
    sys.stdout.write("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
