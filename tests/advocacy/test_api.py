"""The advocacy API: each endpoint's happy path and its refusals (403, 404, 409, 422)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.advocacy.flow import nth_offer
from tests.advocacy.support import (
    Sessions,
    allocate_directly,
    allocations,
    make_woman,
    user_id,
)
from tests.api.conftest import SignIn
from tests.helpers.api import audit_of

pytestmark = pytest.mark.usefixtures("app_client")


async def _offer(
    client: httpx.AsyncClient, woman: uuid.UUID, trigger: str = "referral"
) -> httpx.Response:
    return await client.post(f"/api/v1/women/{woman}/advocacy/offer", json={"trigger": trigger})


async def _respond(client: httpx.AsyncClient, woman: uuid.UUID, response: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/women/{woman}/advocacy/response", json={"response": response}
    )


async def test_offer_and_her_answer(sign_in: SignIn, sessions: Sessions) -> None:
    sam = await sign_in("sam.social")
    woman = await make_woman(sessions)
    assert (await _respond(sam, woman, "accepted")).status_code == 409  # nothing offered yet
    offered = await _offer(sam, woman)
    assert offered.status_code == 201, offered.text
    assert offered.json()["response"] == "pending"
    assert [a.action for a in await audit_of(sessions, offered)] == ["offer_advocacy"]
    assert (await _offer(sam, woman, "conference")).status_code == 409
    declined = await _respond(sam, woman, "declined")
    assert declined.status_code == 200, declined.text
    assert declined.json()["workflow_id"] is None
    assert (await _offer(sam, woman, "conference")).status_code == 201
    accepted = await _respond(sam, woman, "accepted")
    assert accepted.json()["workflow_id"] == f"advocacy-{woman}"
    offer = await nth_offer(sessions, woman, 1)
    assert offer.advocate_user_id == await user_id(sessions, "ava.advocate")
    history = await sam.get(f"/api/v1/women/{woman}/advocacy")
    assert [o["response"] for o in history.json()["offers"]] == ["declined", "accepted"]
    assert history.json()["allocations"][0]["status"] == "offered"


@pytest.mark.parametrize(
    ("username", "status"),
    [("iona.social", 404), ("mia.midwife", 403), ("ava.advocate", 403), ("lee.lead", 403)],
)
async def test_only_her_social_worker_records_offers(
    sign_in: SignIn, sessions: Sessions, username: str, status: int
) -> None:
    woman = await make_woman(sessions)
    client = await sign_in(username)
    assert (await _offer(client, woman)).status_code == status
    assert (await _respond(client, woman, "accepted")).status_code == status


@pytest.mark.parametrize(
    "body", [{"trigger": "reallocation"}, {"trigger": "whenever"}, {}, {"trigger": "birth", "x": 1}]
)
async def test_a_bad_offer_is_refused(sign_in: SignIn, sessions: Sessions, body: object) -> None:
    sam = await sign_in("sam.social")
    woman = await make_woman(sessions)
    response = await sam.post(f"/api/v1/women/{woman}/advocacy/offer", json=body)
    assert response.status_code == 422
    bad_answer = await sam.post(
        f"/api/v1/women/{woman}/advocacy/response", json={"response": "maybe"}
    )
    assert bad_answer.status_code == 422


async def test_no_offer_while_she_has_an_advocate(sign_in: SignIn, sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    await allocate_directly(sessions, woman, "ava.advocate")
    assert (await _offer(await sign_in("sam.social"), woman)).status_code == 409


async def test_the_offered_advocate_answers(sign_in: SignIn, sessions: Sessions) -> None:
    sam, ava, ben = (
        await sign_in("sam.social"),
        await sign_in("ava.advocate"),
        await sign_in("ben.advocate"),
    )
    woman = await make_woman(sessions)
    await _offer(sam, woman)
    await _respond(sam, woman, "accepted")
    offer = await nth_offer(sessions, woman, 1)
    url = f"/api/v1/advocacy/allocations/{offer.id}/respond"
    assert (await ben.post(url, json={"reply": "accept"})).status_code == 404
    assert (await sam.post(url, json={"reply": "accept"})).status_code == 403
    assert (await ava.post(url, json={"reply": "perhaps"})).status_code == 422
    missing = f"/api/v1/advocacy/allocations/{uuid.uuid4()}/respond"
    assert (await ava.post(missing, json={"reply": "accept"})).status_code == 404
    # Offered is not yet hers: she sees the offer, not the woman's record.
    assert (await ava.get(f"/api/v1/women/{woman}")).status_code == 404
    assert [w["status"] for w in (await ava.get("/api/v1/advocates/me/women")).json()] == [
        "offered"
    ]
    answered = await ava.post(url, json={"reply": "accept"})
    assert answered.status_code == 200, answered.text
    assert answered.json() == {"status": "accepted"}
    assert (await ava.post(url, json={"reply": "decline"})).status_code == 422  # says why
    declined = {"reply": "decline", "reason": "My caseload is full"}
    assert (await ava.post(url, json=declined)).status_code == 409
    mine = await ava.get("/api/v1/advocates/me/women")
    assert [w["id"] for w in mine.json()] == [str(woman)]
    assert mine.json()[0]["status"] == "accepted"
    assert (await ava.get(f"/api/v1/women/{woman}")).status_code == 200
    assert (await sam.get("/api/v1/advocates/me/women")).status_code == 403
    assert (await ben.get("/api/v1/advocates/me/women")).json() == []
    assert (await ava.get(f"/api/v1/women/{woman}/advocacy")).status_code == 200
    assert (await ben.get(f"/api/v1/women/{woman}/advocacy")).status_code == 404


async def test_history_follows_the_record_policy(sign_in: SignIn, sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    for username, status in [
        ("sam.social", 200),
        ("lee.lead", 200),
        ("iona.social", 404),
        ("fiona.lead", 404),
        ("kirsty.advocate", 404),
    ]:
        response = await (await sign_in(username)).get(f"/api/v1/women/{woman}/advocacy")
        assert response.status_code == status, username


async def test_a_conflict_replaces_her_advocate(sign_in: SignIn, sessions: Sessions) -> None:
    lee = await sign_in("lee.lead")
    woman = await make_woman(sessions)
    await allocate_directly(sessions, woman, "ava.advocate")
    ava = await user_id(sessions, "ava.advocate")
    url = f"/api/v1/advocates/{ava}/conflicts"
    body = {"woman_id": str(woman), "reason": "Ava is a family friend"}
    recorded = await lee.post(url, json=body)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["reallocating"] is True
    offer = await nth_offer(sessions, woman, 2)
    assert offer.advocate_user_id != ava
    assert (await allocations(sessions, woman_id=woman))[
        0
    ].end_reason == "a conflict of interest was recorded"
    assert (await lee.post(url, json=body)).status_code == 409


async def test_conflict_refusals(sign_in: SignIn, sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    ben = await user_id(sessions, "ben.advocate")
    body = {"woman_id": str(woman), "reason": "Knows her partner"}
    url = f"/api/v1/advocates/{ben}/conflicts"
    assert (await (await sign_in("sam.social")).post(url, json=body)).status_code == 403
    assert (await (await sign_in("ava.advocate")).post(url, json=body)).status_code == 403
    assert (await (await sign_in("fiona.lead")).post(url, json=body)).status_code == 404
    assert (await (await sign_in("ailsa.advocate")).post(url, json=body)).status_code == 403
    lee = await sign_in("lee.lead")
    assert (
        await lee.post(f"/api/v1/advocates/{uuid.uuid4()}/conflicts", json=body)
    ).status_code == 404
    sam_id = await user_id(sessions, "sam.social")
    assert (await lee.post(f"/api/v1/advocates/{sam_id}/conflicts", json=body)).status_code == 404
    assert (await lee.post(url, json={"woman_id": str(woman), "reason": " "})).status_code == 422
    # The advocacy service's manager may record one for her own advocates.
    nadia = await sign_in("nadia.advocate")
    recorded = await nadia.post(url, json=body)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["reallocating"] is False


async def test_an_admin_sets_an_advocates_profile(sign_in: SignIn, sessions: Sessions) -> None:
    ada = await sign_in("ada.admin")
    ben = await user_id(sessions, "ben.advocate")
    body = {
        "capacity": 5,
        "areas": ["northmoor"],
        "languages": ["en", "pl", "ro"],
        "on_leave_from": "2027-01-04",
        "on_leave_until": "2027-01-15",
        "is_manager": False,
    }
    saved = await ada.put(f"/api/v1/advocates/{ben}/profile", json=body)
    assert saved.status_code == 200, saved.text
    assert saved.json()["languages"] == ["en", "pl", "ro"]
    assert [a.action for a in await audit_of(sessions, saved)] == ["save_advocate_profile"]
    kirsty = await user_id(sessions, "kirsty.advocate")
    assert (await ada.put(f"/api/v1/advocates/{kirsty}/profile", json=body)).status_code == 404
    assert (
        await ada.put(f"/api/v1/advocates/{uuid.uuid4()}/profile", json=body)
    ).status_code == 404
    sam = await sign_in("sam.social")
    assert (await sam.put(f"/api/v1/advocates/{ben}/profile", json=body)).status_code == 403


@pytest.mark.parametrize(
    "change",
    [
        {"capacity": -1},
        {"areas": []},
        {"areas": ["atlantis"]},
        {"languages": ["English"]},
        {"on_leave_from": "2027-01-15", "on_leave_until": "2027-01-04"},
    ],
)
async def test_a_bad_profile_is_refused(
    sign_in: SignIn, sessions: Sessions, change: dict[str, object]
) -> None:
    ada = await sign_in("ada.admin")
    ben = await user_id(sessions, "ben.advocate")
    body = {"capacity": 5, "areas": ["northmoor"], "languages": ["en"]} | change
    assert (await ada.put(f"/api/v1/advocates/{ben}/profile", json=body)).status_code == 422
