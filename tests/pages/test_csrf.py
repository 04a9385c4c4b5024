"""Every page form needs its session's token and must come from this site; GET changes
nothing. Refusals are a 403 page that says the form has expired."""

from __future__ import annotations

import uuid

from fastapi.routing import APIRoute

from api import csrf
from api.pages import MODULES
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.html import Doc

# Who may use each page form (so the role check passes and the token check decides).
POSTERS = {
    "/sign-out": "sam.social",
    "/account/password": "sam.social",
    "/admin/onboard": "ada.admin",
    "/women/{woman_id}/merge": "lee.lead",
    "/women/{woman_id}/reopen": "sam.social",
    "/women/{woman_id}/support/named-worker": "lee.lead",
    "/search": "sam.social",
    "/possible-matches/{match_id}": "sam.social",
    "/women/{woman_id}/transfer": "sam.social",
    "/women/{woman_id}/transfer/withdraw": "sam.social",
    "/transfers/{transfer_id}": "iona.social",
    "/women/{woman_id}/assessment": "sam.social",
    "/women/{woman_id}/meetings/{meeting_id}/held": "sam.social",
    "/referrals/new": "sam.social",
    "/women/{woman_id}/screening": "sam.social",
    "/women/{woman_id}/strategy-discussion": "sam.social",
    "/women/{woman_id}/birth": "sam.social",
    "/women/{woman_id}/babies/{baby_id}/location": "sam.social",
    "/women/{woman_id}/babies/{baby_id}/placement": "sam.social",
    "/women/{woman_id}/meetings/new": "sam.social",
    "/women/{woman_id}/meetings/{meeting_id}/change": "sam.social",
    "/women/{woman_id}/meetings/{meeting_id}/cancel": "sam.social",
    "/women/{woman_id}/conferences/{conference_id}/outcome": "sam.social",
    "/women/{woman_id}/conferences/{conference_id}/report": "mia.midwife",
    "/advocate/notices/{notice_id}/acknowledge": "ava.advocate",
    "/advocate/calendar": "ava.advocate",
    "/emergency-access": "sam.social",
    "/lead/emergency-access/{grant_id}/review": "lee.lead",
    "/women/{woman_id}/edd": "sam.social",
    "/women/{woman_id}/coordinator": "sam.social",
    "/women/{woman_id}/deadlines/{deadline_id}": "sam.social",
    "/women/{woman_id}/conferences/{conference_id}/minutes": "sam.social",
    "/women/{woman_id}/conferences/{conference_id}/core-group": "sam.social",
    "/women/{woman_id}/babies/{baby_id}/discharge": "sam.social",
    "/women/{woman_id}/close-case": "sam.social",
    "/women/{woman_id}/advocacy-offer": "sam.social",
    "/women/{woman_id}/support/contacts/new": "sam.social",
    "/women/{woman_id}/support/plan": "sam.social",
    "/women/{woman_id}/support/close": "lee.lead",
    "/advocate/offers/{allocation_id}": "ava.advocate",
    "/texts/{request_id}/match": "sam.social",
    "/admin/users/new": "ada.admin",
    "/admin/users/{user_id}/access": "ada.admin",
    "/admin/users/{user_id}/status": "ada.admin",
    "/admin/advocates/{user_id}/profile": "ada.admin",
}


def post_routes() -> list[str]:
    return sorted(
        route.path
        for module in MODULES
        for route in module.router.routes
        if isinstance(route, APIRoute) and "POST" in (route.methods or set())
    )


def filled(path: str) -> str:
    names = (
        "woman_id",
        "baby_id",
        "meeting_id",
        "conference_id",
        "notice_id",
        "grant_id",
        "deadline_id",
        "allocation_id",
        "request_id",
        "user_id",
        "match_id",
        "transfer_id",
    )
    for name in names:
        path = path.replace("{" + name + "}", str(uuid.uuid4()))
    return path


def expired(response_text: str) -> bool:
    return Doc(response_text).texts("error-title") == ["This form has expired"]


async def home_token(browser: Browser) -> str:
    home = await browser.get("/")
    doc = await browser.page(home.headers["location"])
    return doc.form("/sign-out").values()[csrf.FIELD]


def test_every_page_form_is_covered_here() -> None:
    assert post_routes() == sorted([*POSTERS, "/sign-in", "/feedback/{token}"])


async def browsers(browse: Browse) -> dict[str, Browser]:
    return {username: await browse(username) for username in set(POSTERS.values())}


async def test_a_form_without_its_token_or_with_a_forged_one_is_refused(browse: Browse) -> None:
    signed_in = await browsers(browse)
    for route, username in POSTERS.items():
        browser, path = signed_in[username], filled(route)
        missing = await browser.client.post(path, data={"reason": "x"})
        assert missing.status_code == 403, (route, missing.text[:300])
        assert expired(missing.text), route
        forged = await browser.client.post(path, data={csrf.FIELD: "0" * 64, "reason": "x"})
        assert forged.status_code == 403, route
        assert expired(forged.text), route


async def test_a_form_sent_from_another_site_is_refused(browse: Browse) -> None:
    signed_in = await browsers(browse)
    for route, username in POSTERS.items():
        browser = signed_in[username]
        token = await home_token(browser)
        for header in ({"origin": "https://evil.example"}, {"referer": "https://evil.example/"}):
            response = await browser.client.post(
                filled(route), data={csrf.FIELD: token, "reason": "x"}, headers=header
            )
            assert response.status_code == 403, (route, header)
            assert expired(response.text), route


async def test_a_token_is_good_only_for_its_own_session(browse: Browse) -> None:
    sam = await browse("sam.social")
    other = await browse("sam.social")  # a second session of the same person
    response = await sam.client.post("/sign-out", data={csrf.FIELD: await home_token(other)})
    assert response.status_code == 403
    response = await sam.client.post("/sign-out", data={csrf.FIELD: await home_token(sam)})
    assert response.status_code == 303


async def test_the_sign_in_form_needs_its_token_too(anonymous: Browser) -> None:
    response = await anonymous.client.post(
        "/sign-in", data={"username": "sam.social", "password": "waymark-demo-2026"}
    )
    assert response.status_code == 403
    assert expired(response.text)


async def test_her_feedback_form_needs_its_token_too(anonymous: Browser) -> None:
    response = await anonymous.client.post("/feedback/any-link", data={"went": "well"})
    assert response.status_code == 403
    assert expired(response.text)


async def test_a_same_site_origin_is_accepted(browse: Browse) -> None:
    sam = await browse("sam.social")
    response = await sam.client.post(
        "/sign-out",
        data={csrf.FIELD: await home_token(sam)},
        headers={"origin": "http://testserver", "referer": "http://testserver/caseload"},
    )
    assert response.status_code == 303


async def test_no_page_changes_anything_on_get(browse: Browse) -> None:
    signed_in = await browsers(browse)
    for route, username in POSTERS.items():
        if "{" in route or route == "/sign-out":
            continue
        response = await signed_in[username].get(route)
        assert response.status_code == 200, route  # a form to fill in, nothing done
        assert Doc(response.text).forms, route


async def test_a_get_to_a_command_is_not_allowed(browse: Browse) -> None:
    sam = await browse("sam.social")
    response = await sam.get(f"/advocate/notices/{uuid.uuid4()}/acknowledge")
    assert response.status_code == 405
