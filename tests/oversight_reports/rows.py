"""Small row builders: read-model rows written straight to the database, for oversight tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.base import Base
from waymark.db.models import (
    AdvocateAllocation,
    Conference,
    Meeting,
    Notice,
    Organisation,
    SupportEpisode,
    User,
    Woman,
)


def at(day: str, hour: int = 10) -> datetime:
    """A UTC moment on an ISO day, at the hour given."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


async def org_id(session: AsyncSession, code: str) -> uuid.UUID:
    found = await session.scalar(select(Organisation.id).where(Organisation.code == code))
    assert found is not None
    return found


async def user_id(session: AsyncSession, username: str) -> uuid.UUID:
    found = await session.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


async def woman(session: AsyncSession, team: str = "northmoor-csc", **fields: Any) -> Woman:
    """A woman's row (no workflow behind it unless the test starts one)."""
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "area_code": "northmoor",
        "team_id": await org_id(session, team),
        "given_name": "Test",
        "family_name": "Person",
        "date_of_birth": date(1995, 1, 1),
        "address": {},
        "contact": {},
        "edd": date(2027, 6, 1),
        "stage": "pre_birth_assessment",
    }
    values.update(fields)
    row = Woman(**values)
    session.add(row)
    await session.flush()
    return row


def conference(her: Woman, **fields: Any) -> Conference:
    values: dict[str, Any] = {"id": uuid.uuid4(), "woman_id": her.id, "kind": "initial"}
    values.update(fields)
    values.setdefault("phase", "scheduled")
    return Conference(**values)


def meeting(her: Woman, starts_at: datetime, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "woman_id": her.id,
        "kind": "conference",
        "starts_at": starts_at,
        "ends_at": starts_at,
        "format": "in_person",
        "status": "scheduled",
    }
    values.update(fields)
    return Meeting(**values)


def notice(row: Meeting, recipient: str, kind: str, send_at: datetime, **fields: Any) -> Notice:
    """A notice about a meeting; `recipient` is "woman" or "<kind>:<user id>"."""
    recipient_kind, _, who = recipient.partition(":")
    values: dict[str, Any] = {
        "key": f"test:{uuid.uuid4()}",
        "woman_id": row.woman_id,
        "meeting_id": row.id,
        "recipient_kind": recipient_kind,
        "recipient_user_id": uuid.UUID(who) if who else None,
        "kind": kind,
        "sequence": row.sequence,
        "send_at": send_at,
        "summary": "A meeting",
    }
    values.update(fields)
    return Notice(**values)


def allocation(her: Woman, advocate: uuid.UUID, **fields: Any) -> AdvocateAllocation:
    values: dict[str, Any] = {"woman_id": her.id, "advocate_user_id": advocate}
    values.update(fields)
    return AdvocateAllocation(**values)


def episode(her: Woman, worker: uuid.UUID | None, **fields: Any) -> SupportEpisode:
    episode_id = uuid.uuid4()
    values: dict[str, Any] = {
        "id": episode_id,
        "woman_id": her.id,
        "workflow_id": f"support-{her.id}-1",
        "opened_at": at("2027-01-04"),
        "removal_on": date(2027, 1, 4),
        "named_worker_id": worker,
        "heightened_risk_until": date(2028, 1, 4),
        "next_contact_due": date(2027, 1, 11),
    }
    values.update(fields)
    return SupportEpisode(**values)


async def delete_woman(session: AsyncSession, woman_id: uuid.UUID) -> None:
    """Remove her row and every row that hangs off it (as a careless clean-up would)."""
    tables = [t for t in reversed(Base.metadata.sorted_tables) if "woman_id" in t.c]
    for parent in tables:
        ids = select(parent.c.id).where(parent.c.woman_id == woman_id)
        for child in Base.metadata.sorted_tables:
            for fk in child.foreign_keys:
                if fk.column.table is parent and "woman_id" not in child.c:
                    await session.execute(delete(child).where(fk.parent.in_(ids)))
    for table in tables:
        await session.execute(delete(table).where(table.c.woman_id == woman_id))
    await session.execute(delete(Woman).where(Woman.id == woman_id))
