"""A transfer not yet answered: the sending social worker may take it back (with a reason;
nothing of her record moves, the receiving team no longer owes an answer, and it can no longer
be accepted); left unanswered past the receiving area's time, it is repeated to that area's
safeguarding leads by the daily sweep."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from services.duty_repeat import repeat_silent
from tests.api.conftest import SignIn
from tests.helpers.api import audit_rows, make_referral, user_id
from tests.helpers.planning import rows, settled
from tests.helpers.planning_api import screen, summary
from tests.helpers.snapshot import changed, snapshot
from waymark.db.models import Duty, Notice, Transfer, Woman
from waymark.db.session import transaction
from workflows.pathway import workflow_id

Sessions = async_sessionmaker[AsyncSession]
WITHDRAWN = {"reason": "She is staying in Northmoor after all"}


async def _asked(sign_in: SignIn) -> tuple[httpx.AsyncClient, str, dict[str, Any]]:
    sam = await sign_in("sam.social")
    woman_id = await make_referral(await sign_in("mia.midwife"))
    await screen(sam, woman_id, "strategy_discussion")
    body = {"to_area": "glenbrae", "reason": "She has moved to Glenbrae"}
    asked = await sam.post(f"/api/v1/women/{woman_id}/transfer", json=body)
    assert asked.status_code == 201, asked.text
    return sam, woman_id, asked.json()


async def test_her_social_worker_withdraws_a_transfer_before_it_is_answered(
    sign_in: SignIn, sessions: Sessions
) -> None:
    sam, woman_id, transfer = await _asked(sign_in)
    iona = await sign_in("iona.social")
    kept = await snapshot(sessions)
    done = await sam.post(f"/api/v1/women/{woman_id}/transfer/withdraw", json=WITHDRAWN)
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["answer_reason"]) == (
        "withdrawn",
        WITHDRAWN["reason"],
    )
    assert set(changed(kept, await snapshot(sessions))) <= {
        "transfers",
        "timeline_events",
        "duties",
    }
    [owed] = await rows(sessions, Duty, key=f"transfer-answer:{transfer['id']}")
    assert owed.status == "cancelled"
    [row] = await rows(sessions, Transfer, id=uuid.UUID(transfer["id"]))
    assert row.answered_by == await user_id(sessions, "sam.social")
    [woman] = await rows(sessions, Woman, id=uuid.UUID(woman_id))
    assert woman.area_code == "northmoor"
    assert await audit_rows(sessions, action="withdraw_transfer", record_id=woman_id)
    timeline = [e["summary"] for e in (await summary(sam, woman_id))["timeline"]]
    assert any(s.endswith(f"withdrawn: {WITHDRAWN['reason']}") for s in timeline)
    # The receiving team no longer sees it, and can no longer accept it.
    assert (await iona.get("/api/v1/transfers")).json() == []
    late = await iona.post(f"/api/v1/transfers/{transfer['id']}/accept", json={})
    assert late.status_code == 409, late.text
    assert (await iona.get(f"/api/v1/women/{woman_id}")).status_code == 404
    again = await sam.post(f"/api/v1/women/{woman_id}/transfer/withdraw", json=WITHDRAWN)
    assert again.status_code == 409
    assert "nothing to withdraw" in again.text
    # Her social worker may ask again later.
    body = {"to_area": "glenbrae", "reason": "She has moved after all"}
    assert (await sam.post(f"/api/v1/women/{woman_id}/transfer", json=body)).status_code == 201


@pytest.mark.parametrize(
    ("who", "body", "status", "words"),
    [
        ("sam.social", {}, 422, "reason"),
        ("sam.social", {"reason": " "}, 422, "reason"),
        ("mia.midwife", WITHDRAWN, 403, "transfer record"),
        ("iona.social", WITHDRAWN, 404, "no such woman"),
        ("lee.lead", WITHDRAWN, 403, "transfer record"),
    ],
)
async def test_a_withdrawal_that_cannot_be_made_changes_nothing(
    sign_in: SignIn, sessions: Sessions, who: str, body: dict[str, str], status: int, words: str
) -> None:
    _, woman_id, transfer = await _asked(sign_in)
    before = await snapshot(sessions)
    answer = await (await sign_in(who)).post(
        f"/api/v1/women/{woman_id}/transfer/withdraw", json=body
    )
    assert answer.status_code == status, answer.text
    assert words in answer.text
    assert changed(before, await snapshot(sessions)) == []
    [row] = await rows(sessions, Transfer, id=uuid.UUID(transfer["id"]))
    assert row.status == "requested"


async def test_an_accepted_transfer_cannot_be_withdrawn(
    sign_in: SignIn, sessions: Sessions, clock_env: WorkflowEnvironment
) -> None:
    sam, woman_id, transfer = await _asked(sign_in)
    iona = await sign_in("iona.social")
    accepted = await iona.post(f"/api/v1/transfers/{transfer['id']}/accept", json={})
    assert accepted.status_code == 200, accepted.text
    # Her pathway goes on writing what the move set going (her clocks under the new area).
    await settled(clock_env.client, workflow_id(uuid.UUID(woman_id)))
    before = await snapshot(sessions)
    late = await sam.post(f"/api/v1/women/{woman_id}/transfer/withdraw", json=WITHDRAWN)
    # Her record is the other team's now: the sending team reads it, and acts on it no more.
    assert late.status_code in (403, 404, 409), late.text
    assert changed(before, await snapshot(sessions)) == []


async def test_an_unanswered_transfer_is_escalated_to_the_receiving_areas_leads(
    sign_in: SignIn, sessions: Sessions
) -> None:
    _, woman_id, transfer = await _asked(sign_in)
    [owed] = await rows(sessions, Duty, key=f"transfer-answer:{transfer['id']}")
    fiona = await user_id(sessions, "fiona.lead")

    async def told_of_it() -> list[Notice]:
        found = await rows(sessions, Notice, woman_id=uuid.UUID(woman_id), kind="duty_repeated")
        return [n for n in found if "Answer a transfer" in n.summary]

    async with transaction(sessions) as session:
        await repeat_silent(session, owed.due_at - timedelta(hours=2))
    assert await told_of_it() == []
    async with transaction(sessions) as session:
        await repeat_silent(session, owed.due_at + timedelta(minutes=1))
    told = await told_of_it()
    assert [n.recipient_user_id for n in told] == [fiona]
    assert "Answer a transfer of a record from Northmoor" in told[0].summary
    # Nothing of her record is in what the receiving area's lead is told.
    her = await summary(await sign_in("sam.social"), woman_id)
    assert her["family_name"] not in told[0].summary
