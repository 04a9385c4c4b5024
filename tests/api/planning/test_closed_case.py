"""Closed means closed: an advocate offer or a meeting for a closed case is refused (409) with
the reason and nothing written; reopening is a command of its own, on her record, after which
the same commands are taken again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from tests.support.api import make_referral
from tests.support.planning import count
from tests.support.planning_api import meeting_body, screen, summary
from waymark.db.models import AdvocacyOffer, Meeting

Sessions = async_sessionmaker[AsyncSession]


async def test_a_closed_case_refuses_offers_and_meetings_until_it_is_reopened(
    sign_in: SignIn, sessions: Sessions, now: datetime
) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    sam = await sign_in("sam.social")
    await screen(sam, woman_id, "no_further_action")
    assert (await summary(sam, woman_id))["stage"] == "closed"

    offer = await sam.post(f"/api/v1/women/{woman_id}/advocacy/offer", json={"trigger": "referral"})
    assert offer.status_code == 409
    assert "her case is closed" in offer.json()["detail"]
    assert "advocate" in offer.json()["detail"]
    meeting = await sam.post(
        f"/api/v1/women/{woman_id}/meetings", json=meeting_body(now, 10, kind="planning_meeting")
    )
    assert meeting.status_code == 409
    assert "no meeting" in meeting.json()["detail"]
    assert await count(sessions, AdvocacyOffer) == 0
    assert await count(sessions, Meeting) == 0

    reopened = await sam.post(
        f"/api/v1/women/{woman_id}/reopen", json={"reason": "New concerns from her midwife"}
    )
    assert reopened.status_code == 200, reopened.text
    assert reopened.json() == {"stage": "screening"}
    her = await summary(sam, woman_id)
    assert her["stage"] == "screening"
    assert any("reopened: New concerns" in e["summary"] for e in her["timeline"])
    again = await sam.post(f"/api/v1/women/{woman_id}/reopen", json={"reason": "Twice"})
    assert again.status_code == 409

    offer = await sam.post(f"/api/v1/women/{woman_id}/advocacy/offer", json={"trigger": "referral"})
    assert offer.status_code == 201, offer.text
    await screen(sam, woman_id, "pre_birth_assessment")
    assert (await summary(sam, woman_id))["stage"] == "pre_birth_assessment"
