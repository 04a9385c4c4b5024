"""The daily sweep: the `OversightSweep` workflow, started directly (the time-skipping server
has no Schedules), first tells the lead again about every duty whose chain has ended, then
raises and resolves breaches for every woman in every area's ledger from the duty register. So
a breach is a duty the machinery failed to chase (found by a check between the sweeps) or her
support missing, never a repeat that is merely due: the sweep chases it and resolves it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from activities import oversight
from forms.ledger import BreachKind, SweepInput, SweepResult
from rules.uktime import uk_date
from tests.helpers.planning import count, rows
from tests.oversight.builders import (
    NOON,
    TODAY,
    allocate,
    check,
    make_woman,
    open_episode,
    sign_off,
    sweep,
    update_episode,
)
from waymark.db.models import Breach, Duty, Task
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
    amys = await open_episode(sessions, held)
    no_advocate = await make_woman(sessions, given="Isla", team="glenbrae-sw")
    await open_episode(sessions, no_advocate, next_contact_due=TODAY + timedelta(days=10))
    await make_woman(sessions, given="Never", removed=False)

    # Yesterday a check after an event found Isla's advocate owed and nobody chasing it.
    assert (await check(sessions, no_advocate, TODAY - timedelta(days=1))).raised == [
        BreachKind.ADVOCATE
    ]
    # The sweep tells the lead again: the machinery is chasing it now, so the breach resolves.
    first = await _run(temporal_env, task_queue, SweepInput(today=TODAY))
    assert first == SweepResult(women=2, repeated=1, raised=0, resolved=1, open=0)
    assert await count(sessions, Task, kind="invariant_breach", status="open") == 0

    # Amy's episode is closed without a lead's sign-off: a support breach, which no repeat
    # mends; Isla's repeat is due again and is made.
    await update_episode(sessions, amys, status="closed", closed_at=NOON)
    tomorrow = TODAY + timedelta(days=1)
    again = await _run(temporal_env, task_queue, SweepInput(today=tomorrow))
    assert again == SweepResult(women=2, repeated=1, raised=1, resolved=0, open=1)

    # A week on, a lead signs Amy's closure off; Isla now has an advocate: nothing is owed.
    await sign_off(sessions, amys)
    await allocate(sessions, no_advocate, advocate="kirsty.advocate")
    later = await _run(temporal_env, task_queue, SweepInput(today=TODAY + timedelta(days=7)))
    assert later == SweepResult(women=2, repeated=0, raised=0, resolved=1, open=0)
    breaches = await rows(sessions, Breach)
    assert sorted((str(b.woman_id), b.kind) for b in breaches) == sorted(
        [(str(no_advocate), "advocate"), (str(held), "support")]
    )
    assert all(b.resolved_at is not None for b in breaches)
    assert await count(sessions, Task, kind="invariant_breach", status="open") == 0


async def test_the_sweep_checks_against_its_own_day_by_default(
    temporal_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    # The shared server's clock may be years ahead (time skipping): her dates follow it.
    now = await temporal_env.get_current_time()
    today = uk_date(now)
    woman = await make_woman(sessions)
    await open_episode(
        sessions,
        woman,
        opened_at=now - timedelta(days=30),
        removal_on=today - timedelta(days=30),
        next_contact_due=today + timedelta(days=3),
    )
    result = await _run(temporal_env, task_queue, SweepInput())
    # Her advocate has been owed for weeks with nobody chasing it: told again at the server's
    # time (not the builders' day), so nothing is left dropped for a breach.
    assert (result.women, result.repeated, result.raised, result.open) == (1, 1, 0, 0)
    [duty] = [d for d in await rows(sessions, Duty) if d.kind == "advocate"]
    assert duty.next_escalation_at is not None
    assert now < duty.next_escalation_at <= now + timedelta(hours=25)


async def test_the_sweep_activity_alone(sessions: Sessions) -> None:
    assert await sweep(sessions) == SweepResult()


async def test_the_sweep_checks_every_woman_a_chunk_at_a_time(
    sessions: Sessions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two women to a transaction: five women make three chunks, the last one short.
    monkeypatch.setattr(oversight, "SWEEP_CHUNK", 2)
    closed = []
    for given in ("Ann", "Bea", "Cat", "Dot", "Eve"):
        woman = await make_woman(sessions, given=given)
        episode = await open_episode(sessions, woman, next_contact_due=TODAY + timedelta(days=10))
        await allocate(sessions, woman)
        if given != "Cat":
            await update_episode(sessions, episode, status="closed", closed_at=NOON)
            closed.append(woman)
    await make_woman(sessions, given="Never", removed=False)

    assert await sweep(sessions) == SweepResult(women=5, raised=4, open=4)
    breaches = await rows(sessions, Breach)
    assert sorted(b.woman_id for b in breaches) == sorted(closed)
    assert {b.kind for b in breaches} == {"support"}
    # Run again: each chunk finds its breaches already open and raises none twice.
    assert await sweep(sessions) == SweepResult(women=5, open=4)
    assert await count(sessions, Breach) == 4
