"""Her pathway offers her an independent advocate again when a conference is scheduled and at
birth (issue 4): a decline is respected, and asked again at the next point in her care."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.advocacy import OfferResponse
from forms.meeting import MeetingKind
from services import advocacy_records as records
from tests.helpers.birth import born
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import meeting_at, schedule, to_conference
from waymark.db.models import AdvocacyOffer, Task, Woman
from waymark.db.session import transaction
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("clock_worker")
Sessions = async_sessionmaker[AsyncSession]


async def _offers(sessions: Sessions, woman_id: uuid.UUID) -> list[tuple[str, str]]:
    async with sessions() as session:
        found = await session.scalars(
            select(AdvocacyOffer)
            .where(AdvocacyOffer.woman_id == woman_id)
            .order_by(AdvocacyOffer.created_at)
        )
        return [(offer.trigger, offer.response) for offer in found]


async def _she_declines(sessions: Sessions, woman_id: uuid.UUID, at: datetime) -> None:
    social_worker = await actor_for(sessions, "sam.social")
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        await records.record_response(
            session, woman, response=OfferResponse.DECLINED, at=at, by=social_worker.user_id
        )


async def _open_offer_tasks(sessions: Sessions, woman_id: uuid.UUID) -> list[Task]:
    async with sessions() as session:
        found = await session.scalars(
            select(Task).where(
                Task.woman_id == woman_id, Task.kind == "offer_advocate", Task.status == "open"
            )
        )
        return list(found)


async def test_offered_again_when_the_conference_is_scheduled_and_at_birth(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    inp = pathway_input(await actor_for(sessions, "mia.midwife"))
    woman_id = inp.state.woman_id
    handle: Any = await start_pathway(clock_env.client, task_queue, inp)
    social_worker = await actor_for(sessions, "sam.social")
    now = await clock_env.get_current_time()
    await to_conference(handle, social_worker, now)
    assert await _offers(sessions, woman_id) == []

    receipt = await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(MeetingKind.CONFERENCE, meeting_at(now, 8), social_worker),
    )
    assert await _offers(sessions, woman_id) == [("conference", "pending")]
    [task] = await _open_offer_tasks(sessions, woman_id)
    async with sessions() as session:
        woman = await session.get(Woman, woman_id)
    assert woman is not None
    # Her named worker is asked to make the offer (her team, until she has one).
    assert (task.assignee_user_id, task.assignee_organisation_id) in (
        (woman.coordinator_user_id, None),
        (None, woman.team_id),
    )
    assert "child protection meeting" in task.title

    # She says no; moving the conference is not a new conference, so no new offer.
    await _she_declines(sessions, woman_id, now)
    assert await _open_offer_tasks(sessions, woman_id) == []
    await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(
            MeetingKind.CONFERENCE,
            meeting_at(now, 9),
            social_worker,
            meeting_id=receipt.meeting_id,
        ),
    )
    assert await _offers(sessions, woman_id) == [("conference", "declined")]

    # At birth she is asked again, and the prompt is her worker's to act on.
    await born(handle, await actor_for(sessions, "mia.midwife"), now)
    assert await _offers(sessions, woman_id) == [
        ("conference", "declined"),
        ("birth", "pending"),
    ]
    [task] = await _open_offer_tasks(sessions, woman_id)
    assert "after the birth" in task.title
