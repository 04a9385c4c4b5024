"""Builders for advocacy tests: women written straight to the read model, advocates' profiles."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from waymark.db.models import (
    AdvocateAllocation,
    AdvocateProfile,
    Involvement,
    Organisation,
    User,
    Woman,
)
from waymark.db.session import transaction

Sessions = async_sessionmaker[AsyncSession]
AT = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
TEAMS = {"northmoor": "northmoor-csc", "glenbrae": "glenbrae-sw"}


async def org_id(sessions: Sessions, code: str) -> uuid.UUID:
    async with sessions() as session:
        found = await session.scalar(select(Organisation.id).where(Organisation.code == code))
    assert found is not None, code
    return found


async def user_id(sessions: Sessions, username: str) -> uuid.UUID:
    async with sessions() as session:
        found = await session.scalar(select(User.id).where(User.username == username))
    assert found is not None, username
    return found


async def make_woman(
    sessions: Sessions,
    *,
    area: str = "northmoor",
    language: str = "en",
    agencies: tuple[str, ...] = (),
    **fields: Any,
) -> uuid.UUID:
    """A woman on the read model, her area's team on her care team plus the given agencies."""
    team = await org_id(sessions, TEAMS[area])
    woman_id = uuid.uuid4()
    involved = [team] + [await org_id(sessions, code) for code in agencies]
    async with transaction(sessions) as session:
        session.add(
            Woman(
                id=woman_id,
                area_code=area,
                team_id=team,
                given_name="Test",
                family_name=f"Woman{woman_id.hex[:6]}",
                date_of_birth=date(1995, 1, 1),
                address={"line1": "1 High Street", "town": "Northmoor", "postcode": "NM1 1AA"},
                contact={"language": language, "channels": []},
                edd=date(2027, 3, 1),
                stage=fields.pop("stage", "pre_birth_assessment"),
                **fields,
            )
        )
        await session.flush()
        for org in involved:
            session.add(Involvement(woman_id=woman_id, organisation_id=org, reason="test"))
    return woman_id


async def set_profile(sessions: Sessions, username: str, **values: Any) -> None:
    """Change an advocate's profile (capacity, languages, leave, areas)."""
    advocate = await user_id(sessions, username)
    async with transaction(sessions) as session:
        await session.execute(
            update(AdvocateProfile).where(AdvocateProfile.user_id == advocate).values(**values)
        )


async def only_advocates(sessions: Sessions, capacities: dict[str, int]) -> None:
    """Every demo advocate's capacity set to 0 but those named."""
    async with transaction(sessions) as session:
        await session.execute(update(AdvocateProfile).values(capacity=0))
    for username, capacity in capacities.items():
        await set_profile(sessions, username, capacity=capacity)


async def allocations(sessions: Sessions, **where: Any) -> list[AdvocateAllocation]:
    async with sessions() as session:
        query: Any = select(AdvocateAllocation).filter_by(**where)
        return list(await session.scalars(query.order_by(AdvocateAllocation.started_at)))


async def allocate_directly(
    sessions: Sessions,
    woman_id: uuid.UUID,
    username: str,
    *,
    status: str = "accepted",
    **fields: Any,
) -> uuid.UUID:
    """An allocation written straight to the read model (as an earlier run would have)."""
    row = AdvocateAllocation(
        woman_id=woman_id,
        advocate_user_id=await user_id(sessions, username),
        started_at=fields.pop("started_at", AT),
        status=status,
        responded_at=fields.pop("responded_at", AT),
        **fields,
    )
    async with transaction(sessions) as session:
        session.add(row)
    return row.id
