"""The promise to every woman whose baby was placed in care, checked from the read model:

1. her own support: an active support episode with a named worker (its owner);
2. an independent advocate: an accepted allocation, or an offer still inside its answer window;
3. contact kept up: a contact, or assertive outreach after a missed one, within her area's
   longest contact interval (plus two days: the check runs the morning after a due date).

A woman whose episode a safeguarding lead has signed off, or whose babies are all home, is not
counted. One query covers every woman, so a daily check costs one round trip.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.areas import get_area
from waymark.db.models import AdvocateAllocation, Baby, SupportEpisode, Task, Woman

PARTS = ("support", "advocate", "contact")
GRACE_DAYS = 2


@dataclass(frozen=True)
class Breach:
    """A woman missing one or more parts of the promise on a day."""

    woman_id: uuid.UUID
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """One day's check: how many women it covered and who was missing what."""

    checked: int
    breaches: list[Breach]


def _query(now: datetime) -> Select[tuple[uuid.UUID, str, bool, bool, date, date, date, bool]]:
    episode = SupportEpisode
    mine = episode.woman_id == Woman.id
    owned = exists().where(mine, episode.status == "active", episode.named_worker_id.is_not(None))
    signed_off = exists().where(mine, episode.status == "closed", episode.closed_by.is_not(None))
    allocation = AdvocateAllocation
    advocate = exists().where(
        allocation.woman_id == Woman.id,
        allocation.ended_at.is_(None),
        or_(allocation.status == "accepted",
            and_(allocation.status == "offered", allocation.accept_by >= now)),
    )
    last_contact = select(func.max(episode.last_contact_on)).where(mine).scalar_subquery()
    removal = select(func.max(episode.removal_on)).where(mine).scalar_subquery()
    outreach = (
        select(func.max(Task.due))
        .where(Task.woman_id == Woman.id, Task.kind == "assertive_outreach")
        .scalar_subquery()
    )
    in_care = select(Baby.woman_id).where(Baby.placement == "care")
    return select(
        Woman.id, Woman.area_code, owned, advocate, last_contact, removal, outreach, signed_off
    ).where(Woman.id.in_(in_care))


def allowance(area_code: str) -> int:
    """Days her contact may go without a contact or outreach before it counts as dropped."""
    rhythm = get_area(area_code).contact_rhythm
    return max(rhythm.early_interval_days, rhythm.later_interval_days) + GRACE_DAYS


async def check_removed_women(session: AsyncSession, *, now: datetime, today: date) -> Verdict:
    """Check the promise for every woman whose baby is in care (one query)."""
    breaches, checked = [], 0
    allowances: dict[str, int] = {}
    for woman_id, area, owned, advocate, contact, removal, outreach, signed_off in (
        await session.execute(_query(now))
    ):
        if signed_off and not owned:
            continue
        checked += 1
        latest = max(d for d in (contact, removal, _missed_on(outreach), date.min) if d)
        days = allowances.setdefault(area, allowance(area))
        missing = tuple(
            part
            for part, ok in zip(
                PARTS, (owned, advocate, removal is not None and (today - latest).days <= days),
                strict=True,
            )
            if not ok
        )
        if missing:
            breaches.append(Breach(woman_id, missing))
    return Verdict(checked=checked, breaches=breaches)


def _missed_on(outreach_due: date | None) -> date | None:
    """An outreach task is due the day after the contact that was missed."""
    return outreach_due - timedelta(days=1) if outreach_due else None
