"""Delivering the outbox: due notices become deliveries, deliveries are sent, and the status of
messages still on their way is checked with the provider."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from delivery.dispatch import due_notices, plan_notices
from delivery.messages import NotSent, prepare
from delivery.outcomes import RetryRule, add_task, apply_result, her_worker
from delivery.outgoing import Outgoing, SendResult
from delivery.senders import Senders
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.delivery import (
    IN_FLIGHT,
    RETRYABLE,
    DeliveryStatus,
    DispatchRequest,
    DispatchResult,
    PollResult,
)
from services.removal_ack import escalate_unacknowledged
from waymark.db.base import utcnow
from waymark.db.models import Delivery, Notice, Task
from waymark.db.session import transaction
from waymark.settings import Settings

# A claim older than this is taken to have died (a crashed worker): the attempt is looked up
# with the provider before anything is sent again. Longer than any one send can take.
CLAIM_TTL = timedelta(minutes=5)
# Notify keeps a message's status for 7 days; after that there is nothing to ask.
POLL_WINDOW = timedelta(days=7)
SENDABLE = [DeliveryStatus.PENDING.value, *(s.value for s in RETRYABLE)]


def _heartbeat() -> None:
    if activity.in_activity():
        activity.heartbeat()


class DeliveryActivities:
    """Sends what the outbox holds; built with the database, the settings and the senders."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        senders: Senders | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._senders = senders or Senders(settings)
        self._clock = clock
        self._rule = RetryRule(
            max_attempts=settings.delivery_max_attempts,
            first_wait=timedelta(seconds=settings.delivery_retry_seconds),
        )

    @implements(acts.deliver_due_notices)
    async def deliver_due_notices(self, inp: DispatchRequest) -> DispatchResult:
        """Escalate unacknowledged removal messages and choose channels for due notices (one
        transaction), then send each due delivery."""
        now = self._clock()
        async with transaction(self._sessions) as session:
            # Escalated here, every round, so a window of hours is kept to within a round;
            # the notices this writes are planned in the same round.
            await escalate_unacknowledged(session, now)
            notices = await due_notices(session, now=now, limit=inp.batch_size)
            planned = await plan_notices(
                session, notices, now=now, provider_for=self._senders.name_for
            )
        result = DispatchResult(
            deliveries_created=planned.deliveries,
            withheld=planned.withheld,
            next_in_seconds=self._settings.delivery_interval_seconds,
            poll_every_seconds=self._settings.delivery_poll_seconds,
        )
        for delivery_id in await self._due_deliveries(now, inp.batch_size):
            status = await self._send_one(delivery_id)
            _heartbeat()
            if status in (DeliveryStatus.CREATED, DeliveryStatus.SENDING, DeliveryStatus.DELIVERED):
                result.sent += 1
            elif status is DeliveryStatus.WITHHELD:
                result.withheld += 1
            elif status is not None and status is not DeliveryStatus.SUPERSEDED:
                result.failed += 1
        return result

    async def _due_deliveries(self, now: datetime, limit: int) -> list[uuid.UUID]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Delivery.id)
                .where(
                    Delivery.status.in_(SENDABLE),
                    Delivery.next_attempt_at <= now,
                    Delivery.attempts < self._rule.max_attempts,
                    or_(Delivery.claimed_at.is_(None), Delivery.claimed_at < now - CLAIM_TTL),
                )
                .order_by(Delivery.next_attempt_at)
                .limit(limit)
            )
            return list(rows)

    async def _send_one(self, delivery_id: uuid.UUID) -> DeliveryStatus | None:
        """Claim, check, send, record: the provider is called outside any transaction."""
        now = self._clock()
        async with transaction(self._sessions) as session:
            claimed = await _claim(session, delivery_id, now)
            if claimed is None:
                return None  # another dispatcher has it, or it is no longer due
            delivery, earlier = claimed
            message = await prepare(
                session,
                delivery,
                now=now,
                public_url=self._settings.public_url,
                organiser=self._settings.smtp_from_address,
            )
            if isinstance(message, NotSent):
                await self._not_sent(session, delivery, message, now)
                return message.status
            provider = delivery.provider
        result = await self._send(provider, message, earlier)
        async with transaction(self._sessions) as session:
            row = await session.get(Delivery, delivery_id)
            assert row is not None
            await apply_result(
                session,
                row,
                result.status,
                now=self._clock(),
                rule=self._rule,
                provider_ref=result.provider_ref,
                error=result.error,
            )
        return result.status

    async def _send(self, provider: str, message: Outgoing, earlier: str | None) -> SendResult:
        try:
            sender = self._senders.named(provider)
        except RuntimeError:
            return SendResult(DeliveryStatus.TECHNICAL_FAILURE, error=f"{provider} not set up")
        if earlier is not None:
            # A worker died mid-send: ask the provider before sending a second copy.
            found = await sender.find(earlier)
            if found is not None:
                return found
        return await sender.send(message)

    async def _not_sent(
        self, session: AsyncSession, delivery: Delivery, why: NotSent, now: datetime
    ) -> None:
        await apply_result(session, delivery, why.status, now=now, rule=self._rule)
        key = f"delivery:{delivery.id}:withheld"
        notice = await session.get(Notice, delivery.notice_id)
        if why.task and notice and not await session.scalar(select(Task.id).where(Task.key == key)):
            user_id, org_id = await her_worker(session, notice.woman_id)
            add_task(session, notice, key, "reach_in_person", why.task, user_id, org_id, now)

    @implements(acts.poll_delivery_statuses)
    async def poll_delivery_statuses(self, inp: DispatchRequest) -> PollResult:
        """Ask Notify about messages still on their way (a missed receipt must not hide one)."""
        if not self._settings.notify_api_key:
            return PollResult()
        now = self._clock()
        async with self._sessions() as session:
            rows = list(
                await session.execute(
                    select(Delivery.id, Delivery.provider_ref, Delivery.status)
                    .where(
                        Delivery.provider == "notify",
                        Delivery.status.in_([s.value for s in IN_FLIGHT]),
                        Delivery.provider_ref.is_not(None),
                        Delivery.sent_at >= now - POLL_WINDOW,
                    )
                    .order_by(Delivery.updated_at)
                    .limit(inp.batch_size)
                )
            )
        result = PollResult(checked=len(rows))
        sender = self._senders.named("notify")
        for delivery_id, ref, old in rows:
            status = await sender.status(str(ref))
            _heartbeat()
            if status is None or status.value == old:
                continue
            async with transaction(self._sessions) as session:
                row = await session.get(Delivery, delivery_id)
                if row is not None and row.status == old:
                    await apply_result(session, row, status, now=self._clock(), rule=self._rule)
                    result.changed += 1
        return result


async def _claim(
    session: AsyncSession, delivery_id: uuid.UUID, now: datetime
) -> tuple[Delivery, str | None] | None:
    """Take the delivery for one attempt; also the reference of an attempt that died, if any."""
    row = await session.get(Delivery, delivery_id)
    if row is None or row.status not in SENDABLE:
        return None
    if row.claimed_at is not None and row.claimed_at >= now - CLAIM_TTL:
        return None
    earlier = f"{row.id}.{row.attempts}" if row.claimed_at is not None else None
    taken = await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.attempts == row.attempts)
        .values(claimed_at=now, attempts=row.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0) != 1:
        return None
    await session.refresh(row)
    return row, earlier
