"""Her pathway starts the allocation as a child (ABANDON); a removal while one is running
makes it urgent instead of starting a second."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from forms.advocacy import AllocationInput, Trigger
from tests.advocacy.flow import notices, nth_offer
from tests.advocacy.parent import AdvocacyTestParent
from tests.advocacy.support import Sessions, allocations, make_woman
from tests.helpers.planning import eventually
from waymark.temporal.worker import WORKFLOWS, activities

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
async def parent_worker(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> AsyncIterator[Worker]:
    worker = Worker(
        clock_env.client,
        task_queue=task_queue,
        workflows=[*WORKFLOWS, AdvocacyTestParent],
        activities=activities(sessions),
    )
    async with worker:
        yield worker


def _input(woman_id: uuid.UUID, *, after_removal: bool) -> AllocationInput:
    return AllocationInput(
        woman_id=woman_id,
        area="northmoor",
        trigger=Trigger.REMOVAL if after_removal else Trigger.CONFERENCE,
        after_removal=after_removal,
        request_id=uuid.uuid4(),
    )


@pytest.mark.usefixtures("parent_worker")
async def test_the_pathway_starts_it_and_a_removal_makes_it_urgent(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    woman = await make_woman(sessions)
    for number, after_removal in enumerate((False, True)):
        await clock_env.client.start_workflow(
            AdvocacyTestParent.run,
            _input(woman, after_removal=after_removal),
            id=f"parent-{woman}-{number}",
            task_queue=task_queue,
        )
        offer = await nth_offer(sessions, woman, 1)

    async def alerted() -> bool:
        return bool(await notices(sessions, "removal_alert", "ava.advocate"))

    await eventually(alerted)
    [row] = await allocations(sessions, woman_id=woman)
    assert row.id == offer.id
    assert row.after_removal
    assert row.accept_by is not None
    assert row.offered_at is not None
    assert row.accept_by - row.offered_at == timedelta(hours=2)
