"""Recording what happened to a delivery (from the send, a receipt or a status check): retry a
temporary failure later, hand a permanent one (or too many tries) to a person, and keep the
notice's own status in step. "Sent" is never recorded as "delivered"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.clock import Escalation
from forms.delivery import RETRYABLE, DeliveryStatus
from rules.uktime import uk_date
from services.escalation import recipients
from waymark.db.models import Delivery, Notice, Organisation, Task, User, Woman

# Best first: a notice is as far along as its furthest delivery.
RANK = [
    DeliveryStatus.DELIVERED,
    DeliveryStatus.SENDING,
    DeliveryStatus.CREATED,
    DeliveryStatus.PENDING,
    DeliveryStatus.TEMPORARY_FAILURE,
    DeliveryStatus.TECHNICAL_FAILURE,
    DeliveryStatus.PERMANENT_FAILURE,
    DeliveryStatus.WITHHELD,
    DeliveryStatus.SUPERSEDED,
]
MAX_BACKOFF = timedelta(hours=6)
CHANNEL_WORDS = {"sms": "text message", "email": "email", "letter": "letter"}


@dataclass(frozen=True)
class RetryRule:
    """How often a failed delivery is tried, and how long to wait (doubling) between tries."""

    max_attempts: int = 5
    first_wait: timedelta = timedelta(seconds=60)

    def wait_after(self, attempts: int) -> timedelta:
        return min(self.first_wait * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


async def apply_result(
    session: AsyncSession,
    delivery: Delivery,
    status: DeliveryStatus,
    *,
    now: datetime,
    rule: RetryRule,
    provider_ref: str | None = None,
    error: str | None = None,
) -> None:
    """Record a delivery's new status and what follows from it."""
    delivery.status = status.value
    delivery.claimed_at = None
    delivery.updated_at = now
    delivery.provider_ref = provider_ref or delivery.provider_ref
    delivery.last_error = error[:200] if error else delivery.last_error
    delivery.next_attempt_at = None
    if status in (DeliveryStatus.CREATED, DeliveryStatus.SENDING, DeliveryStatus.DELIVERED):
        delivery.sent_at = delivery.sent_at or now
    if status is DeliveryStatus.DELIVERED:
        delivery.delivered_at = now
    if status in RETRYABLE and delivery.attempts < rule.max_attempts:
        delivery.next_attempt_at = now + rule.wait_after(delivery.attempts)
    elif status in RETRYABLE or status is DeliveryStatus.PERMANENT_FAILURE:
        await failure_task(session, delivery, now=now, gave_up=status in RETRYABLE)
    await session.flush()
    await refresh_notice(session, delivery.notice_id)


async def refresh_notice(session: AsyncSession, notice_id: uuid.UUID) -> None:
    """The notice takes the status of its furthest delivery (one not yet sent shows "created")."""
    notice = await session.get(Notice, notice_id)
    statuses = set(
        await session.scalars(select(Delivery.status).where(Delivery.notice_id == notice_id))
    )
    if notice is None or not statuses:
        return
    best = next(s for s in RANK if s.value in statuses)
    notice.status = (DeliveryStatus.CREATED if best is DeliveryStatus.PENDING else best).value


async def failure_task(
    session: AsyncSession, delivery: Delivery, *, now: datetime, gave_up: bool
) -> None:
    """A person is asked to pass the message on another way (once per delivery)."""
    key = f"delivery:{delivery.id}:failed"
    notice = await session.get(Notice, delivery.notice_id)
    if notice is None or await session.scalar(select(Task.id).where(Task.key == key)):
        return
    how = CHANNEL_WORDS.get(delivery.channel, delivery.channel)
    tries = f" after {delivery.attempts} tries" if gave_up else ""
    title = f"{await _to_whom(session, notice)} could not be delivered by {how}{tries}: "
    user_id, org_id = await _who_follows_up(session, notice)
    add_task(session, notice, key, "delivery_failed", title + notice.summary, user_id, org_id, now)


async def _to_whom(session: AsyncSession, notice: Notice) -> str:
    if notice.recipient_kind == "woman":
        return "Message to her"
    if notice.recipient_kind == "advocate":
        return "Message to her advocate"
    if notice.recipient_user_id is not None:
        user = await session.get(User, notice.recipient_user_id)
        return f"Message to {user.display_name}" if user else "Message to a colleague"
    org = await session.get(Organisation, notice.recipient_organisation_id)
    return f"Message to {org.name}" if org else "Message to an agency"


async def _who_follows_up(
    session: AsyncSession, notice: Notice
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """Staff see their own undelivered messages; anything else goes to her worker (or team)."""
    if notice.recipient_kind == "staff" and notice.recipient_user_id is not None:
        return notice.recipient_user_id, None
    return await her_worker(session, notice.woman_id)


async def her_worker(
    session: AsyncSession, woman_id: uuid.UUID
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """Her named worker, else her team."""
    woman = await session.get(Woman, woman_id)
    if woman is None:
        return None, None
    found = await recipients(session, woman, Escalation.REMIND_OWNER)
    return found[0] if found else (None, woman.team_id)


def add_task(
    session: AsyncSession,
    notice: Notice,
    key: str,
    kind: str,
    title: str,
    user_id: uuid.UUID | None,
    org_id: uuid.UUID | None,
    now: datetime,
) -> None:
    """A task about her, due today (the caller has checked the key is new)."""
    session.add(
        Task(
            key=key[:200],
            woman_id=notice.woman_id,
            assignee_user_id=user_id,
            assignee_organisation_id=org_id,
            kind=kind,
            title=title if len(title) <= 300 else title[:299] + "…",
            due=uk_date(now),
        )
    )
