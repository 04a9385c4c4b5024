"""Saved histories of every workflow type must replay against the current workflow code:
pathway, conference, support, delivery and oversight here; allocation in tests/advocacy.

A change that would break running workflows fails here; guard it with workflow.patched().
Record fresh golden histories (after a deliberate, patched change) with
WAYMARK_RECORD_HISTORIES=1 pytest tests/workflows/test_replay.py
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer
from temporalio.workflow import _Definition as WorkflowDefinition

from forms.common import Actor
from forms.delivery import DispatcherInput
from forms.ledger import SweepInput
from forms.meeting import MeetingKind
from forms.pathway import ScreeningCommand, ScreeningDecision
from forms.support import CloseEpisode, ContactKind, PlanItem, RecordContact, RecordPlanItem
from rules.uktime import uk_date
from tests.conftest import codec_for_tests
from tests.helpers.birth import born, removed
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import eventually, meeting_at, schedule, to_conference
from waymark.settings import Settings
from waymark.temporal.codec import make_data_converter
from waymark.temporal.worker import WORKFLOWS, build_worker
from workflows.delivery import DeliveryDispatcher
from workflows.oversight import OversightSweep
from workflows.pathway import WomanPathway
from workflows.support import MotherSupport, episode_id_for

HISTORIES = Path(__file__).parent / "histories"
ADVOCACY = Path(__file__).parent.parent / "advocacy" / "histories"
RECORDING = os.environ.get("WAYMARK_RECORD_HISTORIES") == "1"


def test_every_workflow_type_has_a_saved_history() -> None:
    saved = {
        json.loads(path.read_text())["events"][0]["workflowExecutionStartedEventAttributes"][
            "workflowType"
        ]["name"]
        for path in [*HISTORIES.glob("*.json"), *ADVOCACY.glob("*.json")]
    }
    assert saved == {defn_name(workflow) for workflow in WORKFLOWS}


def defn_name(workflow: type) -> str:
    return str(WorkflowDefinition.must_from_class(workflow).name)


async def test_saved_histories_replay_against_current_code() -> None:
    files = sorted(HISTORIES.glob("*.json"))
    assert files, "no saved histories to replay"
    replayer = Replayer(workflows=WORKFLOWS, data_converter=make_data_converter(codec_for_tests()))
    for path in files:
        history = WorkflowHistory.from_json(path.stem, path.read_text())
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("demo", "worker")
async def test_record_golden_histories(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    referrer = await actor_for(sessions, "mia.midwife")
    social_worker = await actor_for(sessions, "sam.social")
    scenarios = {
        "pathway_escalated_to_strategy_discussion": [
            ScreeningDecision.EARLY_HELP,
            ScreeningDecision.STRATEGY_DISCUSSION,
        ],
        "pathway_closed_no_further_action": [ScreeningDecision.NO_FURTHER_ACTION],
    }
    for name, decisions in scenarios.items():
        handle = await start_pathway(temporal_env.client, task_queue, pathway_input(referrer))
        for decision in decisions:
            await handle.execute_update(
                WomanPathway.record_screening,
                ScreeningCommand(decision=decision, reason="Recorded", actor=social_worker),
            )
        await _save(handle, HISTORIES / f"{name}.json")
    await _record_conference(temporal_env, referrer, social_worker, task_queue)


async def _record_conference(
    env: WorkflowEnvironment, referrer: Actor, social_worker: Actor, task_queue: str
) -> None:
    handle = await start_pathway(env.client, task_queue, pathway_input(referrer))
    now = await env.get_current_time()
    await to_conference(handle, social_worker, now)
    await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(MeetingKind.CONFERENCE, meeting_at(now, 10), social_worker),
    )
    state = await handle.query(WomanPathway.state)
    conference = env.client.get_workflow_handle(f"conference-{state.conference_id}")
    await _save(handle, HISTORIES / "pathway_conference_scheduled.json")
    await _save(conference, HISTORIES / "conference_scheduled.json")


async def _save(handle: WorkflowHandle[Any, Any], path: Path) -> None:
    history = await handle.fetch_history()
    path.write_text(history.to_json())


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("demo")
async def test_record_support_oversight_and_delivery_histories(
    clock_env: WorkflowEnvironment,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
) -> None:
    """After a birth and her baby's removal: her support episode (a contact, a plan item, a
    missed contact, a lead's closure), a sweep while it is open, and the dispatcher's rounds
    sending the notices all of this wrote."""
    queue = settings.temporal_task_queue
    midwife = await actor_for(sessions, "mia.midwife")
    social_worker = await actor_for(sessions, "sam.social")
    async with build_worker(clock_env.client, sessions, queue, settings):
        pathway = await start_pathway(clock_env.client, queue, pathway_input(midwife))
        babies = await born(pathway, midwife, await clock_env.get_current_time())
        await removed(pathway, social_worker, babies[0].baby_id)
        state = await pathway.query(WomanPathway.state)
        episode = clock_env.client.get_workflow_handle(episode_id_for(state.woman_id, 1))
        await _support(clock_env, episode, social_worker, await actor_for(sessions, "lee.lead"))
        await _save(episode, HISTORIES / "support_contact_missed_closed.json")
        sweep = await clock_env.client.start_workflow(
            OversightSweep.run, SweepInput(), id="oversight-sweep-recorded", task_queue=queue
        )
        await sweep.result()
        await _save(sweep, HISTORIES / "oversight_sweep_after_removal.json")
        await _record_dispatcher(clock_env, queue)


async def _support(
    env: WorkflowEnvironment, episode: WorkflowHandle[Any, Any], worker: Actor, lead: Actor
) -> None:
    today = uk_date(await env.get_current_time())
    await episode.execute_update(
        MotherSupport.record_contact,
        RecordContact(on=today, kind=ContactKind.IN_PERSON, actor=worker),
    )
    await episode.execute_update(
        MotherSupport.record_plan_item,
        RecordPlanItem(
            item=PlanItem.HOUSING, outcome="Tenancy support referral made", actor=worker
        ),
    )
    await env.sleep(timedelta(days=9))  # the next contact is missed
    await episode.execute_update(
        MotherSupport.close_episode,
        CloseEpisode(
            reason="Moved away",
            handover_to="Eastshire perinatal team",
            second_reason="Her new area's team has taken her on and met her",
            actor=lead,
        ),
    )
    await episode.result()


async def _record_dispatcher(env: WorkflowEnvironment, queue: str) -> None:
    dispatcher = await env.client.start_workflow(
        DeliveryDispatcher.run,
        DispatcherInput(continue_after=3),
        id="delivery-dispatcher-recorded",
        task_queue=queue,
    )
    first_run = dispatcher.result_run_id
    await dispatcher.signal(DeliveryDispatcher.dispatch_now)
    await env.sleep(timedelta(minutes=2))  # the rounds' 30 s waits, on virtual time

    async def moved_on() -> bool:
        return (await dispatcher.describe()).run_id != first_run

    await eventually(moved_on)
    first = env.client.get_workflow_handle(dispatcher.id, run_id=first_run)
    await _save(first, HISTORIES / "delivery_rounds_then_continue_as_new.json")
    await env.client.get_workflow_handle(dispatcher.id).terminate(reason="recorded")
