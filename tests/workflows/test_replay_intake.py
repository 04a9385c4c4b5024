"""Saved histories of her pathway receiving referrals through `receive_referral`, replayed with
the others by tests/workflows/test_replay.py: her first, confirmed, and a further one from another
agency joining her record (started, then sent the Update; her area's rules loaded by activity);
and her first referred in one call (update-with-start, her area's rules in the start input,
her referral recorded by a local activity).
Record them again with WAYMARK_RECORD_HISTORIES=1 pytest tests/workflows/test_replay_intake.py
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.testing import WorkflowEnvironment

from forms.intake import ReceiveReferral
from forms.referral import ReferralForm
from rules.calendar import with_closed_days
from tests.helpers.pathway import actor_for, pathway_input, start_pathway
from tests.helpers.referrals import referral_body
from tests.workflows.test_replay import HISTORIES, RECORDING
from waymark.areas import get_area
from workflows.pathway import WomanPathway, workflow_id

RECORDED_IN_ONE_CALL = "pathway_referred_in_one_call.json"


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("demo", "worker")
async def test_record_a_pathway_receiving_a_further_referral(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    midwife = await actor_for(sessions, "mia.midwife")
    drugs = await actor_for(sessions, "dev.drugs")
    inp = pathway_input(midwife)
    handle = await start_pathway(temporal_env.client, task_queue, inp, confirm=False)
    assert inp.referral is not None
    first = ReceiveReferral(
        referral_id=inp.state.referral_id,
        referral=inp.referral,
        actor=midwife,
        fingerprint=inp.state.intake_fingerprint,
    )
    assert (await handle.execute_update(WomanPathway.receive_referral, first)).outcome == (
        "new_record"
    )
    body = referral_body()
    body["woman"] = {**body["woman"], "nhs_number": inp.referral.woman.nhs_number}
    further = ReceiveReferral(
        referral_id=uuid.uuid4(),
        referral=ReferralForm.model_validate(body),
        actor=drugs,
        fingerprint="another",
    )
    receipt = await handle.execute_update(WomanPathway.receive_referral, further)
    assert receipt.outcome == "joined_existing_record"
    history = await handle.fetch_history()
    (HISTORIES / "pathway_further_referral.json").write_text(history.to_json())


@pytest.mark.skipif(not RECORDING, reason="set WAYMARK_RECORD_HISTORIES=1 to record")
@pytest.mark.usefixtures("demo", "worker")
async def test_record_a_pathway_referred_in_one_call(
    temporal_env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    """As intake refers now: update-with-start, her area's rules in the start input, her
    referral recorded by a local activity in her first workflow task.

    `pathway_referred_in_one_call_older_worker.json` was recorded by this test too, once, with
    workflows/pathway.py as it was before the pathway-intake-in-one-task patch (a new API's
    start handled by a worker not yet upgraded, which loads the rules by activity)."""
    midwife = await actor_for(sessions, "mia.midwife")
    inp = pathway_input(midwife)
    inp.area_rules = with_closed_days(get_area(inp.state.area), 2026)
    assert inp.referral is not None
    start = WithStartWorkflowOperation(
        WomanPathway.run,
        inp,
        id=workflow_id(inp.state.woman_id),
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    first = ReceiveReferral(
        referral_id=inp.state.referral_id,
        referral=inp.referral,
        actor=midwife,
        fingerprint=inp.state.intake_fingerprint,
    )
    receipt = await temporal_env.client.execute_update_with_start_workflow(
        WomanPathway.receive_referral, first, start_workflow_operation=start
    )
    assert receipt.outcome == "new_record"
    history = await (await start.workflow_handle()).fetch_history()
    (HISTORIES / RECORDED_IN_ONE_CALL).write_text(history.to_json())
