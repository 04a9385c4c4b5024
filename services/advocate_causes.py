"""Why no advocate is available for her, counted from the offers and the profiles: each
advocate covering her area counts once, under the first cause that holds for her (asked and
declined, asked and did not answer, a conflict declared, her service on the care team, on
leave, at capacity). The words name the true cause, never a list of every possible one."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.advocacy import AllocationStatus
from services.advocates import ADVOCATE, care_team_agencies, on_leave, open_loads
from waymark.db.models import AdvocateAllocation, AdvocateConflict, AdvocateProfile, User, Woman

# Each cause as the lead reads it, in the order they are counted.
WORDS = {
    "declined": "{n} declined",
    "no_answer": "nobody answered ({n} asked)",
    "conflict": "{n} declared a conflict of interest",
    "care_team": "{n} work for a service on her care team",
    "leave": "{n} on leave",
    "capacity": "{n} at capacity",
}


async def causes(session: AsyncSession, woman: Woman, today: date) -> Counter[str]:
    """How many of the advocates covering her area cannot act, by cause."""
    covering = [
        (user, profile)
        for user, profile in await session.execute(
            select(User, AdvocateProfile)
            .join(AdvocateProfile, AdvocateProfile.user_id == User.id)
            .where(User.role == ADVOCATE, User.active.is_(True))
        )
        if woman.area_code in (profile.areas or ())
    ]
    asked = {
        row.advocate_user_id: row.status
        for row in await session.scalars(
            select(AdvocateAllocation)
            .where(AdvocateAllocation.woman_id == woman.id)
            .order_by(AdvocateAllocation.started_at)
        )
    }
    conflicted = set(
        await session.scalars(
            select(AdvocateConflict.advocate_user_id).where(AdvocateConflict.woman_id == woman.id)
        )
    )
    care_team = set(await session.scalars(care_team_agencies(woman.id)))
    loads = await open_loads(session, [user.id for user, _ in covering])
    found: Counter[str] = Counter()
    for user, profile in covering:
        found[
            _cause(user.id, asked, conflicted)
            or _standing(user, profile, care_team, today)
            or ("capacity" if loads.get(user.id, 0) >= profile.capacity else "free")
        ] += 1
    return found


def _cause(
    user_id: uuid.UUID, asked: dict[uuid.UUID, str], conflicted: set[uuid.UUID]
) -> str | None:
    status = asked.get(user_id)
    if status == AllocationStatus.DECLINED.value:
        return "declined"
    if status == AllocationStatus.TIMED_OUT.value:
        return "no_answer"
    return "conflict" if user_id in conflicted else None


def _standing(
    user: User, profile: AdvocateProfile, care_team: set[uuid.UUID], today: date
) -> str | None:
    if user.organisation_id in care_team:
        return "care_team"
    return "leave" if on_leave(profile, today) else None


def describe(found: Counter[str]) -> str:
    """The causes in words, those from her offers first; "no advocate covers her area" when
    none does."""
    named = [(n, cause) for cause, n in found.items() if cause in WORDS and n]
    if not named:
        return "no advocate covers her area"
    named.sort(key=lambda item: list(WORDS).index(item[1]))
    return "; ".join(WORDS[cause].format(n=n) for n, cause in named)


async def why_none(session: AsyncSession, woman: Woman, today: date) -> str:
    """The true cause, for the lead and the advocacy manager."""
    return describe(await causes(session, woman, today))
