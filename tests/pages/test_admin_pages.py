"""The admin's forms: adding a user (the first password shown once), changing a role and
organisation, deactivating and reactivating, and an advocate's profile; refusals change nothing."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import csrf
from forms.common import Role
from forms.users import AccessChange
from services import users
from tests.helpers.api import audit_rows, user_id
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.html import Doc
from tests.pages.test_csrf import home_token
from waymark.db.models import AdvocateProfile, Organisation, User
from waymark.demo import DEMO_PASSWORD
from waymark.errors import Conflict
from waymark.security.passwords import verify_password
from waymark.security.principal import Principal

Sessions = async_sessionmaker[AsyncSession]


async def org_id(sessions: Sessions, code: str) -> str:
    async with sessions() as session:
        found = await session.scalar(select(Organisation.id).where(Organisation.code == code))
    assert found is not None, code
    return str(found)


async def account(sessions: Sessions, username: str) -> User:
    async with sessions() as session:
        found = await session.scalar(select(User).where(User.username == username))
    assert found is not None, username
    return found


async def user_count(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


def rows(doc: Doc, testid: str) -> dict[str, str]:
    """Each row's text by its data-username."""
    return {e.attrs["data-username"]: " ".join(e.text.split()) for e in doc.by_testid(testid)}


def has_token(doc: Doc, action: str) -> bool:
    return bool(doc.form(action).values().get(csrf.FIELD))


async def test_an_admin_adds_a_user_who_then_signs_in(
    browse: Browse, sessions: Sessions, app_client: httpx.AsyncClient
) -> None:
    ada = await browse("ada.admin")
    assert has_token(await ada.page("/admin/users/new"), "/admin/users/new")
    fields = {
        "username": "Nia.Osei",
        "display_name": "Nia Osei",
        "role": "practitioner",
        "organisation_id": await org_id(sessions, "northmoor-maternity"),
    }
    response = await ada.submit("/admin/users/new", fields)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["cache-control"] == "no-store"
    [password] = ada.doc().texts("new-password")
    assert ada.doc().texts("new-username") == ["nia.osei"]  # kept in lower case
    nia = await account(sessions, "nia.osei")
    assert (nia.role, nia.active) == ("practitioner", True)
    assert password not in nia.password_hash
    assert verify_password(nia.password_hash, password)
    assert await audit_rows(sessions, action="create_user", record_id=str(nia.id))
    listed = rows(await ada.page("/admin"), "user-row")
    assert "Practitioner" in listed["nia.osei"]
    newcomer = Browser(app_client)
    assert (await newcomer.sign_in("nia.osei", password)).headers["location"] == "/"
    await newcomer.client.aclose()


async def test_a_taken_username_or_a_bad_form_adds_nobody(
    browse: Browse, sessions: Sessions
) -> None:
    ada = await browse("ada.admin")
    before = await user_count(sessions)
    org = await org_id(sessions, "northmoor-csc")
    clash = {"username": "SAM.Social", "display_name": "Sam Two", "role": "social_worker"}
    response = await ada.submit("/admin/users/new", {**clash, "organisation_id": org})
    assert response.status_code == 409
    assert "already taken" in ada.doc().texts("error-username")[0]
    assert ada.doc().texts("error-summary")
    response = await ada.submit("/admin/users/new", {"username": "new person", "role": "boss"})
    assert response.status_code == 422
    doc = ada.doc()
    for name in ("username", "display_name", "role", "organisation_id"):
        assert doc.texts(f"error-{name}"), name
    # An organisation in another area is refused too.
    elsewhere = await org_id(sessions, "glenbrae-sw")
    fine = {"username": "ok.name", "display_name": "Ok", "role": "social_worker"}
    response = await ada.submit("/admin/users/new", {**fine, "organisation_id": elsewhere})
    assert response.status_code == 422
    assert ada.doc().texts("error-organisation_id")
    assert await user_count(sessions) == before


async def test_an_admin_changes_a_role_and_organisation(browse: Browse, sessions: Sessions) -> None:
    ada = await browse("ada.admin")
    mia = await user_id(sessions, "mia.midwife")
    path = f"/admin/users/{mia}/access"
    form = await ada.page(path)
    assert has_token(form, path)
    assert form.form(path).values()["role"] == "practitioner"
    bad = await ada.submit(path, {"role": "boss"})
    assert bad.status_code == 422
    assert ada.doc().texts("error-role")
    assert (await account(sessions, "mia.midwife")).role == "practitioner"
    csc = await org_id(sessions, "northmoor-csc")
    done = await ada.submit(path, {"role": "social_worker", "organisation_id": csc})
    assert done.status_code == 303
    assert done.headers["location"] == "/admin?done=access"
    changed = await account(sessions, "mia.midwife")
    assert (changed.role, str(changed.organisation_id)) == ("social_worker", csc)
    listed = await ada.page("/admin?done=access")
    assert listed.texts("notification")
    assert "Social worker" in rows(listed, "user-row")["mia.midwife"]
    own = f"/admin/users/{await user_id(sessions, 'ada.admin')}/access"
    refused = await ada.submit(own, {"role": "social_worker"})
    assert refused.status_code == 409
    assert "own role" in ada.doc().texts("error-role")[0]
    assert (await account(sessions, "ada.admin")).role == "admin"


async def test_a_deactivated_user_cannot_sign_in_until_reactivated(
    browse: Browse, sessions: Sessions, app_client: httpx.AsyncClient
) -> None:
    ada, sam = await browse("ada.admin"), await browse("sam.social")
    own = f"/admin/users/{await user_id(sessions, 'ada.admin')}/status"
    refused = await ada.submit(own)
    assert refused.status_code == 409
    assert "your own account" in ada.doc().texts("error-active")[0]
    assert (await account(sessions, "ada.admin")).active
    path = f"/admin/users/{await user_id(sessions, 'sam.social')}/status"
    assert has_token(await ada.page(path), path)
    done = await ada.submit(path)
    assert done.headers["location"] == "/admin?done=deactivated"
    assert not (await account(sessions, "sam.social")).active
    assert "Inactive" in rows(await ada.page("/admin"), "user-row")["sam.social"]
    assert (await sam.get("/caseload")).status_code == 303  # signed out at once
    again = Browser(app_client)
    attempt = await again.submit("/sign-in", {"username": "sam.social", "password": DEMO_PASSWORD})
    assert attempt.status_code == 401
    assert (await ada.submit(path)).headers["location"] == "/admin?done=reactivated"
    assert (await again.sign_in("sam.social", DEMO_PASSWORD)).status_code == 303
    await again.client.aclose()


async def test_the_last_active_admin_stays(browse: Browse, sessions: Sessions) -> None:
    await browse("ada.admin")  # the demo data is there
    ada, lee = await account(sessions, "ada.admin"), await account(sessions, "lee.lead")
    lead = Principal(
        user_id=lee.id,
        username=lee.username,
        display_name=lee.display_name,
        role=Role.SAFEGUARDING_LEAD,
        organisation_id=lee.organisation_id,
        area_code="northmoor",
        request_id="test",
    )
    async with sessions() as session:
        target = await session.get(User, ada.id)
        assert target is not None
        with pytest.raises(Conflict, match="last active admin"):
            await users.set_active(session, lead, target, active=False)
        change = AccessChange(role=Role.PRACTITIONER, organisation_id=ada.organisation_id)
        with pytest.raises(Conflict, match="last active admin"):
            await users.change_access(session, lead, target, change)
        assert target.active
        assert target.role == "admin"


async def test_an_admin_edits_an_advocates_profile(browse: Browse, sessions: Sessions) -> None:
    ada = await browse("ada.admin")
    ava = await user_id(sessions, "ava.advocate")
    path = f"/admin/advocates/{ava}/profile"
    listed = await ada.page("/admin/advocates")
    assert path in [e.attrs["href"] for e in listed.by_testid("edit-advocate")]
    form = await ada.page(path)
    assert has_token(form, path)
    assert form.form(path).values()["capacity"]
    async with sessions() as session:
        before = await session.get(AdvocateProfile, ava)
        assert before is not None
        kept = (before.capacity, before.languages, before.on_leave_from)
    bad = {"capacity": "lots", "on_leave_from": "2030-05-10", "on_leave_until": "2030-05-01"}
    response = await ada.submit(path, bad)
    assert response.status_code == 422
    assert ada.doc().texts("error-capacity") == [
        "Error: Enter the most women she can work with at once as a whole number"
    ]
    response = await ada.submit(
        path, {"capacity": "3", **{k: v for k, v in bad.items() if k != "capacity"}}
    )
    assert response.status_code == 422
    assert ada.doc().texts("error-on_leave_until")
    async with sessions() as session:
        same = await session.get(AdvocateProfile, ava)
        assert same is not None
        assert (same.capacity, same.languages, same.on_leave_from) == kept
    good: dict[str, str | list[str]] = {
        "capacity": "7",
        "languages": ["en", "pl", "ur"],
        "areas": ["northmoor"],
        "on_leave_from": "2030-05-01",
        "on_leave_until": "2030-05-10",
    }
    response = await ada.submit(path, good)
    assert response.status_code == 303, ada.doc().texts("error-summary")
    async with sessions() as session:
        saved = await session.get(AdvocateProfile, ava)
        assert saved is not None
        assert (saved.capacity, saved.languages, saved.areas) == (
            7,
            ["en", "pl", "ur"],
            ["northmoor"],
        )
    row = rows(await ada.page("/admin/advocates?done=profile"), "advocate-row")["ava.advocate"]
    assert "English, Polish, Urdu" in row
    assert "1 May 2030 to 10 May 2030" in row
    assert await audit_rows(sessions, action="save_advocate_profile", record_id=str(ava))


async def test_nobody_but_an_admin_may_use_the_admin_pages(
    browse: Browse, sessions: Sessions
) -> None:
    sam_id, ava_id = await user_id(sessions, "sam.social"), await user_id(sessions, "ava.advocate")
    gets = ["/admin", "/admin/advocates", "/admin/areas", "/admin/users/new"]
    posts = [
        "/admin/users/new",
        f"/admin/users/{sam_id}/access",
        f"/admin/users/{sam_id}/status",
        f"/admin/advocates/{ava_id}/profile",
    ]
    for username in ("sam.social", "ava.advocate", "lee.lead", "mia.midwife"):
        browser = await browse(username)
        token = await home_token(browser)
        for path in [*gets, *posts[1:]]:
            assert (await browser.get(path)).status_code == 403, (username, path)
        data = {csrf.FIELD: token, "active": "no", "role": "admin", "capacity": "0"}
        for path in posts:
            response = await browser.client.post(path, data=data)
            assert response.status_code == 403, (username, path)
    sam = await account(sessions, "sam.social")
    assert sam.active
    assert sam.role == "social_worker"
