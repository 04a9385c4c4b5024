"""The Waymark worker: registers every workflow and activity on the task queue."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.clocks import ClockActivities
from activities.conference import ConferenceActivities
from activities.documents import DocumentActivities
from activities.meetings import MeetingActivities
from activities.pathway import PathwayActivities
from activities.referral import ReferralActivities
from waymark.db.session import make_engine, make_sessionmaker
from waymark.settings import get_settings
from waymark.temporal.client import connect
from workflows.conference import CaseConference
from workflows.pathway import WomanPathway

log = logging.getLogger("waymark.worker")

WORKFLOWS = [WomanPathway, CaseConference]


def build_worker(
    client: Client, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> Worker:
    """A worker with every workflow and activity, its activities bound to the given database."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=activities(sessions),
    )


def activities(sessions: async_sessionmaker[AsyncSession]) -> list[Callable[..., Any]]:
    """Every activity, each bound to the database through its class."""
    referrals = ReferralActivities(sessions)
    pathway = PathwayActivities(sessions)
    clocks = ClockActivities(sessions)
    meetings = MeetingActivities(sessions)
    conference = ConferenceActivities(sessions)
    docs = DocumentActivities(sessions)
    return [
        referrals.record_referral,
        referrals.record_screening,
        pathway.load_area_rules,
        pathway.record_pathway_event,
        clocks.compute_deadlines,
        clocks.plan_clocks,
        clocks.escalate_clock,
        clocks.record_clock_change,
        meetings.record_meeting,
        conference.record_conference,
        conference.record_report,
        conference.record_outcome,
        conference.record_conference_document,
        conference.chase_reports,
        docs.issue_information_pack,
    ]


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
