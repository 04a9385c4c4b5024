"""Figures an operator watches: the outbox's backlog and the duties overdue in each area.

Counts by area and kind only, never anything about a person: these become metric labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.dropped import dropped, overdue
from waymark.db.models import Duty, Notice

DROPPED = "dropped"
# The kinds every area reports (0 when none is overdue), so a series never vanishes.
DUTY_KINDS = ("named_worker", "advocate", "contact", "support_plan", "contact_reply", DROPPED)


@dataclass(frozen=True)
class OutboxBacklog:
    """Notices due and not yet handed to a channel, and how long the oldest has waited."""

    depth: int
    oldest_age_seconds: float


async def outbox_backlog(session: AsyncSession, *, now: datetime) -> OutboxBacklog:
    """Pending notices whose time to send has come."""
    depth, oldest = (
        await session.execute(
            select(func.count(Notice.id), func.min(Notice.send_at)).where(
                Notice.status == "pending", Notice.send_at <= now
            )
        )
    ).one()
    age = (now - _naive(oldest, now)).total_seconds() if oldest is not None else 0.0
    return OutboxBacklog(depth=int(depth), oldest_age_seconds=max(age, 0.0))


def _naive(value: datetime, like: datetime) -> datetime:
    # SQLite hands back naive UTC datetimes, PostgreSQL aware ones: compare like with like.
    if value.tzinfo is None and like.tzinfo is not None:
        return value.replace(tzinfo=like.tzinfo)
    return value


async def overdue_duties_by_area(
    session: AsyncSession, *, now: datetime
) -> dict[tuple[str, str], int]:
    """(area, kind) -> how many duties in the register are overdue (open and past due), by the
    kind of duty; and (area, "dropped") -> how many of them nobody is chasing
    (`services.dropped`). Read through the (status, area, due) index."""
    overdue_rows = await session.execute(
        select(Duty.area_code, Duty.kind, func.count(Duty.id))
        .where(overdue(now))
        .group_by(Duty.area_code, Duty.kind)
    )
    found = {(area, kind): int(count) for area, kind, count in overdue_rows}
    dropped_rows = await session.execute(
        select(Duty.area_code, func.count(Duty.id)).where(dropped(now)).group_by(Duty.area_code)
    )
    found.update({(area, DROPPED): int(count) for area, count in dropped_rows})
    return found
