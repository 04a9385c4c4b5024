"""Texts from numbers nobody could match: staff see them, say whose they are, and her response
clock starts (R8.3). Matching follows the record policy and happens once."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.api.conftest import SignIn
from tests.delivery.conftest import Sessions, add_woman
from tests.delivery.test_api import NOTIFY, text_from
from tests.helpers.api import audit_of
from tests.helpers.planning import rows
from waymark.db.models import ContactRequest, Task, TimelineEvent

pytestmark = pytest.mark.usefixtures("app_client")
UNMATCHED = "/api/v1/contact-requests/unmatched"


async def _unmatched_text(app_client: httpx.AsyncClient) -> str:
    body = text_from("07700900999", "This is my new phone, can you ring me")
    answer = await app_client.post("/api/v1/notify/inbound", json=body, headers=NOTIFY)
    assert answer.json()["status"] == "unmatched"
    text_id: str = answer.json()["id"]
    return text_id


async def test_staff_match_a_text_to_her_and_her_worker_is_asked_to_respond(
    app_client: httpx.AsyncClient, sign_in: SignIn, sessions: Sessions
) -> None:
    woman = await add_woman(sessions)
    text_id = await _unmatched_text(app_client)
    sam = await sign_in("sam.social")

    listed = await sam.get(UNMATCHED)
    assert listed.status_code == 200
    assert [(t["id"], t["text"]) for t in listed.json()] == [
        (text_id, "This is my new phone, can you ring me")
    ]
    assert [a.action for a in await audit_of(sessions, listed)] == ["view_unmatched_text"]

    url = f"/api/v1/contact-requests/{text_id}/match"
    matched = await sam.post(url, json={"woman_id": str(woman)})
    assert matched.status_code == 200, matched.text
    [request] = await rows(sessions, ContactRequest)
    assert request.woman_id == woman
    [event] = await rows(sessions, TimelineEvent, woman_id=woman)
    assert event.kind == "contact_requested"
    # Her pathway is not running in this test, so her worker is asked directly.
    [task] = await rows(sessions, Task, woman_id=woman, kind="contact_request")
    assert task.status == "open"
    assert (await sam.get(UNMATCHED)).json() == []
    again = await sam.post(url, json={"woman_id": str(woman)})
    assert again.status_code == 409


async def test_matching_follows_the_record_policy_and_refuses_bad_input(
    app_client: httpx.AsyncClient, sign_in: SignIn, sessions: Sessions
) -> None:
    woman = await add_woman(sessions)
    text_id = await _unmatched_text(app_client)
    url = f"/api/v1/contact-requests/{text_id}/match"
    # Glenbrae's social worker cannot see a Northmoor woman: a 404, and nothing changes.
    iona = await sign_in("iona.social")
    assert (await iona.post(url, json={"woman_id": str(woman)})).status_code == 404
    for username in ("mia.midwife", "ava.advocate"):
        client = await sign_in(username)
        assert (await client.get(UNMATCHED)).status_code == 403
        assert (await client.post(url, json={"woman_id": str(woman)})).status_code == 403
    sam = await sign_in("sam.social")
    assert (await sam.post(url, json={"woman_id": "not-an-id"})).status_code == 422
    assert (await sam.post(url, json={})).status_code == 422
    missing = f"/api/v1/contact-requests/{uuid.uuid4()}/match"
    assert (await sam.post(missing, json={"woman_id": str(woman)})).status_code == 404
    [request] = await rows(sessions, ContactRequest)
    assert request.woman_id is None
    assert await rows(sessions, TimelineEvent, woman_id=woman) == []
