"""The birth re-plans the whole journey, on virtual time: the pre-birth assessment ends with its
reason, an initial conference not yet held becomes due within its postnatal clock, a conference
held after its latest date is "late" (never "met"), and its plan sets her stage after the birth
as before it, with the core group and review track."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from forms.birth import BabyAtBirth, BabyLocation, Exposure, RecordBirth
from forms.clock import ExtendClock
from forms.conference import Category, ConferenceOutcome
from forms.meeting import MeetingKind
from forms.pathway import ScreeningCommand, ScreeningDecision, Stage
from forms.prebirth import ChangeEdd
from rules.uktime import uk_date, uk_wall_to_utc
from tests.helpers.birth import born
from tests.helpers.histories import save_if_recording
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import (
    deadline,
    evening_of,
    eventually,
    meeting_at,
    rows,
    schedule,
    to_conference,
)
from waymark.db.models import Document
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("clock_worker")

Sessions = async_sessionmaker[AsyncSession]


async def test_birth_ends_the_assessment_and_gives_the_conference_its_postnatal_clock(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(clock_env.client, task_queue, pathway_input(midwife))
    sam = await actor_for(sessions, "sam.social")
    await handle.execute_update(
        WomanPathway.record_screening,
        ScreeningCommand(decision=ScreeningDecision.PRE_BIRTH_ASSESSMENT, reason="A", actor=sam),
    )
    before = await deadline(sessions, "conference_due")
    assert before.label == "Pre-birth conference held"
    now = await clock_env.get_current_time()
    await born(handle, midwife, now)

    assessment = await deadline(sessions, "prebirth_assessment")
    assert assessment.status == "cancelled"
    assert assessment.note is not None
    assert "was born" in assessment.note
    after = await deadline(sessions, "conference_due")
    assert after.label == "Initial conference held (after the birth)"
    assert after.status == "pending"
    assert "after the birth" in after.basis
    assert after.due != before.due
    # 3 working days to a strategy discussion, then 15 to the conference: about 3.5 weeks.
    assert timedelta(days=18) <= after.due - uk_date(now) <= timedelta(days=30)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(
            WomanPathway.change_edd,
            ChangeEdd(edd=uk_date(now) + timedelta(days=20), reason="Scan", actor=sam),
        )
    assert "no longer changes" in str(refused.value.cause)


async def test_a_conference_after_the_birth_and_its_latest_date_is_late_and_sets_her_stage(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(clock_env.client, task_queue, pathway_input(midwife))
    sam = await actor_for(sessions, "sam.social")
    now = await clock_env.get_current_time()
    await to_conference(handle, sam, now)
    clock = await deadline(sessions, "conference_due")
    # Booked four days after its latest date, with the reason on record.
    details = meeting_at(uk_wall_to_utc(clock.due, time(9, 0)), 4)
    await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(MeetingKind.CONFERENCE, details, sam, late_reason="The chair's first date"),
    )
    await born(handle, midwife, await clock_env.get_current_time())
    assert (await handle.query(WomanPathway.state)).stage is Stage.POSTNATAL

    await evening_of(clock_env, uk_date(details.starts_at))
    state = await handle.query(WomanPathway.state)
    conference = clock_env.client.get_workflow_handle(f"conference-{state.conference_id}")
    # Her baby is born: midwifery no longer has to attend for the meeting to be quorate.
    outcome = ConferenceOutcome(
        attended_agencies=["children_social_care", "drug_treatment", "police"],
        woman_attended=True,
        plan=True,
        category=Category.NEGLECT,
        actor=sam,
    )
    assert await conference.execute_update("record_outcome", outcome) == "decided"

    async def on_a_plan() -> bool:
        return (await handle.query(WomanPathway.state)).stage is Stage.CHILD_PROTECTION_PLAN

    await eventually(on_a_plan)
    await save_if_recording(handle, "pathway_born_before_a_late_conference_then_plan")
    held = await deadline(sessions, "conference_due")
    assert held.status == "late"
    assert (await deadline(sessions, "first_core_group")).status == "pending"
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            WomanPathway.extend_clock,
            ExtendClock(key=held.key, new_due=held.due + timedelta(days=9), reason="r", actor=sam),
        )


async def test_letters_after_the_birth_speak_of_the_neonatal_unit_not_of_an_unborn_baby(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    midwife = await actor_for(sessions, "mia.midwife")
    handle = await start_pathway(clock_env.client, task_queue, pathway_input(midwife))
    sam = await actor_for(sessions, "sam.social")
    now = await clock_env.get_current_time()
    await to_conference(handle, sam, now)
    await handle.execute_update(
        WomanPathway.record_birth,
        RecordBirth(
            born_at=now - timedelta(hours=1),
            gestation_weeks=33,
            babies=[BabyAtBirth(location=BabyLocation.NEONATAL_UNIT)],
            exposure=Exposure.OPIOIDS_OR_POLYDRUG,
            actor=midwife,
        ),
    )
    await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, meeting_at(now, 8), sam)
    )
    [letter] = await rows(sessions, Document, kind="invitation_woman")
    assert "neonatal unit" in letter.html
    assert "before your baby is born" not in letter.html
    agency = await rows(sessions, Document, kind="invitation_agency")
    assert agency
    assert all("unborn" not in d.html for d in agency)
