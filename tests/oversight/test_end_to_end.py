"""End to end through the real pathway and `MotherSupport` on virtual time: her baby is
placed in care, her contact lapses and is chased, the chase goes silent without reaching her
(her contact duty's next step passes with nothing done: a check before the day's sweep finds a
contact breach), then a contact is recorded (resolved)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.ledger import BreachKind, SweepInput, SweepResult
from forms.support import ContactKind, RecordContact, SupportState
from rules.uktime import uk_date
from tests.helpers.birth import born, removed
from tests.helpers.clock import skip
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import count, eventually, rows
from tests.oversight.builders import check_at
from waymark.db.models import Breach, Duty, SupportEpisode, Task
from waymark.db.session import transaction
from workflows.oversight import OversightSweep
from workflows.pathway import WomanPathway
from workflows.support import episode_id_for

pytestmark = pytest.mark.usefixtures("clock_worker")

Sessions = async_sessionmaker[AsyncSession]


async def _sweep(env: WorkflowEnvironment, task_queue: str) -> None:
    """Run the sweep on the server's day, without skipping time meanwhile."""
    today: date = uk_date(await env.get_current_time())
    with env.auto_time_skipping_disabled():
        result: SweepResult = await env.client.execute_workflow(
            OversightSweep.run,
            SweepInput(today=today),
            id=f"sweep-{uuid.uuid4()}",
            task_queue=task_queue,
        )
    assert result.women == 1


async def _chase_goes_silent(sessions: Sessions, at: datetime) -> None:
    """The outreach is closed without reaching her, and the next step of the chase of her
    contact passed an hour ago with nothing done."""
    async with transaction(sessions) as session:
        await session.execute(
            update(Task)
            .where(Task.kind.in_(["assertive_outreach", "missed_contacts_escalation"]))
            .values(status="done")
        )
        await session.execute(
            update(Duty)
            .where(Duty.kind == "contact", Duty.status == "open")
            .values(next_escalation_at=at - timedelta(hours=1))
        )


async def _open_kinds(sessions: Sessions) -> set[str]:
    return {b.kind for b in await rows(sessions, Breach) if b.resolved_at is None}


async def test_a_lapsed_contact_breach_is_raised_and_cleared_by_a_contact(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(clock_env.client, task_queue, pathway_input(midwife))
    social_worker = await actor_for(sessions, "sam.social")
    babies = await born(handle, midwife, await clock_env.get_current_time())
    await removed(handle, social_worker, babies[0].baby_id)

    async def episode_open() -> bool:
        return await count(sessions, SupportEpisode, status="active") == 1

    await eventually(episode_open)
    await _sweep(clock_env, task_queue)
    assert "contact" not in await _open_kinds(sessions)

    # Two contacts missed: her workflow starts outreach, so the contact part still holds.
    await skip(clock_env, timedelta(days=17))
    assert await count(sessions, Task, kind="assertive_outreach", status="open") == 2
    await _sweep(clock_env, task_queue)
    assert "contact" not in await _open_kinds(sessions)

    state = await handle.query(WomanPathway.state)
    now = await clock_env.get_current_time()
    await _chase_goes_silent(sessions, now)
    assert (await check_at(sessions, state.woman_id, now)).raised == [BreachKind.CONTACT]
    assert "contact" in await _open_kinds(sessions)
    assert await count(sessions, Task, kind="invariant_breach", status="open") >= 1

    episode = clock_env.client.get_workflow_handle(episode_id_for(state.woman_id, 1))
    today = uk_date(await clock_env.get_current_time())
    await episode.execute_update(
        "record_contact",
        RecordContact(on=today, kind=ContactKind.OUTREACH_VISIT, actor=social_worker),
        result_type=SupportState,
    )
    await _sweep(clock_env, task_queue)
    assert "contact" not in await _open_kinds(sessions)
    [contact] = [b for b in await rows(sessions, Breach) if b.kind == "contact"]
    assert contact.resolved_at is not None
