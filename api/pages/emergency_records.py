"""Emergency ("break-glass") access records: granting it (reason, time limit, the area's
safeguarding lead alerted with a notice and a task) and a lead's review of it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services import advocacy_records as records
from services.escalation import area_leads
from services.tasks import her_tasks_under
from waymark import audit
from waymark.db.models import BreakGlass, Organisation, Task, User, Woman
from waymark.security.policy import visible_women
from waymark.security.principal import Principal

ACCESS_FOR = timedelta(hours=1)
REVIEW_OUTCOMES = {"appropriate": "Appropriate", "concern": "A concern: access ended"}


def _key(grant: BreakGlass) -> str:
    return f"break_glass:{grant.id}"


async def find_records(session: AsyncSession, number: str) -> list[Woman]:
    """Her records by NHS or CHI number, the most recent pregnancy first."""
    rows = await session.scalars(
        select(Woman)
        .where(or_(Woman.nhs_number == number, Woman.chi_number == number))
        .order_by(Woman.edd.desc(), Woman.id)
    )
    return list(rows)


async def grant(
    session: AsyncSession, principal: Principal, woman: Woman, reason: str
) -> BreakGlass:
    """Open her record to this person for an hour; her area's leads are alerted at once."""
    now = datetime.now(UTC)
    row = BreakGlass(
        id=uuid.uuid4(),
        user_id=principal.user_id,
        woman_id=woman.id,
        area_code=woman.area_code,
        reason=reason,
        granted_at=now,
        expires_at=now + ACCESS_FOR,
    )
    session.add(row)
    audit.record(
        session,
        principal.actor(),
        action="break_glass",
        record_type="woman",
        record_id=woman.id,
        outcome="break_glass",
        detail=f"emergency access grant {row.id} for 1 hour",
        reason=reason,
    )
    await _alert_leads(session, principal, woman, row, now)
    return row


async def _alert_leads(
    session: AsyncSession, principal: Principal, woman: Woman, row: BreakGlass, now: datetime
) -> None:
    """A notice and a review task for each of her area's safeguarding leads (else her team)."""
    leads = [lead for lead in await area_leads(session, woman.area_code) if lead != row.user_id]
    summary = (
        f"Emergency access to a woman's record by {principal.display_name} "
        f"({principal.role.value.replace('_', ' ')}): review it in Waymark"
    )
    note = records.Note(key=_key(row), kind="break_glass", summary=summary, urgent=True)
    await records.tell(session, note, woman.id, leads, now)
    assignees: list[records.Assignee] = [(lead, None) for lead in leads] or [(None, woman.team_id)]
    for user_id, org_id in assignees:
        key = f"{_key(row)}:{user_id or org_id}"
        title = "Review an emergency access to a woman's record"
        await records.task(session, key, woman, (user_id, org_id), "break_glass_review", title, now)


async def emergency_until(
    session: AsyncSession, principal: Principal, woman_id: uuid.UUID
) -> datetime | None:
    """When this person's emergency access to her record ends, if that is how they see it."""
    related = await session.scalar(
        select(Woman.id).where(Woman.id == woman_id, visible_women(principal))
    )
    if related is not None:
        return None
    return await session.scalar(
        select(func.max(BreakGlass.expires_at)).where(
            BreakGlass.user_id == principal.user_id,
            BreakGlass.woman_id == woman_id,
            BreakGlass.expires_at > datetime.now(UTC),
        )
    )


@dataclass
class QueueItem:
    grant: BreakGlass
    who: str
    organisation: str
    woman_name: str


async def queue(session: AsyncSession, area_code: str) -> list[QueueItem]:
    """Grants in an area: awaiting review first (oldest first), then the latest reviewed."""
    rows = await session.execute(
        select(BreakGlass, User.display_name, Organisation.name, Woman)
        .join(User, User.id == BreakGlass.user_id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .join(Woman, Woman.id == BreakGlass.woman_id)
        .where(BreakGlass.area_code == area_code)
        .order_by(BreakGlass.reviewed_at.is_not(None), BreakGlass.granted_at)
        .limit(200)
    )
    return [
        QueueItem(row, who, org, f"{woman.preferred_name or woman.given_name} {woman.family_name}")
        for row, who, org, woman in rows
    ]


async def review(
    session: AsyncSession, principal: Principal, row: BreakGlass, outcome: str, note: str | None
) -> None:
    """A lead's review; a concern ends any access left. The review tasks are done."""
    now = datetime.now(UTC)
    row.reviewed_at, row.reviewed_by = now, principal.user_id
    row.review_outcome, row.review_note = outcome, note
    if outcome == "concern" and row.expires_at > now:
        row.expires_at = now
    await session.execute(
        update(Task)
        .where(her_tasks_under(row.woman_id, _key(row) + ":"), Task.status == "open")
        .values(status="done", closed_at=now)
    )
    audit.record(
        session,
        principal.actor(),
        action="review_break_glass",
        record_type="woman",
        record_id=row.woman_id,
        detail=f"grant {row.id}: {outcome}",
    )
