"""The one record-level policy: who may see which woman. Deny by default."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.advocacy import AllocationStatus
from forms.common import Role
from waymark import audit
from waymark.db.models import AdvocateAllocation, BreakGlass, Involvement, Transfer, Woman
from waymark.errors import NotFound
from waymark.security.principal import Principal


def serving_advocate() -> ColumnElement[bool]:
    """An allocation that makes the advocate hers: accepted and not ended. An advocate who has
    only been offered her case sees the offer (to check for a conflict), not her record."""
    return and_(
        AdvocateAllocation.status == AllocationStatus.ACCEPTED.value,
        AdvocateAllocation.ended_at.is_(None),
    )


def visible_women(principal: Principal) -> ColumnElement[bool]:
    """A filter on women for what this person may see; every query about women uses it."""
    if principal.role is Role.SOCIAL_WORKER:
        return Woman.team_id == principal.organisation_id
    if principal.role is Role.ADVOCATE:
        return Woman.id.in_(
            select(AdvocateAllocation.woman_id).where(
                AdvocateAllocation.advocate_user_id == principal.user_id, serving_advocate()
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
        woman = await sent_on_woman(session, principal, woman_id, action=action)
    if woman is None:
        woman = await break_glass_woman(session, principal, woman_id, action=action)
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


async def sent_on_woman(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID, *, action: str
) -> Woman | None:
    """Her record for reading by the team that transferred her to another area, for the period
    the sending area sets (transfers.read_until); every use audited as such."""
    if principal.role is not Role.SOCIAL_WORKER or not action.startswith("view_"):
        return None
    transfer = await session.scalar(
        select(Transfer.id)
        .where(
            Transfer.woman_id == woman_id,
            Transfer.from_team_id == principal.organisation_id,
            Transfer.status == "accepted",
            Transfer.read_until > datetime.now(UTC),
        )
        .limit(1)
    )
    if transfer is None:
        return None
    detail = f"read by the sending team after transfer {transfer}"
    return await _read_as(session, principal, woman_id, action, "transferred", detail)


async def _read_as(
    session: AsyncSession,
    principal: Principal,
    woman_id: uuid.UUID,
    action: str,
    outcome: str,
    detail: str,
    reason: str | None = None,
) -> Woman | None:
    """Her record, read outside her care relationship: each use on the audit, saying why."""
    woman = await session.get(Woman, woman_id)
    if woman is not None:
        audit.record(
            session,
            principal.actor(),
            action=action,
            record_type="woman",
            record_id=woman_id,
            outcome=outcome,
            detail=detail,
            reason=reason,
        )
    return woman


# Emergency ("break-glass") access. A person outside her care relationship who gave a reason
# holds a time-limited grant (table break_glass, made by the pages; her area's safeguarding
# lead is alerted and reviews it). A live grant opens her record for reading only ("view_*"
# actions), never widens lists, and every use is audited with the reason.
BREAK_GLASS_ROLES = frozenset({Role.SOCIAL_WORKER, Role.PRACTITIONER, Role.SAFEGUARDING_LEAD})


async def break_glass_woman(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID, *, action: str
) -> Woman | None:
    """Her record under this person's live emergency-access grant, or None."""
    if principal.role not in BREAK_GLASS_ROLES or not action.startswith("view_"):
        return None
    grant = await session.scalar(
        select(BreakGlass)
        .where(
            BreakGlass.user_id == principal.user_id,
            BreakGlass.woman_id == woman_id,
            BreakGlass.expires_at > datetime.now(UTC),
        )
        .order_by(BreakGlass.expires_at.desc())
        .limit(1)
    )
    if grant is None:
        return None
    detail = f"emergency access grant {grant.id}"
    return await _read_as(session, principal, woman_id, action, "break_glass", detail, grant.reason)
