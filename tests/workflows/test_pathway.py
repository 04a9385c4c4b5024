"""The woman's pathway workflow: intake, screening transitions, refusals, continue-as-new."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from forms.pathway import ConfirmIntake, ScreeningCommand, ScreeningDecision, Stage
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from waymark.db.models import TimelineEvent, Woman
from workflows.pathway import WomanPathway

pytestmark = pytest.mark.usefixtures("demo", "worker")


async def _stage_in_db(sessions: async_sessionmaker[AsyncSession], woman_id: object) -> str:
    async with sessions() as session:
        woman = await session.get(Woman, woman_id)
    assert woman is not None
    return woman.stage


async def _timeline_len(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(TimelineEvent)) or 0)


async def _accepted_updates(handle: WorkflowHandle[WomanPathway, object]) -> int:
    history = await handle.fetch_history()
    accepted = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    return sum(1 for event in history.events if event.event_type == accepted)


async def test_intake_records_the_referral_then_confirms(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    actor = await actor_for(sessions, "mia.midwife")
    inp = pathway_input(actor)
    handle = await start_pathway(temporal_env.client, task_queue, inp, confirm=False)
    receipt = await handle.execute_update(
        WomanPathway.confirm_intake,
        ConfirmIntake(intake_fingerprint=inp.state.intake_fingerprint),
    )
    assert receipt.woman_id == inp.state.woman_id
    assert receipt.stage == "screening"
    assert await _stage_in_db(sessions, inp.state.woman_id) == "screening"


async def test_a_different_fingerprint_is_refused(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle = await start_pathway(
        temporal_env.client,
        task_queue,
        pathway_input(await actor_for(sessions, "mia.midwife")),
        confirm=False,
    )
    with pytest.raises(WorkflowUpdateFailedError) as caught:
        await handle.execute_update(
            WomanPathway.confirm_intake, ConfirmIntake(intake_fingerprint="other")
        )
    assert isinstance(caught.value.cause, ApplicationError)
    assert caught.value.cause.type == "IdempotencyConflict"


async def test_screening_escalates_and_refuses_impossible_transitions(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    inp = pathway_input(await actor_for(sessions, "mia.midwife"))
    handle = await start_pathway(temporal_env.client, task_queue, inp)
    social_worker = await actor_for(sessions, "sam.social")

    def decide(decision: ScreeningDecision) -> ScreeningCommand:
        return ScreeningCommand(
            decision=decision, reason="Agreed at screening", actor=social_worker
        )

    outcome = await handle.execute_update(
        WomanPathway.record_screening, decide(ScreeningDecision.EARLY_HELP)
    )
    assert outcome.stage is Stage.EARLY_HELP
    timeline_before = await _timeline_len(sessions)
    accepted_before = await _accepted_updates(handle)

    with pytest.raises(WorkflowUpdateFailedError) as caught:
        await handle.execute_update(
            WomanPathway.record_screening, decide(ScreeningDecision.NO_FURTHER_ACTION)
        )
    assert isinstance(caught.value.cause, ApplicationError)
    assert caught.value.cause.type == "InvalidTransition"
    assert "early_help" in caught.value.cause.message
    # A refused command writes nothing: not to her record, not to the workflow history.
    assert await _timeline_len(sessions) == timeline_before
    assert await _accepted_updates(handle) == accepted_before

    outcome = await handle.execute_update(
        WomanPathway.record_screening, decide(ScreeningDecision.STRATEGY_DISCUSSION)
    )
    assert outcome.stage is Stage.STRATEGY_DISCUSSION
    assert await _stage_in_db(sessions, inp.state.woman_id) == "strategy_discussion"


async def test_no_further_action_closes_her_pathway(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    handle = await start_pathway(
        temporal_env.client, task_queue, pathway_input(await actor_for(sessions, "mia.midwife"))
    )
    command = ScreeningCommand(
        decision=ScreeningDecision.NO_FURTHER_ACTION,
        reason="Needs met by universal services",
        actor=await actor_for(sessions, "sam.social"),
    )
    await handle.execute_update(WomanPathway.record_screening, command)
    result = await handle.result()
    assert result.stage is Stage.CLOSED
    assert (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED


async def test_long_histories_continue_as_new_keeping_her_state(
    temporal_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
    worker: Worker,
) -> None:
    inp = pathway_input(await actor_for(sessions, "mia.midwife"))
    inp.history_event_limit = 12
    handle = await start_pathway(temporal_env.client, task_queue, inp)
    first_run = (await handle.describe()).run_id
    social_worker = await actor_for(sessions, "sam.social")
    for decision in (ScreeningDecision.EARLY_HELP, ScreeningDecision.PRE_BIRTH_ASSESSMENT):
        await temporal_env.client.get_workflow_handle(handle.id).execute_update(
            WomanPathway.record_screening,
            ScreeningCommand(decision=decision, reason="Reviewed", actor=social_worker),
        )
    latest = temporal_env.client.get_workflow_handle(handle.id)
    description = await latest.describe()
    assert description.run_id != first_run
    state = await latest.query(WomanPathway.state)
    assert state.stage is Stage.PRE_BIRTH_ASSESSMENT
    assert state.screening_count == 2
    assert state.recorded
