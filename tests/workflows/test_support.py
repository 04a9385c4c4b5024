"""Birth, removal and her own support episode, on virtual time: nothing about the baby's case
ends her support; missed contacts escalate; only a lead's sign-off closes it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from forms.birth import CloseCase, Placement, RecordDischarge, RecordPlacement
from forms.common import Nation
from forms.meeting import MeetingKind
from forms.pathway import Stage
from forms.support import (
    CloseEpisode,
    ContactKind,
    PlanItem,
    RecordContact,
    RecordPlanItem,
    SupportState,
)
from rules.uktime import uk_date
from tests.helpers.birth import born, removed
from tests.helpers.clock import skip
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import count, deadline, eventually, meeting_at, rows, schedule
from waymark.db.models import AdvocateAllocation, Baby, Notice, SupportEpisode, Task, Woman
from workflows.pathway import WomanPathway
from workflows.support import episode_id_for

pytestmark = pytest.mark.usefixtures("clock_worker")


async def _after_birth(
    env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
    **state: Any,
) -> tuple[Any, Any, Any]:
    handle = await start_pathway(
        env.client, task_queue, pathway_input(await actor_for(sessions, "mia.midwife"), **state)
    )
    social_worker = await actor_for(sessions, "sam.social")
    babies = await born(
        handle, await actor_for(sessions, "mia.midwife"), await env.get_current_time()
    )
    return handle, social_worker, babies


async def _episode(env: WorkflowEnvironment, handle: Any) -> Any:
    state = await handle.query(WomanPathway.state)
    return env.client.get_workflow_handle(episode_id_for(state.woman_id, 1))


async def test_birth_makes_baby_records_and_plans_postnatal_clocks(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, _, babies = await _after_birth(clock_env, sessions, task_queue)
    assert len(babies) == 1
    assert (await handle.query(WomanPathway.state)).stage is Stage.POSTNATAL
    [baby] = await rows(sessions, Baby)
    # Opioid exposure: observed for the area's 5 days.
    assert (baby.observe_until - uk_date(baby.born_at)).days == 5
    review = await deadline(sessions, "postnatal_support_review")
    assert review.due.year == uk_date(baby.born_at).year + 1 or review.due.month != 0
    with pytest.raises(WorkflowUpdateFailedError, match="update failed") as caught:
        await born(
            handle, await actor_for(sessions, "mia.midwife"), await clock_env.get_current_time()
        )
    assert "already recorded" in str(caught.value.cause)


async def test_removal_opens_her_support_episode_at_once_and_makes_messages_mother_only(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw, babies = await _after_birth(clock_env, sessions, task_queue)
    before = await clock_env.get_current_time()
    stage = await removed(handle, sw, babies[0].baby_id)
    assert stage is Stage.BABY_IN_CARE
    episode = await _episode(clock_env, handle)

    async def episode_open() -> bool:
        return await count(sessions, SupportEpisode, status="active") == 1

    await eventually(episode_open)
    assert (await episode.describe()).status == WorkflowExecutionStatus.RUNNING

    async def advocate_offered() -> bool:
        offers = await rows(sessions, AdvocateAllocation)
        told = {n.recipient_user_id for n in await rows(sessions, Notice) if n.urgent}
        return bool(offers) and offers[0].advocate_user_id in told

    await eventually(advocate_offered)
    [offer] = await rows(sessions, AdvocateAllocation)
    assert offer.after_removal is True
    assert offer.offered_at - before < timedelta(minutes=1)
    # After a removal the advocate has the area's short window (2 hours) to accept.
    assert offer.accept_by - offer.offered_at == timedelta(hours=2)
    [row] = await rows(sessions, SupportEpisode)
    assert row.opened_at - before < timedelta(minutes=1)
    # Her named worker is another social worker in her team, not the one who placed her baby.
    assert row.named_worker_id == (await actor_for(sessions, "ola.social")).user_id
    assert row.named_worker_id != sw.user_id
    assert (await rows(sessions, Woman))[0].mother_only is True
    assert (
        await count(sessions, Task, kind="support_plan")
        + await count(sessions, Task, kind="name_support_worker")
        == 1
    )

    async def planned() -> bool:
        # Her plan's clocks are planned just after her episode is on record.
        deadlines = await rows(sessions, deadline_model())
        return len([d for d in deadlines if d.scope.startswith("support:")]) == len(PlanItem)

    await eventually(planned)


def deadline_model() -> Any:
    from waymark.db.models import Deadline

    return Deadline


async def test_closing_the_babys_case_leaves_her_episode_running(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw, babies = await _after_birth(clock_env, sessions, task_queue)
    await removed(handle, sw, babies[0].baby_id)
    episode = await _episode(clock_env, handle)
    await handle.execute_update(
        WomanPathway.close_case,
        CloseCase(reason="Baby adopted; the baby's case is closed", actor=sw),
    )
    await handle.result()
    await clock_env.sleep(timedelta(days=3))
    assert (await episode.describe()).status == WorkflowExecutionStatus.RUNNING
    # Even terminating the baby's pathway outright does not touch her episode.
    assert (await episode.query("state", result_type=SupportState)).status == "active"


async def test_missed_contacts_lead_to_outreach_then_escalation_never_closure(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw, babies = await _after_birth(clock_env, sessions, task_queue)
    await removed(handle, sw, babies[0].baby_id)
    episode = await _episode(clock_env, handle)
    await skip(clock_env, timedelta(days=17))
    assert await count(sessions, Task, kind="assertive_outreach") == 2
    assert await count(sessions, Task, kind="missed_contacts_escalation") >= 1
    assert (await episode.describe()).status == WorkflowExecutionStatus.RUNNING
    today = uk_date(await clock_env.get_current_time())
    state = await episode.execute_update(
        "record_contact",
        RecordContact(on=today, kind=ContactKind.OUTREACH_VISIT, actor=sw),
        result_type=SupportState,
    )
    assert state.missed_contacts == 0
    assert state.next_contact_due == today + timedelta(days=7)


async def test_closure_needs_a_leads_sign_off_and_a_second_reason_before_the_minimum(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw, babies = await _after_birth(clock_env, sessions, task_queue)
    await removed(handle, sw, babies[0].baby_id)
    episode = await _episode(clock_env, handle)
    lead = await actor_for(sessions, "lee.lead")
    refusals = [
        (
            CloseEpisode(reason="Moved away", handover_to="Eastshire", actor=sw),
            "only a safeguarding lead",
        ),
        (CloseEpisode(reason="Moved away", handover_to="Eastshire", actor=lead), "second reason"),
    ]
    for command, expected in refusals:
        with pytest.raises(WorkflowUpdateFailedError) as caught:
            await episode.execute_update("close_episode", command)
        assert expected in str(caught.value.cause)
    closed = await episode.execute_update(
        "close_episode",
        CloseEpisode(
            reason="Moved away",
            handover_to="Eastshire perinatal team",
            actor=lead,
            second_reason="Her new area's team has taken her on and met her",
        ),
        result_type=SupportState,
    )
    assert closed.status == "closed"
    await episode.result()
    [row] = await rows(sessions, SupportEpisode)
    assert (row.status, row.handover_to) == ("closed", "Eastshire perinatal team")


async def test_baby_returned_keeps_the_episode_with_a_revised_plan(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle, sw, babies = await _after_birth(clock_env, sessions, task_queue)
    await removed(handle, sw, babies[0].baby_id)
    episode = await _episode(clock_env, handle)
    await episode.execute_update(
        "record_plan_item",
        RecordPlanItem(item=PlanItem.HOUSING, outcome="Emergency housing offered", actor=sw),
    )
    stage = await handle.execute_update(
        WomanPathway.record_placement,
        RecordPlacement(
            baby_id=babies[0].baby_id,
            placement=Placement.WITH_MOTHER,
            reason="Returned home under a supervision plan",
            actor=sw,
        ),
    )
    assert stage is Stage.POSTNATAL

    async def home() -> bool:
        return bool((await episode.query("state", result_type=SupportState)).baby_home)

    await eventually(home)
    assert (await episode.describe()).status == WorkflowExecutionStatus.RUNNING
    assert (await deadline(sessions, "plan_housing")).status == "met"


async def test_scotland_refuses_discharge_before_the_pre_discharge_meeting(
    clock_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle = await start_pathway(
        clock_env.client,
        task_queue,
        pathway_input(
            await actor_for(sessions, "ewan.midwife"),
            {"area": "glenbrae"},
            area="glenbrae",
            nation=Nation.SCOTLAND,
            plan_made=True,
        ),
    )
    social_worker = await actor_for(sessions, "iona.social")
    now = await clock_env.get_current_time()
    babies = await born(handle, await actor_for(sessions, "ewan.midwife"), now)
    discharge = RecordDischarge(baby_id=babies[0].baby_id, actor=social_worker)
    with pytest.raises(WorkflowUpdateFailedError) as caught:
        await handle.execute_update(WomanPathway.record_discharge, discharge)
    assert "pre-discharge meeting" in str(caught.value.cause)
    details = meeting_at(now, 1, any_day=True)
    receipt = await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(MeetingKind.PRE_DISCHARGE, details, social_worker),
    )
    await clock_env.sleep(details.starts_at - now + timedelta(hours=2))
    from forms.meeting import MeetingHeld

    await handle.execute_update(
        WomanPathway.record_meeting_held,
        MeetingHeld(meeting_id=receipt.meeting_id, actor=social_worker),
    )
    await handle.execute_update(WomanPathway.record_discharge, discharge)
    assert (await rows(sessions, Baby))[0].discharged_at is not None
    assert await count(sessions, Task, kind="postnatal_plan") == 1
    assert await count(sessions, Task, kind="health_visitor_handover") == 1
