"""Scotland's Inter-agency Referral Discussion: when a strategy discussion is needed, the police
and health of her area are invited (told, and involved in her care so they can prepare), and
her timeline names them; England's guidance names none by default, so nobody is invited."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.conftest import SignIn
from tests.helpers.api import glenbrae_referral_body, make_referral
from tests.helpers.planning_api import screen, summary
from waymark.db.models import Involvement, Notice, Organisation

Sessions = async_sessionmaker[AsyncSession]
KIND = "strategy_discussion_invitation"


async def invited(sessions: Sessions, woman_id: str) -> list[tuple[str, bool]]:
    """Each invited agency's kind, and whether it is involved in her care."""
    async with sessions() as session:
        rows = await session.execute(
            select(Organisation.agency_kind, Involvement.id)
            .join(Notice, Notice.recipient_organisation_id == Organisation.id)
            .outerjoin(
                Involvement,
                (Involvement.organisation_id == Organisation.id)
                & (Involvement.woman_id == Notice.woman_id),
            )
            .where(Notice.woman_id == uuid.UUID(woman_id), Notice.kind == KIND)
            .order_by(Organisation.agency_kind)
        )
        return [(kind, involvement is not None) for kind, involvement in rows]


async def test_scotland_invites_the_police_and_health_to_the_ird(
    sign_in: SignIn, sessions: Sessions
) -> None:
    woman_id = await make_referral(await sign_in("ewan.midwife"), glenbrae_referral_body())
    iona = await sign_in("iona.social")
    await screen(iona, woman_id)
    assert await invited(sessions, woman_id) == [("maternity", True), ("police", True)]
    timeline = [e["summary"] for e in (await summary(iona, woman_id))["timeline"]]
    assert any(
        s.startswith("Invited to the Inter-agency Referral Discussion (IRD): ")
        and "Police Scotland, Glenbrae" in s
        for s in timeline
    )


async def test_england_invites_nobody_by_default(sign_in: SignIn, sessions: Sessions) -> None:
    woman_id = await make_referral(await sign_in("mia.midwife"))
    await screen(await sign_in("sam.social"), woman_id)
    assert await invited(sessions, woman_id) == []
