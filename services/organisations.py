"""Look-ups of organisations that commands depend on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Role
from waymark.db.models import Organisation, User, Woman


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


async def team_social_workers(session: AsyncSession, woman: Woman) -> list[User]:
    """Who may co-ordinate her care: the active social workers in her team."""
    found = await session.scalars(
        select(User)
        .where(
            User.organisation_id == woman.team_id,
            User.role == Role.SOCIAL_WORKER.value,
            User.active.is_(True),
        )
        .order_by(User.display_name)
    )
    return list(found)
