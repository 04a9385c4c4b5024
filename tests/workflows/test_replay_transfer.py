"""A pathway moved to another area before her conference and support episode followed her
(`TRACKS_FOLLOW_PATCH`) replays against the current code: the saved history moved a pathway
whose conference was running, so code that signalled it without the guard would not replay.

Record it again (only from code without the change) with
WAYMARK_RECORD_HISTORIES=1 pytest tests/workflows/test_replay_transfer.py
"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from forms.meeting import MeetingKind
from forms.transfer import MoveArea
from tests.conftest import codec_for_tests
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.planning import meeting_at, schedule, to_conference
from tests.workflows.test_replay import HISTORIES, RECORDING, _save
from waymark.temporal.codec import make_data_converter
from waymark.temporal.worker import WORKFLOWS
from workflows.pathway import WomanPathway

SAVED = HISTORIES / "pathway_conference_then_moved_to_scotland.json"
FOLLOWED = HISTORIES / "pathway_moved_and_her_conference_told.json"


def test_the_saved_move_had_a_conference_running() -> None:
    events = json.loads(SAVED.read_text())["events"]
    kinds = [e["eventType"] for e in events]
    started = kinds.index("EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED")
    updates = [
        e["workflowExecutionUpdateAcceptedEventAttributes"]["acceptedRequest"]["input"]["name"]
        for e in events
        if e["eventType"] == "EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED"
    ]
    moved = max(
        i
        for i, e in enumerate(events)
        if e["eventType"] == "EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED"
    )
    assert updates[-1] == "move_area"
    assert started < moved
    told = [
        e["signalExternalWorkflowExecutionInitiatedEventAttributes"]["signalName"]
        for e in events[moved:]
        if e["eventType"] == "EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED"
    ]
    assert "latest_changed" in told  # her conference was running when she moved
    assert "area_moved" not in told


async def test_a_move_made_before_the_tracks_followed_replays() -> None:
    replayer = Replayer(workflows=WORKFLOWS, data_converter=make_data_converter(codec_for_tests()))
    history = WorkflowHistory.from_json(SAVED.stem, SAVED.read_text())
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("demo", "worker")
async def test_record_a_move_with_a_conference_running(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    referrer = await actor_for(sessions, "mia.midwife")
    social_worker = await actor_for(sessions, "sam.social")
    handle = await start_pathway(temporal_env.client, task_queue, pathway_input(referrer))
    now = await temporal_env.get_current_time()
    await to_conference(handle, social_worker, now)
    await handle.execute_update(
        WomanPathway.schedule_meeting,
        schedule(MeetingKind.CONFERENCE, meeting_at(now, 10), social_worker),
    )
    move = MoveArea(
        transfer_id=uuid.uuid4(), to_area="glenbrae", reason="She moved", actor=social_worker
    )
    await handle.execute_update(WomanPathway.move_area, move)
    await _save(handle, SAVED)


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("demo", "worker")
async def test_record_a_move_whose_tracks_follow(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    """The same move from today's code: her conference is told (`area_moved`), so the saved
    history takes TRACKS_FOLLOW_PATCH and replays with it."""
    referrer = await actor_for(sessions, "mia.midwife")
    social_worker = await actor_for(sessions, "sam.social")
    handle = await start_pathway(temporal_env.client, task_queue, pathway_input(referrer))
    now = await temporal_env.get_current_time()
    await to_conference(handle, social_worker, now)
    move = MoveArea(
        transfer_id=uuid.uuid4(), to_area="glenbrae", reason="She moved", actor=social_worker
    )
    await handle.execute_update(WomanPathway.move_area, move)
    await _save(handle, FOLLOWED)


def test_the_saved_move_told_her_conference() -> None:
    events = json.loads(FOLLOWED.read_text())["events"]
    told = [
        e["signalExternalWorkflowExecutionInitiatedEventAttributes"]["signalName"]
        for e in events
        if e["eventType"] == "EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED"
    ]
    assert "area_moved" in told
