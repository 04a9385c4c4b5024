"""The engine's own limit: a workflow that runs one activity that does nothing. Its rate on the
same Temporal dev server, in the same run, is the baseline for the referral rate."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker


@activity.defn
async def nothing() -> None:
    """The one activity: no work at all."""


@workflow.defn
class OneActivity:
    @workflow.run
    async def run(self) -> None:
        await workflow.execute_activity(nothing, start_to_close_timeout=timedelta(seconds=30))


async def rate(client: Client, count: int, concurrency: int) -> float:
    """Workflows started and completed per second, `concurrency` at a time."""
    queue = f"bench-trivial-{uuid.uuid4().hex[:8]}"
    limit = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with limit:
            await client.execute_workflow(
                OneActivity.run, id=f"{queue}-{uuid.uuid4().hex}", task_queue=queue
            )

    async with Worker(client, task_queue=queue, workflows=[OneActivity], activities=[nothing]):
        await asyncio.gather(*(one() for _ in range(min(10, count))))  # warm up
        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(count)))
        return count / (time.perf_counter() - started)
