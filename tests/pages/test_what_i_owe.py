"""Each person's home page: an unacknowledged urgent message above everything else (the
advocate's), and "what you owe", overdue first then soonest due (everyone's)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services import advocacy_records as records
from services.removal_ack import ALERT, owe_acknowledgement
from tests.advocacy.support import allocate_directly
from tests.helpers.planning import rows
from tests.oversight.builders import make_woman, owe, user_id
from tests.pages.conftest import Browse
from tests.pages.html import Doc
from waymark.db.base import utcnow
from waymark.db.models import Duty, Woman
from waymark.db.session import transaction

Sessions = async_sessionmaker[AsyncSession]
SECTIONS = {"urgent", "owed", "owed-none", "offer-row", "notice-row", "no-notices", "message-row"}
REMOVED = "Her baby has been removed: please contact her today."


def first_section(home: Doc) -> str:
    return next(
        e.attrs["data-testid"] for e in home.elements if e.attrs.get("data-testid") in SECTIONS
    )


async def test_her_unacknowledged_urgent_message_comes_first(
    browse: Browse, sessions: Sessions
) -> None:
    woman_id = await make_woman(sessions)
    await allocate_directly(sessions, woman_id, "ava.advocate")
    at = utcnow() - timedelta(minutes=5)
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        ava = await user_id(session, "ava.advocate")
        later = records.Note(f"test:{uuid.uuid4()}", "advocate_kept_informed", "A new stage.")
        await records.tell(session, later, woman_id, [ava], at + timedelta(minutes=1))
        urgent = records.Note(f"advocacy:request:{ALERT}", ALERT, REMOVED, urgent=True)
        await records.tell(session, urgent, woman_id, [ava], at)
        await owe_acknowledgement(session, woman, "request", ava, at)
    browser = await browse("ava.advocate")
    home = await browser.page("/advocate")
    assert first_section(home) == "urgent"
    [row] = home.by_testid("urgent-row")
    assert REMOVED in home.texts("urgent-row")[0]
    assert not any(REMOVED in text for text in home.texts("message-row"))  # not "other messages"
    assert ["A new stage." in text for text in home.texts("message-row")] == [True]
    assert ["Acknowledge the urgent message" in t for t in home.texts("owed-row")] == [True]
    response = await browser.submit(
        "/advocate", form_action=f"/advocate/notices/{row.attrs['data-notice-id']}/acknowledge"
    )
    assert response.status_code == 303
    home = await browser.page(response.headers["location"])
    assert not home.by_testid("urgent-row")
    assert home.by_testid("owed-none")
    [duty] = await rows(sessions, Duty, woman_id=woman_id)
    assert duty.status == "met"


@pytest.mark.parametrize(
    ("username", "home"),
    [("sam.social", "/caseload"), ("ava.advocate", "/advocate"), ("lee.lead", "/lead")],
)
async def test_what_she_owes_is_on_her_home_page_overdue_first(
    browse: Browse, sessions: Sessions, username: str, home: str
) -> None:
    woman = await make_woman(sessions)
    now = utcnow()
    later = await owe(sessions, woman, "review", now + timedelta(days=2), owed_by=username)
    overdue = await owe(sessions, woman, "contact", now - timedelta(days=1), owed_by=username)
    oldest = await owe(sessions, woman, "named_worker", now - timedelta(days=3), owed_by=username)
    await owe(sessions, woman, "advocate", now - timedelta(days=4), owed_by="ben.advocate")
    page = await (await browse(username)).page(home)
    owed = page.by_testid("owed-row")
    assert [row.attrs["data-duty-id"] for row in owed] == [str(oldest), str(overdue), str(later)]
    assert [row.attrs["data-overdue"] for row in owed] == ["yes", "yes", "no"]
    assert "Overdue" in page.texts("owed-row")[0]
