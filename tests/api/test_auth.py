"""Signing in: the password flow, refusals that reveal nothing, lockout, and token lifetimes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from api.auth import MAX_FAILED_SIGN_INS, NOT_RIGHT
from tests.helpers.api import Sessions, audit_of, audit_rows, user_id
from waymark.db.models import AuthSession, User
from waymark.demo import DEMO_PASSWORD

TOKEN_URL = "/api/v1/auth/token"
WRONG = "not-the-password"
BAD_CREDENTIALS = NOT_RIGHT


async def request_token(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(TOKEN_URL, data={"username": username, "password": password})


async def token_for(client: httpx.AsyncClient, username: str) -> str:
    response = await request_token(client, username, DEMO_PASSWORD)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def set_auth_session(sessions: Sessions, username: str, **values: Any) -> None:
    """Change the user's sign-in sessions directly, as time or an administrator would."""
    uid = await user_id(sessions, username)
    async with sessions() as session, session.begin():
        await session.execute(update(AuthSession).where(AuthSession.user_id == uid).values(values))


async def test_the_right_password_gives_a_bearer_token_that_opens_the_api(
    app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    response = await request_token(app_client, "sam.social", DEMO_PASSWORD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 12 * 60 * 60
    assert len(body["access_token"]) >= 32
    [row] = await audit_of(sessions, response)
    assert (row.action, row.outcome) == ("sign_in", "allowed")
    assert row.record_id == str(await user_id(sessions, "sam.social"))

    women = await app_client.get("/api/v1/women", headers=bearer(body["access_token"]))
    assert women.status_code == 200, women.text
    assert women.json() == []


async def test_a_wrong_password_and_an_unknown_user_get_the_same_refusal(
    app_client: httpx.AsyncClient,
) -> None:
    wrong = await request_token(app_client, "sam.social", WRONG)
    unknown = await request_token(app_client, "nobody.here", DEMO_PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": BAD_CREDENTIALS}
    assert "access_token" not in wrong.text


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param(bearer("garbage-token"), id="garbage-token"),
        pytest.param({"Authorization": "Basic c2FtLnNvY2lhbDp4"}, id="not-bearer"),
    ],
)
async def test_the_api_refuses_requests_without_a_valid_token(
    app_client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await app_client.get("/api/v1/women", headers=headers)
    assert response.status_code == 401
    assert "sign in" in response.json()["detail"]


async def test_five_wrong_passwords_lock_the_account_and_every_attempt_is_audited(
    app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    uid = await user_id(sessions, "sam.social")
    for _ in range(MAX_FAILED_SIGN_INS):
        response = await request_token(app_client, "sam.social", WRONG)
        assert response.status_code == 401
        assert response.json()["detail"] == BAD_CREDENTIALS
        # The refusal is committed although the request failed.
        [row] = await audit_of(sessions, response)
        assert (row.action, row.outcome, row.record_id) == ("sign_in", "denied", str(uid))

    locked = await request_token(app_client, "sam.social", DEMO_PASSWORD)
    assert locked.status_code == 401
    assert "locked" in locked.json()["detail"]
    assert "access_token" not in locked.text
    [row] = await audit_of(sessions, locked)
    assert (row.action, row.outcome, row.record_id) == ("sign_in", "locked", str(uid))

    rows = await audit_rows(sessions, action="sign_in", actor_user_id=uid)
    assert [r.outcome for r in rows] == ["denied"] * MAX_FAILED_SIGN_INS + ["locked"]
    # Another person's account is not affected.
    assert (await request_token(app_client, "iona.social", DEMO_PASSWORD)).status_code == 200


async def test_a_successful_sign_in_resets_the_count_of_failures(
    app_client: httpx.AsyncClient,
) -> None:
    for _ in range(2):
        for _ in range(MAX_FAILED_SIGN_INS - 1):
            assert (await request_token(app_client, "sam.social", WRONG)).status_code == 401
        assert (await request_token(app_client, "sam.social", DEMO_PASSWORD)).status_code == 200


async def test_wrong_passwords_sent_at_once_still_lock_the_account(
    request: pytest.FixtureRequest, app_client: httpx.AsyncClient, database_url: str
) -> None:
    attempts = 2 * MAX_FAILED_SIGN_INS
    responses = await asyncio.gather(
        *(request_token(app_client, "sam.social", WRONG) for _ in range(attempts))
    )
    assert {r.status_code for r in responses} == {401}
    after = await request_token(app_client, "sam.social", DEMO_PASSWORD)
    assert after.status_code == 401, "the account should be locked after concurrent failures"
    assert "locked" in after.json()["detail"]


async def test_a_deactivated_user_cannot_sign_in_or_use_an_earlier_token(
    app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    token = await token_for(app_client, "sam.social")
    async with sessions() as session, session.begin():
        await session.execute(
            update(User).where(User.username == "sam.social").values(active=False)
        )
    used = await app_client.get("/api/v1/women", headers=bearer(token))
    assert used.status_code == 401
    again = await request_token(app_client, "sam.social", DEMO_PASSWORD)
    assert again.status_code == 401
    assert again.json()["detail"] == BAD_CREDENTIALS


@pytest.mark.parametrize(
    ("change", "still_valid"),
    [
        pytest.param({"expires_at": timedelta(seconds=-1)}, False, id="expired"),
        pytest.param({"last_seen_at": timedelta(minutes=-31)}, False, id="idle-31-minutes"),
        pytest.param({"last_seen_at": timedelta(minutes=-29)}, True, id="idle-29-minutes"),
        pytest.param({"revoked_at": timedelta(0)}, False, id="revoked"),
    ],
)
async def test_a_token_expires_when_too_old_or_idle_or_revoked(
    app_client: httpx.AsyncClient,
    sessions: Sessions,
    change: dict[str, timedelta],
    still_valid: bool,
) -> None:
    token = await token_for(app_client, "sam.social")
    assert (await app_client.get("/api/v1/women", headers=bearer(token))).status_code == 200
    now = datetime.now(UTC)
    await set_auth_session(
        sessions, "sam.social", **{column: now + delta for column, delta in change.items()}
    )
    response = await app_client.get("/api/v1/women", headers=bearer(token))
    if still_valid:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 401
        assert response.json()["detail"] == "the token is not valid or has expired; sign in again"


async def test_using_a_token_keeps_it_from_going_idle(
    app_client: httpx.AsyncClient, sessions: Sessions
) -> None:
    token = await token_for(app_client, "sam.social")
    before = datetime.now(UTC)
    await set_auth_session(sessions, "sam.social", last_seen_at=before - timedelta(minutes=29))
    assert (await app_client.get("/api/v1/women", headers=bearer(token))).status_code == 200
    uid = await user_id(sessions, "sam.social")
    async with sessions() as session:
        last_seen = await session.scalar(
            select(AuthSession.last_seen_at).where(AuthSession.user_id == uid)
        )
    assert last_seen is not None
    assert last_seen >= before
