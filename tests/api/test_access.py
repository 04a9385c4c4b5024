"""The record-level policy: who may see which woman, who may screen, and the audit of each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select, update

from tests.api.conftest import SignIn
from tests.helpers.api import (
    Sessions,
    audit_of,
    glenbrae_referral_body,
    make_referral,
    user_id,
)
from waymark.db.models import AdvocateAllocation, Involvement, Organisation, Referral

USERS = [
    "sam.social",
    "iona.social",
    "mia.midwife",
    "dev.drugs",
    "ewan.midwife",
    "ava.advocate",
    "kirsty.advocate",
    "lee.lead",
    "fiona.lead",
    "ada.admin",
]

# Who sees each woman straight after her referral (nobody is allocated or added yet).
SEES_NORTHMOOR = {"sam.social", "mia.midwife", "lee.lead"}
SEES_GLENBRAE = {"iona.social", "ewan.midwife", "fiona.lead"}

# What a person who may not see her gets: the same as for a record that does not exist.
NOT_FOUND = {"detail": "no such woman's record"}


@dataclass(frozen=True)
class Women:
    northmoor: str
    glenbrae: str


@pytest.fixture
async def women(sign_in: SignIn) -> Women:
    """One woman referred in each area, by a midwife there."""
    northmoor = await make_referral(await sign_in("mia.midwife"))
    glenbrae = await make_referral(await sign_in("ewan.midwife"), glenbrae_referral_body())
    return Women(northmoor=northmoor, glenbrae=glenbrae)


@pytest.fixture
async def clients(sign_in: SignIn) -> dict[str, httpx.AsyncClient]:
    return {username: await sign_in(username) for username in USERS}


async def assert_view(
    client: httpx.AsyncClient, sessions: Sessions, username: str, woman_id: str, *, seen: bool
) -> httpx.Response:
    """GET her record; check the status, that a refusal reveals nothing, and the audit row."""
    response = await client.get(f"/api/v1/women/{woman_id}")
    assert response.status_code == (200 if seen else 404), (username, response.text)
    if seen:
        assert response.json()["id"] == woman_id
    else:
        assert response.json() == NOT_FOUND, (username, response.text)
        for name in ("Jane", "Jay", "Example", "Morag", "Glenexample", woman_id):
            assert name not in response.text
    [row] = await audit_of(sessions, response)
    assert (row.action, row.record_type, row.record_id) == ("view_woman", "woman", woman_id)
    assert row.outcome == ("allowed" if seen else "denied"), username
    assert row.actor_user_id == await user_id(sessions, username)
    return response


async def test_each_person_sees_only_the_women_the_policy_allows(
    women: Women, clients: dict[str, httpx.AsyncClient], sessions: Sessions
) -> None:
    for username, client in clients.items():
        for woman_id, seers in ((women.northmoor, SEES_NORTHMOOR), (women.glenbrae, SEES_GLENBRAE)):
            await assert_view(client, sessions, username, woman_id, seen=username in seers)


async def test_a_hidden_record_looks_exactly_like_a_missing_one(
    women: Women, sign_in: SignIn, sessions: Sessions
) -> None:
    iona = await sign_in("iona.social")
    hidden = await iona.get(f"/api/v1/women/{women.northmoor}")
    missing_id = str(uuid.uuid4())
    missing = await iona.get(f"/api/v1/women/{missing_id}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    [row] = await audit_of(sessions, missing)
    assert (row.action, row.outcome, row.record_id) == ("view_woman", "denied", missing_id)


async def test_the_list_holds_only_the_women_each_person_may_see(
    women: Women, clients: dict[str, httpx.AsyncClient], sessions: Sessions
) -> None:
    for username, client in clients.items():
        response = await client.get("/api/v1/women")
        assert response.status_code == 200, response.text
        expected = {women.northmoor} if username in SEES_NORTHMOOR else set()
        expected |= {women.glenbrae} if username in SEES_GLENBRAE else set()
        listed = [item["id"] for item in response.json()]
        assert sorted(listed) == sorted(expected), username
        rows = await audit_of(sessions, response)
        assert sorted(r.record_id or "" for r in rows) == sorted(expected)
        assert {(r.action, r.outcome) for r in rows} <= {("list_woman", "allowed")}


async def test_an_advocate_sees_her_only_while_allocated(
    women: Women, sign_in: SignIn, sessions: Sessions
) -> None:
    ava, kirsty = await sign_in("ava.advocate"), await sign_in("kirsty.advocate")
    await assert_view(ava, sessions, "ava.advocate", women.northmoor, seen=False)

    async with sessions() as session, session.begin():
        session.add(
            AdvocateAllocation(
                woman_id=uuid.UUID(women.northmoor),
                advocate_user_id=await user_id(sessions, "ava.advocate"),
            )
        )
    seen = await assert_view(ava, sessions, "ava.advocate", women.northmoor, seen=True)
    assert seen.json()["advocate"] == "Ava Lewis"
    assert [w["id"] for w in (await ava.get("/api/v1/women")).json()] == [women.northmoor]
    # The allocation is to one woman and one advocate only.
    await assert_view(ava, sessions, "ava.advocate", women.glenbrae, seen=False)
    await assert_view(kirsty, sessions, "kirsty.advocate", women.northmoor, seen=False)

    async with sessions() as session, session.begin():
        await session.execute(
            update(AdvocateAllocation)
            .where(AdvocateAllocation.woman_id == uuid.UUID(women.northmoor))
            .values(ended_at=datetime.now(UTC))
        )
    await assert_view(ava, sessions, "ava.advocate", women.northmoor, seen=False)
    assert (await ava.get("/api/v1/women")).json() == []


async def test_a_practitioner_sees_her_once_their_agency_is_involved(
    women: Women, sign_in: SignIn, sessions: Sessions
) -> None:
    drugs = await sign_in("dev.drugs")
    await assert_view(drugs, sessions, "dev.drugs", women.northmoor, seen=False)
    async with sessions() as session, session.begin():
        org = await session.scalar(
            select(Organisation.id).where(Organisation.code == "northmoor-recovery")
        )
        assert org is not None
        session.add(
            Involvement(woman_id=uuid.UUID(women.northmoor), organisation_id=org, reason="test")
        )
    await assert_view(drugs, sessions, "dev.drugs", women.northmoor, seen=True)
    await assert_view(drugs, sessions, "dev.drugs", women.glenbrae, seen=False)


# Screening.


def screening(decision: str, reason: str | None = "Discussed at the screening meeting") -> dict:
    body = {"decision": decision}
    return body if reason is None else {**body, "reason": reason}


async def screen(client: httpx.AsyncClient, woman_id: str, body: dict) -> httpx.Response:
    return await client.post(f"/api/v1/women/{woman_id}/screening", json=body)


async def record_of(client: httpx.AsyncClient, woman_id: str) -> dict:
    response = await client.get(f"/api/v1/women/{woman_id}")
    assert response.status_code == 200, response.text
    record: dict = response.json()
    return record


async def test_only_a_social_worker_of_her_team_may_record_screening(
    women: Women, sign_in: SignIn, sessions: Sessions
) -> None:
    midwife, iona = await sign_in("mia.midwife"), await sign_in("iona.social")

    by_role = await screen(midwife, women.northmoor, screening("pre_birth_assessment"))
    assert by_role.status_code == 403
    assert "practitioner" in by_role.json()["detail"]
    [row] = await audit_of(sessions, by_role)
    assert (row.action, row.record_type, row.outcome) == ("record_screening", "function", "denied")

    other_team = await screen(iona, women.northmoor, screening("pre_birth_assessment"))
    assert other_team.status_code == 404
    assert other_team.json() == NOT_FOUND
    [row] = await audit_of(sessions, other_team)
    assert (row.action, row.outcome) == ("record_screening", "denied")
    assert row.record_id == women.northmoor

    record = await record_of(midwife, women.northmoor)
    assert record["stage"] == "screening"
    assert len(record["timeline"]) == 1


async def test_screening_moves_her_on_and_refuses_what_cannot_follow(
    women: Women, sign_in: SignIn, sessions: Sessions
) -> None:
    sam = await sign_in("sam.social")
    done = await screen(sam, women.northmoor, screening("pre_birth_assessment"))
    assert done.status_code == 200, done.text
    assert done.json()["stage"] == "pre_birth_assessment"
    record = await record_of(sam, women.northmoor)
    assert record["stage"] == "pre_birth_assessment"
    kinds = [e["kind"] for e in record["timeline"]]
    assert kinds[0] == "referral_received"
    assert kinds.count("screening_decision") == 1

    for decision in ("early_help", "pre_birth_assessment", "no_further_action"):
        refused = await screen(sam, women.northmoor, screening(decision))
        assert refused.status_code == 409, (decision, refused.text)
        detail = refused.json()["detail"]
        assert decision in detail
        assert "pre_birth_assessment" in detail
    after = await record_of(sam, women.northmoor)
    assert after["stage"] == "pre_birth_assessment"
    assert after["timeline"] == record["timeline"]
    async with sessions() as session:
        decision_on_record = await session.scalar(
            select(Referral.screening_decision).where(
                Referral.woman_id == uuid.UUID(women.northmoor)
            )
        )
    assert decision_on_record == "pre_birth_assessment"

    escalated = await screen(sam, women.northmoor, screening("strategy_discussion"))
    assert escalated.status_code == 200, escalated.text
    assert escalated.json()["stage"] == "strategy_discussion"


async def test_no_further_action_closes_her_pathway(women: Women, sign_in: SignIn) -> None:
    sam = await sign_in("sam.social")
    closed = await screen(sam, women.northmoor, screening("no_further_action"))
    assert closed.status_code == 200, closed.text
    assert closed.json()["stage"] == "closed"
    record = await record_of(sam, women.northmoor)
    assert record["stage"] == "closed"
    assert record["referrals"][0]["screening_decision"] == "no_further_action"


async def test_a_closed_pathway_refuses_further_screening_with_409(
    women: Women, sign_in: SignIn
) -> None:
    sam = await sign_in("sam.social")
    closed = await screen(sam, women.northmoor, screening("no_further_action"))
    assert closed.status_code == 200, closed.text
    record = await record_of(sam, women.northmoor)

    again = await screen(sam, women.northmoor, screening("strategy_discussion"))
    assert (await record_of(sam, women.northmoor))["timeline"] == record["timeline"]
    assert again.status_code == 409, again.text
    assert "closed" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(screening("early_help", reason=None), "reason", id="no-reason"),
        pytest.param(screening("early_help", reason=""), "reason", id="empty-reason"),
        pytest.param(screening("early_help", reason="   "), "reason", id="blank-reason"),
        pytest.param(screening("adopt_the_baby"), "decision", id="unknown-decision"),
    ],
)
async def test_a_bad_screening_request_names_the_field_and_changes_nothing(
    women: Women, sign_in: SignIn, body: dict, field: str
) -> None:
    sam = await sign_in("sam.social")
    response = await screen(sam, women.northmoor, body)
    assert response.status_code == 422, response.text
    assert [p["field"] for p in response.json()["problems"]] == [field]
    record = await record_of(sam, women.northmoor)
    assert record["stage"] == "screening"
    assert len(record["timeline"]) == 1
