"""Removal through the real pathway on virtual time that has moved away from the wall clock (as
in the simulator): no breach while her allocation is making its offer; a real lapse (the offer
ran out and nothing followed) is a breach for a check before the day's sweep, raised at the
workflow's time; the sweep then tells the lead again, and so resolves it.

The worker holds the allocation's offer back until her episode has checked her invariant, so
the check always meets the moment before the first offer (the race the simulator lost 54 times
in 176 removals, when the check compared the wall clock with workflow time).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from forms.advocacy import AllocateAdvocate, Offer, allocation_workflow_id
from forms.ledger import BreachKind, CheckWomanRequest, SweepInput, SweepResult, WomanCheck
from rules.uktime import uk_date
from tests.helpers.birth import born, removed
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import count, eventually, rows, settled
from tests.oversight.builders import check_at
from waymark.db.models import AdvocateAllocation, Breach, Duty, Notice, SupportEpisode, Task
from waymark.settings import Settings
from waymark.temporal.worker import WORKFLOWS, activities
from workflows.oversight import OversightSweep
from workflows.pathway import WomanPathway
from workflows.support import episode_id_for

pytestmark = pytest.mark.usefixtures("demo", "checked_first")

Sessions = async_sessionmaker[AsyncSession]
# Far more than the hour an allocation has to make its first offer.
AWAY_FROM_WALL_CLOCK = timedelta(days=3)


def _named(found: list[Callable[..., Any]], name: str) -> Callable[..., Any]:
    return next(fn for fn in found if getattr(fn, "__name__", None) == name)


@pytest.fixture
async def checked_first(
    clock_env: WorkflowEnvironment, sessions: Sessions, settings: Settings
) -> AsyncIterator[Worker]:
    """Every real workflow and activity; the first offer waits for the first check."""
    real = activities(sessions, settings)
    check, allocate = _named(real, "check_woman"), _named(real, "allocate_advocate")
    checked = asyncio.Event()

    @activity.defn(name="check_woman")
    async def check_woman(inp: CheckWomanRequest | uuid.UUID) -> WomanCheck:
        result: WomanCheck = await check(inp)
        checked.set()
        return result

    @activity.defn(name="allocate_advocate")
    async def allocate_advocate(inp: AllocateAdvocate) -> Offer:
        await asyncio.wait_for(checked.wait(), timeout=10)
        offer: Offer = await allocate(inp)
        return offer

    others = [fn for fn in real if fn not in (check, allocate)]
    worker = Worker(
        clock_env.client,
        task_queue=settings.temporal_task_queue,
        workflows=WORKFLOWS,
        activities=[*others, check_woman, allocate_advocate],
    )
    async with worker:
        yield worker


async def _checked(handle: WorkflowHandle[Any, Any]) -> bool:
    """Her support episode has opened and its check of her invariant has completed."""
    history = await handle.fetch_history()
    scheduled = {
        event.event_id
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        and event.activity_task_scheduled_event_attributes.activity_type.name == "check_woman"
    }
    return any(
        event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
        and event.activity_task_completed_event_attributes.scheduled_event_id in scheduled
        for event in history.events
    )


async def _removal(env: WorkflowEnvironment, sessions: Sessions, task_queue: str) -> uuid.UUID:
    """Born, then (virtual days later) placed in care; returns her id once she has an offer
    and her episode's own check has run."""
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(env.client, task_queue, pathway_input(midwife))
    babies = await born(handle, midwife, await env.get_current_time())
    await env.sleep(AWAY_FROM_WALL_CLOCK)
    await removed(handle, await actor_for(sessions, "sam.social"), babies[0].baby_id)
    woman = (await handle.query(WomanPathway.state)).woman_id
    episode = env.client.get_workflow_handle(episode_id_for(woman, 1))

    async def offered_and_checked() -> bool:
        offers = await count(sessions, AdvocateAllocation, woman_id=woman, status="offered")
        opened = await count(sessions, SupportEpisode, woman_id=woman)
        return offers == 1 and opened == 1 and await _checked(episode)

    await eventually(offered_and_checked)
    return woman


async def _sweep(env: WorkflowEnvironment, task_queue: str) -> SweepResult:
    with env.auto_time_skipping_disabled():
        result: SweepResult = await env.client.execute_workflow(
            OversightSweep.run,
            SweepInput(),
            id=f"sweep-{uuid.uuid4()}",
            task_queue=task_queue,
        )
    return result


async def test_no_breach_at_removal_while_her_allocation_makes_its_offer(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    await _removal(clock_env, sessions, task_queue)
    assert await rows(sessions, Breach) == []
    assert await count(sessions, Task, kind="invariant_breach") == 0
    assert await count(sessions, Notice, kind="invariant_breach") == 0
    # The day's sweep, inside the offer's answer window: still nothing to tell the lead.
    assert (await _sweep(clock_env, task_queue)).open == 0


async def test_an_offer_that_ran_out_with_nothing_after_it_is_a_breach_until_chased(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await _removal(clock_env, sessions, task_queue)
    # Her allocation stops (as if its worker were lost): nobody asks the next advocate. It stops
    # once it waits for the answer: the test server keeps its clock still for good after a
    # workflow ends with an activity of its in hand, and the sleep below would time out.
    await settled(clock_env.client, allocation_workflow_id(woman))
    await clock_env.client.get_workflow_handle(allocation_workflow_id(woman)).terminate(
        reason="test: the allocation stops"
    )
    async with sessions() as session:
        offer = await session.scalar(
            select(AdvocateAllocation).where(AdvocateAllocation.woman_id == woman)
        )
    assert offer is not None
    assert offer.accept_by is not None
    await clock_env.sleep(offer.accept_by - await clock_env.get_current_time())
    await clock_env.sleep(timedelta(hours=1, minutes=5))
    now = await clock_env.get_current_time()
    # A check after an event, before the day's sweep: her advocate is owed and nobody is
    # chasing it (the machinery that should have asked the next advocate has stopped).
    assert (await check_at(sessions, woman, now)).raised == [BreachKind.ADVOCATE]
    [breach] = await rows(sessions, Breach)
    assert breach.kind == "advocate"
    # Raised at the workflow's time, days away from the wall clock.
    assert uk_date(breach.raised_at) == uk_date(now)
    [notice] = await rows(sessions, Notice, kind="invariant_breach")
    assert notice.urgent
    # The day's sweep tells the lead again, at the workflow's time: she is chased now.
    result = await _sweep(clock_env, task_queue)
    assert (result.raised, result.resolved, result.open) == (0, 1, 0)
    [advocate] = await rows(sessions, Duty, kind="advocate")
    assert advocate.next_escalation_at is not None
    assert advocate.next_escalation_at > await clock_env.get_current_time()
    repeats = await rows(sessions, Notice, kind="duty_repeated")
    assert repeats
    assert {uk_date(n.send_at) for n in repeats} == {uk_date(await clock_env.get_current_time())}
