"""Writing the duty register: open, re-date, escalate, meet, waive. Called by activities inside
the transaction that records the fact behind each change, so register and facts move together.
Every write is idempotent under the duty's business key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Actor, Role
from rules.escalation import first_repeat
from rules.uktime import uk_wall_to_utc
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Duty, Organisation, Woman
from waymark.errors import Conflict, Forbidden, Invalid, NotFound

OPEN, MET, WAIVED, CANCELLED, PAUSED = "open", "met", "waived", "cancelled", "paused"
LIVE = (OPEN, PAUSED)


def end_of_day(day: date) -> datetime:
    """Midnight UK time after `day`: a duty due on a day is late from then."""
    return uk_wall_to_utc(day + timedelta(days=1), time(0, 0))


@dataclass(frozen=True)
class Owed:
    """Who owes it: a person where one is named, else her team."""

    user_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None


async def open_duty(
    session: AsyncSession,
    *,
    key: str,
    woman: Woman,
    kind: str,
    label: str,
    owed: Owed,
    due_at: datetime,
    at: datetime,
    next_escalation_at: datetime | None = None,
) -> Duty:
    """The duty under `key`, opened now unless it already exists (then unchanged)."""
    found = await session.scalar(select(Duty).where(Duty.key == key))
    if found is not None:
        return found
    duty = Duty(
        key=key,
        woman_id=woman.id,
        area_code=woman.area_code,
        kind=kind,
        label=label[:200],
        owed_by_user_id=owed.user_id,
        owed_by_organisation_id=None if owed.user_id else owed.organisation_id,
        opened_at=at,
        due_at=due_at,
        status=OPEN,
        escalation_level=0,
        next_escalation_at=next_escalation_at,
    )
    session.add(duty)
    await session.flush()
    return duty


async def live_duty(session: AsyncSession, key: str) -> Duty | None:
    """The duty under `key` while it is still owed (open or paused)."""
    return await session.scalar(select(Duty).where(Duty.key == key, Duty.status.in_(LIVE)))


async def meet_duty(
    session: AsyncSession, key: str, *, at: datetime, by: str, status: str = MET
) -> Duty | None:
    """Met (or, no longer needed, cancelled) by the fact `by` (its business key); a duty
    already ended stays as it ended."""
    duty = await live_duty(session, key)
    if duty is not None:
        duty.status, duty.ended_at, duty.met_by = status, at, by[:200]
        duty.next_escalation_at = None
    return duty


async def escalate_duty(
    session: AsyncSession, key: str, *, next_at: datetime | None, step: bool = True
) -> Duty | None:
    """An escalation step ran (`step`: one more level); the next one is due at `next_at`."""
    duty = await live_duty(session, key)
    if duty is not None:
        duty.escalation_level += 1 if step else 0
        duty.next_escalation_at = next_at
    return duty


async def end_chain(
    session: AsyncSession, key: str, *, at: datetime, step: bool = True
) -> Duty | None:
    """The last step of its escalation chain ran at `at`: from now the daily sweep tells the
    lead again at the area's interval, so its next step is the sweep that first does (counted
    from when it falls due, if later). It is never "dropped" while it waits for that repeat."""
    duty = await live_duty(session, key)
    if duty is not None:
        duty.escalation_level += 1 if step else 0
        duty.next_escalation_at = carried_by_sweep(duty.area_code, duty.due_at, at)
    return duty


def carried_by_sweep(area_code: str, due_at: datetime, at: datetime) -> datetime:
    """The next step of a duty with no chain left to run, seen at `at`: the sweep that first
    tells the lead again (counted from when it falls due, if later)."""
    hours = get_area(area_code).escalation_repeat_hours
    return first_repeat(max(at, due_at), hours)


async def redate_duty(
    session: AsyncSession,
    key: str,
    *,
    due_at: datetime,
    next_at: datetime | None,
    at: datetime,
    status: str = OPEN,
) -> Duty | None:
    """Its due time moved (re-planned, extended, paused or restarted) at `at`; owed with no
    step of its chain left to run, the sweep's repeats carry it."""
    duty = await live_duty(session, key)
    if duty is not None:
        if next_at is None and status == OPEN:
            next_at = carried_by_sweep(duty.area_code, due_at, at)
        duty.due_at, duty.next_escalation_at, duty.status = due_at, next_at, status
    return duty


async def waive_duty(
    session: AsyncSession, duty_id: uuid.UUID, *, actor: Actor, reason: str, at: datetime
) -> Duty:
    """A safeguarding lead of her area decides it is no longer owed, and says why."""
    reason = reason.strip()
    if not reason:
        raise Invalid("a reason is needed to waive a duty", [("reason", "is empty")])
    if actor.role is not Role.SAFEGUARDING_LEAD:
        raise Forbidden("only a safeguarding lead can waive a duty")
    duty = await session.get(Duty, duty_id)
    organisation = await session.get(Organisation, actor.organisation_id)
    if duty is None or organisation is None or duty.area_code != organisation.area_code:
        raise NotFound("no such duty in your area")
    if duty.status not in LIVE:
        raise Conflict(f"this duty is already {duty.status}")
    duty.status, duty.ended_at, duty.next_escalation_at = WAIVED, at, None
    duty.waived_by, duty.waive_reason = actor.user_id, reason[:2000]
    audit.record(session, actor, action="waive_duty", record_type="woman", record_id=duty.woman_id)
    return duty
