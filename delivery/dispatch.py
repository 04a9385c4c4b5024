"""The outbox's first step: due notices become deliveries (one per channel) or tasks for a
person, in the caller's transaction. UNIQUE(notice, channel) makes a repeat harmless."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from delivery.channels import (
    MEETING_CHANGES,
    NoticeFacts,
    Plan,
    PlannedTask,
    plan_for_agency,
    plan_for_person,
    plan_for_woman,
)
from delivery.outcomes import add_task, her_worker
from forms.delivery import DeliveryStatus, HerContact
from forms.referral import Channel
from waymark.areas import get_area
from waymark.db.models import Delivery, Meeting, Notice, Organisation, Task, User, Woman


@dataclass
class Planned:
    deliveries: int = 0
    withheld: int = 0


# Notices about a baby's routine care (health visitor reminders and the like) share this prefix.
BABY_CARE = "baby_care_"


async def due_notices(session: AsyncSession, *, now: datetime, limit: int) -> list[Notice]:
    """Pending notices whose time has come, oldest first; locked against a second dispatcher."""
    query = (
        select(Notice)
        .where(Notice.status == DeliveryStatus.PENDING.value, Notice.send_at <= now)
        .order_by(Notice.send_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(await session.scalars(query))


async def plan_notices(
    session: AsyncSession,
    notices: list[Notice],
    *,
    now: datetime,
    provider_for: Callable[[Channel], str],
) -> Planned:
    """Choose channels for each notice and write its deliveries and tasks."""
    done = Planned()
    for notice in notices:
        plan = await plan_for(session, notice, now=now)
        existing = set(
            await session.scalars(select(Delivery.channel).where(Delivery.notice_id == notice.id))
        )
        for send in plan.sends:
            if send.channel.value in existing:
                continue
            session.add(
                Delivery(
                    notice_id=notice.id,
                    channel=send.channel.value,
                    provider=provider_for(send.channel),
                    status=DeliveryStatus.PENDING.value,
                    next_attempt_at=send.not_before or now,
                )
            )
            done.deliveries += 1
        for task in plan.tasks:
            await _task(session, notice, task, now)
        notice.status = (DeliveryStatus.WITHHELD if plan.withheld else DeliveryStatus.CREATED).value
        done.withheld += int(plan.withheld)
        if notice.recipient_kind == "advocate" and plan.sends and notice.kind in MEETING_CHANGES:
            notice.ack_due_at = now + await _ack_within(session, notice)
    await session.flush()
    return done


async def plan_for(session: AsyncSession, notice: Notice, *, now: datetime) -> Plan:
    """The channels (and tasks) for this notice's recipient, as things stand now."""
    facts = NoticeFacts(
        kind=notice.kind,
        summary=notice.summary,
        urgent=notice.urgent,
        meeting_starts_at=await _meeting_start(session, notice.meeting_id),
    )
    if notice.recipient_kind == "woman":
        woman = await session.get(Woman, notice.woman_id)
        if woman is None or (woman.mother_only and notice.kind.startswith(BABY_CARE)):
            # After her baby is placed in care, nothing about the baby's routine care reaches her.
            return Plan()
        contact = HerContact.model_validate(woman.contact or {})
        return plan_for_woman(
            contact, has_address(woman), facts, now=now, area=get_area(woman.area_code)
        )
    if notice.recipient_user_id is not None:
        user = await session.get(User, notice.recipient_user_id)
        active = user is not None and user.active
        return plan_for_person(
            user.email if user and active else None,
            user.mobile if user and active else None,
            facts,
            now=now,
        )
    org = await session.get(Organisation, notice.recipient_organisation_id)
    return plan_for_agency(org.email if org else None, facts)


def has_address(woman: Woman) -> bool:
    address = woman.address or {}
    return bool(address.get("line1") and address.get("postcode"))


async def _meeting_start(session: AsyncSession, meeting_id: uuid.UUID | None) -> datetime | None:
    if meeting_id is None:
        return None
    meeting = await session.get(Meeting, meeting_id)
    return meeting.starts_at if meeting else None


async def _ack_within(session: AsyncSession, notice: Notice) -> timedelta:
    woman = await session.get(Woman, notice.woman_id)
    hours = get_area(woman.area_code).notice_ack_within_hours if woman else 24
    return timedelta(hours=hours)


async def _task(session: AsyncSession, notice: Notice, task: PlannedTask, now: datetime) -> None:
    key = f"notice:{notice.id}:{task.kind}"
    if await session.scalar(select(Task.id).where(Task.key == key)):
        return
    if task.assignee == "recipient":
        user_id, org_id = notice.recipient_user_id, notice.recipient_organisation_id
    else:
        user_id, org_id = await her_worker(session, notice.woman_id)
    add_task(session, notice, key, task.kind, task.title, user_id, org_id, now)
