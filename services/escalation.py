"""Who hears about a clock, and how: a task and a notice for each person, a timeline entry
when a deadline is missed. Idempotent by the task's key."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.clock import EscalateClock, Escalation
from rules.wording import long_date
from services.tasks import her_tasks_under
from waymark.db.models import Deadline, Notice, Organisation, Task, TimelineEvent, User, Woman

TITLES = {
    Escalation.REMIND_OWNER: "Due soon: {label}, by {due}",
    Escalation.ESCALATE_MANAGER: "Missed: {label} was due {due} (escalated to you as manager)",
    Escalation.ESCALATE_LEAD: "Missed: {label} was due {due} (escalated to safeguarding lead)",
    Escalation.LATE_START: (
        "Late from the start: {label} was due {due}, before this began (a late referral or "
        "short notice); please arrange it now (her worker and their manager are both told)"
    ),
}


async def escalate(session: AsyncSession, inp: EscalateClock, *, at: datetime) -> bool:
    """Tell the people the escalation step names, at `at` (the workflow's time); a repeat
    changes nothing. True when this step was recorded now."""
    clock, action = inp.clock, inp.action
    base_key = f"{clock.key}:{clock.due.isoformat()}:{action.value}"
    done = select(Task.id).where(her_tasks_under(inp.woman_id, base_key)).limit(1)
    if await session.scalar(done):
        return False
    woman = await session.get(Woman, inp.woman_id)
    if woman is None:
        return False
    now = at
    title = TITLES[action].format(label=clock.label, due=f"{long_date(clock.due)}")[:300]
    for user_id, org_id in await recipients(session, woman, action):
        who = user_id or org_id
        session.add(
            Task(
                key=f"{base_key}:{who}",
                woman_id=woman.id,
                assignee_user_id=user_id,
                assignee_organisation_id=org_id,
                kind=f"deadline_{action.value}",
                title=title,
                due=clock.due,
            )
        )
        session.add(
            Notice(
                key=f"{base_key}:{who}:notice",
                woman_id=woman.id,
                recipient_kind="staff",
                recipient_user_id=user_id,
                recipient_organisation_id=org_id,
                kind=f"deadline_{action.value}",
                send_at=now,
                urgent=action is not Escalation.REMIND_OWNER,
                summary=title,
            )
        )
    row = await session.scalar(select(Deadline).where(Deadline.key == clock.key))
    if row is not None:
        row.escalation = action.value
        if action is not Escalation.REMIND_OWNER:
            row.status = "missed"
    if action is not Escalation.REMIND_OWNER:
        session.add(
            TimelineEvent(
                event_key=f"{base_key}:timeline",
                woman_id=woman.id,
                kind="deadline_missed",
                occurred_at=now,
                summary=title,
                data={"clock": clock.key, "escalation": action.value},
            )
        )
    return True


async def recipients(
    session: AsyncSession, woman: Woman, action: Escalation
) -> list[tuple[uuid.UUID | None, uuid.UUID | None]]:
    """(user, organisation) pairs to tell: a person where known, else her team."""
    owner = await coordinator(session, woman)
    if action is Escalation.REMIND_OWNER:
        return [(owner.id, None)] if owner else [(None, woman.team_id)]
    if action is Escalation.LATE_START:
        # Told together, once: the people who can arrange it now. The lead hears later.
        told: list[tuple[uuid.UUID | None, uuid.UUID | None]] = (
            [(owner.id, None)] if owner else [(None, woman.team_id)]
        )
        if owner is not None and owner.manager_id:
            told.append((owner.manager_id, None))
        return told
    if action is Escalation.ESCALATE_MANAGER and owner is not None and owner.manager_id:
        return [(owner.manager_id, None)]
    leads = await area_leads(session, woman.area_code)
    return [(lead, None) for lead in leads] or [(None, woman.team_id)]


async def coordinator(session: AsyncSession, woman: Woman) -> User | None:
    """Her named care co-ordinator, if one has been named."""
    if woman.coordinator_user_id is None:
        return None
    return await session.get(User, woman.coordinator_user_id)


async def area_leads(session: AsyncSession, area_code: str) -> list[uuid.UUID]:
    """The safeguarding leads of an area."""
    rows = await session.scalars(
        select(User.id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(
            Organisation.area_code == area_code,
            User.role == "safeguarding_lead",
            User.active.is_(True),
        )
        .order_by(User.username)
    )
    return list(rows)
