"""GET /api/v1/compliance: a lead sees her own area, an admin any area, no one else at all."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from waymark.db.models import AuditEvent

URL = "/api/v1/compliance"


async def test_a_social_worker_is_refused_and_the_refusal_is_audited(
    sign_in: SignIn, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sam = await sign_in("sam.social")
    response = await sam.get(URL, params={"area": "northmoor"})
    assert response.status_code == 403
    async with sessions() as session:
        denied = await session.scalars(
            select(AuditEvent.outcome).where(AuditEvent.action == "view_compliance")
        )
        assert list(denied) == ["denied"]


async def test_a_lead_sees_her_own_area_but_not_another(sign_in: SignIn) -> None:
    lee = await sign_in("lee.lead")
    own = await lee.get(URL)
    assert own.status_code == 200, own.text
    assert [item["area"] for item in own.json()["areas"]] == ["northmoor"]
    assert (await lee.get(URL, params={"area": "northmoor"})).status_code == 200
    other = await lee.get(URL, params={"area": "glenbrae"})
    assert other.status_code == 403
    assert "glenbrae" not in other.text


async def test_an_admin_sees_any_area_or_all_of_them(sign_in: SignIn) -> None:
    ada = await sign_in("ada.admin")
    one = await ada.get(URL, params={"area": "glenbrae"})
    assert one.status_code == 200, one.text
    body = one.json()
    assert [item["area"] for item in body["areas"]] == ["glenbrae"]
    figures = body["areas"][0]["figures"]["conferences_on_time"]
    assert figures == {"numerator": 0, "denominator": 0, "rate": None}
    every = await ada.get(URL)
    assert [item["area"] for item in every.json()["areas"]] == ["glenbrae", "northmoor"]
    unknown = await ada.get(URL, params={"area": "atlantis"})
    assert unknown.status_code == 422
    assert "atlantis" not in unknown.text


async def test_practitioners_and_advocates_are_refused(sign_in: SignIn) -> None:
    for username in ("mia.midwife", "ava.advocate"):
        client = await sign_in(username)
        assert (await client.get(URL)).status_code == 403
