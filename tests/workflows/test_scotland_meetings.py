"""Scotland as Scotland works, on virtual time: Scottish words on her deadlines and record (IRD,
child protection planning meeting); Glenbrae has police as an organisation, so its meeting
invites them, and an outcome without them is inquorate, naming the missing agency, with a
re-convene date."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.common import Nation
from forms.conference import ConferenceOutcome, ConferenceState
from forms.meeting import MeetingKind
from rules.uktime import uk_date
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import (
    deadline,
    evening_of,
    meeting_at,
    rows,
    schedule,
    to_conference,
)
from waymark.db.models import TimelineEvent
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("clock_worker")

Sessions = async_sessionmaker[AsyncSession]


async def _conference(env: WorkflowEnvironment, handle: Any) -> Any:
    state = await handle.query(WomanPathway.state)
    return env.client.get_workflow_handle(f"conference-{state.conference_id}")


async def test_a_cppm_invites_the_police_and_is_inquorate_without_them(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    midwife = await actor_for(sessions, "ewan.midwife")
    handle = await start_pathway(
        clock_env.client,
        task_queue,
        pathway_input(midwife, {"area": "glenbrae"}, area="glenbrae", nation=Nation.SCOTLAND),
    )
    iona = await actor_for(sessions, "iona.social")
    now = await clock_env.get_current_time()
    await to_conference(handle, iona, now)
    # Scottish words where a person reads them.
    due = await deadline(sessions, "conference_due")
    assert due.label == "Pre-birth child protection planning meeting held"
    ird = await deadline(sessions, "strategy_discussion")
    assert ird.label == "Inter-agency referral discussion (IRD) held"
    summaries = [e.summary for e in await rows(sessions, TimelineEvent)]
    assert any(s.startswith("Inter-agency referral discussion (IRD) held on") for s in summaries)
    details = meeting_at(now, 10)
    await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, details, iona)
    )
    conference = await _conference(clock_env, handle)
    state = await conference.query("state", result_type=ConferenceState)
    assert "police" in {i.agency_kind for i in state.invitees}

    await evening_of(clock_env, uk_date(details.starts_at))
    outcome = ConferenceOutcome(
        attended_agencies=["children_social_care", "maternity"],
        woman_attended=True,
        plan=True,
        areas_of_concern=["Parental substance use"],
        actor=iona,
    )
    assert await conference.execute_update("record_outcome", outcome) == "to_schedule"
    redate = await deadline(sessions, "redate_1")
    assert redate.status == "pending"
    assert redate.label == "Child protection planning meeting re-dated and held"
    lines = [e.summary for e in await rows(sessions, TimelineEvent)]
    assert any("police" in line.lower() and "quorate" in line.lower() for line in lines), lines
    assert not any("conference" in line.lower() for line in lines), lines
