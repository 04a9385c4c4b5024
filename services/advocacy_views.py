"""Advocacy as staff read and manage it: her history, an advocate's women, conflicts, profiles.

Callers have already applied the record-level policy and role checks; each view is audited here.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forms.advocacy import (
    AdvocacyHistory,
    AllocatedWoman,
    AllocationStatus,
    AllocationView,
    OfferView,
    ProfileRequest,
)
from forms.common import Role
from services import advocacy_records as records
from services import advocates
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import (
    AdvocacyOffer,
    AdvocateAllocation,
    AdvocateConflict,
    AdvocateProfile,
    Organisation,
    User,
    Woman,
)
from waymark.errors import Conflict, Forbidden, NotFound
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal


async def history(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID
) -> AdvocacyHistory:
    """Every offer to her and every allocation, oldest first (nothing is ever deleted)."""
    offers = await session.scalars(
        select(AdvocacyOffer)
        .where(AdvocacyOffer.woman_id == woman_id)
        .order_by(AdvocacyOffer.offered_at, AdvocacyOffer.id)
    )
    rows = await session.execute(
        select(AdvocateAllocation, User.display_name)
        .join(User, User.id == AdvocateAllocation.advocate_user_id)
        .where(AdvocateAllocation.woman_id == woman_id)
        .order_by(AdvocateAllocation.started_at, AdvocateAllocation.id)
    )
    audit.record(
        session, principal.actor(), action="view_advocacy", record_type="woman", record_id=woman_id
    )
    return AdvocacyHistory(
        offers=[
            OfferView(
                id=o.id,
                trigger=o.trigger,
                offered_at=o.offered_at,
                response=o.response,
                responded_at=o.responded_at,
            )
            for o in offers
        ],
        allocations=[_allocation_view(row, name) for row, name in rows],
    )


def _allocation_view(row: AdvocateAllocation, advocate: str) -> AllocationView:
    return AllocationView(
        id=row.id,
        advocate=advocate,
        status=row.status,
        started_at=row.started_at,
        offered_at=row.offered_at,
        accept_by=row.accept_by,
        responded_at=row.responded_at,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
        after_removal=row.after_removal,
    )


async def allocated_women(session: AsyncSession, principal: Principal) -> list[AllocatedWoman]:
    """The women this advocate is allocated to, or whose case awaits her answer."""
    rows = await session.execute(
        select(Woman, AdvocateAllocation)
        .join(AdvocateAllocation, AdvocateAllocation.woman_id == Woman.id)
        .where(
            AdvocateAllocation.advocate_user_id == principal.user_id,
            AdvocateAllocation.ended_at.is_(None),
        )
        .order_by(AdvocateAllocation.started_at, Woman.id)
    )
    found = []
    for woman, allocation in rows:
        name = woman.preferred_name or woman.given_name
        found.append(
            AllocatedWoman(
                id=woman.id,
                name=f"{name} {woman.family_name}",
                stage=woman.stage,
                since=allocation.responded_at or allocation.started_at,
                status=allocation.status,
                nation=get_area(woman.area_code).nation,
            )
        )
        audit.record(
            session, principal.actor(), action="list_woman", record_type="woman", record_id=woman.id
        )
    return found


async def record_conflict(
    session: AsyncSession,
    principal: Principal,
    advocate: User,
    woman_id: uuid.UUID,
    reason: str,
) -> tuple[AdvocateConflict, AdvocateAllocation | None]:
    """Record the conflict; her open allocation to this advocate, if any, is returned."""
    row = AdvocateConflict(
        advocate_user_id=advocate.id,
        woman_id=woman_id,
        reason=reason,
        recorded_by=principal.user_id,
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError as exc:
        raise Conflict("a conflict is already recorded for this advocate and woman") from exc
    audit.record(
        session,
        principal.actor(),
        action="record_advocate_conflict",
        record_type="woman",
        record_id=woman_id,
    )
    current = await advocates.open_allocation(session, woman_id)
    if current is None or current.advocate_user_id != advocate.id:
        return row, None
    return row, current


async def end_accepted(
    session: AsyncSession, allocation: AdvocateAllocation, reason: str, at: datetime
) -> None:
    """End an accepted allocation (the row stays as history) and tell the advocate."""
    await records.end(session, allocation, AllocationStatus.ENDED, reason, at)
    note = records.Note(
        f"advocacy:{allocation.id}:ended",
        "advocate_allocation_ended",
        f"Your allocation to a woman has ended: {reason}.",
    )
    await records.tell(session, note, allocation.woman_id, [allocation.advocate_user_id], at)
    summary = "Her independent advocate's allocation ended"
    key = f"advocacy:{allocation.id}:ended"
    await records.timeline(session, key, allocation.woman_id, "advocate_ended", at, summary)


async def save_profile(
    session: AsyncSession, principal: Principal, advocate: User, body: ProfileRequest
) -> AdvocateProfile:
    """Create or replace an advocate's profile."""
    profile = await session.get(AdvocateProfile, advocate.id)
    if profile is None:
        profile = AdvocateProfile(user_id=advocate.id)
        session.add(profile)
    profile.capacity = body.capacity
    profile.areas = [area.lower() for area in body.areas]
    profile.languages = list(dict.fromkeys(body.languages))
    profile.on_leave_from, profile.on_leave_until = body.on_leave_from, body.on_leave_until
    profile.is_manager = body.is_manager
    await session.flush()
    audit.record(
        session,
        principal.actor(),
        action="save_advocate_profile",
        record_type="user",
        record_id=advocate.id,
    )
    return profile


async def is_manager_of(session: AsyncSession, principal: Principal, advocate: User) -> bool:
    """Whether this person manages the advocacy service the advocate works for."""
    if principal.organisation_id != advocate.organisation_id:
        return False
    return principal.user_id in await advocates.managers(session, [advocate.organisation_id])


async def advocate_account(
    session: AsyncSession, user_id: uuid.UUID, *, area: str | None = None
) -> User:
    """An advocate's account (in this area, when given); anything else is a 404."""
    user = await session.get(User, user_id)
    if user is None or user.role != Role.ADVOCATE.value:
        raise NotFound("no such advocate")
    if area is not None:
        org = await session.get(Organisation, user.organisation_id)
        if org is None or org.area_code != area:
            raise NotFound("no such advocate")
    return user


async def conflict_woman(
    session: AsyncSession, principal: Principal, advocate: User, woman_id: uuid.UUID
) -> Woman:
    """Her record, for a lead who may see her or the advocate's own service manager."""
    if principal.role is Role.SAFEGUARDING_LEAD:
        return await visible_woman(session, principal, woman_id, action="record_conflict")
    if not await is_manager_of(session, principal, advocate):
        audit.record(
            session,
            principal.actor(),
            action="record_conflict",
            record_type="user",
            record_id=advocate.id,
            outcome="denied",
        )
        raise Forbidden("only a safeguarding lead or the advocacy service's manager can do this")
    woman = await session.get(Woman, woman_id)
    if woman is None or woman.area_code != principal.area_code:
        raise NotFound("no such woman's record")
    return woman
