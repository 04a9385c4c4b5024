"""Back-filling the duty register from the facts already on record (records written before the
register existed, or after a restore). Idempotent: every duty is opened under its business key,
so a second run changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.clock import Clock, ClockStatus, Escalation
from rules.escalation import plan_escalation
from rules.uktime import uk_date
from services import duties, duty_clocks, duty_support
from waymark.areas import get_area
from waymark.db.models import (
    AdvocacyOffer,
    AdvocateAllocation,
    Deadline,
    Duty,
    SupportEpisode,
    Task,
    Woman,
)

LIVE_CLOCKS = ("pending", "missed", "paused")
ESCALATIONS = frozenset(Escalation) - {Escalation.REMIND_OWNER}


async def backfill(session: AsyncSession, *, now: datetime) -> int:
    """Open the duties the facts say are owed and end those of signed-off episodes;
    returns how many duties the register then holds."""
    for deadline in await session.scalars(
        select(Deadline).where(Deadline.status.in_(LIVE_CLOCKS)).order_by(Deadline.key)
    ):
        await _clock(session, deadline, now)
    for episode in await session.scalars(
        select(SupportEpisode).where(SupportEpisode.status == "active").order_by(SupportEpisode.id)
    ):
        await _episode(session, episode)
    for episode in await session.scalars(
        select(SupportEpisode).where(SupportEpisode.status == "closed").order_by(SupportEpisode.id)
    ):
        await duty_support.on_closed(session, episode, episode.closed_at or now)
    await session.flush()
    return await session.scalar(select(func.count()).select_from(Duty)) or 0


async def _clock(session: AsyncSession, deadline: Deadline, now: datetime) -> None:
    """A live deadline as the clock its workflow holds: its steps, those past marked run."""
    woman = await session.get(Woman, deadline.woman_id)
    key = f"clock:{deadline.key}"
    if woman is None or await session.scalar(select(Duty.id).where(Duty.key == key)):
        return
    steps = plan_escalation(get_area(woman.area_code), deadline.due)
    for step in steps:
        step.done = step.at <= now
    clock = Clock(
        key=deadline.key,
        deadline=deadline.deadline,
        label=deadline.label,
        due=deadline.due,
        basis=deadline.basis,
        status=ClockStatus.PAUSED if deadline.status == "paused" else ClockStatus.PENDING,
        steps=steps,
    )
    await duty_clocks.plan_clock_duty(session, woman, deadline.scope, clock, deadline.created_at)
    duty = await duties.live_duty(session, key)
    assert duty is not None
    duty.escalation_level = sum(1 for s in steps if s.done and s.action in ESCALATIONS)
    duty.status = duties.PAUSED if deadline.status == "paused" else duties.OPEN


async def _episode(session: AsyncSession, episode: SupportEpisode) -> None:
    """Her episode's duties, unless it has some already (opened by its activities, or by an
    earlier back-fill): the facts then moved them, and they are not written twice."""
    woman = await session.get(Woman, episode.woman_id)
    mine = Duty.key.startswith(f"support:{episode.id}:", autoescape=True)
    if woman is None:
        return
    if await session.scalar(select(Duty.id).where(mine).limit(1)):
        await _contact_owed(session, woman, episode, mine)
        return
    await duty_support.on_opening(session, woman, episode, f"support:{episode.id}:opened")
    first = duty_support.contact_key(episode.id, episode.removal_on)
    key, last = first, episode.last_contact_on
    if last is not None:
        await duty_support.open_contact(session, woman, episode, after=last)
        await duties.meet_duty(session, first, at=episode.opened_at, by="backfill:contact")
        key = duty_support.next_contact_key(episode.id, last)
    for _ in range(episode.missed_contacts):
        await duties.escalate_duty(
            session, key, next_at=duty_support.contact_check_at(episode.next_contact_due)
        )
    await _advocate(session, woman, episode)


async def _contact_owed(
    session: AsyncSession, woman: Woman, episode: SupportEpisode, mine: ColumnElement[bool]
) -> None:
    """An active episode always owes her a contact. One whose contact duties were all met by a
    contact on the day of her removal, or by two contacts in one day (code before December
    2026 opened the next under the key it had just met), is owed the next one again."""
    live = (Duty.kind == duty_support.CONTACT) & Duty.status.in_(duties.LIVE)
    if await session.scalar(select(Duty.id).where(mine, live).limit(1)) is None:
        await duty_support.open_contact(session, woman, episode, after=episode.last_contact_on)


async def _advocate(session: AsyncSession, woman: Woman, episode: SupportEpisode) -> None:
    """Her advocate duty as her allocation, her answer and any open escalation say."""
    offered = await session.scalar(
        select(AdvocateAllocation.accept_by).where(
            AdvocateAllocation.woman_id == woman.id,
            AdvocateAllocation.ended_at.is_(None),
            AdvocateAllocation.status == "offered",
        )
    )
    if offered is not None:
        await duty_support.advocate_offered(session, woman.id, offered)
    declined = await session.scalar(
        select(AdvocacyOffer.responded_at)
        .where(AdvocacyOffer.woman_id == woman.id, AdvocacyOffer.response == "declined")
        .order_by(AdvocacyOffer.responded_at.desc())
        .limit(1)
    )
    if declined is not None and uk_date(declined) >= episode.removal_on:
        await duty_support.advocate_found(session, woman.id, declined, "backfill:declined")
    escalated_at = await session.scalar(
        select(Task.created_at).where(
            Task.woman_id == woman.id, Task.kind == "no_advocate_available", Task.status == "open"
        )
    )
    if escalated_at is not None:
        await duty_support.advocate_escalated(session, woman.id, escalated_at)
