"""Reading the duty register: an area's overdue duties, paged by (due time, id) through the
(status, area, due) index, so a page costs the same whatever the number of women."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.duties import DutyPage, DutyView
from services.dropped import is_dropped, overdue
from waymark import audit
from waymark.db.models import Duty, User
from waymark.errors import Invalid
from waymark.security.principal import Principal


def cursor_of(duty: Duty) -> str:
    return f"{duty.due_at.isoformat()}|{duty.id}"


def parse_cursor(text: str) -> tuple[datetime, uuid.UUID]:
    """The position after which a page starts; a malformed one is a 422."""
    try:
        due, _, ident = text.partition("|")
        return datetime.fromisoformat(due), uuid.UUID(ident)
    except ValueError as error:
        raise Invalid("the page cursor is not valid", [("after", str(error))]) from error


def later_than(due: datetime, ident: uuid.UUID) -> ColumnElement[bool]:
    """Duties after (due, id) in the register's order: a range of the due-time indexes, then
    the id. (The OR alone reads as two index lookups whose union SQLite sorts whole: every
    overdue duty after a page's start, on every page.)"""
    return and_(Duty.due_at >= due, or_(Duty.due_at > due, Duty.id > ident))


async def overdue_page(
    session: AsyncSession, *, area: str, now: datetime, limit: int, after: str | None = None
) -> DutyPage:
    """One page of the area's overdue duties, longest overdue first."""
    query = select(Duty).where(overdue(now), Duty.area_code == area)
    if after is not None:
        query = query.where(later_than(*parse_cursor(after)))
    found = list(await session.scalars(query.order_by(Duty.due_at, Duty.id).limit(limit + 1)))
    page = found[:limit]
    names = await _names(session, {d.owed_by_user_id for d in page if d.owed_by_user_id})
    return DutyPage(
        area=area,
        at=now,
        duties=[view(duty, now, names) for duty in page],
        next=cursor_of(page[-1]) if len(found) > limit else None,
    )


async def owed_page(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    team_id: uuid.UUID,
    now: datetime,
    limit: int,
    after: str | None = None,
) -> list[Duty]:
    """What a person owes (hers, and her team's), soonest due first, so the overdue come
    first: two walks of the owner indexes, merged; `limit + 1` rows tell whether more follow."""
    found: list[Duty] = []
    for owner in (Duty.owed_by_user_id == user_id, Duty.owed_by_organisation_id == team_id):
        query = select(Duty).where(Duty.status == "open", owner)
        if after is not None:
            query = query.where(later_than(*parse_cursor(after)))
        found += await session.scalars(query.order_by(Duty.due_at, Duty.id).limit(limit + 1))
    return sorted(found, key=lambda duty: (duty.due_at, duty.id))[: limit + 1]


async def owed_view(
    session: AsyncSession,
    principal: Principal,
    *,
    now: datetime,
    limit: int,
    after: str | None = None,
) -> DutyPage:
    """ "What I owe": a person's open duties and her team's, overdue first then soonest due,
    for her home page and the API alike; one audit row a view, naming the women listed."""
    found = await owed_page(
        session,
        user_id=principal.user_id,
        team_id=principal.organisation_id,
        now=now,
        limit=limit,
        after=after,
    )
    page = found[:limit]
    audit.record(
        session,
        principal.actor(),
        action="view_my_duties",
        record_type="duties",
        record_id=None,
        detail=f"{len(page)} listed after {after or 'start'}"[:200],
        listed=[duty.woman_id for duty in page],
    )
    return DutyPage(
        area=principal.area_code,
        at=now,
        duties=[view(duty, now, {}) for duty in page],
        next=cursor_of(page[-1]) if len(found) > limit else None,
    )


def view(duty: Duty, now: datetime, names: dict[uuid.UUID, str]) -> DutyView:
    return DutyView(
        id=duty.id,
        woman_id=duty.woman_id,
        kind=duty.kind,
        label=duty.label,
        owed_by_user_id=duty.owed_by_user_id,
        owed_by_organisation_id=duty.owed_by_organisation_id,
        owed_by=names.get(duty.owed_by_user_id) if duty.owed_by_user_id else None,
        opened_at=duty.opened_at,
        due_at=duty.due_at,
        status=duty.status,
        escalation_level=duty.escalation_level,
        next_escalation_at=duty.next_escalation_at,
        dropped=is_dropped(duty, now),
    )


async def _names(session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Display names of a page's owners: one query, bounded by the page size."""
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(rows.all())
