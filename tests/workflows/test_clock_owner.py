"""A deadline's clock is changed on the workflow that owns it: her pathway, a conference, or her
support episode (whose workflow id is not derived from the clock's scope)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from forms.clock import Clock, ClockStatus, PauseClock
from services.clock_owner import clock_workflow_id
from tests.helpers.birth import born, removed
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import eventually, to_conference
from waymark.db.models import Deadline

pytestmark = pytest.mark.usefixtures("clock_worker")
Sessions = async_sessionmaker[AsyncSession]


async def _deadlines(sessions: Sessions) -> list[Deadline]:
    async with sessions() as session:
        return list(await session.scalars(select(Deadline).order_by(Deadline.scope)))


async def test_every_deadline_resolves_to_its_running_workflow(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(clock_env.client, task_queue, pathway_input(midwife))
    social_worker = await actor_for(sessions, "sam.social")
    now = await clock_env.get_current_time()
    await to_conference(handle, social_worker, now)
    [baby] = await born(handle, midwife, now)
    await removed(handle, social_worker, baby.baby_id)

    async def support_clocks() -> bool:
        return any(d.scope.startswith("support:") for d in await _deadlines(sessions))

    await eventually(support_clocks)
    deadlines = await _deadlines(sessions)
    assert {d.scope.partition(":")[0] for d in deadlines} == {"pathway", "support"}
    async with sessions() as session:
        for row in deadlines:
            target = await clock_workflow_id(session, row)
            described = await clock_env.client.get_workflow_handle(target).describe()
            assert described.status == WorkflowExecutionStatus.RUNNING, (row.scope, target)

    # Her support plan's clock can be paused on her episode, with the reason on record.
    plan = next(d for d in deadlines if d.scope.startswith("support:") and d.status == "pending")
    async with sessions() as session:
        target = await clock_workflow_id(session, plan)
    clock = await clock_env.client.get_workflow_handle(target).execute_update(
        "pause_clock",
        PauseClock(key=plan.key, reason="She is in hospital this week", actor=social_worker),
        result_type=Clock,
    )
    assert clock.status is ClockStatus.PAUSED
