"""Where her baby is, from the babies on her record (none yet: before the birth)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.situation import Situation, situation_of
from waymark.db.models import Baby


async def baby_situation(session: AsyncSession, *, woman_id: uuid.UUID) -> Situation:
    """Before the birth, on the neonatal unit, with her in hospital, at home, or in care."""
    rows = await session.execute(
        select(Baby.location, Baby.placement, Baby.discharged_at).where(Baby.woman_id == woman_id)
    )
    return situation_of([(loc, place, left is not None) for loc, place, left in rows])


async def baby_orders(session: AsyncSession, *, woman_id: uuid.UUID) -> list[str]:
    """The legal orders her babies are in care under, each once."""
    rows = await session.scalars(
        select(Baby.legal_basis)
        .where(Baby.woman_id == woman_id, Baby.legal_basis.is_not(None))
        .order_by(Baby.number)
    )
    return list(dict.fromkeys(basis for basis in rows if basis))
