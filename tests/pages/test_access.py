"""Every page about a woman, for everyone outside her care: a 404 that reads the same as for a
record that does not exist, nothing of hers in it, and the denial on the audit trail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import csrf
from tests.helpers.api import audit_rows
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.flows import command, meeting_fields, refer, to_conference
from waymark.db.models import Conference

Sessions = async_sessionmaker[AsyncSession]
# Northmoor people, none of whom works with a Glenbrae woman.
OUTSIDERS = ["sam.social", "mia.midwife", "dev.drugs", "ava.advocate", "lee.lead", "ada.admin"]
# Which roles may use each page at all (anyone else is refused for their role: 403).
ROLES = {
    "": {"social_worker", "practitioner", "advocate", "safeguarding_lead", "admin"},
    "/screening": {"social_worker"},
    "/strategy-discussion": {"social_worker"},
    "/meetings/new": {"social_worker"},
    "/meetings/{meeting}/change": {"social_worker"},
    "/meetings/{meeting}/cancel": {"social_worker"},
    "/meetings/{meeting}/held": {"social_worker"},
    "/birth": {"social_worker", "practitioner"},
    "/babies/{baby}/placement": {"social_worker"},
    "/conferences/{conference}/outcome": {"social_worker"},
    "/conferences/{conference}/report": {"practitioner"},
    "/edd": {"social_worker"},
    "/assessment": {"social_worker"},
    "/coordinator": {"social_worker"},
    "/deadlines/{deadline}": {"social_worker", "safeguarding_lead"},
    "/conferences/{conference}/minutes": {"social_worker"},
    "/conferences/{conference}/core-group": {"social_worker"},
    "/babies/{baby}/discharge": {"social_worker", "practitioner"},
    "/close-case": {"social_worker"},
    "/advocacy-offer": {"social_worker"},
    "/support": {"social_worker", "practitioner", "safeguarding_lead"},
    "/support/contacts/new": {"social_worker", "practitioner", "safeguarding_lead"},
    "/support/plan": {"social_worker", "practitioner", "safeguarding_lead"},
    "/support/close": {"social_worker", "practitioner", "safeguarding_lead"},
    "/documents/{document}": {
        "social_worker",
        "practitioner",
        "advocate",
        "safeguarding_lead",
        "admin",
    },
    "/documents/{document}/pdf": {
        "social_worker",
        "practitioner",
        "advocate",
        "safeguarding_lead",
        "admin",
    },
}
POST_PAGES = [
    page for page in ROLES if page and not page.startswith("/documents") and page != "/support"
]
ROLE_OF = {
    "sam.social": "social_worker",
    "mia.midwife": "practitioner",
    "dev.drugs": "practitioner",
    "ava.advocate": "advocate",
    "lee.lead": "safeguarding_lead",
    "ada.admin": "admin",
}


@dataclass
class Record:
    woman_id: str
    ids: dict[str, str]

    def paths(self, woman_id: str | None = None) -> dict[str, str]:
        base = f"/women/{woman_id or self.woman_id}"
        return {page: base + page.format(**self.ids) for page in ROLES}


async def glenbrae_woman(browse: Browse, sessions: Sessions, now: datetime) -> Record:
    """A Scottish woman with a conference and a meeting (Northmoor people have no part)."""
    iona = await browse("iona.social")
    woman_id = await refer(
        iona,
        area="glenbrae",
        **{
            "woman.given_name": "Morag",
            "woman.family_name": "Glenexample",
            "woman.preferred_name": "",
            "woman.address.town": "Glenbrae",
            "woman.address.postcode": "G12 8QQ",
        },
    )
    await to_conference(iona, woman_id, now)
    doc = await command(iona, f"/women/{woman_id}/meetings/new", meeting_fields(now, 8))
    meeting = doc.by_testid("meeting-row")[0].attrs["data-meeting-id"]
    async with sessions() as session:
        conference = await session.scalar(
            select(Conference.id).where(Conference.woman_id == uuid.UUID(woman_id))
        )
    ids = {
        "meeting": meeting,
        "conference": str(conference),
        "baby": str(uuid.uuid4()),
        "document": str(uuid.uuid4()),
        "deadline": str(uuid.uuid4()),
    }
    return Record(woman_id, ids)


async def token(browser: Browser) -> str:
    home = await browser.get("/")
    page = await browser.page(home.headers["location"])
    return page.form("/sign-out").values()[csrf.FIELD]


async def test_no_one_outside_her_care_can_open_any_page_about_her(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    record = await glenbrae_woman(browse, sessions, now)
    nobody = record.paths(str(uuid.uuid4()))
    for username in OUTSIDERS:
        browser = await browse(username)
        for page, path in record.paths().items():
            response = await browser.get(path)
            unknown = await browser.get(nobody[page])
            expected = 404 if ROLE_OF[username] in ROLES[page] else 403
            where = (username, path)
            assert response.status_code == expected, where
            assert unknown.status_code == expected, where
            assert "Morag" not in response.text, where
            assert "Glenexample" not in response.text, where
    denied = await audit_rows(sessions, record_id=record.woman_id, outcome="denied")
    assert {row.actor_role for row in denied} >= {
        "social_worker",
        "practitioner",
        "advocate",
        "safeguarding_lead",
    }


async def test_no_one_outside_her_care_can_change_anything_about_her(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    record = await glenbrae_woman(browse, sessions, now)
    before = await audit_rows(sessions, record_id=record.woman_id, outcome="allowed")
    for username in OUTSIDERS:
        browser = await browse(username)
        form_token = await token(browser)
        for page in POST_PAGES:
            path = record.paths()[page]
            response = await browser.client.post(
                path, data={csrf.FIELD: form_token, "reason": "x", "decision": "early_help"}
            )
            expected = 404 if ROLE_OF[username] in ROLES[page] else 403
            assert response.status_code == expected, (username, path)
            assert "Morag" not in response.text
    after = await audit_rows(sessions, record_id=record.woman_id, outcome="allowed")
    assert len(after) == len(before)  # nothing done, nothing viewed


async def test_the_lead_of_another_area_cannot_see_who_viewed_her_record(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    record = await glenbrae_woman(browse, sessions, now)
    lee = await browse("lee.lead")
    assert (await lee.get(f"/lead/women/{record.woman_id}/who-viewed")).status_code == 404
    fiona = await browse("fiona.lead")
    doc = await fiona.page(f"/lead/women/{record.woman_id}/who-viewed")
    assert doc.by_testid("access-row")
