"""The daily sweep: the `OversightSweep` workflow, started directly (the time-skipping server
has no Schedules), raises and resolves breaches for every woman in every area's ledger."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.ledger import SweepInput, SweepResult
from rules.uktime import uk_date
from tests.helpers.planning import count, rows
from tests.oversight.builders import (
    TODAY,
    allocate,
    make_woman,
    open_episode,
    sweep,
    update_episode,
)
from waymark.db.models import Breach, Task
from workflows.oversight import OversightSweep

pytestmark = pytest.mark.usefixtures("worker", "demo")

Sessions = async_sessionmaker[AsyncSession]


async def _run(env: WorkflowEnvironment, task_queue: str, inp: SweepInput) -> SweepResult:
    result: SweepResult = await env.client.execute_workflow(
        OversightSweep.run, inp, id=f"oversight-sweep-test-{uuid.uuid4()}", task_queue=task_queue
    )
    return result


async def test_the_sweep_raises_then_resolves_across_areas(
    temporal_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    held = await make_woman(sessions, given="Amy")
    await allocate(sessions, held)
    lapsing = await open_episode(sessions, held)
    no_advocate = await make_woman(sessions, given="Isla", team="glenbrae-sw")
    await open_episode(sessions, no_advocate, next_contact_due=TODAY + timedelta(days=10))
    await make_woman(sessions, given="Never", removed=False)

    first = await _run(temporal_env, task_queue, SweepInput(today=TODAY))
    assert first == SweepResult(women=2, raised=1, resolved=0, open=1)
    again = await _run(temporal_env, task_queue, SweepInput(today=TODAY))
    assert again == SweepResult(women=2, raised=0, resolved=0, open=1)

    # A week on, Amy's contact has lapsed; Isla now has an advocate.
    await allocate(sessions, no_advocate, advocate="kirsty.advocate")
    await update_episode(sessions, lapsing, next_contact_due=TODAY + timedelta(days=5))
    later = await _run(temporal_env, task_queue, SweepInput(today=TODAY + timedelta(days=7)))
    assert later == SweepResult(women=2, raised=1, resolved=1, open=1)
    open_breaches = [b for b in await rows(sessions, Breach) if b.resolved_at is None]
    assert [(b.woman_id, b.kind) for b in open_breaches] == [(held, "contact")]
    assert await count(sessions, Task, kind="invariant_breach", status="open") == 1


async def test_the_sweep_checks_against_its_own_day_by_default(
    temporal_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    # The shared server's clock may be years ahead (time skipping): her dates follow it.
    today = uk_date(await temporal_env.get_current_time())
    woman = await make_woman(sessions)
    await open_episode(sessions, woman, next_contact_due=today + timedelta(days=3))
    result = await _run(temporal_env, task_queue, SweepInput())
    assert (result.women, result.raised, result.open) == (1, 1, 1)
    [breach] = await rows(sessions, Breach)
    assert breach.kind == "advocate"


async def test_the_sweep_activity_alone(sessions: Sessions) -> None:
    assert await sweep(sessions) == SweepResult()
