"""Input refused at the boundary with a 4xx naming the field, and nothing written: ages outside
10 to 60, names a person could not have, no way to reach her, bodies not sent as JSON."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import Client, SignIn
from tests.helpers.referrals import referral_body
from tests.helpers.snapshot import changed, snapshot
from waymark.localtime import today_in_uk

Sessions = async_sessionmaker[AsyncSession]


def woman(**changes: Any) -> dict[str, Any]:
    return referral_body(woman={**referral_body()["woman"], **changes})


def years_ago(years: int) -> str:
    today = today_in_uk()
    return today.replace(year=today.year - years, day=min(today.day, 28)).isoformat()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        pytest.param(woman(date_of_birth="0001-01-01"), "woman.date_of_birth", "over 60", id="y1"),
        pytest.param(woman(date_of_birth=years_ago(62)), "woman.date_of_birth", "over 60", id="62"),
        pytest.param(woman(date_of_birth=years_ago(9)), "woman.date_of_birth", "under 10", id="9"),
        pytest.param(woman(given_name="\u202e" * 100), "woman.given_name", "formatting", id="rlo"),
        pytest.param(woman(family_name="Ex\u0000ample"), "woman.family_name", "control", id="nul"),
        pytest.param(woman(preferred_name="123"), "woman.preferred_name", "letter", id="digits"),
        pytest.param(
            referral_body(referrer={"practitioner_name": "M\u200bia"}),
            "referrer.practitioner_name",
            "formatting",
            id="zero-width",
        ),
        pytest.param(
            woman(contact={"mobile": "07700 900123", "channels": []}),
            "woman.contact.channels",
            "at least one way",
            id="no-channels",
        ),
    ],
)
async def test_a_referral_with_a_bad_field_is_refused_naming_it(
    sign_in: SignIn, sessions: Sessions, body: dict[str, Any], field: str, words: str
) -> None:
    midwife = await sign_in("mia.midwife")
    before = await snapshot(sessions)
    response = await midwife.post("/api/v1/referrals", json=body)
    assert response.status_code == 422, response.text
    [problem] = response.json()["problems"]
    assert problem["field"] == field
    assert words in problem["problem"]
    assert changed(before, await snapshot(sessions)) == []


async def test_a_name_is_stored_in_nfc(sign_in: SignIn) -> None:
    midwife = await sign_in("mia.midwife")
    created = await midwife.post("/api/v1/referrals", json=woman(given_name="Zoe\u0308"))
    assert created.status_code == 201, created.text
    her = await midwife.get(f"/api/v1/women/{created.json()['woman_id']}")
    assert her.json()["given_name"] == "Zo\u00eb"


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
async def test_a_body_not_sent_as_json_is_refused_with_415(
    sign_in: SignIn, sessions: Sessions, content_type: str | None
) -> None:
    midwife = await sign_in("mia.midwife")
    before = await snapshot(sessions)
    headers = {"Content-Type": content_type} if content_type else {}
    response = await post_raw(midwife, "/api/v1/referrals", json.dumps(referral_body()), headers)
    assert response.status_code == 415, response.text
    assert response.json()["problems"] == [
        {"field": "Content-Type", "problem": "must be application/json"}
    ]
    assert changed(before, await snapshot(sessions)) == []


async def test_json_with_a_charset_or_a_json_suffix_is_accepted(sign_in: SignIn) -> None:
    midwife = await sign_in("mia.midwife")
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = await post_raw(
            midwife,
            "/api/v1/referrals",
            json.dumps(referral_body()),
            {"Content-Type": content_type},
        )
        assert response.status_code == 201, (content_type, response.text)


async def test_commands_on_her_record_also_want_json(sign_in: SignIn, sessions: Sessions) -> None:
    midwife, social_worker = await sign_in("mia.midwife"), await sign_in("sam.social")
    created = await midwife.post("/api/v1/referrals", json=referral_body())
    woman_id = created.json()["woman_id"]
    before = await snapshot(sessions)
    screening = json.dumps({"decision": "no_further_action", "reason": "Recorded"})
    response = await post_raw(
        social_worker,
        f"/api/v1/women/{woman_id}/screening",
        screening,
        {"Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert changed(before, await snapshot(sessions)) == []


async def test_forms_and_bodiless_posts_are_not_json_operations(app_client: Client) -> None:
    """Signing in takes a form (OAuth2); it is not refused for not being JSON."""
    response = await app_client.post(
        "/api/v1/auth/token", data={"username": "mia.midwife", "password": "wrong"}
    )
    assert response.status_code == 401


async def post_raw(client: Client, path: str, content: str, headers: dict[str, str]) -> Any:
    # httpx sets no Content-Type for raw content unless told; the header is what is tested.
    return await client.post(path, content=content.encode(), headers=headers)


async def test_a_contract_refused_after_the_body_was_read_is_a_422_not_a_500(
    sign_in: SignIn, sessions: Sessions
) -> None:
    """Found by fuzzing: each field valid, the combination not (care needs its legal basis)."""
    midwife, social_worker = await sign_in("mia.midwife"), await sign_in("sam.social")
    woman_id = (await midwife.post("/api/v1/referrals", json=referral_body())).json()["woman_id"]
    before = await snapshot(sessions)
    response = await social_worker.post(
        f"/api/v1/women/{woman_id}/babies/{uuid.uuid4()}/placement",
        json={"placement": "care", "reason": "Order made by the family court"},
    )
    assert response.status_code == 422, response.text
    [problem] = response.json()["problems"]
    assert problem["problem"] == "a placement in care needs its legal basis"
    assert changed(before, await snapshot(sessions)) == []
