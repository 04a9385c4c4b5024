"""Saved histories of running pathways must replay against the current workflow code.

A change that would break running workflows fails here; guard it with workflow.patched().
Record fresh golden histories (after a deliberate, patched change) with
WAYMARK_RECORD_HISTORIES=1 pytest tests/workflows/test_replay.py
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from forms.common import Actor
from forms.meeting import MeetingKind
from forms.pathway import ScreeningCommand, ScreeningDecision
from tests.conftest import codec_for_tests
from tests.support.pathway import actor_for, pathway_input, start_pathway
from tests.support.planning import meeting_at, schedule, to_conference
from waymark.temporal.codec import make_data_converter
from waymark.temporal.worker import WORKFLOWS
from workflows.pathway import WomanPathway

HISTORIES = Path(__file__).parent / "histories"
RECORDING = os.environ.get("WAYMARK_RECORD_HISTORIES") == "1"


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
