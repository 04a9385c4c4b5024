"""The daily sweep's Temporal Schedule, on the real dev server (the test server has none):
made once whoever calls, at 06:00 UK time, and a triggered run sweeps the database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import ScheduleActionExecutionStartWorkflow, ScheduleActionStartWorkflow
from temporalio.testing import WorkflowEnvironment

from forms.ledger import SweepResult
from rules.uktime import uk_date
from tests.e2e.conftest import dev_server
from tests.oversight.builders import make_woman, open_episode
from waymark.temporal.schedules import SWEEP_SCHEDULE_ID, ensure_sweep_schedule
from waymark.temporal.worker import build_worker

__all__ = ["dev_server"]


async def test_the_schedule_is_made_once_and_its_run_sweeps(
    dev_server: tuple[WorkflowEnvironment, Path],
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
    demo: None,
) -> None:
    env, _ = dev_server
    woman = await make_woman(sessions)
    # Her baby was placed in care a month before the server's (wall-clock) day: her advocate
    # is owed and nobody is asked, so the sweep the schedule starts tells the lead again.
    now = datetime.now(UTC)
    await open_episode(
        sessions,
        woman,
        opened_at=now - timedelta(days=30),
        removal_on=uk_date(now) - timedelta(days=30),
        next_contact_due=uk_date(now) + timedelta(days=3),
    )
    handle = await ensure_sweep_schedule(env.client, task_queue)
    again = await ensure_sweep_schedule(env.client, task_queue)  # a second worker starting
    assert again.id == handle.id == SWEEP_SCHEDULE_ID
    described = await handle.describe()
    [calendar] = described.schedule.spec.calendars
    assert [r.start for r in calendar.hour] == [6]
    assert described.schedule.spec.time_zone_name == "Europe/London"
    action = described.schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert (action.workflow, action.task_queue) == ("OversightSweep", task_queue)

    async with build_worker(env.client, sessions, task_queue):
        await handle.trigger()
        for _ in range(100):
            recent = (await handle.describe()).info.recent_actions
            if recent:
                break
            await asyncio.sleep(0.1)
        started = recent[0].action
        assert isinstance(started, ScheduleActionExecutionStartWorkflow)
        run = env.client.get_workflow_handle(started.workflow_id, result_type=SweepResult)
        result = await run.result()
    assert (result.women, result.repeated, result.raised) == (1, 1, 0)
