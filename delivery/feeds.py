"""Private calendar feeds: a secret link per advocate (only its hash is kept) that lists the
upcoming meetings of the women allocated to her, with the invites' UIDs and SEQUENCEs."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from delivery.calendar import MeetingFacts
from delivery.messages import meeting_facts
from waymark.areas import get_area
from waymark.db.models import AdvocateAllocation, CalendarFeed, Meeting, User, Woman
from waymark.db.session import write_later
from waymark.security.policy import serving_advocate


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_feed(session: AsyncSession, user_id: uuid.UUID, *, now: datetime) -> str:
    """A new secret for her feed; any earlier link stops working. Shown once, never stored."""
    await session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user_id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(CalendarFeed(user_id=user_id, token_hash=digest(token)))
    return token


async def feed_for_token(
    session: AsyncSession, token: str, *, now: datetime
) -> tuple[CalendarFeed, User] | None:
    """The live feed behind a token and its owner, who must still be an active advocate."""
    feed = await session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == digest(token), CalendarFeed.revoked_at.is_(None)
        )
    )
    if feed is None:
        return None
    user = await session.get(User, feed.user_id)
    if user is None or not user.active or user.role != "advocate":
        return None
    # Written after the read (a calendar's poll takes no write lock while it reads).
    write_later(
        session, update(CalendarFeed).where(CalendarFeed.id == feed.id).values(last_used_at=now)
    )
    return feed, user


async def advocate_meetings(
    session: AsyncSession, user_id: uuid.UUID, *, now: datetime
) -> list[MeetingFacts]:
    """Upcoming, not cancelled meetings of the women allocated to her now."""
    rows = await session.execute(
        select(Meeting, Woman.area_code)
        .join(AdvocateAllocation, AdvocateAllocation.woman_id == Meeting.woman_id)
        .join(Woman, Woman.id == Meeting.woman_id)
        .where(
            AdvocateAllocation.advocate_user_id == user_id,
            serving_advocate(),
            Meeting.status != "cancelled",
            Meeting.ends_at >= now,
        )
        .order_by(Meeting.starts_at)
    )
    return [meeting_facts(meeting, get_area(area).nation) for meeting, area in rows]
