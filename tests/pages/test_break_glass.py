"""Emergency access: a reason, read-only, one hour, her area's lead alerted and reviewing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.helpers.api import audit_rows, user_id
from tests.helpers.referrals import VALID_NHS
from tests.pages.conftest import Browse
from tests.pages.flows import refer
from tests.pages.html import Doc
from waymark.db.models import BreakGlass, Notice, Task

Sessions = async_sessionmaker[AsyncSession]
REASON = "She came to our A&E in labour and we need her care plan"


async def northmoor_woman(browse: Browse) -> str:
    return await refer(await browse("sam.social"), **{"woman.nhs_number": VALID_NHS})


async def test_emergency_access_opens_her_record_for_an_hour_with_the_reason_audited(
    browse: Browse, sessions: Sessions
) -> None:
    woman_id = await northmoor_woman(browse)
    ewan = await browse("ewan.midwife")  # Glenbrae maternity: not part of her care
    assert (await ewan.get(f"/women/{woman_id}")).status_code == 404
    response = await ewan.submit("/emergency-access", {"number": VALID_NHS, "reason": REASON})
    assert response.status_code == 303
    assert response.headers["location"] == f"/women/{woman_id}"
    doc = await ewan.page(f"/women/{woman_id}")
    assert doc.h1() == ["Jay Example"]
    assert doc.texts("emergency-access-banner")
    rows = await audit_rows(sessions, record_id=woman_id, outcome="break_glass")
    assert {row.action for row in rows} >= {"break_glass", "view_woman"}
    assert all(row.reason == REASON for row in rows)
    # Read-only: commands stay closed to her.
    assert (await ewan.get(f"/women/{woman_id}/birth")).status_code == 404
    # Not in her lists either.
    assert not (await ewan.page("/agency")).by_testid("woman-row")


async def test_her_areas_lead_is_alerted_and_reviews_it(browse: Browse, sessions: Sessions) -> None:
    woman_id = await northmoor_woman(browse)
    ewan = await browse("ewan.midwife")
    await ewan.submit("/emergency-access", {"number": VALID_NHS, "reason": REASON})
    lee_id = await user_id(sessions, "lee.lead")
    async with sessions() as session:
        notices = list(await session.scalars(select(Notice).where(Notice.kind == "break_glass")))
        tasks = list(await session.scalars(select(Task).where(Task.kind == "break_glass_review")))
    assert [n.recipient_user_id for n in notices] == [lee_id]
    assert REASON not in notices[0].summary  # the reason stays in Waymark
    assert [t.assignee_user_id for t in tasks] == [lee_id]
    lee = await browse("lee.lead")
    queue = await lee.page("/lead/emergency-access")
    [row] = queue.by_testid("break-glass-row")
    assert row.attrs["data-reviewed"] == "no"
    assert queue.texts("break-glass-reason") == [REASON]
    [grant] = [f.action for f in queue.forms if f.action.startswith("/lead/emergency-access/")]
    response = await lee.submit(
        "/lead/emergency-access", {"outcome": "concern", "note": "Not needed"}, form_action=grant
    )
    assert response.status_code == 303
    queue = await lee.page(response.headers["location"])
    assert queue.by_testid("break-glass-row")[0].attrs["data-reviewed"] == "yes"
    async with sessions() as session:
        assert (
            await session.scalar(select(Task.status).where(Task.kind == "break_glass_review"))
            == "done"
        )
    # A concern ends what is left of the hour.
    assert (await ewan.get(f"/women/{woman_id}")).status_code == 404
    fiona = await browse("fiona.lead")  # another area's lead cannot review it
    response = await fiona.client.post(
        grant,
        data={
            "csrf_token": (await fiona.page("/lead")).form("/sign-out").values()["csrf_token"],
            "outcome": "appropriate",
        },
    )
    assert response.status_code == 404


async def test_access_ends_after_the_hour(browse: Browse, sessions: Sessions) -> None:
    woman_id = await northmoor_woman(browse)
    ewan = await browse("ewan.midwife")
    await ewan.submit("/emergency-access", {"number": VALID_NHS, "reason": REASON})
    async with sessions() as session, session.begin():
        await session.execute(
            update(BreakGlass).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert (await ewan.get(f"/women/{woman_id}")).status_code == 404


async def test_a_reason_and_a_real_number_are_needed(browse: Browse, sessions: Sessions) -> None:
    await northmoor_woman(browse)
    ewan = await browse("ewan.midwife")
    response = await ewan.submit("/emergency-access", {"number": VALID_NHS, "reason": ""})
    assert response.status_code == 422
    assert Doc(response.text).texts("error-reason")
    response = await ewan.submit("/emergency-access", {"number": "123", "reason": REASON})
    assert response.status_code == 422
    response = await ewan.submit("/emergency-access", {"number": "9999999999", "reason": REASON})
    assert response.status_code == 404
    async with sessions() as session:
        assert await session.scalar(select(BreakGlass.id)) is None


async def test_advocates_and_admins_cannot_break_glass(browse: Browse) -> None:
    for username in ("kirsty.advocate", "ada.admin"):
        browser = await browse(username)
        assert (await browser.get("/emergency-access")).status_code == 403


async def test_the_not_found_page_offers_emergency_access_to_those_who_may_use_it(
    browse: Browse,
) -> None:
    ewan = await browse("ewan.midwife")
    doc = await ewan.page(f"/women/{uuid.uuid4()}", status=404)
    assert any(e.attrs.get("href") == "/emergency-access" for e in doc.elements)
    kirsty = await browse("kirsty.advocate")
    doc = await kirsty.page(f"/women/{uuid.uuid4()}", status=404)
    assert not any(e.attrs.get("href") == "/emergency-access" for e in doc.elements)
