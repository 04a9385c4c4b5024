"""The one record-level policy: who may see which woman. Deny by default."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Role
from waymark import audit
from waymark.db.models import AdvocateAllocation, Involvement, Woman
from waymark.errors import NotFound
from waymark.security.principal import Principal


def visible_women(principal: Principal) -> ColumnElement[bool]:
    """A filter on women for what this person may see; every query about women uses it."""
    if principal.role is Role.SOCIAL_WORKER:
        return Woman.team_id == principal.organisation_id
    if principal.role is Role.ADVOCATE:
        return Woman.id.in_(
            select(AdvocateAllocation.woman_id).where(
                AdvocateAllocation.advocate_user_id == principal.user_id,
                AdvocateAllocation.ended_at.is_(None),
            )
        )
    if principal.role is Role.PRACTITIONER:
        return Woman.id.in_(
            select(Involvement.woman_id).where(
                Involvement.organisation_id == principal.organisation_id
            )
        )
    if principal.role is Role.SAFEGUARDING_LEAD:
        return Woman.area_code == principal.area_code
    return false()


async def visible_woman(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID, *, action: str
) -> Woman:
    """Her record if this person may see it; otherwise a 404, with the denial on the record."""
    woman = await session.scalar(
        select(Woman).where(Woman.id == woman_id, visible_women(principal))
    )
    if woman is None:
        audit.record(
            session,
            principal.actor(),
            action=action,
            record_type="woman",
            record_id=woman_id,
            outcome="denied",
        )
        raise NotFound("no such woman's record")
    return woman
