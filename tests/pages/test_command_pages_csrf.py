"""The planning and case pages' forms (planning, clocks, conference_followup, case,
advocacy_offer) need their session's token and must come from this site, as every page form
does (tests/pages/test_csrf.py): without one, nothing is looked up and nothing changes."""

from __future__ import annotations

import uuid

from api import csrf
from tests.pages.conftest import Browse
from tests.pages.html import Doc

ROUTES = [
    "/women/{woman}/edd",
    "/women/{woman}/coordinator",
    "/women/{woman}/deadlines/{any}",
    "/women/{woman}/conferences/{any}/minutes",
    "/women/{woman}/conferences/{any}/core-group",
    "/women/{woman}/babies/{any}/discharge",
    "/women/{woman}/babies/{any}/location",
    "/women/{woman}/close-case",
    "/women/{woman}/advocacy-offer",
]


def expired(response_text: str) -> bool:
    return Doc(response_text).texts("error-title") == ["This form has expired"]


async def test_the_forms_need_their_token_and_this_site(browse: Browse) -> None:
    sam = await browse("sam.social")
    home = await sam.page("/caseload")
    token = home.form("/sign-out").values()[csrf.FIELD]
    for route in ROUTES:
        path = route.format(woman=uuid.uuid4(), any=uuid.uuid4())
        sent = [
            await sam.client.post(path, data={"reason": "x"}),
            await sam.client.post(path, data={csrf.FIELD: "0" * 64, "reason": "x"}),
            await sam.client.post(
                path,
                data={csrf.FIELD: token, "reason": "x"},
                headers={"origin": "https://evil.example"},
            ),
        ]
        for response in sent:
            assert response.status_code == 403, (route, response.status_code)
            assert expired(response.text), route
