"""Bringing N existing cases in on the local Temporal dev server, then `waymark reconcile`.

A generated file of N Northmoor cases (a third each at screening, pre-birth assessment and
strategy discussion; referrals over the last 60 days, so some duties are already overdue) goes
through `services.onboard.run.run` exactly as the command does, in this process, while
`waymark worker` runs the pathways in its own (as `waymark onboard` and `make run` have it: the
command never hosts the worker). Timed: the check of the whole
file, the writing of records, the starting of pathways, and the pathways settling (each
planning pathway's clocks on record); then reconcile must find no discrepancy.

    .venv/bin/python -m bench.onboard [--cases 10000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import distinct, func, select  # noqa: E402

from bench.harness import Bench, bench_environment  # noqa: E402
from bench.search import people  # noqa: E402
from bench.table import Figure, show  # noqa: E402
from services.onboard import importer  # noqa: E402
from services.onboard.run import Onboarding, run  # noqa: E402
from services.reconcile import reconcile  # noqa: E402
from tests.onboard.test_onboard import case, file_of  # noqa: E402
from waymark.db.models import Deadline  # noqa: E402
from waymark.localtime import today_in_uk  # noqa: E402

TARGET_MINUTES = 10  # issue 15: 10,000 cases onboarded in at most ten minutes
STAGES = ("screening", "pre_birth_assessment", "strategy_discussion")


def cases(n: int) -> str:
    today = today_in_uk()
    rows = []
    for i, person in enumerate(people(n)):
        referred = today - timedelta(days=i % 60)
        rows.append(
            case(
                i,
                given_name=person["given_name"],
                family_name=person["family_name"],
                date_of_birth=person["date_of_birth"].isoformat(),
                stage=STAGES[i % 3],
                referral_on=referred.isoformat(),
            )
        )
    return file_of(rows)


def timed(totals: dict[str, float], name: str, fn: Callable[..., Awaitable[Any]]) -> Any:
    async def wrapper(*args: Any) -> Any:
        start = time.perf_counter()
        try:
            return await fn(*args)
        finally:
            totals[name] += time.perf_counter() - start

    return wrapper


async def settled(bench: Bench, planning: int) -> None:
    """Until every planning pathway has its clocks on record."""
    while True:
        async with bench.watch() as session:
            done = await session.scalar(select(func.count(distinct(Deadline.woman_id))))
        if (done or 0) >= planning:
            return
        await asyncio.sleep(0.5)


async def measure(n: int, concurrency: int) -> list[Figure]:
    """Check, import and settle N cases, then reconcile; what it took, printed and as figures."""
    text = cases(n)
    totals = {"record": 0.0, "start": 0.0}
    importer._record = timed(totals, "record", importer._record)
    importer._start = timed(totals, "start", importer._start)
    async with bench_environment(worker_process=True) as bench:
        context = Onboarding(
            bench.sessions, bench.env.client, bench.settings.temporal_task_queue, concurrency
        )
        began, cpu_began = time.perf_counter(), time.process_time()
        dry = await run(context, text, "lee.lead", today_in_uk(), dry_run=True)
        checked = time.perf_counter()
        assert dry.problems == [], dry.problems[:5]
        report = await run(context, text, "lee.lead", today_in_uk())
        imported = time.perf_counter()
        await settled(bench, sum(1 for i in range(n) if i % 3))
        ended, cpu = time.perf_counter(), time.process_time() - cpu_began
        async with bench.sessions() as session:
            found = await reconcile(session, bench.env.client, grace=timedelta(0))
    total = ended - began
    lines = [
        f"cases={n} concurrency={concurrency} brought_in={report.brought_in}",
        f"check (whole file, dry run): {checked - began:.1f} s",
        f"import: {imported - checked:.1f} s ({n / (imported - checked):.0f} cases/s); summed "
        f"per-case time writing records {totals['record']:.1f} s, starting pathways "
        f"{totals['start']:.1f} s",
        f"pathways settling (clocks on record) after the import: {ended - imported:.1f} s",
        f"total {total:.1f} s = {n / total:.0f} cases/s; 10,000 at this rate: "
        f"{10_000 / (n / total) / 60:.1f} min",
        f"this process's CPU (the importer; the worker is a process of its own): {cpu:.1f} s of "
        f"{total:.1f} s; machine load average at the end: {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores",
        f"reconcile: {len(found)} discrepancies",
    ]
    for line in lines + [d.line() for d in found[:10]]:
        print(line, flush=True)  # noqa: T201 (the script's output)
    return [
        Figure(
            f"onboarding: 10,000 cases at the rate of {n:,}",
            10_000 / (n / total) / 60,
            "min",
            at_most=TARGET_MINUTES,
        ),
        Figure(f"onboarding: reconcile after {n:,} cases", len(found), "discrepancies", at_most=0),
    ]


def figures(quick: bool) -> list[Figure]:
    """For `make bench`: 10,000 cases (500 when quick)."""
    return asyncio.run(measure(500 if quick else 10_000, 16))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    show(asyncio.run(measure(args.cases, args.concurrency)), "onboard")
