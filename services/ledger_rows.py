"""What the ledger and the invariant know about each woman, loaded for many women at once.

A fixed number of queries whatever the number of women: episodes, allocations, open tasks,
offers, plan items, overdue clocks, open breaches and staff names, each keyed by woman.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.ledger import OverdueClock, PlanReferral
from waymark.db.models import (
    AdvocacyOffer,
    AdvocateAllocation,
    Baby,
    Breach,
    Deadline,
    Duty,
    SupportEpisode,
    SupportPlanItem,
    Task,
    User,
    Woman,
)

# Open tasks that say why she has no advocate yet.
ADVOCATE_ESCALATIONS = frozenset({"no_advocate_available"})
OPEN_ALLOCATION = ("offered", "accepted")


def ever_removed() -> ColumnElement[bool]:
    """Women who have ever had a baby placed in care (or have had their own support episode).
    Correlated (EXISTS through each table's woman index), so a page of the ledger checks only
    the women it looks at."""
    return or_(
        exists().where(Baby.woman_id == Woman.id, Baby.placement == "care"),
        exists().where(SupportEpisode.woman_id == Woman.id),
    )


@dataclass
class Facts:
    """Everything about one woman that her ledger row and her invariant are computed from."""

    woman: Woman
    episode: SupportEpisode | None = None
    allocation: AdvocateAllocation | None = None
    escalations: dict[str, datetime] = field(default_factory=dict)
    declined_at: datetime | None = None
    referrals: list[PlanReferral] = field(default_factory=list)
    overdue: list[OverdueClock] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    # Her duties still owed (open or paused), from the register, soonest due first.
    duties: list[Duty] = field(default_factory=list)
    names: dict[uuid.UUID, str] = field(default_factory=dict)

    def name_of(self, user_id: uuid.UUID | None) -> str | None:
        return self.names.get(user_id) if user_id is not None else None


# Ids per `IN` list: PostgreSQL refuses a statement with more than 65,535 parameters.
CHUNK = 10_000


async def load_facts(
    session: AsyncSession, women: Iterable[Woman], today: date
) -> dict[uuid.UUID, Facts]:
    """The facts for each of these women, keyed by her id (a chunk of women at a time)."""
    everyone = list(women)
    facts: dict[uuid.UUID, Facts] = {}
    for start in range(0, len(everyone), CHUNK):
        facts |= await _load_chunk(session, everyone[start : start + CHUNK], today)
    return facts


async def _load_chunk(
    session: AsyncSession, women: list[Woman], today: date
) -> dict[uuid.UUID, Facts]:
    facts = {woman.id: Facts(woman=woman) for woman in women}
    ids = list(facts)
    if not ids:
        return facts
    for episode in await session.scalars(
        select(SupportEpisode)
        .where(SupportEpisode.woman_id.in_(ids))
        .order_by(SupportEpisode.opened_at, SupportEpisode.id)
    ):
        facts[episode.woman_id].episode = episode  # the latest one wins
    for allocation in await session.scalars(
        select(AdvocateAllocation).where(
            AdvocateAllocation.woman_id.in_(ids),
            AdvocateAllocation.ended_at.is_(None),
            AdvocateAllocation.status.in_(OPEN_ALLOCATION),
        )
    ):
        facts[allocation.woman_id].allocation = allocation
    await _escalations(session, facts)
    await _declines(session, facts)
    await _referrals(session, facts)
    await _overdue(session, facts, today)
    for breach in await session.scalars(
        select(Breach)
        .where(Breach.woman_id.in_(ids), Breach.resolved_at.is_(None))
        .order_by(Breach.raised_at, Breach.kind)
    ):
        facts[breach.woman_id].breaches.append(breach)
    for duty in await session.scalars(
        select(Duty)
        .where(Duty.woman_id.in_(ids), Duty.status.in_(("open", "paused")))
        .order_by(Duty.due_at, Duty.id)
    ):
        facts[duty.woman_id].duties.append(duty)
    await _names(session, facts)
    return facts


async def _escalations(session: AsyncSession, facts: dict[uuid.UUID, Facts]) -> None:
    rows = await session.execute(
        select(Task.woman_id, Task.kind, Task.created_at).where(
            Task.woman_id.in_(list(facts)),
            Task.status == "open",
            Task.kind.in_(ADVOCATE_ESCALATIONS),
        )
    )
    for woman_id, kind, created_at in rows:
        known = facts[woman_id].escalations
        known[kind] = min(created_at, known.get(kind, created_at))


async def _declines(session: AsyncSession, facts: dict[uuid.UUID, Facts]) -> None:
    """Her latest answer to the offer of an advocate, when it was no."""
    rows = await session.execute(
        select(AdvocacyOffer.woman_id, AdvocacyOffer.response, AdvocacyOffer.responded_at)
        .where(AdvocacyOffer.woman_id.in_(list(facts)))
        .order_by(AdvocacyOffer.offered_at, AdvocacyOffer.id)
    )
    for woman_id, response, responded_at in rows:
        facts[woman_id].declined_at = responded_at if response == "declined" else None


async def _referrals(session: AsyncSession, facts: dict[uuid.UUID, Facts]) -> None:
    """Referrals in her current episode's plan not yet answered, with their respond-by date."""
    episodes = {f.episode.id: f for f in facts.values() if f.episode is not None}
    if not episodes:
        return
    # Each plan item has a clock (scope `support:<episode>`, deadline `plan_<item>`).
    rows = await session.execute(
        select(Deadline.scope + ":" + Deadline.deadline, Deadline.due).where(
            Deadline.woman_id.in_(list(facts)),
            Deadline.scope.in_([f"support:{episode}" for episode in episodes]),
        )
    )
    # `.all()`: a Result has `keys()`, so dict() would read it as a mapping.
    clocks = dict(rows.all())
    items = await session.scalars(
        select(SupportPlanItem)
        .where(SupportPlanItem.episode_id.in_(list(episodes)), SupportPlanItem.status != "answered")
        .order_by(SupportPlanItem.item)
    )
    for item in items:
        due = clocks.get(f"support:{item.episode_id}:plan_{item.item}")
        episodes[item.episode_id].referrals.append(
            PlanReferral(item=item.item, status=item.status, respond_by=item.respond_by or due)
        )


async def _overdue(session: AsyncSession, facts: dict[uuid.UUID, Facts], today: date) -> None:
    rows = await session.scalars(
        select(Deadline)
        .where(
            Deadline.woman_id.in_(list(facts)),
            or_(
                Deadline.status == "missed",
                and_(Deadline.status == "pending", Deadline.due < today),
            ),
        )
        .order_by(Deadline.due, Deadline.key)
    )
    for row in rows:
        facts[row.woman_id].overdue.append(
            OverdueClock(label=row.label, due=row.due, status=row.status)
        )


async def _names(session: AsyncSession, facts: dict[uuid.UUID, Facts]) -> None:
    """Display names of the staff her row names: named worker, advocate, who signed off."""
    wanted: set[uuid.UUID] = set()
    for fact in facts.values():
        if fact.episode is not None:
            wanted |= {u for u in (fact.episode.named_worker_id, fact.episode.closed_by) if u}
        if fact.allocation is not None:
            wanted.add(fact.allocation.advocate_user_id)
        wanted |= {d.owed_by_user_id for d in fact.duties if d.owed_by_user_id}
    if not wanted:
        return
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    names = dict(rows.all())
    for fact in facts.values():
        fact.names = names
