"""Saved histories of the allocation workflow must replay against the current code.

Record them again (after a deliberate change guarded by workflow.patched()) with
WAYMARK_RECORD_HISTORIES=1 pytest tests/advocacy/test_replay.py
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from forms.advocacy import AdvocateReply, RemovalHappened, RespondCommand
from tests.advocacy.flow import answer, nth_offer, past_answer_by, start
from tests.advocacy.support import Sessions, make_woman, only_advocates
from tests.conftest import codec_for_tests
from tests.helpers.pathway import actor_for
from waymark.temporal.codec import make_data_converter
from waymark.temporal.worker import WORKFLOWS

HISTORIES = Path(__file__).parent / "histories"
RECORDING = os.environ.get("WAYMARK_RECORD_HISTORIES") == "1"


async def test_saved_allocation_histories_replay() -> None:
    files = sorted(HISTORIES.glob("*.json"))
    assert files, "no saved histories to replay"
    replayer = Replayer(workflows=WORKFLOWS, data_converter=make_data_converter(codec_for_tests()))
    for path in files:
        history = WorkflowHistory.from_json(path.stem, path.read_text())
        result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{path.name}: {result.replay_failure}"


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("clock_worker")
async def test_record_allocation_history(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    """Nobody free, then an offer that lapses, a removal, a decline, and an acceptance."""
    await only_advocates(sessions, {})
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    await clock_env.sleep(timedelta(minutes=5))
    await only_advocates(sessions, {"ava.advocate": 2, "ben.advocate": 2, "nadia.advocate": 2})
    await clock_env.sleep(timedelta(hours=4))
    first = await nth_offer(sessions, woman, 1)
    await past_answer_by(clock_env, first)
    second = await nth_offer(sessions, woman, 2)
    await handle.signal("removal", RemovalHappened())
    await answer(handle, sessions, second, AdvocateReply.DECLINE)
    third = await nth_offer(sessions, woman, 3)
    await answer(handle, sessions, third, AdvocateReply.ACCEPT)
    await handle.result()
    history = await handle.fetch_history()
    (HISTORIES / "allocation_lapsed_declined_accepted.json").write_text(history.to_json())


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("clock_worker")
async def test_record_allocation_asked_again_declined_with_reason(
    clock_env: WorkflowEnvironment, sessions: Sessions, task_queue: str
) -> None:
    """Under today's patches: the only advocate lets the offer lapse, nobody else is free (her
    record checked), she is asked again, declines with a reason, and another accepts."""
    await only_advocates(sessions, {"ava.advocate": 2})
    woman = await make_woman(sessions)
    handle = await start(clock_env.client, task_queue, woman)
    first = await nth_offer(sessions, woman, 1)
    await past_answer_by(clock_env, first)
    await clock_env.sleep(timedelta(hours=5))  # nobody free: asked again after the retry
    again = await nth_offer(sessions, woman, 2)
    assert again.advocate_user_id == first.advocate_user_id
    await handle.execute_update(
        "respond",
        RespondCommand(
            allocation_id=again.id,
            reply=AdvocateReply.DECLINE,
            reason="I know her family",
            actor=await actor_for(sessions, "ava.advocate"),
        ),
    )
    await only_advocates(sessions, {"ava.advocate": 2, "ben.advocate": 2})
    await clock_env.sleep(timedelta(hours=5))
    third = await nth_offer(sessions, woman, 3)
    await answer(handle, sessions, third, AdvocateReply.ACCEPT)
    await handle.result()
    history = await handle.fetch_history()
    (HISTORIES / "allocation_asked_again_declined_with_reason.json").write_text(history.to_json())
