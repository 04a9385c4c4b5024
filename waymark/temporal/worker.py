"""The Waymark worker: registers every workflow and activity on the task queue."""

from __future__ import annotations

import asyncio
import logging
import signal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.referral import ReferralActivities
from waymark.db.session import make_engine, make_sessionmaker
from waymark.settings import get_settings
from waymark.temporal.client import connect
from workflows.pathway import WomanPathway

log = logging.getLogger("waymark.worker")

WORKFLOWS = [WomanPathway]


def build_worker(
    client: Client, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> Worker:
    """A worker with every workflow and activity, its activities bound to the given database."""
    referrals = ReferralActivities(sessions)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=[referrals.record_referral, referrals.record_screening],
    )


async def run_worker() -> None:
    """Run until SIGINT or SIGTERM, then finish in-flight tasks and stop."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    client = await connect(settings)
    worker = build_worker(client, make_sessionmaker(engine), settings.temporal_task_queue)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        log.info("worker running on task queue %s", settings.temporal_task_queue)
        await stop.wait()
    await engine.dispose()
    log.info("worker stopped")
