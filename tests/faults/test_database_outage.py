"""The application database unavailable for 30 seconds while activities run: SQLite held under
an exclusive lock by another process; PostgreSQL (a server of the test's own) stopped at once
and started again. No workflow fails, the activities retry until it is back, every record is
whole, and the API answers 503 meanwhile with nothing written."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy import func, select
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle

from tests.faults.checks import assert_all_agree
from tests.faults.postgres import PrivatePostgres, unavailable_reason
from tests.faults.processes import waymark_worker
from tests.faults.service import TASK_QUEUE, Service, make_service, running, sqlite_copy
from tests.faults.waiting import eventually
from tests.helpers.pathway import actor_for, pathway_input
from waymark.db.migrate import upgrade
from waymark.db.models import AuditEvent, Involvement, Referral, TimelineEvent, Woman
from waymark.demo import seed_demo_data
from waymark.settings import async_url
from workflows.pathway import WomanPathway, workflow_id

pytestmark = pytest.mark.faults

OUTAGE_SECONDS = 30
WOMEN = 4


class Outage(Protocol):
    def begin(self) -> None: ...
    def end(self) -> None: ...


@dataclass
class SqliteLocked:
    """Another process's exclusive transaction: every writer waits, then gives up."""

    path: Path
    holder: sqlite3.Connection | None = None

    def begin(self) -> None:
        self.holder = sqlite3.connect(self.path, isolation_level=None)
        self.holder.execute("BEGIN EXCLUSIVE")

    def end(self) -> None:
        assert self.holder is not None
        self.holder.execute("ROLLBACK")
        self.holder.close()


@dataclass
class PostgresStopped:
    server: PrivatePostgres

    def begin(self) -> None:
        self.server.stop()

    def end(self) -> None:
        self.server.start()


@pytest.fixture(params=["sqlite", "postgresql"])
async def outage(
    request: pytest.FixtureRequest, seeded_sqlite: Path, tmp_path: Path
) -> AsyncIterator[tuple[Service, Outage]]:
    if request.param == "sqlite":
        url = sqlite_copy(seeded_sqlite, tmp_path)
        async with running(make_service(tmp_path, url)) as service:
            yield service, SqliteLocked(tmp_path / "waymark.db")
        return
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = PrivatePostgres.create()
    try:
        server.start()
        upgrade(server.url)
        await seed_demo_data(async_url(server.url))
        async with running(make_service(tmp_path, server.url)) as service:
            yield service, PostgresStopped(server)
    finally:
        server.remove()


async def count(service: Service, *where: Any) -> int:
    async with service.sessions() as session:
        return int(await session.scalar(select(func.count()).where(*where)) or 0)


async def test_the_database_down_for_30_seconds_fails_no_workflow(
    outage: tuple[Service, Outage],
) -> None:
    service, cut = outage
    worker = waymark_worker(service.env, service.root / "worker.log").start()
    client = await service.client()
    await service.ready(client, worker)
    referrer = await actor_for(service.sessions, "mia.midwife")
    women_before = await count(service, Woman.id.is_not(None))
    try:
        async with service.api("sam.social", client) as social_worker:
            loop = asyncio.get_running_loop()
            cut.begin()
            began = loop.time()
            handles = []
            for _ in range(
                WOMEN
            ):  # started as the API starts them; their activities hit the outage
                inp = pathway_input(referrer)
                handles.append(
                    await client.start_workflow(
                        WomanPathway.run,
                        inp,
                        id=workflow_id(inp.state.woman_id),
                        task_queue=TASK_QUEUE,
                    )
                )
            listed = await social_worker.get("/api/v1/women")
            # A read takes no write lock (WAL): on SQLite it is served through a writer's lock;
            # a stopped PostgreSQL serves nothing. A request that must write is refused.
            served = 200 if isinstance(cut, SqliteLocked) else 503
            assert listed.status_code == served, listed.text
            refused = await social_worker.post("/api/v1/search", json={"name": "Nobody"})
            assert refused.status_code == 503, refused.text
            assert refused.json() == {"detail": "the database is not available; try again shortly"}
            await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (loop.time() - began)))
            # On a busy machine a first attempt can start late and outlast the lock: the outage
            # lasts until every referral's write has failed once, so each is seen to retry.
            await eventually("every referral's write fails once", failed_once(handles), 90)
            cut.end()

            async def all_recorded() -> bool:
                # Written, and the write's completion reported to the server (a busy worker can
                # commit a moment before it reports), so each history holds its last attempt.
                if await count(service, Referral.id.is_not(None)) != WOMEN:
                    return False
                return all([await attempts(h, "record_referral") > 0 for h in handles])

            await eventually("every referral is recorded once it is back", all_recorded, 60)
        for handle in handles:
            assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
            assert await attempts(handle, "record_referral") > 1  # it failed, and was retried
        await assert_whole(service, [uuid.UUID(h.id.removeprefix("pathway-")) for h in handles])
        assert await count(service, Woman.id.is_not(None)) == women_before + WOMEN
        request_id = refused.headers["x-request-id"]
        assert await count(service, AuditEvent.request_id == request_id) == 0
        await assert_all_agree(service)
    finally:
        worker.stop()


def failed_once(handles: list[WorkflowHandle[Any, Any]]) -> Callable[[], Awaitable[bool]]:
    """Whether each workflow's `record_referral` is pending on its second attempt or later."""

    async def check() -> bool:
        for handle in handles:
            pending = (await handle.describe()).raw_description.pending_activities
            if not any(
                a.activity_type.name == "record_referral" and a.attempt > 1 for a in pending
            ):
                return False
        return True

    return check


async def attempts(handle: WorkflowHandle[Any, Any], activity_type: str) -> int:
    """The attempt number that completed the activity, 0 before it has (earlier attempts are not
    in history: a retried activity's start is written when its last attempt ends)."""
    history = await handle.fetch_history()
    scheduled = {
        event.event_id
        for event in history.events
        if event.activity_task_scheduled_event_attributes.activity_type.name == activity_type
    }
    return max(
        (
            event.activity_task_started_event_attributes.attempt
            for event in history.events
            if event.activity_task_started_event_attributes.scheduled_event_id in scheduled
        ),
        default=0,
    )


async def assert_whole(service: Service, women: list[uuid.UUID]) -> None:
    """Each woman's intake was written all together: nothing half-written, nothing twice."""
    for woman_id in women:
        assert await count(service, Woman.id == woman_id) == 1
        assert await count(service, Referral.woman_id == woman_id) == 1
        assert await count(service, Involvement.woman_id == woman_id) == 2
        received = TimelineEvent.kind == "referral_received"
        assert await count(service, TimelineEvent.woman_id == woman_id, received) == 1
