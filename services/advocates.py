"""Choosing an independent advocate for her, and allocating one atomically.

Eligible: an active advocate whose profile covers her area, who is not on leave today, who works
for no agency on her care team, has no recorded conflict with her, is below capacity and has not
already declined (or let lapse) this request. Order: continuity, then her language, then the
lowest load, then username. Atomic: the candidates' profile rows are locked in one fixed order
(SELECT ... FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers) and
their loads are counted again inside the lock, so no advocate is ever over capacity.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forms.advocacy import AllocationStatus
from waymark.areas import get_area
from waymark.db.models import (
    AdvocateAllocation,
    AdvocateConflict,
    AdvocateProfile,
    Involvement,
    Organisation,
    User,
    Woman,
)

ADVOCATE = "advocate"
ALREADY_OPEN = "she already has an advocate or an offer open"


@dataclass(frozen=True)
class Candidate:
    user_id: uuid.UUID
    username: str
    organisation_id: uuid.UUID
    capacity: int
    languages: tuple[str, ...]
    load: int = 0


@dataclass(frozen=True)
class Attempt:
    """What one allocation attempt came to: an offer made, nobody free, or one already open."""

    status: Literal["offered", "none_available", "already_open"]
    allocation: AdvocateAllocation | None = None
    reason: str = ""


def on_leave(profile: AdvocateProfile, today: date) -> bool:
    """True when today falls in her leave (an open end means until further notice)."""
    start, end = profile.on_leave_from, profile.on_leave_until
    if start is None and end is None:
        return False
    return (start is None or start <= today) and (end is None or today <= end)


def care_team_agencies(woman_id: uuid.UUID) -> Select[uuid.UUID]:
    """The agencies on her care team (an advocacy service recorded as involved is not one)."""
    return (
        select(Involvement.organisation_id)
        .join(Organisation, Organisation.id == Involvement.organisation_id)
        .where(Involvement.woman_id == woman_id, Organisation.agency_kind != "advocacy")
    )


async def able_advocates(
    session: AsyncSession,
    woman: Woman,
    *,
    today: date,
    exclude: Collection[uuid.UUID] = (),
    area: str | None = None,
) -> list[Candidate]:
    """Advocates who may act for her today, whatever their load, in user-id order; from the
    pool of `area` (a neighbouring one), else of her own."""
    care_team = care_team_agencies(woman.id)
    conflicted = select(AdvocateConflict.advocate_user_id).where(
        AdvocateConflict.woman_id == woman.id
    )
    rows = await session.execute(
        select(User, AdvocateProfile)
        .join(AdvocateProfile, AdvocateProfile.user_id == User.id)
        .where(
            User.role == ADVOCATE,
            User.active.is_(True),
            User.organisation_id.not_in(care_team),
            User.id.not_in(conflicted),
        )
        .order_by(User.id)
    )
    return [
        Candidate(
            user_id=user.id,
            username=user.username,
            organisation_id=user.organisation_id,
            capacity=profile.capacity,
            languages=tuple(profile.languages or ()),
        )
        for user, profile in rows
        if (area or woman.area_code) in (profile.areas or ())
        and not on_leave(profile, today)
        and user.id not in exclude
    ]


async def why_unable(
    session: AsyncSession, woman: Woman, advocate_id: uuid.UUID, *, today: date
) -> str | None:
    """Why this advocate can no longer act for her (capacity aside), or None if she can."""
    user = await session.get(User, advocate_id)
    if user is None or not user.active or user.role != ADVOCATE:
        return "the advocate no longer works as an advocate"
    conflict = select(AdvocateConflict.id).where(
        AdvocateConflict.advocate_user_id == advocate_id, AdvocateConflict.woman_id == woman.id
    )
    if await session.scalar(conflict):
        return "a conflict of interest was recorded"
    on_team = care_team_agencies(woman.id).where(
        Involvement.organisation_id == user.organisation_id
    )
    if await session.scalar(on_team.limit(1)):
        return "the advocate's service is on her care team"
    profile = await session.get(AdvocateProfile, advocate_id)
    if profile is None or woman.area_code not in (profile.areas or ()):
        return "the advocate no longer covers her area"
    if on_leave(profile, today):
        return "the advocate is on leave"
    return None


async def open_loads(session: AsyncSession, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Open (offered or accepted) allocations per advocate."""
    rows = await session.execute(
        select(AdvocateAllocation.advocate_user_id, func.count())
        .where(
            AdvocateAllocation.advocate_user_id.in_(list(user_ids)),
            AdvocateAllocation.ended_at.is_(None),
        )
        .group_by(AdvocateAllocation.advocate_user_id)
    )
    return {user_id: int(count) for user_id, count in rows}


async def open_allocation(session: AsyncSession, woman_id: uuid.UUID) -> AdvocateAllocation | None:
    """Her open allocation (offered or accepted), if any: there is at most one."""
    found: AdvocateAllocation | None = await session.scalar(
        select(AdvocateAllocation).where(
            AdvocateAllocation.woman_id == woman_id, AdvocateAllocation.ended_at.is_(None)
        )
    )
    return found


async def previous_advocate(session: AsyncSession, woman_id: uuid.UUID) -> uuid.UUID | None:
    """The advocate who last worked with her (accepted her case), for continuity."""
    worked = or_(
        AdvocateAllocation.status == AllocationStatus.ACCEPTED.value,
        and_(
            AdvocateAllocation.status == AllocationStatus.ENDED.value,
            AdvocateAllocation.responded_at.is_not(None),
        ),
    )
    found: uuid.UUID | None = await session.scalar(
        select(AdvocateAllocation.advocate_user_id)
        .where(AdvocateAllocation.woman_id == woman_id, worked)
        .order_by(AdvocateAllocation.started_at.desc())
        .limit(1)
    )
    return found


def rank(
    candidates: Iterable[Candidate], *, previous: uuid.UUID | None, language: str
) -> list[Candidate]:
    """Continuity first, then her language, then the lowest load, then username."""
    return sorted(
        candidates,
        key=lambda c: (c.user_id != previous, language not in c.languages, c.load, c.username),
    )


async def choose(
    session: AsyncSession, woman: Woman, able: list[Candidate]
) -> tuple[Candidate | None, str]:
    """The best of the able advocates who still has room, counted now; or why there is none."""
    loads = await open_loads(session, (c.user_id for c in able))
    free = [
        replace(c, load=loads.get(c.user_id, 0))
        for c in able
        if loads.get(c.user_id, 0) < c.capacity
    ]
    if not free:
        return None, "every advocate who could act for her is at capacity"
    language = str((woman.contact or {}).get("language") or "en")
    ranked = rank(free, previous=await previous_advocate(session, woman.id), language=language)
    return ranked[0], ""


NONE_ABLE = "no advocate covering her area is free of leave, conflicts and her care team"


async def allocate(
    session: AsyncSession,
    woman: Woman,
    *,
    request_key: str,
    exclude: Collection[uuid.UUID],
    today: date,
    at: datetime,
    accept_by: datetime,
    after_removal: bool,
) -> Attempt:
    """Offer her to the best eligible advocate, atomically; a repeat of the key changes nothing."""
    done = await session.scalar(
        select(AdvocateAllocation).where(AdvocateAllocation.request_key == request_key)
    )
    if done is not None:
        return Attempt("offered", done)
    chosen, reason = None, NONE_ABLE
    for area in [woman.area_code, *get_area(woman.area_code).neighbouring_advocacy_areas]:
        able = await able_advocates(session, woman, today=today, exclude=exclude, area=area)
        if not able:
            continue
        await _lock_profiles(session, [c.user_id for c in able])
        if await open_allocation(session, woman.id) is not None:
            return Attempt("already_open", reason=ALREADY_OPEN)
        chosen, reason = await choose(session, woman, able)
        if chosen is not None:
            break
    if chosen is None:
        return Attempt("none_available", reason=reason)
    row = AdvocateAllocation(
        woman_id=woman.id,
        advocate_user_id=chosen.user_id,
        started_at=at,
        status=AllocationStatus.OFFERED.value,
        request_key=request_key,
        offered_at=at,
        accept_by=accept_by,
        after_removal=after_removal,
    )
    return await _insert(session, row)


async def _insert(session: AsyncSession, row: AdvocateAllocation) -> Attempt:
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Another request opened one for her first (the partial unique index said no).
        return Attempt("already_open", reason=ALREADY_OPEN)
    return Attempt("offered", row)


async def _lock_profiles(session: AsyncSession, user_ids: list[uuid.UUID]) -> None:
    # One fixed order (by user id), so two allocations can never wait on each other.
    await session.execute(
        select(AdvocateProfile.user_id)
        .where(AdvocateProfile.user_id.in_(user_ids))
        .order_by(AdvocateProfile.user_id)
        .with_for_update()
    )


async def managers(
    session: AsyncSession, organisation_ids: Collection[uuid.UUID]
) -> list[uuid.UUID]:
    """The advocacy managers of these advocacy services."""
    rows = await session.scalars(
        select(User.id)
        .join(AdvocateProfile, AdvocateProfile.user_id == User.id)
        .where(
            User.organisation_id.in_(list(organisation_ids)),
            User.role == ADVOCATE,
            User.active.is_(True),
            AdvocateProfile.is_manager.is_(True),
        )
        .order_by(User.username)
    )
    return list(rows)


async def area_managers(session: AsyncSession, area_code: str) -> list[uuid.UUID]:
    """The advocacy managers whose profile covers this area."""
    rows = await session.execute(
        select(User.id, AdvocateProfile.areas)
        .join(AdvocateProfile, AdvocateProfile.user_id == User.id)
        .where(User.role == ADVOCATE, User.active.is_(True), AdvocateProfile.is_manager.is_(True))
        .order_by(User.username)
    )
    return [user_id for user_id, areas in rows if area_code in (areas or ())]
