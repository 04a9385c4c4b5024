"""How long from "a removal is recorded" to "her advocate has a notice and her own support
episode is running".

Each run: a new woman's pathway, a birth, then the placement in care is sent; we time from
sending that Update until both an urgent notice to the advocate offered to her exists and her
support episode row is active (its workflow opened it).

    .venv/bin/python -m bench.removal_latency [--runs 200] [--quick]
    .venv/bin/python bench/removal_latency.py [--runs 200] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, update  # noqa: E402

from bench.harness import Bench, bench_environment, report  # noqa: E402
from bench.table import Figure, percentile, show  # noqa: E402
from tests.helpers.birth import born, removed  # noqa: E402
from tests.helpers.pathway import actor_for, pathway_input, start_pathway  # noqa: E402
from waymark.db.models import AdvocateAllocation, Notice, SupportEpisode  # noqa: E402
from waymark.db.models.advocacy import AdvocateProfile  # noqa: E402


async def _ready(bench: Bench, woman_id: uuid.UUID) -> bool:
    async with bench.watch() as session:
        episode = await session.scalar(
            select(SupportEpisode.id).where(
                SupportEpisode.woman_id == woman_id, SupportEpisode.status == "active"
            )
        )
        advocate = await session.scalar(
            select(AdvocateAllocation.advocate_user_id).where(
                AdvocateAllocation.woman_id == woman_id
            )
        )
        if episode is None or advocate is None:
            return False
        told = await session.scalar(
            select(Notice.id)
            .where(
                Notice.woman_id == woman_id,
                Notice.recipient_user_id == advocate,
                Notice.urgent.is_(True),
            )
            .limit(1)
        )
        return told is not None


async def _one(bench: Bench) -> float:
    mia = await actor_for(bench.sessions, "mia.midwife")
    sam = await actor_for(bench.sessions, "sam.social")
    inp = pathway_input(mia)
    handle = await start_pathway(bench.env.client, bench.settings.temporal_task_queue, inp)
    babies = await born(handle, mia, await bench.env.get_current_time())
    started = time.perf_counter()
    update = asyncio.create_task(removed(handle, sam, babies[0].baby_id))
    while not await _ready(bench, inp.state.woman_id):
        if time.perf_counter() - started > 30:
            raise RuntimeError("no advocate notice and support episode within 30 s")
        await asyncio.sleep(0.002)
    elapsed = (time.perf_counter() - started) * 1000
    await update
    return elapsed


async def run(runs: int) -> list[float]:
    """The latencies (ms) of `runs` removals, after ten to warm up."""
    async with bench_environment() as bench:
        # Hundreds of removals in one area: room for all of them on the advocates' caseloads.
        async with bench.sessions() as session, session.begin():
            await session.execute(update(AdvocateProfile).values(capacity=10_000))
        samples = [await _one(bench) for _ in range(runs + 10)][10:]
    report("removal recorded -> advocate notice and support episode running", samples)
    return samples


def figures(quick: bool, runs: int | None = None) -> list[Figure]:
    samples = asyncio.run(run(runs or (20 if quick else 200)))
    name = "removal -> advocate's notice and her support episode"
    return [
        Figure(f"{name}: p50", percentile(samples, 50), "ms"),
        Figure(f"{name}: p95", percentile(samples, 95), "ms"),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="fewer runs (a shared machine)")
    args = parser.parse_args()
    show(figures(args.quick, args.runs), "removal_latency")
