"""A pathway over 24 virtual months (birth, removal, no contact at all: the heaviest case for
history) keeps every run's history within the bound, through continue-as-new."""

from __future__ import annotations

import sys
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from tests.helpers.birth import advocate_accepts, born, removed
from tests.helpers.clock import skip
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import count
from waymark.db.models import Task
from workflows.pathway import WomanPathway
from workflows.support import episode_id_for

pytestmark = pytest.mark.usefixtures("clock_worker")

HISTORY_BOUND = 2_000


async def largest_run(client: Client, workflow_id: str) -> tuple[int, int]:
    """(runs, largest history) over every run of a workflow, walking back through
    continue-as-new from the latest run."""
    sizes, run_id = [], None
    while True:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        sizes.append(len(history.events))
        started = history.events[0]
        assert started.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
        previous = started.workflow_execution_started_event_attributes.continued_execution_run_id
        if not previous:
            return len(sizes), max(sizes)
        run_id = previous


async def test_24_months_stay_within_the_history_bound(
    clock_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
    capsys: Any,
) -> None:
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(clock_env.client, task_queue, pathway_input(midwife))
    babies = await born(handle, midwife, await clock_env.get_current_time())
    await removed(handle, await actor_for(sessions, "sam.social"), babies[0].baby_id)
    await advocate_accepts(clock_env, sessions, uuid.UUID(handle.id.removeprefix("pathway-")))
    for _ in range(24):
        await skip(clock_env, timedelta(days=30.5))
    state = await handle.query(WomanPathway.state)
    episode_id = episode_id_for(state.woman_id, 1)
    episode = clock_env.client.get_workflow_handle(episode_id)
    assert (await episode.describe()).status == WorkflowExecutionStatus.RUNNING
    # About two years of weekly then fortnightly contacts missed: outreach each time.
    assert await count(sessions, Task, kind="assertive_outreach") >= 50
    report = {
        "pathway": await largest_run(clock_env.client, handle.id),
        "support episode": await largest_run(clock_env.client, episode_id),
    }
    with capsys.disabled():
        for name, (runs, largest) in report.items():
            sys.stdout.write(f"\n24 months: {name}: {runs} run(s), largest history {largest}\n")
    for _runs, largest in report.values():
        assert largest <= HISTORY_BOUND
