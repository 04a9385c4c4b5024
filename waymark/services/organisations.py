"""Look-ups of organisations that commands depend on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.models import Organisation


async def by_code(session: AsyncSession, code: str) -> Organisation | None:
    return await session.scalar(select(Organisation).where(Organisation.code == code))


async def receiving_team(session: AsyncSession, area_code: str) -> Organisation | None:
    """The children's social care team that receives referrals for an area."""
    return await session.scalar(
        select(Organisation)
        .where(Organisation.area_code == area_code, Organisation.receives_referrals.is_(True))
        .order_by(Organisation.code)
        .limit(1)
    )
