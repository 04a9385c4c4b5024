"""Figures an operator watches: the outbox's backlog and the duties overdue in each area.

Counts by area and kind only, never anything about a person: these become metric labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.models import Breach, Deadline, Notice, Woman

DUTY_KINDS = ("deadline", "breach")


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
    session: AsyncSession, *, today: date
) -> dict[tuple[str, str], int]:
    """(area, kind) -> how many duties are overdue: statutory deadlines missed or past due, and
    open breaches of the "no woman dropped" invariant.

    The one place this is counted, so that it can be pointed at the duty register (issue 12)
    when that lands, without touching the metrics that report it.
    """
    deadlines = await session.execute(
        select(Woman.area_code, func.count(Deadline.id))
        .join(Woman, Woman.id == Deadline.woman_id)
        .where(
            or_(
                Deadline.status == "missed",
                and_(Deadline.status == "pending", Deadline.due < today),
            )
        )
        .group_by(Woman.area_code)
    )
    breaches = await session.execute(
        select(Woman.area_code, func.count(Breach.id))
        .join(Woman, Woman.id == Breach.woman_id)
        .where(Breach.resolved_at.is_(None))
        .group_by(Woman.area_code)
    )
    found = {(area, "deadline"): int(count) for area, count in deadlines}
    found.update({(area, "breach"): int(count) for area, count in breaches})
    return found
