"""The admin's onboarding page: the uploaded file's problems by line and column (nothing
written), a check only, then the cases brought in; only her own area's cases."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.onboard.test_onboard import case, file_of
from tests.pages.browser import Browser
from tests.pages.conftest import Browse
from tests.pages.html import Doc
from waymark.db.models import OnboardedCase


async def _upload(admin: Browser, text: str, dry_run: bool = False) -> httpx.Response:
    fields = dict((await admin.page("/admin/onboard")).form("/admin/onboard").values())
    if dry_run:
        fields["dry_run"] = "yes"
    files = {"file": ("cases.csv", text.encode(), "text/csv")}
    return await admin.client.post("/admin/onboard", data=fields, files=files)


async def test_an_admin_uploads_cases_and_sees_problems_then_the_result(
    browse: Browse, sessions: async_sessionmaker[AsyncSession]
) -> None:
    ada = await browse("ada.admin")
    bad = file_of([case(1), case(2, edd="soon"), case(3, area="glenbrae", nhs_number="")])
    refused = await _upload(ada, bad)
    assert refused.status_code == 422
    problems = Doc(refused.text).texts("onboard-problem")
    assert any(p.startswith("3edd") for p in problems), problems
    assert any(p.startswith("4area") and "not your area" in p for p in problems), problems
    good = file_of([case(1), case(2)])
    checked = await _upload(ada, good, dry_run=True)
    assert checked.status_code == 200, checked.text[:500]
    assert "2 would be brought in" in " ".join(Doc(checked.text).texts("onboard-result"))
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OnboardedCase)) == 0
    done = await _upload(ada, good)
    assert "2 cases brought in" in " ".join(Doc(done.text).texts("onboard-result"))


async def test_only_an_admin_may_bring_cases_in(browse: Browse) -> None:
    sam = await browse("sam.social")
    assert (await sam.client.get("/admin/onboard")).status_code == 403
