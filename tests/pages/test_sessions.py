"""Signing in and out of the pages: the session cookie, lockout, idle timeout, revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from api import web_session
from api.app import create_app
from tests.helpers.api import audit_rows, serve, user_id
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.html import Doc
from waymark.db.models import AuthSession
from waymark.demo import DEMO_PASSWORD
from waymark.settings import Settings

Sessions = async_sessionmaker[AsyncSession]
HOMES = {
    "sam.social": ("/caseload", "Caseload"),
    "ava.advocate": ("/advocate", "Your women and meetings"),
    "lee.lead": ("/lead", "The ledger"),
    "mia.midwife": ("/agency", "Meetings and women"),
    "ada.admin": ("/admin", "Users and roles"),
}


def session_cookie_header(response: httpx.Response) -> str:
    [header] = [
        h for h in response.headers.get_list("set-cookie") if h.startswith(web_session.COOKIE)
    ]
    return header.lower()


async def test_signing_in_sets_a_safe_session_cookie(anonymous: Browser) -> None:
    response = await anonymous.sign_in("sam.social", DEMO_PASSWORD)
    cookie = session_cookie_header(response)
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie  # the tests run as "test", like development: plain HTTP
    assert response.headers["location"] == "/"


@pytest.mark.parametrize(("username", "home"), list(HOMES.items()))
async def test_each_person_lands_on_their_home_page(
    browse: Browse, username: str, home: tuple[str, str]
) -> None:
    browser = await browse(username)
    response = await browser.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == home[0]
    doc = await browser.page(home[0])
    assert doc.h1() == [home[1]]
    main = doc.by_id("main")
    assert main is not None
    assert main.tag == "main"
    assert doc.texts("signed-in-as")


async def test_a_wrong_password_is_shown_on_the_form_and_counted(
    anonymous: Browser, sessions: Sessions
) -> None:
    response = await anonymous.submit("/sign-in", {"username": "sam.social", "password": "nope"})
    assert response.status_code == 401
    doc = Doc(response.text)
    assert doc.texts("error-summary")
    assert "right" in doc.texts("error-username")[0]
    assert doc.form("/sign-in").values()["username"] == "sam.social"
    assert "nope" not in response.text
    rows = await audit_rows(sessions, action="sign_in", outcome="denied")
    assert rows
    assert rows[-1].actor_user_id == await user_id(sessions, "sam.social")


async def test_five_failures_lock_the_account_even_with_the_right_password(
    anonymous: Browser,
) -> None:
    for _ in range(5):
        await anonymous.submit("/sign-in", {"username": "dev.drugs", "password": "wrong"})
    response = await anonymous.submit(
        "/sign-in", {"username": "dev.drugs", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 401
    assert "locked" in Doc(response.text).texts("error-username")[0]


async def test_pages_send_people_who_are_not_signed_in_to_sign_in(anonymous: Browser) -> None:
    response = await anonymous.get("/caseload")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/caseload"
    doc = await anonymous.page("/sign-in?next=/caseload")
    assert doc.form("/sign-in").values()["next"] == "/caseload"


async def test_sign_in_goes_back_only_to_a_page_on_this_site(anonymous: Browser) -> None:
    response = await anonymous.submit(
        "/sign-in",
        {"username": "sam.social", "password": DEMO_PASSWORD, "next": "//evil.example/x"},
    )
    assert response.headers["location"] == "/"


async def test_signing_out_revokes_the_session(browse: Browse, sessions: Sessions) -> None:
    sam = await browse("sam.social")
    cookie = sam.client.cookies[web_session.COOKIE]
    response = await sam.submit("/caseload", form_action="/sign-out")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?signed_out=1"
    async with sessions() as session:
        row = await session.scalar(
            select(AuthSession).where(AuthSession.token_hash == web_session.session_id(cookie))
        )
    assert row is not None
    assert row.revoked_at is not None
    sam.client.cookies.set(web_session.COOKIE, cookie)  # an old copy of the cookie is no use
    assert (await sam.get("/caseload")).status_code == 303


async def test_thirty_idle_minutes_end_the_session(browse: Browse, sessions: Sessions) -> None:
    sam = await browse("sam.social")
    digest = web_session.session_id(sam.client.cookies[web_session.COOKIE])
    async with sessions() as session, session.begin():
        await session.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == digest)
            .values(last_seen_at=datetime.now(UTC) - timedelta(minutes=31))
        )
    response = await sam.get("/caseload")
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/caseload&expired=1"
    doc = await sam.page(response.headers["location"])
    assert doc.texts("session-expired")


async def test_a_get_never_signs_out(browse: Browse) -> None:
    sam = await browse("sam.social")
    assert (await sam.get("/sign-out")).status_code == 405
    assert (await sam.get("/caseload")).status_code == 200


async def test_cookies_are_secure_outside_development(
    clock_env: WorkflowEnvironment, sessions: Sessions, settings: Settings, demo: None
) -> None:
    production = settings.model_copy(update={"environment": "production", "secret_key": "s" * 48})
    app = create_app(production, sessions=sessions, temporal=clock_env.client)
    async with serve(app) as client:
        browser = Browser(client, base_url="https://testserver")  # Secure cookies need HTTPS
        response = await browser.sign_in("sam.social", DEMO_PASSWORD)
        assert "secure" in session_cookie_header(response)
        await browser.client.aclose()


def test_production_refuses_to_start_without_a_secret_key(
    settings: Settings, sessions: Sessions
) -> None:
    production = settings.model_copy(update={"environment": "production"})
    with pytest.raises(RuntimeError, match="WAYMARK_SECRET_KEY"):
        create_app(production, sessions=sessions)
