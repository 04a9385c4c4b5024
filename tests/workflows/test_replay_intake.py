"""A saved history of her pathway receiving referrals through `receive_referral` (her first,
confirmed; a further one from another agency, joining her record), replayed with the others by
tests/workflows/test_replay.py. Record it again with
WAYMARK_RECORD_HISTORIES=1 pytest tests/workflows/test_replay_intake.py
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from forms.intake import ReceiveReferral
from forms.referral import ReferralForm
from tests.support.pathway import actor_for, pathway_input, start_pathway
from tests.support.referrals import referral_body
from tests.workflows.test_replay import HISTORIES, RECORDING
from workflows.pathway import WomanPathway


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
