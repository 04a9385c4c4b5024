"""Re-planning that reaches what is booked, on virtual time: a new EDD (or an extension) moves
the conference's latest date; a conference already booked after it is flagged on her record
with a task for her worker naming the open days left, and moving it in time closes the task;
the conference itself learns the new latest date; reminders follow the meeting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.clock import ExtendClock
from forms.conference import ConferenceState
from forms.meeting import MeetingKind
from forms.prebirth import ChangeEdd
from rules.uktime import uk_date
from rules.wording import long_date
from tests.helpers.histories import save_if_recording
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import deadline, meeting_at, rows, schedule, to_conference
from waymark.db.models import Notice, Task, TimelineEvent
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("clock_worker")

Sessions = async_sessionmaker[AsyncSession]


async def _booked(env: WorkflowEnvironment, sessions: Sessions, task_queue: str) -> Any:
    """Her pathway at a conference booked 18 days on, within its deadline (15 working days)."""
    handle = await start_pathway(
        env.client, task_queue, pathway_input(await actor_for(sessions, "mia.midwife"))
    )
    sam = await actor_for(sessions, "sam.social")
    now = await env.get_current_time()
    await to_conference(handle, sam, now)
    details = meeting_at(now, 18)
    assert uk_date(details.starts_at) <= (await deadline(sessions, "conference_due")).due
    receipt = await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, details, sam)
    )
    return handle, sam, now, receipt.meeting_id


async def _conference(env: WorkflowEnvironment, handle: Any) -> ConferenceState:
    state = await handle.query(WomanPathway.state)
    conference = env.client.get_workflow_handle(f"conference-{state.conference_id}")
    found: ConferenceState = await conference.query("state", result_type=ConferenceState)
    return found


async def test_an_earlier_edd_flags_the_booked_conference_and_moving_it_closes_the_task(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    handle, sam, now, meeting_id = await _booked(clock_env, sessions, task_queue)
    # 28 weeks' gestation (EDD - 84 days) now falls 10 days from today.
    edd = uk_date(now) + timedelta(days=94)
    await handle.execute_update(
        WomanPathway.change_edd, ChangeEdd(edd=edd, reason="Dating scan", actor=sam)
    )
    latest = (await deadline(sessions, "conference_due")).due
    assert latest == uk_date(now) + timedelta(days=10)
    assert (await _conference(clock_env, handle)).statutory_latest == latest

    [warning] = await rows(sessions, TimelineEvent, kind="meeting_after_latest")
    assert f"{latest:%A} {latest.day} {latest:%B %Y}" in warning.summary
    assert "her due date changed" in warning.summary
    [task] = await rows(sessions, Task, kind="move_meeting")
    assert task.status == "open"
    assert task.due is not None
    assert task.due <= latest
    assert long_date(task.due) in task.title
    state = await handle.query(WomanPathway.state)
    assert state.late_bookings == [str(meeting_id)]

    moved = meeting_at(now, 6)
    assert uk_date(moved.starts_at) <= latest
    await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(MeetingKind.CONFERENCE, moved, sam, meeting_id=meeting_id),
    )
    [task] = await rows(sessions, Task, kind="move_meeting")
    assert task.status == "done"
    assert (await handle.query(WomanPathway.state)).late_bookings == []
    # Everyone invited is told of the move; reminders for the old date are superseded.
    assert await rows(sessions, Notice, kind="meeting_rescheduled")
    old = [n for n in await rows(sessions, Notice, sequence=0) if n.kind.startswith("reminder")]
    assert old
    assert all(n.status == "superseded" for n in old)
    await save_if_recording(handle, "pathway_booked_conference_flagged_then_moved")


async def test_an_extension_moves_the_conference_latest_date_and_keeps_a_fitting_booking(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    handle, sam, now, _ = await _booked(clock_env, sessions, task_queue)
    clock = await deadline(sessions, "conference_due")
    later = clock.due + timedelta(days=7)
    await handle.execute_update(
        WomanPathway.extend_clock,
        ExtendClock(key=clock.key, new_due=later, reason="Agreed with the chair", actor=sam),
    )
    assert (await _conference(clock_env, handle)).statutory_latest == later
    assert (await handle.query(WomanPathway.state)).conference_latest == later
    assert await rows(sessions, Task, kind="move_meeting") == []
