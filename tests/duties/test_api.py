"""`GET /api/v1/duties/overdue` (paged, one audit row a view) and
`POST /api/v1/duties/{id}/waive` (a lead of her area, always with a reason)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services import duties
from services.duties import Owed
from tests.api.conftest import SignIn
from tests.helpers.planning import rows
from tests.oversight.builders import make_woman
from waymark.db.models import AuditEvent, Duty, Woman
from waymark.db.session import transaction

Sessions = async_sessionmaker[AsyncSession]
NOW = datetime.now(UTC)


async def _duty(
    sessions: Sessions, woman_id: uuid.UUID, key: str, late: timedelta, chased: bool = False
) -> uuid.UUID:
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        duty = await duties.open_duty(
            session,
            key=key,
            woman=woman,
            kind="contact",
            label="A contact with her",
            owed=Owed(organisation_id=woman.team_id),
            due_at=NOW - late,
            at=NOW - late - timedelta(days=7),
            next_escalation_at=NOW + timedelta(days=1) if chased else None,
        )
        return duty.id


async def test_a_lead_pages_through_her_areas_overdue_duties(
    sign_in: SignIn, sessions: Sessions
) -> None:
    woman = await make_woman(sessions)
    oldest = await _duty(sessions, woman, "t:1", timedelta(days=3))
    chased = await _duty(sessions, woman, "t:2", timedelta(days=2), chased=True)
    await _duty(sessions, woman, "t:3", -timedelta(days=2))  # not yet due
    isla = await make_woman(sessions, given="Isla", team="glenbrae-sw")
    await _duty(sessions, isla, "t:4", timedelta(days=5))  # another area
    lead = await sign_in("lee.lead")
    first = (await lead.get("/api/v1/duties/overdue", params={"limit": 1})).json()
    assert [d["id"] for d in first["duties"]] == [str(oldest)]
    assert first["duties"][0]["dropped"] is True
    second = await lead.get("/api/v1/duties/overdue", params={"limit": 1, "after": first["next"]})
    assert [(d["id"], d["dropped"]) for d in second.json()["duties"]] == [(str(chased), False)]
    assert second.json()["next"] is None
    views = await rows(sessions, AuditEvent, action="view_duties", outcome="allowed")
    assert len(views) == 2
    bad = await lead.get("/api/v1/duties/overdue", params={"after": "yesterday"})
    assert bad.status_code == 422
    other = await lead.get("/api/v1/duties/overdue", params={"area": "glenbrae"})
    assert other.status_code == 403


async def test_waiving_needs_a_lead_of_her_area_and_a_reason(
    sign_in: SignIn, sessions: Sessions
) -> None:
    woman = await make_woman(sessions)
    duty_id = await _duty(sessions, woman, "t:w", timedelta(days=1))
    url = f"/api/v1/duties/{duty_id}/waive"
    lead = await sign_in("lee.lead")
    for body in ({}, {"reason": ""}, {"reason": "   "}):
        response = await lead.post(url, json=body)
        assert response.status_code == 422, response.text
    social_worker = await sign_in("sam.social")
    assert (await social_worker.post(url, json={"reason": "done"})).status_code == 403
    other_lead = await sign_in("fiona.lead")
    assert (await other_lead.post(url, json={"reason": "done"})).status_code == 404
    async with sessions() as session:
        duty = await session.scalar(select(Duty).where(Duty.id == duty_id))
        assert duty is not None
        assert (duty.status, duty.waived_by) == ("open", None)

    response = await lead.post(url, json={"reason": "She has moved abroad; handed over"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "waived"
    again = await lead.post(url, json={"reason": "twice"})
    assert again.status_code == 409
    async with sessions() as session:
        duty = await session.scalar(select(Duty).where(Duty.id == duty_id))
        assert duty is not None
        assert duty.waive_reason == "She has moved abroad; handed over"
