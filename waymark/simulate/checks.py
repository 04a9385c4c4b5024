"""The promise to every woman whose baby was placed in care, checked from the read model.

The verdict is the system's own invariant (`waymark.services.invariant.evaluate` over
`waymark.services.ledger_rows.load_facts`: a fixed number of queries a day, whatever the number
of women) when it is there; `own_check` below is the simulator's independent cross-check, in one
query:

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
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.areas import get_area
from waymark.db.models import AdvocateAllocation, Baby, SupportEpisode, Task, Woman

try:
    from waymark.services import invariant as _invariant
    from waymark.services import ledger as _ledger
    from waymark.services import ledger_rows as _rows
except ImportError:  # pragma: no cover - the simulator's own check stands in
    _invariant = _ledger = _rows = None  # type: ignore[assignment]

PARTS = ("support", "advocate", "contact")
OWN = "waymark.simulate.checks.own_check"
SOURCE = "waymark.services.invariant" if _invariant is not None else OWN
GRACE_DAYS = 2


@dataclass(frozen=True)
class Breach:
    """A woman missing one or more parts of the promise on a day."""

    woman_id: uuid.UUID
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """One day's check: the women it covered and who was missing what."""

    covered: list[uuid.UUID]
    breaches: list[Breach]

    @property
    def checked(self) -> int:
        """How many women the check covered."""
        return len(self.covered)


def _query(now: datetime) -> Any:
    episode = SupportEpisode
    mine = episode.woman_id == Woman.id
    owned = exists().where(mine, episode.status == "active", episode.named_worker_id.is_not(None))
    signed_off = exists().where(mine, episode.status == "closed", episode.closed_by.is_not(None))
    allocation = AdvocateAllocation
    advocate = exists().where(
        allocation.woman_id == Woman.id,
        allocation.ended_at.is_(None),
        or_(
            allocation.status == "accepted",
            and_(allocation.status == "offered", allocation.accept_by >= now),
        ),
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
    """The system's invariant for every woman in the ledger, or our own check without it."""
    if _invariant is None or _ledger is None or _rows is None:
        return await own_check(session, now=now, today=today)
    women = await _ledger.ledger_women(session)
    facts = await _rows.load_facts(session, women, today)
    breaches = []
    for woman_id, fact in facts.items():
        found = _invariant.evaluate(fact, today)
        if found:
            breaches.append(Breach(woman_id, tuple(f.kind.value for f in found)))
    return Verdict(covered=list(facts), breaches=breaches)


async def own_check(session: AsyncSession, *, now: datetime, today: date) -> Verdict:
    """Check the promise for every woman whose baby is in care (one query)."""
    breaches, covered = [], []
    allowances: dict[str, int] = {}
    for (
        woman_id,
        area,
        owned,
        advocate,
        contact,
        removal,
        outreach,
        signed_off,
    ) in await session.execute(_query(now)):
        if signed_off and not owned:
            continue
        covered.append(woman_id)
        latest = max(d for d in (contact, removal, _missed_on(outreach), date.min) if d)
        days = allowances.setdefault(area, allowance(area))
        missing = tuple(
            part
            for part, ok in zip(
                PARTS,
                (owned, advocate, removal is not None and (today - latest).days <= days),
                strict=True,
            )
            if not ok
        )
        if missing:
            breaches.append(Breach(woman_id, missing))
    return Verdict(covered=covered, breaches=breaches)


def _missed_on(outreach_due: date | None) -> date | None:
    """An outreach task is due the day after the contact that was missed."""
    return outreach_due - timedelta(days=1) if outreach_due else None
