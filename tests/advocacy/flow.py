"""Helpers for driving the allocation workflow on the time-skipping server."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from forms.advocacy import (
    WORKFLOW_NAME,
    AdvocateReply,
    AllocationInput,
    AllocationResult,
    AllocationStatus,
    RespondCommand,
    Trigger,
    allocation_workflow_id,
)
from tests.advocacy.support import Sessions, allocations, user_id
from tests.helpers.pathway import actor_for
from tests.helpers.planning import eventually
from waymark.db.models import AdvocateAllocation, Notice, Task, User

Handle = WorkflowHandle[Any, AllocationResult]


async def start(client: Client, task_queue: str, woman_id: uuid.UUID, **fields: Any) -> Handle:
    inp = AllocationInput(
        woman_id=woman_id,
        area=fields.pop("area", "northmoor"),
        trigger=fields.pop("trigger", Trigger.REFERRAL),
        request_id=uuid.uuid4(),
        **fields,
    )
    return await client.start_workflow(
        WORKFLOW_NAME,
        inp,
        id=allocation_workflow_id(woman_id),
        task_queue=task_queue,
        result_type=AllocationResult,
    )


async def nth_offer(sessions: Sessions, woman_id: uuid.UUID, n: int) -> AdvocateAllocation:
    """Wait (in real time) for the n-th offer for her to be open, and return it."""

    async def ready() -> bool:
        rows = await allocations(sessions, woman_id=woman_id)
        return len(rows) >= n and rows[n - 1].status == AllocationStatus.OFFERED.value

    await eventually(ready)
    return (await allocations(sessions, woman_id=woman_id))[n - 1]


async def answer(
    handle: Handle, sessions: Sessions, row: AdvocateAllocation, reply: AdvocateReply
) -> AllocationStatus:
    """The offered advocate answers, as the API would send it."""
    async with sessions() as session:
        username = await session.scalar(
            select(User.username).where(User.id == row.advocate_user_id)
        )
    assert username is not None
    command = RespondCommand(
        allocation_id=row.id, reply=reply, actor=await actor_for(sessions, username)
    )
    # The offer row is written by an activity a moment before the workflow starts waiting for
    # the answer; an answer in that moment is refused as "not waiting", so try again shortly.
    for _ in range(100):
        try:
            status: AllocationStatus = await handle.execute_update(
                "respond", command, result_type=AllocationStatus
            )
            return status
        except WorkflowUpdateFailedError as exc:
            if "no longer waiting" not in str(exc.cause):
                raise
            await asyncio.sleep(0.05)
    raise AssertionError("the offer never waited for an answer")


async def notices(sessions: Sessions, kind: str, username: str | None = None) -> list[Notice]:
    query = select(Notice).where(Notice.kind == kind)
    if username is not None:
        query = query.where(Notice.recipient_user_id == await user_id(sessions, username))
    async with sessions() as session:
        return list(await session.scalars(query))


async def tasks(sessions: Sessions, woman_id: uuid.UUID, kind: str) -> list[Task]:
    async with sessions() as session:
        query = select(Task).where(Task.woman_id == woman_id, Task.kind == kind)
        return list(await session.scalars(query))


async def offer_within(
    env: WorkflowEnvironment, sessions: Sessions, woman_id: uuid.UUID, hours: int
) -> AdvocateAllocation:
    """Move virtual time an hour at a time until an offer for her is open (it waits 4 hours),
    each time waiting until her allocation (its latest run) sleeps on a timer again."""
    latest = env.client.get_workflow_handle(allocation_workflow_id(woman_id))
    for _ in range(hours):
        await env.sleep(timedelta(hours=1))
        await waiting_on_timer(latest)
        rows = await allocations(sessions, woman_id=woman_id)
        if rows and rows[-1].status == AllocationStatus.OFFERED.value:
            return rows[-1]
    raise AssertionError(f"no offer was made for her within {hours} hours")


async def waiting_on_timer(handle: Handle) -> None:
    """Wait (in real time) until her allocation sleeps on a timer, so moving time fires it."""

    async def idle() -> bool:
        events = (await handle.fetch_history()).events
        return bool(events) and events[-1].event_type == EventType.EVENT_TYPE_TIMER_STARTED

    await eventually(idle)


async def past_answer_by(env: WorkflowEnvironment, row: AdvocateAllocation) -> None:
    """Move virtual time to just after the offer's time to answer."""
    assert row.accept_by is not None
    await env.sleep(row.accept_by - await env.get_current_time() + timedelta(minutes=1))
