"""Closed means closed: commands that make no sense for a closed case are refused (409) with
the reason, unless her own support episode is still open (it outlives her baby's case)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.models import SupportEpisode, Woman
from waymark.errors import Conflict


async def refuse_if_closed(session: AsyncSession, woman: Woman, what: str) -> None:
    """Raise Conflict saying why `what` cannot be done for her closed case."""
    if woman.stage != "closed":
        return
    support = await session.scalar(
        select(SupportEpisode.id).where(
            SupportEpisode.woman_id == woman.id, SupportEpisode.status == "active"
        )
    )
    if support is not None:
        return
    raise Conflict(f"her case is closed, so {what}: if she needs this now, reopen her case first")
