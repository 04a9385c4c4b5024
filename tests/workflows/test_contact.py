"""When she asks for her worker (R8.3): her worker is told at once, an unanswered request
escalates, and answering it stops the clock."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.delivery import ContactRequested
from forms.prebirth import AnswerContactRequest
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import count, eventually, rows
from waymark.db.models import Deadline, Task
from waymark.db.models.delivery import ContactRequest
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("clock_worker")


async def _request(
    env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> tuple[Any, uuid.UUID]:
    inp = pathway_input(await actor_for(sessions, "mia.midwife"))
    handle = await start_pathway(env.client, task_queue, inp)
    request_id = uuid.uuid4()
    received = await env.get_current_time()
    async with sessions() as session, session.begin():
        session.add(
            ContactRequest(
                id=request_id,
                woman_id=inp.state.woman_id,
                received_at=received,
                via="sms",
                note="Please call me",
            )
        )
    await handle.signal(
        WomanPathway.contact_requested,
        ContactRequested(request_id=request_id, woman_id=inp.state.woman_id, received_at=received),
    )
    return handle, request_id


async def _clock(sessions: async_sessionmaker[AsyncSession]) -> Deadline:
    found = [d for d in await rows(sessions, Deadline) if d.deadline.startswith("contact_request")]
    assert len(found) == 1
    return found[0]


async def test_her_worker_is_told_at_once_and_silence_escalates(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    await _request(clock_env, sessions, task_queue)

    async def worker_told() -> bool:
        return await count(sessions, Task, kind="deadline_remind_owner") == 1

    await eventually(worker_told)
    await clock_env.sleep(timedelta(days=4))
    assert await count(sessions, Task, kind="deadline_escalate_manager") >= 1
    assert (await _clock(sessions)).status == "missed"


async def test_answering_her_stops_the_clock(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, request_id = await _request(clock_env, sessions, task_queue)
    # Answered at once, as her worker can from her record (where the request already is) while
    # its clock is still being planned: the answer waits for the clock, then meets it.
    await handle.execute_update(
        WomanPathway.answer_contact_request,
        AnswerContactRequest(request_id=request_id, actor=await actor_for(sessions, "sam.social")),
    )
    assert (await _clock(sessions)).status == "met"
    [request] = await rows(sessions, ContactRequest)
    assert request.status == "answered"
    await clock_env.sleep(timedelta(days=4))
    assert await count(sessions, Task, kind="deadline_escalate_manager") == 0
