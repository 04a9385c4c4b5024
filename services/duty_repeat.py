"""Escalations never go silent: every duty still owed whose escalation chain has ended (nobody
is being chased about it) is repeated to her area's safeguarding leads (and, for an advocate,
the advocacy managers) at the area's interval, until it is met or a lead waives it. Run by the
daily oversight sweep; one indexed query on the register finds them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.wording import long_date
from services.advocates import area_managers
from services.dropped import dropped
from services.escalation import area_leads
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Duty, Notice, TimelineEvent, Woman

REPEAT = "duty_repeated"
# A sweep may start a little before the time a repeat is due (its schedule, a retry): a repeat
# due this close is made now rather than left silent until the next day's sweep.
EARLY = timedelta(hours=1)
# Duties the advocacy managers are told about too.
ADVOCACY = ("advocate", "removal_acknowledgement")


def repeat_key(duty: Duty) -> str:
    """One repeat per step of the duty's escalation: a retried sweep writes nothing twice."""
    return f"duty:{duty.id}:repeat:{duty.escalation_level + 1}"


async def silent_duties(session: AsyncSession, at: datetime) -> list[Duty]:
    """Every duty dropped at `at` (or whose repeat falls due within `EARLY` of it)."""
    return list(await session.scalars(select(Duty).where(dropped(at + EARLY), Duty.due_at <= at)))


async def repeat_silent(session: AsyncSession, at: datetime) -> int:
    """Tell again about each silent duty; its next repeat is due one area interval on."""
    duties = await silent_duties(session, at)
    for duty in duties:
        await repeat(session, duty, at)
    return len(duties)


async def repeat(session: AsyncSession, duty: Duty, at: datetime) -> None:
    woman = await session.get(Woman, duty.woman_id)
    if woman is None:
        return
    key = repeat_key(duty)
    summary = (
        f"Still owed, and nobody has acted: {duty.label} (due {long_date(duty.due_at)}). "
        "Please act, or waive it with a reason"
    )[:300]
    told = await area_leads(session, duty.area_code)
    if duty.kind in ADVOCACY:
        told += await area_managers(session, duty.area_code)
    people: list[uuid.UUID | None] = list(dict.fromkeys(told)) or [None]
    for user_id in people:
        _notice(session, f"{key}:{user_id or woman.team_id}", woman, user_id, summary, at)
    if not await session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key)):
        session.add(
            TimelineEvent(
                event_key=key,
                woman_id=woman.id,
                kind=REPEAT,
                occurred_at=at,
                summary=summary,
                data={"duty": duty.kind},
            )
        )
    hours = get_area(duty.area_code).escalation_repeat_hours
    duty.escalation_level += 1
    duty.next_escalation_at = at + timedelta(hours=hours)
    audit.record(
        session,
        None,
        action="repeat_duty",
        record_type="woman",
        record_id=woman.id,
        detail=duty.kind,
    )


def _notice(
    session: AsyncSession,
    key: str,
    woman: Woman,
    user_id: uuid.UUID | None,
    summary: str,
    at: datetime,
) -> None:
    """An urgent notice to a person (or, with no lead in her area, to her team)."""
    session.add(
        Notice(
            key=key,
            woman_id=woman.id,
            recipient_kind="staff",
            recipient_user_id=user_id,
            recipient_organisation_id=None if user_id else woman.team_id,
            kind=REPEAT,
            send_at=at,
            urgent=True,
            summary=summary,
        )
    )
