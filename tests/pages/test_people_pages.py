"""Each person's own pages: the advocate's meetings and notices, the agency practitioner's
invitations and report, the safeguarding lead's ledger, who-viewed and compliance, the admin's."""

from __future__ import annotations

import uuid
from datetime import datetime

from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from delivery.calendar import meeting_uid
from tests.advocacy.support import allocate_directly
from tests.helpers.planning import eventually
from tests.pages.conftest import Browse
from tests.pages.flows import birth_fields, command, meeting_fields, refer, to_conference
from tests.pages.html import Doc
from waymark.areas import get_area
from waymark.db.models import CalendarFeed, Notice

Sessions = async_sessionmaker[AsyncSession]


async def with_conference(browse: Browse, now: datetime) -> str:
    """A Northmoor woman (referred by the midwife) with a conference 8 days ahead."""
    woman_id = await refer(await browse("mia.midwife"))
    sam = await browse("sam.social")
    await to_conference(sam, woman_id, now)
    await command(sam, f"/women/{woman_id}/meetings/new", meeting_fields(now, 8))
    return woman_id


async def test_the_advocate_sees_her_meetings_and_acknowledges_notices(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    woman_id = await refer(await browse("sam.social"))
    await allocate_directly(sessions, uuid.UUID(woman_id), "ava.advocate")
    sam = await browse("sam.social")
    await to_conference(sam, woman_id, now)
    await command(sam, f"/women/{woman_id}/meetings/new", meeting_fields(now, 8))
    ava = await browse("ava.advocate")
    home = await ava.page("/advocate")
    assert [w.attrs["data-woman-id"] for w in home.by_testid("woman-row")] == [woman_id]
    [meeting] = home.texts("meeting-row")
    assert "Case conference" in meeting
    assert "notice for you to acknowledge" in meeting
    [notice] = home.by_testid("notice-row")
    response = await ava.submit(
        "/advocate", form_action=f"/advocate/notices/{notice.attrs['data-notice-id']}/acknowledge"
    )
    assert response.status_code == 303
    home = await ava.page(response.headers["location"])
    assert home.texts("notification") == ["Thank you: the notice is acknowledged."]
    assert not home.by_testid("notice-row")
    async with sessions() as session:
        acknowledged = await session.get(Notice, uuid.UUID(notice.attrs["data-notice-id"]))
    assert acknowledged is not None
    assert acknowledged.acknowledged_at is not None
    # Her page is open to her, as her advocate.
    assert (await ava.page(f"/women/{woman_id}")).texts("advocate") == ["Ava Lewis"]
    # Each meeting's invite, for her own diary: one event, the meeting's stable UID.
    [link] = home.by_testid("meeting-invite")
    invite = await ava.get(link.attrs["href"])
    assert invite.status_code == 200
    assert invite.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(invite.content).walk("VEVENT")
    assert str(event["UID"]) == meeting_uid(uuid.UUID(link.attrs["href"].split("/")[3]))
    assert "Example" not in invite.text  # no name in a file that may sit in any calendar
    kirsty = await browse("kirsty.advocate")
    assert (await kirsty.get(link.attrs["href"])).status_code == 404


async def test_another_advocates_notice_cannot_be_acknowledged(
    browse: Browse, sessions: Sessions, now: datetime
) -> None:
    woman_id = await refer(await browse("sam.social"))
    await allocate_directly(sessions, uuid.UUID(woman_id), "ava.advocate")
    sam = await browse("sam.social")
    await to_conference(sam, woman_id, now)
    await command(sam, f"/women/{woman_id}/meetings/new", meeting_fields(now, 8))
    notice = (await (await browse("ava.advocate")).page("/advocate")).by_testid("notice-row")[0]
    kirsty = await browse("kirsty.advocate")
    token = (await kirsty.page("/advocate")).form("/sign-out").values()["csrf_token"]
    response = await kirsty.client.post(
        f"/advocate/notices/{notice.attrs['data-notice-id']}/acknowledge",
        data={"csrf_token": token},
    )
    assert response.status_code == 404


async def test_the_calendar_link_is_made_only_on_request(
    browse: Browse, sessions: Sessions
) -> None:
    ava = await browse("ava.advocate")
    page = await ava.page("/advocate/calendar")
    assert not page.by_testid("calendar-link")

    async def feeds() -> int:
        async with sessions() as session:
            return int(await session.scalar(select(func.count(CalendarFeed.id))) or 0)

    assert await feeds() == 0
    response = await ava.submit("/advocate/calendar")
    assert response.status_code == 200
    [link] = Doc(response.text).by_testid("calendar-link")
    url = link.attrs["value"]
    assert "/calendar/" in url
    assert await feeds() == 1
    feed = await ava.get(url.removeprefix("http://127.0.0.1:8000"))
    assert feed.status_code == 200
    assert feed.text.startswith("BEGIN:VCALENDAR")


async def test_the_midwife_sees_the_conference_and_submits_her_report(
    browse: Browse, now: datetime
) -> None:
    woman_id = await with_conference(browse, now)
    mia = await browse("mia.midwife")
    home = await mia.page("/agency")
    assert woman_id in [w.attrs["data-woman-id"] for w in home.by_testid("woman-row")]
    [row] = home.by_testid("meeting-row")
    report = home.by_testid("submit-report")[0].attrs["href"]

    async def scheduled() -> bool:
        doc = await mia.page(f"/women/{woman_id}")
        return [c.attrs["data-phase"] for c in doc.by_testid("conference-row")] == ["scheduled"]

    await eventually(scheduled)
    doc = await command(mia, report, {"summary": "She attends every antenatal appointment."})
    assert doc.texts("notification")[0].startswith("Your report is submitted")


async def test_the_lead_sees_the_ledger_who_viewed_and_compliance(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    base = f"/women/{woman_id}"
    await command(
        sam,
        f"{base}/birth",
        birth_fields(now),
    )
    placement = (await sam.page(base)).by_testid("action-placement")[0].attrs["href"]
    await command(
        sam,
        placement,
        {"placement": "care", "legal_basis": "police_protection", "reason": "Police protection"},
    )
    lee = await browse("lee.lead")

    async def listed() -> bool:
        doc = await lee.page("/lead")
        return woman_id in [r.attrs["data-woman-id"] for r in doc.by_testid("ledger-row")]

    await eventually(listed)
    her = await lee.page(base)
    assert her.by_testid("who-viewed-link")
    viewed = await lee.page(f"/lead/women/{woman_id}/who-viewed")
    actions = viewed.texts("access-row")
    assert any("Lee Morgan" in a and "View woman" in a for a in actions), actions
    assert any("Sam Okafor" in a for a in actions)
    compliance = await lee.page("/lead/compliance")
    assert compliance.by_testid("chart")
    assert compliance.by_testid("chart-bar")
    assert compliance.by_testid("figure-row")


async def test_the_admin_sees_users_advocates_and_area_settings(browse: Browse) -> None:
    ada = await browse("ada.admin")
    users = await ada.page("/admin")
    usernames = [u.attrs["data-username"] for u in users.by_testid("user-row")]
    assert "sam.social" in usernames
    assert "iona.social" not in usernames  # her own area only
    advocates = await ada.page("/admin/advocates")
    assert "ava.advocate" in [a.attrs["data-username"] for a in advocates.by_testid("advocate-row")]
    areas = await ada.page("/admin/areas")
    assert {"northmoor", "glenbrae"} <= {
        a.attrs["data-area"] for a in areas.by_testid("area-settings")
    }
    assert not areas.forms[1:]  # read-only: only the sign-out form


async def test_the_compliance_page_names_areas_and_agencies_and_says_what_fills_empty_figures(
    browse: Browse, now: datetime
) -> None:
    sam = await browse("sam.social")
    woman_id = await refer(sam)
    await to_conference(sam, woman_id, now)
    await command(sam, f"/women/{woman_id}/meetings/new", meeting_fields(now, 8))
    doc = await (await browse("lee.lead")).page("/lead/compliance")
    assert doc.texts("area-heading") == [get_area("northmoor").name]
    assert "Northmoor Children's Social Care" in doc.texts("agency-heading")
    assert "northmoor-csc" not in doc.html
    assert "No data" not in doc.html
    rows = doc.texts("figure-row")
    assert any("None yet: counted once a conference has been held" in r for r in rows), rows
