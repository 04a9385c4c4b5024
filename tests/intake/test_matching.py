"""One woman, one record: a referral for a woman already on record joins her record and her
running pathway, whoever sends it and however many arrive at once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from api.referrals import IDEMPOTENCY_NAMESPACE
from tests.api.conftest import SignIn
from tests.helpers.api import glenbrae_referral_body, user_id
from tests.helpers.referrals import fresh_nhs_number, referral_body
from waymark.db.models import Involvement, Notice, Organisation, Referral, Task, Woman
from workflows.pathway import workflow_id

Sessions = async_sessionmaker[AsyncSession]
REFER = "/api/v1/referrals"


def for_her(nhs: str, **woman: Any) -> dict[str, Any]:
    body = referral_body()
    body["woman"] = {**body["woman"], "nhs_number": nhs, **woman}
    return body


async def count(sessions: Sessions, model: type, *where: Any) -> int:
    async with sessions() as session:
        found = await session.scalar(select(func.count()).select_from(model).where(*where))
        return int(found or 0)


async def not_running(temporal: Client, woman_id: uuid.UUID) -> bool:
    try:
        await temporal.get_workflow_handle(workflow_id(woman_id)).describe()
    except RPCError:
        return True
    return False


async def test_two_referrals_at_once_from_two_agencies_make_one_woman_and_one_pathway(
    sign_in: SignIn, sessions: Sessions, temporal_env: WorkflowEnvironment
) -> None:
    midwife, drugs = await sign_in("mia.midwife"), await sign_in("dev.drugs")
    nhs = fresh_nhs_number()
    keys = [{"Idempotency-Key": "mia-1"}, {"Idempotency-Key": "dev-1"}]
    answers = await asyncio.gather(
        midwife.post(REFER, json=for_her(nhs), headers=keys[0]),
        drugs.post(REFER, json=for_her(nhs), headers=keys[1]),
    )
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    receipts = [a.json() for a in answers]
    assert receipts[0]["woman_id"] == receipts[1]["woman_id"]
    assert sorted(r["outcome"] for r in receipts) == ["joined_existing_record", "new_record"]
    joined = next(r for r in receipts if r["outcome"] == "joined_existing_record")
    assert "joined" in joined["message"]
    woman_id = uuid.UUID(receipts[0]["woman_id"])
    assert await count(sessions, Woman, Woman.nhs_number == nhs) == 1
    assert await count(sessions, Referral, Referral.woman_id == woman_id) == 2
    # Each referrer's own proposed record: one is hers, the other never became a pathway.
    proposed = [
        uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"woman:{await user_id(sessions, who)}:{key}")
        for who, key in (("mia.midwife", "mia-1"), ("dev.drugs", "dev-1"))
    ]
    assert woman_id in proposed
    [other] = [p for p in proposed if p != woman_id]
    assert await not_running(temporal_env.client, other)
    assert not await not_running(temporal_env.client, woman_id)
    record = (await midwife.get(f"/api/v1/women/{woman_id}")).json()
    assert {a["code"] for a in record["agencies"]} >= {"northmoor-maternity", "northmoor-recovery"}
    kinds = sorted(e["kind"] for e in record["timeline"])
    assert kinds == ["further_referral", "referral_received"]


async def test_a_referral_for_her_joins_her_running_pathway_and_her_social_worker_is_told(
    sign_in: SignIn, sessions: Sessions
) -> None:
    sam, midwife, drugs = [await sign_in(u) for u in ("sam.social", "mia.midwife", "dev.drugs")]
    nhs = fresh_nhs_number()
    first = (await midwife.post(REFER, json=for_her(nhs))).json()
    woman_id = first["woman_id"]
    screened = await sam.post(
        f"/api/v1/women/{woman_id}/screening",
        json={"decision": "pre_birth_assessment", "reason": "Her care needs planning"},
    )
    assert screened.status_code == 200, screened.text
    key = {"Idempotency-Key": "dev-later"}
    later = await drugs.post(REFER, json=for_her(nhs), headers=key)
    assert later.status_code == 201, later.text
    assert later.json()["outcome"] == "joined_existing_record"
    assert later.json()["stage"] == "pre_birth_assessment"  # her pathway went on, not anew
    again = await drugs.post(REFER, json=for_her(nhs), headers=key)
    assert again.json()["referral_id"] == later.json()["referral_id"]
    assert await count(sessions, Referral, Referral.woman_id == uuid.UUID(woman_id)) == 2
    sam_id = await user_id(sessions, "sam.social")
    told = Notice.recipient_user_id == sam_id, Notice.kind == "further_referral"
    assert await count(sessions, Notice, *told) == 1
    assert await count(sessions, Woman) == 1


async def test_a_referral_from_another_area_learns_only_that_a_record_exists(
    sign_in: SignIn, sessions: Sessions
) -> None:
    midwife, ewan = await sign_in("mia.midwife"), await sign_in("ewan.midwife")
    nhs = fresh_nhs_number()
    woman_id = (await midwife.post(REFER, json=for_her(nhs))).json()["woman_id"]
    body = glenbrae_referral_body()
    body["woman"] = {**body["woman"], "nhs_number": nhs, "date_of_birth": "1995-01-01"}
    answer = await ewan.post(REFER, json=body)
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert receipt["woman_id"] is None
    assert receipt["stage"] == "received"
    assert receipt["outcome"] == "record_held_by_another_area"
    assert woman_id not in answer.text
    assert (await ewan.get(f"/api/v1/women/{woman_id}")).status_code == 404
    async with sessions() as session:
        glenbrae = await session.scalar(
            select(Organisation.id).where(Organisation.code == "glenbrae-maternity")
        )
        team = await session.scalar(select(Woman.team_id).where(Woman.id == uuid.UUID(woman_id)))
    assert await count(sessions, Involvement, Involvement.organisation_id == glenbrae) == 0
    task = Task.assignee_organisation_id == team, Task.kind == "further_referral"
    assert await count(sessions, Task, *task) == 1
    assert await count(sessions, Woman) == 1


@pytest.mark.parametrize("change", ["no_number", "other_birth_date"])
async def test_a_possible_match_is_held_for_her_team_to_confirm(
    sign_in: SignIn, sessions: Sessions, change: str
) -> None:
    midwife, sam = await sign_in("mia.midwife"), await sign_in("sam.social")
    nhs = fresh_nhs_number()
    woman_id = (await midwife.post(REFER, json=for_her(nhs))).json()["woman_id"]
    if change == "no_number":
        body = for_her("", given_name="JANE", family_name="Éxample")
    else:
        body = for_her(nhs, date_of_birth="1995-01-02")
    held = await midwife.post(REFER, json=body)
    assert held.status_code == 202, held.text
    assert held.json()["outcome"] == "possible_match_to_check"
    assert held.json()["woman_id"] is None
    assert await count(sessions, Woman) == 1
    queue = (await sam.get("/api/v1/possible-matches")).json()
    assert [item["woman_id"] for item in queue] == [woman_id]
    assert (await (await sign_in("ola.social")).get("/api/v1/possible-matches")).json()
    assert (await (await sign_in("iona.social")).get("/api/v1/possible-matches")).json() == []
    confirmed = await sam.post(
        f"/api/v1/possible-matches/{queue[0]['id']}/confirm", json={"reason": "Same woman"}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["woman_id"] == woman_id
    assert await count(sessions, Referral, Referral.woman_id == uuid.UUID(woman_id)) == 2
    assert await count(sessions, Woman) == 1
    assert (await sam.get("/api/v1/possible-matches")).json() == []
    twice = await sam.post(
        f"/api/v1/possible-matches/{queue[0]['id']}/reject", json={"reason": "Changed my mind"}
    )
    assert twice.status_code == 409


async def test_a_rejected_possible_match_starts_a_record_of_her_own(
    sign_in: SignIn, sessions: Sessions
) -> None:
    midwife, sam = await sign_in("mia.midwife"), await sign_in("sam.social")
    await midwife.post(REFER, json=for_her(fresh_nhs_number()))
    held = await midwife.post(REFER, json=for_her(""))
    assert held.status_code == 202, held.text
    [item] = (await sam.get("/api/v1/possible-matches")).json()
    no_reason = await sam.post(f"/api/v1/possible-matches/{item['id']}/reject", json={})
    assert no_reason.status_code == 422
    rejected = await sam.post(
        f"/api/v1/possible-matches/{item['id']}/reject", json={"reason": "Another woman"}
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["woman_id"] not in (None, item["woman_id"])
    assert rejected.json()["outcome"] == "new_record"
    assert await count(sessions, Woman) == 2
