"""The baby's days in hospital, on virtual time: where the area requires a pre-discharge meeting
after a pre-birth plan, the birth creates the duty and a task to book it before the earliest
planned discharge; holding it meets the duty; a discharge before the observation advised for
the recorded exposure is allowed, but warned on her record with a task for her team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.birth import RecordDischarge
from forms.common import Nation
from forms.meeting import MeetingHeld, MeetingKind
from tests.helpers.birth import born
from tests.helpers.histories import save_if_recording
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import deadline, meeting_at, rows, schedule
from waymark.db.models import Task, TimelineEvent
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("clock_worker")

Sessions = async_sessionmaker[AsyncSession]


async def test_the_birth_asks_for_the_pre_discharge_meeting_and_an_early_discharge_is_warned(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    midwife = await actor_for(sessions, "ewan.midwife")
    handle = await start_pathway(
        clock_env.client,
        task_queue,
        pathway_input(
            midwife, {"area": "glenbrae"}, area="glenbrae", nation=Nation.SCOTLAND, plan_made=True
        ),
    )
    iona = await actor_for(sessions, "iona.social")
    now = await clock_env.get_current_time()
    [baby] = await born(handle, midwife, now)  # exposed to opioids: observed for some days

    [task] = await rows(sessions, Task, kind="book_pre_discharge_meeting")
    assert task.due == baby.observe_until
    assert f"{baby.observe_until:%d %B %Y}" in task.title
    duty = await deadline(sessions, "pre_discharge_meeting")
    assert (duty.status, duty.due) == ("pending", baby.observe_until)

    details = meeting_at(now, 1, any_day=True)
    receipt = await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.PRE_DISCHARGE, details, iona)
    )
    await clock_env.sleep(details.starts_at - now + timedelta(hours=2))
    await handle.execute_update(
        WomanPathway.record_meeting_held, MeetingHeld(meeting_id=receipt.meeting_id, actor=iona)
    )
    assert (await deadline(sessions, "pre_discharge_meeting")).status == "met"

    await handle.execute_update(
        WomanPathway.record_discharge, RecordDischarge(baby_id=baby.baby_id, actor=iona)
    )
    [left] = await rows(sessions, TimelineEvent, kind="baby_discharged")
    assert "Warning: this is before the end of the observation" in left.summary
    [follow_up] = await rows(sessions, Task, kind="early_discharge")
    assert f"before {baby.observe_until:%d %B %Y}" in follow_up.title
    await save_if_recording(handle, "pathway_scotland_pre_discharge_duty_then_early_discharge")


async def test_a_discharge_after_the_observation_is_not_warned_and_needs_no_meeting(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(clock_env.client, task_queue, pathway_input(midwife))
    now = await clock_env.get_current_time()
    [baby] = await born(handle, midwife, now)
    assert await rows(sessions, Task, kind="book_pre_discharge_meeting") == []
    await clock_env.sleep(timedelta(days=(baby.observe_until - now.date()).days + 1))
    await handle.execute_update(
        WomanPathway.record_discharge, RecordDischarge(baby_id=baby.baby_id, actor=midwife)
    )
    [left] = await rows(sessions, TimelineEvent, kind="baby_discharged")
    assert "Warning" not in left.summary
    assert await rows(sessions, Task, kind="early_discharge") == []
