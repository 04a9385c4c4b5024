"""The parts of her summary about planning: deadlines, meetings, conferences, documents."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.area import AreaRules
from forms.women import ConferenceSummary, DeadlineSummary, DocumentSummary, MeetingSummary
from rules.calendar import closed_day_note
from waymark.db.models import Conference, Deadline, Document, Meeting

# Deadlines still to be met: only these need a day someone can keep.
OPEN = ("pending", "paused")


async def deadlines(
    session: AsyncSession, woman_id: uuid.UUID, area: AreaRules | None = None
) -> list[DeadlineSummary]:
    """Her deadlines, soonest first; with her area, each on a closed day says so."""
    rows = await session.scalars(
        select(Deadline).where(Deadline.woman_id == woman_id).order_by(Deadline.due, Deadline.key)
    )
    return [
        DeadlineSummary(
            id=d.id,
            label=d.label,
            due=d.due,
            status=d.status,
            basis=d.basis,
            escalation=d.escalation,
            note=d.note,
            closed_day=closed_day_note(area, d.due) if area and d.status in OPEN else None,
            deadline=d.deadline,
        )
        for d in rows
    ]


async def meetings(session: AsyncSession, woman_id: uuid.UUID) -> list[MeetingSummary]:
    rows = await session.scalars(
        select(Meeting).where(Meeting.woman_id == woman_id).order_by(Meeting.starts_at)
    )
    return [
        MeetingSummary(
            id=m.id,
            kind=m.kind,
            starts_at=m.starts_at,
            status=m.status,
            sequence=m.sequence,
            conference_id=m.conference_id,
            short_notice=m.short_notice,
        )
        for m in rows
    ]


async def conferences(session: AsyncSession, woman_id: uuid.UUID) -> list[ConferenceSummary]:
    rows = await session.scalars(
        select(Conference).where(Conference.woman_id == woman_id).order_by(Conference.created_at)
    )
    return [
        ConferenceSummary(
            id=c.id, kind=c.kind, phase=c.phase, statutory_latest=c.statutory_latest, plan=c.plan
        )
        for c in rows
    ]


async def documents(session: AsyncSession, woman_id: uuid.UUID) -> list[DocumentSummary]:
    rows = await session.scalars(
        select(Document).where(Document.woman_id == woman_id).order_by(Document.created_at)
    )
    return [
        DocumentSummary(
            id=d.id, kind=d.kind, title=d.title, audience=d.audience, created_at=d.created_at
        )
        for d in rows
    ]
