"""Signing in to the pages through an OpenID Connect provider: a real provider on a local port
(tests/helpers/oidc_provider.py), the app in-process, and the redirects between the two followed
by hand, as a browser would. Nothing is signed in unless every check passes."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import csrf, web_session
from api.app import create_app
from api.pages.oidc import FLOW_COOKIE
from tests.helpers.api import audit_rows, serve, user_id
from tests.helpers.apps import app_for
from tests.helpers.oidc_provider import CLIENT_ID, CLIENT_SECRET, FakeProvider, running_provider
from tests.pages.browser import Browser
from tests.pages.html import Doc
from waymark.db.models import User
from waymark.security import oidc
from waymark.settings import Settings

Sessions = async_sessionmaker[AsyncSession]
DISPLAY_NAME = "Sign in with your NHS or council account"
NOT_SET_UP = "Your account is not set up in Waymark: ask your administrator."


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeProvider]:
    with running_provider("http://testserver" + oidc.CALLBACK_PATH) as running:
        yield running


@pytest.fixture
def oidc_settings(settings: Settings, provider: FakeProvider) -> Settings:
    provider.reset()
    return settings.model_copy(
        update={
            "public_url": "http://testserver",
            "oidc_issuer": provider.issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
            "oidc_display_name": DISPLAY_NAME,
        }
    )


@pytest.fixture
async def app_client(
    oidc_settings: Settings, sessions: Sessions, demo: None
) -> AsyncIterator[httpx.AsyncClient]:
    """The app, configured for the provider (Temporal is not needed to sign in)."""
    async with serve(app_for(oidc_settings, sessions=sessions)) as client:
        yield client


@pytest.fixture
async def person(app_client: httpx.AsyncClient) -> AsyncIterator[Browser]:
    """A browser that has not signed in."""
    browser = Browser(app_client)
    yield browser
    await browser.client.aclose()


@pytest.fixture
async def provider_site() -> AsyncIterator[httpx.AsyncClient]:
    """The same browser's requests to the provider's site (real HTTP)."""
    async with httpx.AsyncClient() as client:
        yield client


async def to_provider_and_back(person: Browser, provider_site: httpx.AsyncClient) -> str:
    """Follow the sign-in link to the provider, which sends the person straight back: the
    address it sends them back to."""
    start = await person.get("/sign-in/oidc")
    assert start.status_code == 302, start.text[:500]
    at_provider = await provider_site.get(start.headers["location"])
    assert at_provider.status_code == 302, at_provider.text
    back: str = at_provider.headers["location"]
    return back


async def sign_in_through_provider(
    person: Browser, provider_site: httpx.AsyncClient
) -> httpx.Response:
    return await person.get(await to_provider_and_back(person, provider_site))


async def assert_not_signed_in(person: Browser) -> None:
    assert web_session.COOKIE not in person.client.cookies
    response = await person.get("/caseload")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in")


def refusal(response: httpx.Response, status: int) -> str:
    """The refusal page's message, once it is the right page with the right status."""
    assert response.status_code == status, response.text[:500]
    doc = Doc(response.text)
    assert doc.h1() == ["You have not been signed in"]
    [message] = doc.texts("error-message")
    return message


async def last_flow_audit(sessions: Sessions) -> Any:
    rows = await audit_rows(sessions, record_type=oidc.FLOW_RECORD)
    assert rows
    return rows[-1]


async def test_a_known_active_person_signs_in_and_lands_on_their_home_page(
    person: Browser, provider_site: httpx.AsyncClient, provider: FakeProvider, sessions: Sessions
) -> None:
    start = await person.get("/sign-in/oidc")
    flow_cookie = start.headers["set-cookie"].lower()
    for attribute in ("httponly", "samesite=lax", "path=/sign-in/oidc", "max-age=600"):
        assert attribute in flow_cookie
    assert start.headers["location"].startswith(f"{provider.issuer}/authorize?")
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["http://testserver/sign-in/oidc/callback"]
    assert "sam.social" not in start.headers["location"]
    at_provider = await provider_site.get(start.headers["location"])
    response = await person.get(at_provider.headers["location"])

    assert response.status_code == 303, response.text[:500]
    assert response.headers["location"] == "/caseload"
    assert FLOW_COOKIE not in person.client.cookies  # used once, then forgotten
    assert provider.token_requests == 1
    assert provider.refusals == []  # the client's secret and the PKCE verifier were right
    doc = await person.page("/caseload")
    assert doc.h1() == ["Caseload"]
    assert doc.texts("signed-in-as") == ["Sam Okafor (Social worker)"]
    sam = await user_id(sessions, "sam.social")
    [signed_in] = await audit_rows(sessions, action="sign_in", actor_user_id=sam)
    assert (signed_in.outcome, signed_in.detail) == ("allowed", "openid connect")
    flow = await last_flow_audit(sessions)
    assert (flow.outcome, flow.actor_user_id) == ("allowed", sam)


@pytest.mark.parametrize(
    ("asked", "landing"), [("/texts", "/texts"), ("//evil.example/x", "/caseload")]
)
async def test_signing_in_goes_back_only_to_a_page_on_this_site(
    person: Browser, provider_site: httpx.AsyncClient, asked: str, landing: str
) -> None:
    start = await person.get("/sign-in/oidc", params={"next": asked})
    assert "evil" not in start.headers["location"]
    back = (await provider_site.get(start.headers["location"])).headers["location"]
    response = await person.get(back)
    assert response.status_code == 303
    assert response.headers["location"] == landing


async def test_a_person_with_no_account_is_refused(
    person: Browser, provider_site: httpx.AsyncClient, provider: FakeProvider, sessions: Sessions
) -> None:
    provider.username = "someone.new@council.example"
    response = await sign_in_through_provider(person, provider_site)
    assert refusal(response, 403) == NOT_SET_UP
    await assert_not_signed_in(person)
    flow = await last_flow_audit(sessions)
    assert (flow.outcome, flow.detail) == ("denied", "no account with the provider's username")
    assert "someone.new" not in str([flow.detail, flow.record_id, flow.reason])


async def test_a_person_whose_account_is_not_active_is_refused(
    person: Browser, provider_site: httpx.AsyncClient, sessions: Sessions
) -> None:
    async with sessions() as session, session.begin():
        await session.execute(
            update(User).where(User.username == "sam.social").values(active=False)
        )
    response = await sign_in_through_provider(person, provider_site)
    assert refusal(response, 403) == NOT_SET_UP
    await assert_not_signed_in(person)
    flow = await last_flow_audit(sessions)
    assert flow.outcome == "denied"
    assert flow.detail == "the account with the provider's username is not active"


async def test_a_return_whose_state_does_not_match_is_refused(
    person: Browser, provider_site: httpx.AsyncClient, provider: FakeProvider, sessions: Sessions
) -> None:
    back = urlsplit(await to_provider_and_back(person, provider_site))
    query = {key: values[0] for key, values in parse_qs(back.query).items()}
    forged = {**query, "state": "a-state-from-someone-else"}
    response = await person.get(f"{back.path}?{urlencode(forged)}")
    assert "did not match" in refusal(response, 400)
    assert provider.token_requests == 0  # the code was never exchanged
    await assert_not_signed_in(person)
    flow = await last_flow_audit(sessions)
    assert (flow.outcome, flow.detail) == ("denied", "state does not match this browser's sign-in")


async def test_a_return_to_a_browser_that_did_not_start_the_sign_in_is_refused(
    person: Browser,
    provider_site: httpx.AsyncClient,
    provider: FakeProvider,
    app_client: httpx.AsyncClient,
    sessions: Sessions,
) -> None:
    back = await to_provider_and_back(person, provider_site)
    other = Browser(app_client)  # someone sent the link (signing them in as someone else)
    response = await other.get(back)
    assert "did not start here" in refusal(response, 400)
    assert provider.token_requests == 0
    await assert_not_signed_in(other)
    await other.client.aclose()
    flow = await last_flow_audit(sessions)
    assert (flow.outcome, flow.record_id) == ("denied", None)


@pytest.mark.parametrize("tamper", ["payload", "stranger"])
async def test_an_id_token_without_the_providers_signature_is_refused(
    person: Browser,
    provider_site: httpx.AsyncClient,
    provider: FakeProvider,
    sessions: Sessions,
    tamper: str,
) -> None:
    provider.tamper = tamper
    response = await sign_in_through_provider(person, provider_site)
    assert "could not be checked" in refusal(response, 403)
    await assert_not_signed_in(person)
    flow = await last_flow_audit(sessions)
    assert flow.outcome == "denied"
    assert flow.detail.startswith("id token refused: bad_signature")


@pytest.mark.parametrize(
    ("claims", "refused"),
    [
        ({"aud": "another-application"}, "'aud'"),
        ({"iss": "https://login.elsewhere.example/v2.0"}, "'iss'"),
        ({"nonce": "not-the-nonce-that-was-sent"}, "'nonce'"),
        ({"exp": int(time.time()) - 600}, "expired"),
    ],
    ids=["wrong-audience", "wrong-issuer", "nonce-mismatch", "expired"],
)
async def test_an_id_token_meant_for_another_sign_in_is_refused(
    person: Browser,
    provider_site: httpx.AsyncClient,
    provider: FakeProvider,
    sessions: Sessions,
    claims: dict[str, Any],
    refused: str,
) -> None:
    provider.claims = claims
    response = await sign_in_through_provider(person, provider_site)
    assert "could not be checked" in refusal(response, 403)
    await assert_not_signed_in(person)
    flow = await last_flow_audit(sessions)
    assert flow.outcome == "denied"
    assert refused in flow.detail


async def test_a_replayed_return_is_refused_even_by_a_careless_provider(
    person: Browser,
    provider_site: httpx.AsyncClient,
    provider: FakeProvider,
    app_client: httpx.AsyncClient,
    sessions: Sessions,
) -> None:
    provider.codes_reusable = True  # so that only Waymark's own check stands in the way
    start = await person.get("/sign-in/oidc")
    kept = person.client.cookies[FLOW_COOKIE]  # a copy of the flow cookie, kept by someone
    back = (await provider_site.get(start.headers["location"])).headers["location"]
    assert (await person.get(back)).status_code == 303

    replay = Browser(app_client)  # another browser, or the same one later
    assert "did not start here" in refusal(await replay.get(back), 400)  # the cookie is gone
    replay.client.cookies.set(FLOW_COOKIE, kept)
    assert "already been used" in refusal(await replay.get(back), 400)
    assert provider.token_requests == 1  # the code was not exchanged again
    await assert_not_signed_in(replay)
    await replay.client.aclose()
    flow = await last_flow_audit(sessions)
    assert flow.detail == "sign-in already came back once (a replayed return)"


async def test_a_sign_in_that_took_too_long_is_refused(
    person: Browser, provider: FakeProvider, oidc_settings: Settings, sessions: Sessions
) -> None:
    stale = oidc.Flow("s" * 43, "n" * 43, "v" * 86, "/", expires=int(time.time()) - 1)
    person.client.cookies.set(FLOW_COOKIE, oidc.seal(stale, csrf.secret_key(oidc_settings)))
    response = await person.get(f"{oidc.CALLBACK_PATH}?code=a-code&state={stale.state}")
    assert "took too long" in refusal(response, 400)
    assert provider.token_requests == 0
    await assert_not_signed_in(person)
    flow = await last_flow_audit(sessions)
    assert (flow.detail, flow.record_id) == ("sign-in expired", stale.digest)


async def test_the_provider_saying_access_denied_signs_nobody_in(
    person: Browser, provider_site: httpx.AsyncClient, provider: FakeProvider, sessions: Sessions
) -> None:
    provider.error = "access_denied"
    response = await sign_in_through_provider(person, provider_site)
    assert "access was denied" in refusal(response, 403)
    assert provider.token_requests == 0
    await assert_not_signed_in(person)
    flow = await last_flow_audit(sessions)
    assert (flow.outcome, flow.detail) == ("denied", "provider refused: access_denied")


async def test_a_provider_that_cannot_be_reached_is_said_so(
    oidc_settings: Settings, sessions: Sessions, demo: None
) -> None:
    unreachable = oidc_settings.model_copy(update={"oidc_issuer": "http://127.0.0.1:1"})
    async with serve(create_app(unreachable, sessions=sessions)) as client:
        response = await client.get("/sign-in/oidc")
    assert "cannot be reached" in refusal(response, 503)
    assert FLOW_COOKIE not in response.headers.get("set-cookie", "")


async def test_the_sign_in_page_offers_the_provider_only_when_it_is_configured(
    person: Browser, settings: Settings, sessions: Sessions, demo: None
) -> None:
    doc = await person.page("/sign-in?next=/texts")
    [link] = doc.by_testid("sign-in-oidc")
    assert (link.tag, link.text.strip()) == ("a", DISPLAY_NAME)
    assert link.attrs["href"] == "/sign-in/oidc?next=/texts"

    assert not oidc.enabled(settings)
    async with serve(create_app(settings, sessions=sessions)) as client:
        plain = Doc((await client.get("/sign-in")).text)
        assert plain.by_testid("sign-in-oidc") == []
        assert DISPLAY_NAME not in (await client.get("/sign-in")).text
        assert (await client.get("/sign-in/oidc")).status_code == 404
        assert (await client.get(oidc.CALLBACK_PATH + "?code=x&state=y")).status_code == 404
