"""Which workflow owns a deadline's clock, from the scope the clock was planned under."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.models import Deadline, SupportEpisode
from waymark.errors import NotFound
from workflows.pathway import workflow_id


async def clock_workflow_id(session: AsyncSession, deadline: Deadline) -> str:
    """Her pathway ('pathway'), a conference ('conference:<id>' runs as 'conference-<id>'), or
    her support episode ('support:<episode id>', whose workflow id is kept on the episode)."""
    kind, _, key = deadline.scope.partition(":")
    if kind == "pathway":
        return workflow_id(deadline.woman_id)
    if kind == "support":
        found = await session.scalar(
            select(SupportEpisode.workflow_id).where(
                SupportEpisode.id == uuid.UUID(key),
                SupportEpisode.woman_id == deadline.woman_id,
            )
        )
        if found is None:
            raise NotFound("her support episode for this deadline is not on record")
        return found
    return f"{kind}-{key}"
