"""What every benchmark reports: figures, each against its baseline from the same run, and the
one table (and JSON file under var/bench/) that `make bench` prints and writes."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent.parent / "var" / "bench"


@dataclass
class Figure:
    """One measured figure. With a baseline, `ratio` is value / baseline and the target is a
    bound on that ratio (`at_most` or `at_least`); without one, the target bounds the value."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    at_most: float | None = None
    at_least: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    @property
    def target(self) -> str:
        bound = "≤" if self.at_most is not None else "≥" if self.at_least is not None else ""
        limit = self.at_most if self.at_most is not None else self.at_least
        if limit is None:
            return "-"
        return f"{bound} {limit:g}×" if self.baseline is not None else f"{bound} {limit:g}"

    @property
    def met(self) -> bool | None:
        measured = self.ratio if self.baseline is not None else self.value
        if measured is None or (self.at_most is None and self.at_least is None):
            return None
        if self.at_most is not None and measured > self.at_most:
            return False
        return not (self.at_least is not None and measured < self.at_least)


def percentile(samples: list[float], p: int) -> float:
    """The p-th percentile (nearest rank) of the samples."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def render(figures: list[Figure]) -> str:
    """One row per figure: figure, value, baseline, ratio, target, met."""
    rows = [("figure", "value", "baseline", "ratio", "target", "met")]
    for f in figures:
        rows.append(
            (
                f.name,
                f"{f.value:.1f} {f.unit}",
                f"{f.baseline:.1f} {f.unit}" if f.baseline is not None else "-",
                f"{f.ratio:.2f}" if f.ratio is not None else "-",
                f.target,
                {True: "yes", False: "NO", None: "-"}[f.met],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_json(figures: list[Figure], label: str, out_dir: Path = OUT_DIR) -> Path:
    """The figures and the machine they were measured on, as var/bench/<label>-<time>.json."""
    out_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    path = out_dir / f"{label}-{now:%Y%m%dT%H%M%SZ}.json"
    machine = {"cpus": os.cpu_count(), "platform": platform.platform()}
    rows = [{**asdict(f), "ratio": f.ratio, "target": f.target, "met": f.met} for f in figures]
    path.write_text(json.dumps({"at": now.isoformat(), "machine": machine, "figures": rows}))
    return path


def show(figures: list[Figure], label: str) -> None:
    """Print the table and write it as JSON (each bench run alone does this too)."""
    path = write_json(figures, label)
    print(render(figures), f"\n(written to {path})", sep="\n", flush=True)  # noqa: T201
