"""Your own password: a first password from an admin leads only to choosing your own (and is
no good for the API); anyone changes theirs with the current one; refusals change nothing."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.helpers.api import audit_rows
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from waymark.db.models import Organisation, User
from waymark.demo import DEMO_PASSWORD
from waymark.security.passwords import verify_password

Sessions = async_sessionmaker[AsyncSession]
NEW = "four calm blue rivers"


async def hash_of(sessions: Sessions, username: str) -> User:
    async with sessions() as session:
        found = await session.scalar(select(User).where(User.username == username))
    assert found is not None
    return found


async def new_user(browse: Browse, sessions: Sessions) -> str:
    ada = await browse("ada.admin")
    async with sessions() as session:
        org = await session.scalar(
            select(Organisation.id).where(Organisation.code == "northmoor-maternity")
        )
    fields = {
        "username": "nia.osei",
        "display_name": "Nia Osei",
        "role": "practitioner",
        "organisation_id": str(org),
    }
    await ada.submit("/admin/users/new", fields)
    [password] = ada.doc().texts("new-password")
    return password


async def test_a_first_password_leads_only_to_choosing_your_own(
    browse: Browse, sessions: Sessions, app_client: httpx.AsyncClient
) -> None:
    first = await new_user(browse, sessions)
    # The API does not take a first password: nothing is issued.
    token = await app_client.post(
        "/api/v1/auth/token", data={"username": "nia.osei", "password": first}
    )
    assert token.status_code == 403
    assert "choose your own password" in token.text
    nia = Browser(app_client)
    await nia.sign_in("nia.osei", first)
    bounced = await nia.get("/agency")
    assert (bounced.status_code, bounced.headers["location"]) == (303, "/account/password")
    doc = await nia.page("/account/password")
    assert doc.h1() == ["Choose your own password"]
    assert doc.texts("first-password")
    short = await nia.submit("/account/password", {"current": first, "new": "short", "again": ""})
    assert short.status_code == 422
    assert "at least 12 characters" in nia.doc().texts("error-new")[0]
    assert first not in short.text  # no password is ever shown back
    assert (await hash_of(sessions, "nia.osei")).password_must_change
    done = await nia.submit("/account/password", {"current": first, "new": NEW, "again": NEW})
    assert done.status_code == 303
    assert (await nia.get("/agency")).status_code == 200
    user = await hash_of(sessions, "nia.osei")
    assert not user.password_must_change
    assert verify_password(user.password_hash, NEW)
    assert not verify_password(user.password_hash, first)
    assert await audit_rows(sessions, action="change_own_password", record_id=str(user.id))
    token = await app_client.post(
        "/api/v1/auth/token", data={"username": "nia.osei", "password": NEW}
    )
    assert token.status_code == 200
    await nia.client.aclose()


async def test_changing_your_password_needs_the_current_one_and_ends_other_sessions(
    browse: Browse, sessions: Sessions
) -> None:
    sam = await browse("sam.social")
    elsewhere = await browse("sam.social")
    wrong = await sam.submit(
        "/account/password", {"current": "not it at all", "new": NEW, "again": NEW}
    )
    assert wrong.status_code == 422
    assert sam.doc().texts("error-current") == ["Error: Your current password is not right"]
    mismatch = await sam.submit(
        "/account/password", {"current": DEMO_PASSWORD, "new": NEW, "again": NEW + "s"}
    )
    assert mismatch.status_code == 422
    assert sam.doc().texts("error-again")
    assert verify_password((await hash_of(sessions, "sam.social")).password_hash, DEMO_PASSWORD)
    done = await sam.submit(
        "/account/password", {"current": DEMO_PASSWORD, "new": NEW, "again": NEW}
    )
    assert done.headers["location"] == "/account/password?done=1"
    assert (await sam.page("/account/password?done=1")).texts("notification") == [
        "Your password is changed."
    ]
    assert (await elsewhere.get("/caseload")).status_code == 303  # signed out there
    assert (await sam.get("/caseload")).status_code == 200
