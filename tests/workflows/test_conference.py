"""The pre-birth conference, end to end on virtual time: scheduling and its refusals, notices,
reports, quorum, the decision and its letter, minutes, core group, review; clocks that escalate,
pause and follow an EDD change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from forms.clock import PauseClock
from forms.common import Nation
from forms.conference import (
    Category,
    ConferenceOutcome,
    ConferenceState,
    RecordCoreGroup,
    RecordMinutes,
    SubmitReport,
)
from forms.language import stigmatising_terms
from forms.meeting import CancelMeeting, MeetingKind
from forms.pathway import ScreeningCommand, ScreeningDecision, Stage
from forms.prebirth import ChangeEdd
from tests.helpers.clock import skip
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import (
    count,
    deadline,
    evening_of,
    eventually,
    meeting_at,
    meeting_day,
    rows,
    schedule,
    to_conference,
)
from waymark.db.models import Conference, Deadline, Document, Meeting, Notice, Task
from workflows.conference_rules import check_outcome
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("clock_worker")


async def _pathway(
    env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> tuple[Any, Any]:
    handle = await start_pathway(
        env.client, task_queue, pathway_input(await actor_for(sessions, "mia.midwife"))
    )
    social_worker = await actor_for(sessions, "sam.social")
    await to_conference(handle, social_worker, await env.get_current_time())
    return handle, social_worker


async def _conference_handle(env: WorkflowEnvironment, handle: Any) -> Any:
    state = await handle.query(WomanPathway.state)
    assert state.conference_id is not None
    return env.client.get_workflow_handle(f"conference-{state.conference_id}")


async def test_strategy_discussion_starts_planning_clocks_pack_and_conference(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, _ = await _pathway(clock_env, sessions, task_queue)
    state = await handle.query(WomanPathway.state)
    assert state.stage is Stage.CONFERENCE
    assert (await deadline(sessions, "strategy_discussion")).status == "met"
    due = await deadline(sessions, "conference_due")
    # England: 15 working days after the strategy discussion is well before EDD - 84 days.
    assert due.status == "pending"
    assert "initial conference date" in due.basis
    assert await count(sessions, Document, kind="information_pack") == 1
    assert await count(sessions, Notice, kind="information_pack", recipient_kind="woman") == 1

    async def conference_recorded() -> bool:  # by her conference's own workflow, just after
        return await count(sessions, Conference, phase="to_schedule") == 1

    await eventually(conference_recorded)


async def test_scheduling_refuses_the_past_a_late_date_without_reason_and_clashes(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw = await _pathway(clock_env, sessions, task_queue)
    now = await clock_env.get_current_time()
    cases = [
        (schedule(MeetingKind.CONFERENCE, meeting_at(now, -1, any_day=True), sw), "in the future"),
        (schedule(MeetingKind.CONFERENCE, meeting_at(now, 60), sw), "record the reason"),
    ]
    for command, expected in cases:
        with pytest.raises(WorkflowUpdateFailedError) as caught:
            await handle.execute_update(WomanPathway.schedule_meeting, command)
        assert expected in str(caught.value.cause)
    late = schedule(
        MeetingKind.CONFERENCE,
        meeting_at(now, 60),
        sw,
        late_reason="The only date midwifery can attend",
    )
    assert (await handle.execute_update(WomanPathway.schedule_meeting, late)).sequence == 0
    clash = schedule(MeetingKind.PLANNING, meeting_at(now, 60, hour=14), sw)
    with pytest.raises(WorkflowUpdateFailedError) as caught:
        await handle.execute_update(WomanPathway.schedule_meeting, clash)
    assert "that day" in str(caught.value.cause)


async def test_full_lifecycle_with_reschedule_reports_decision_minutes_and_review(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw = await _pathway(clock_env, sessions, task_queue)
    now = await clock_env.get_current_time()
    receipt = await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, meeting_at(now, 10), sw)
    )
    woman_notices = await count(sessions, Notice, recipient_kind="woman", kind="meeting_scheduled")
    assert woman_notices == 1
    moved = await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(MeetingKind.CONFERENCE, meeting_at(now, 12), sw, meeting_id=receipt.meeting_id),
    )
    assert moved.sequence == 1
    assert await count(sessions, Notice, kind="meeting_rescheduled", recipient_kind="woman") == 1
    first = await rows(sessions, Notice, meeting_id=receipt.meeting_id, sequence=0)
    assert first
    assert {n.status for n in first} == {"superseded"}  # nothing about the old time goes out

    conference = await _conference_handle(clock_env, handle)
    owed = [
        i
        for i in (await conference.query("state", result_type=ConferenceState)).invitees
        if i.owes_report
    ]
    assert {i.agency_kind for i in owed} >= {"maternity", "drug_treatment"}
    for invitee in owed:
        await conference.execute_update(
            "submit_report",
            SubmitReport(organisation_id=invitee.organisation_id, summary="Our report", actor=sw),
        )
    assert (await deadline(sessions, "reports_to_woman")).status == "met"

    await evening_of(clock_env, meeting_day(now, 12))
    outcome = ConferenceOutcome(
        attended_agencies=["children_social_care", "maternity", "drug_treatment"],
        woman_attended=True,
        advocate_attended=False,
        plan=True,
        category=Category.NEGLECT,
        actor=sw,
    )
    phase = await conference.execute_update("record_outcome", outcome)
    assert phase == "decided"

    async def on_a_plan() -> bool:
        return (await handle.query(WomanPathway.state)).stage is Stage.CHILD_PROTECTION_PLAN

    await eventually(on_a_plan)
    letters = await rows(sessions, Document, kind="decision_letter")
    assert len(letters) == 1
    assert "neglect" in letters[0].html.lower()
    assert await count(sessions, Notice, kind="decision_letter", recipient_kind="woman") == 1
    assert (await deadline(sessions, "conference_due")).status == "met"
    assert (await rows(sessions, Meeting, id=receipt.meeting_id))[0].status == "held"
    assert await count(sessions, Task, kind="deadline_escalate_manager") == 0

    await conference.execute_update("record_minutes", RecordMinutes(text="Minutes.", actor=sw))
    held_on = (await clock_env.get_current_time()).date()
    await conference.execute_update("record_core_group", RecordCoreGroup(held_on=held_on, actor=sw))
    await conference.result()

    async def review_started() -> bool:
        return await count(sessions, Conference, kind="review", phase="to_schedule") == 1

    await eventually(review_started)
    review = await rows(sessions, Conference, kind="review")
    # England: the first review is within 3 months of the initial conference.
    assert review[0].statutory_latest is not None


async def test_an_inquorate_conference_must_be_redated(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw = await _pathway(clock_env, sessions, task_queue)
    now = await clock_env.get_current_time()
    await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, meeting_at(now, 8), sw)
    )
    conference = await _conference_handle(clock_env, handle)
    await evening_of(clock_env, meeting_day(now, 8))
    without_midwifery = ConferenceOutcome(
        attended_agencies=["children_social_care", "drug_treatment", "police"],
        woman_attended=True,
        plan=True,
        category=Category.NEGLECT,
        actor=sw,
    )
    assert await conference.execute_update("record_outcome", without_midwifery) == "to_schedule"
    redate = await deadline(sessions, "redate_1")
    assert "10 working days" in redate.basis
    state = await handle.query(WomanPathway.state)
    assert state.conference_latest == redate.due
    assert (await rows(sessions, Meeting))[0].status == "inquorate"
    assert await count(sessions, Document, kind="decision_letter") == 0


async def test_cancelling_the_conference_tells_everyone_and_reopens_scheduling(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw = await _pathway(clock_env, sessions, task_queue)
    now = await clock_env.get_current_time()
    receipt = await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, meeting_at(now, 9), sw)
    )
    await handle.execute_update(
        WomanPathway.cancel_meeting,
        CancelMeeting(meeting_id=receipt.meeting_id, reason="Chair unwell", actor=sw),
    )
    assert await count(sessions, Notice, kind="meeting_cancelled", recipient_kind="woman") == 1
    pending_reminders = [
        n
        for n in await rows(sessions, Notice, meeting_id=receipt.meeting_id)
        if n.kind.startswith("reminder") and n.status == "pending"
    ]
    assert pending_reminders == []

    async def reports_clock_cancelled() -> bool:
        # The conference plans its clocks as it starts, which can land after the cancel
        # returns: the clock is waited for, not taken as missing.
        found = await rows(sessions, Deadline, deadline="reports_to_woman")
        return [row.status for row in found] == ["cancelled"]

    await eventually(reports_clock_cancelled)
    again = await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, meeting_at(now, 11), sw)
    )
    assert again.meeting_id != receipt.meeting_id


async def test_missed_reports_are_chased_then_flagged_late(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw = await _pathway(clock_env, sessions, task_queue)
    now = await clock_env.get_current_time()
    await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, meeting_at(now, 12), sw)
    )
    await evening_of(clock_env, meeting_day(now, 12) - timedelta(days=1))
    assert await count(sessions, Notice, kind="report_chase") >= 1
    assert await count(sessions, Notice, kind="report_late") >= 1
    assert await count(sessions, Task, kind="late_report") == 1
    assert (await deadline(sessions, "reports_to_woman")).status == "missed"


async def test_a_missed_conference_deadline_escalates_to_manager_then_lead(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    await _pathway(clock_env, sessions, task_queue)
    due = await deadline(sessions, "conference_due")
    await clock_env.sleep(
        timedelta(days=(due.due - (await clock_env.get_current_time()).date()).days + 8)
    )
    row = await deadline(sessions, "conference_due")
    assert row.status == "missed"
    assert row.escalation == "escalate_lead"
    kinds = {t.kind for t in await rows(sessions, Task)}
    assert {"deadline_remind_owner", "deadline_escalate_manager", "deadline_escalate_lead"} <= kinds


async def test_a_paused_clock_does_not_escalate_until_resumed(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw = await _pathway(clock_env, sessions, task_queue)
    due = await deadline(sessions, "conference_due")
    await handle.execute_update(
        "pause_clock", PauseClock(key=due.key, reason="Family court directions awaited", actor=sw)
    )
    days_left = (due.due - (await clock_env.get_current_time()).date()).days
    await skip(clock_env, timedelta(days=days_left + 8))
    assert await count(sessions, Task, kind="deadline_escalate_manager") == 0
    assert (await deadline(sessions, "conference_due")).status == "paused"
    await handle.execute_update(
        "resume_clock", PauseClock(key=due.key, reason="Directions received", actor=sw)
    )
    await clock_env.sleep(timedelta(minutes=5))
    assert await count(sessions, Task, kind="deadline_escalate_manager") == 1


async def test_an_edd_change_recomputes_the_conference_deadline(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle = await start_pathway(
        clock_env.client, task_queue, pathway_input(await actor_for(sessions, "mia.midwife"))
    )
    sw = await actor_for(sessions, "sam.social")
    await handle.execute_update(
        WomanPathway.record_screening,
        ScreeningCommand(
            decision=ScreeningDecision.PRE_BIRTH_ASSESSMENT, reason="Assess", actor=sw
        ),
    )
    before = await deadline(sessions, "conference_due")
    state = await handle.query(WomanPathway.state)
    earlier = state.edd - timedelta(days=21)
    await handle.execute_update(
        WomanPathway.change_edd, ChangeEdd(edd=earlier, reason="Dating scan", actor=sw)
    )
    after = await deadline(sessions, "conference_due")
    assert after.due == before.due - timedelta(days=21)  # EDD - 84 days moves with the EDD


async def test_scheduling_renders_invitations_report_forms_and_a_travel_task(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw = await _pathway(clock_env, sessions, task_queue)
    now = await clock_env.get_current_time()
    details = meeting_at(now, 10).model_copy(update={"travel_support": True})
    await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, details, sw)
    )
    kinds = [d.kind for d in await rows(sessions, Document)]
    assert kinds.count("invitation_woman") == 1
    owed = await count(sessions, Notice, kind="meeting_scheduled", recipient_kind="agency")
    assert kinds.count("invitation_agency") == kinds.count("report_form") >= 2
    assert owed >= kinds.count("invitation_agency")
    letter = (await rows(sessions, Document, kind="invitation_woman"))[0]
    assert stigmatising_terms(letter.html) == []
    assert await count(sessions, Task, kind="travel_support") == 1


async def test_stigmatising_words_in_the_areas_of_concern_are_refused(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw = await _pathway(clock_env, sessions, task_queue)
    now = await clock_env.get_current_time()
    await handle.execute_update(
        WomanPathway.schedule_meeting, schedule(MeetingKind.CONFERENCE, meeting_at(now, 8), sw)
    )
    conference = await _conference_handle(clock_env, handle)
    await evening_of(clock_env, meeting_day(now, 8))
    outcome = ConferenceOutcome(
        attended_agencies=["children_social_care", "maternity", "drug_treatment"],
        woman_attended=True,
        plan=True,
        category=Category.NEGLECT,
        actor=sw,
    )
    # England takes a category; the wording check applies to Scotland's areas of concern,
    # so check the rule directly with a Scottish outcome too.
    scottish = outcome.model_copy(
        update={"category": None, "areas_of_concern": ["Mother is an addict"]}
    )
    with pytest.raises(ApplicationError, match="please reword 'addict'"):
        check_outcome(Nation.SCOTLAND, scottish)
    assert await conference.execute_update("record_outcome", outcome) == "decided"
