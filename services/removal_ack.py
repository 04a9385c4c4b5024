"""The urgent "her baby has been removed" message is a duty: her advocate (or, while she has
none yet, the advocacy manager) must acknowledge it within the area's window, day or night.
Unacknowledged, it goes to the advocacy managers, then to the safeguarding leads, and is told
again at the area's interval until someone acknowledges it or a lead waives it. The delivery
dispatcher's round escalates it, so a two-hour window is kept to within one round."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services import advocacy_records as records
from services.advocates import area_managers
from services.dropped import dropped
from services.duties import Owed, escalate_duty, meet_duty, open_duty
from services.duty_repeat import repeat
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Duty, Notice, Woman

KIND = "removal_acknowledgement"
ALERT = "removal_alert"
LABEL = "Acknowledge the urgent message that her baby has been removed"
TO_MANAGER = (
    "Urgent: her baby has been removed and she has no independent advocate yet. "
    "Please acknowledge this message and see that one contacts her today."
)


def duty_key(request_id: str) -> str:
    """One acknowledgement owed per allocation request made urgent by a removal."""
    return f"removal_ack:{request_id}"


async def owe_acknowledgement(
    session: AsyncSession,
    woman: Woman,
    request_id: str,
    advocate_id: uuid.UUID | None,
    at: datetime,
) -> Duty:
    """Her advocate owes the acknowledgement; with none yet, the area's advocacy manager, who
    is sent the message too."""
    owner = advocate_id
    if owner is None:
        managers = await area_managers(session, woman.area_code)
        note = records.Note(f"advocacy:{request_id}:{ALERT}", ALERT, TO_MANAGER, urgent=True)
        await records.tell(session, note, woman.id, managers, at)
        owner = managers[0] if managers else None
    due = at + timedelta(hours=get_area(woman.area_code).removal_acknowledgement_hours)
    owed = Owed(user_id=owner, organisation_id=woman.team_id)
    return await open_duty(
        session,
        key=duty_key(request_id),
        woman=woman,
        kind=KIND,
        label=LABEL,
        owed=owed,
        due_at=due,
        at=at,
        next_escalation_at=due,
    )


async def acknowledged(
    session: AsyncSession, notice: Notice, user_id: uuid.UUID, at: datetime
) -> list[Duty]:
    """Her removal message acknowledged by the person it was sent to: the duties that person
    owes for it are met (an advocacy manager answers for her service)."""
    if notice.kind != ALERT or notice.recipient_user_id != user_id:
        return []
    woman = await session.get(Woman, notice.woman_id)
    if woman is None:
        return []
    manager = user_id in await area_managers(session, woman.area_code)
    owed = await session.scalars(
        select(Duty).where(Duty.woman_id == woman.id, Duty.kind == KIND, Duty.status == "open")
    )
    met = []
    for duty in owed:
        if duty.owed_by_user_id == user_id or manager:
            met.append(await meet_duty(session, duty.key, at=at, by=f"notice:{notice.id}"))
    return [duty for duty in met if duty is not None]


async def escalate_unacknowledged(session: AsyncSession, at: datetime) -> int:
    """Every removal message unacknowledged past its next step: first to the advocacy managers
    (unless a manager owes it already), then to the leads, repeated at the area's interval."""
    # Its next step is always set while it is open: the (status, kind, next step) index.
    due = select(Duty).where(dropped(at), Duty.kind == KIND, Duty.next_escalation_at <= at)
    duties = list(await session.scalars(due))
    for duty in duties:
        managers = await area_managers(session, duty.area_code)
        if duty.escalation_level == 0 and duty.owed_by_user_id not in managers:
            await _to_managers(session, duty, managers, at)
        else:
            await repeat(session, duty, at)
    return len(duties)


async def _to_managers(
    session: AsyncSession, duty: Duty, managers: list[uuid.UUID], at: datetime
) -> None:
    """The first step: her advocate has not acknowledged; her advocacy managers are told, and
    have one more window before the leads are."""
    summary = (
        "Urgent: her advocate has not acknowledged the message that her baby has been removed. "
        "Please make sure someone contacts her today."
    )
    note = records.Note(f"{duty.key}:escalated", "removal_unacknowledged", summary, urgent=True)
    await records.tell(session, note, duty.woman_id, managers, at)
    window = timedelta(hours=get_area(duty.area_code).removal_acknowledgement_hours)
    await escalate_duty(session, duty.key, next_at=at + window)
    audit.record(
        session,
        None,
        action="escalate_duty",
        record_type="woman",
        record_id=duty.woman_id,
        detail=KIND,
    )
