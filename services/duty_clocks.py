"""Every watched clock (a statutory or local deadline) is a duty in the register: planned,
escalated, met, paused or cancelled in the same transaction as its deadline row."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forms.clock import Clock, ClockStatus, Escalation
from services import duties
from services.duties import Owed
from services.duty_support import named_worker_here
from waymark.db.models import SupportEpisode, Woman

# The kind of duty a clock is, from the name of its deadline (first match wins).
KINDS = (
    ("plan_", "support_plan"),
    ("contact_request_", "contact_reply"),
    ("pre_discharge", "pre_discharge_meeting"),
    ("reports_", "conference_papers"),
    ("notice_", "conference_papers"),
    ("minutes", "conference_papers"),
    ("decision_letter", "conference_papers"),
    ("first_review", "review"),
    ("next_review", "review"),
    ("postnatal_support_review", "review"),
    ("", "conference"),
)


def duty_key(clock: Clock) -> str:
    return f"clock:{clock.key}"


def duty_kind(deadline: str) -> str:
    return next(kind for prefix, kind in KINDS if deadline.startswith(prefix))


def next_step(clock: Clock, after: Escalation | None = None) -> datetime | None:
    """When the clock's chain next acts: its first step not yet run (after `after`, when a
    step is running now)."""
    steps = [step for step in clock.steps if not step.done]
    if after is not None:
        ran = next((i for i, step in enumerate(steps) if step.action is after), None)
        steps = steps[ran + 1 :] if ran is not None else steps
    return min((step.at for step in steps), default=None)


async def owner(session: AsyncSession, woman: Woman, scope: str) -> Owed:
    """Her support episode's named worker for its clocks (while they work in her area); her
    co-ordinator for the rest; else her team."""
    if scope.startswith("support:"):
        episode = await session.get(SupportEpisode, uuid.UUID(scope.partition(":")[2]))
        worker = None if episode is None else await named_worker_here(session, woman, episode)
        if worker is not None:
            return Owed(user_id=worker)
        return Owed(organisation_id=woman.team_id)
    return Owed(user_id=woman.coordinator_user_id, organisation_id=woman.team_id)


async def plan_clock_duty(
    session: AsyncSession, woman: Woman, scope: str, clock: Clock, at: datetime
) -> None:
    """A clock planned (or re-planned): its duty opened, or re-dated if still owed."""
    due_at, next_at = duties.end_of_day(clock.due), next_step(clock)
    found = await duties.redate_duty(
        session, duty_key(clock), due_at=due_at, next_at=next_at, at=at
    )
    if found is not None:
        return
    await duties.open_duty(
        session,
        key=duty_key(clock),
        woman=woman,
        kind=duty_kind(clock.deadline),
        label=clock.label,
        owed=await owner(session, woman, scope),
        due_at=due_at,
        at=at,
        next_escalation_at=next_at or duties.carried_by_sweep(woman.area_code, due_at, at),
    )


async def escalate_clock_duty(
    session: AsyncSession, clock: Clock, action: Escalation, at: datetime
) -> None:
    """A step of its chain ran at `at`: a reminder keeps the level, an escalation raises it.
    After its last step the sweep's repeats carry it on (`duties.end_chain`)."""
    step = action is not Escalation.REMIND_OWNER
    next_at = next_step(clock, after=action)
    if next_at is None:
        await duties.end_chain(session, duty_key(clock), at=at, step=step)
        return
    await duties.escalate_duty(session, duty_key(clock), next_at=next_at, step=step)


async def change_clock_duty(session: AsyncSession, clock: Clock, at: datetime) -> None:
    """Met, cancelled, paused, restarted or extended: the duty follows its clock."""
    key = duty_key(clock)
    if clock.status in (ClockStatus.MET, ClockStatus.LATE):
        # Held after its latest date is late, yet the duty is done: nothing more is owed.
        await duties.meet_duty(session, key, at=at, by=f"{key}:{clock.status.value}")
    elif clock.status is ClockStatus.CANCELLED:
        await duties.meet_duty(session, key, at=at, by=f"{key}:cancelled", status=duties.CANCELLED)
    else:
        status = duties.PAUSED if clock.status is ClockStatus.PAUSED else duties.OPEN
        await duties.redate_duty(
            session,
            key,
            due_at=duties.end_of_day(clock.due),
            next_at=next_step(clock),
            at=at,
            status=status,
        )
