"""After her baby is placed in care, nothing about the baby's routine care is sent to her."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.referral import ReferralActivities
from delivery.dispatch import plan_for
from tests.helpers.activities import actor_for, make_record_referral
from waymark.db.models import Notice, Woman


async def test_baby_care_messages_are_withheld_once_she_is_mother_only(
    demo: None, sessions: async_sessionmaker[AsyncSession]
) -> None:
    record = make_record_referral(await actor_for(sessions, "mia.midwife"))
    await ReferralActivities(sessions).record_referral(record)
    now = datetime.now(UTC)
    baby_care = Notice(
        key="k1",
        woman_id=record.woman_id,
        recipient_kind="woman",
        kind="baby_care_health_visitor_reminder",
        send_at=now,
        summary="Visit",
    )
    about_her = Notice(
        key="k2",
        woman_id=record.woman_id,
        recipient_kind="woman",
        kind="meeting_scheduled",
        send_at=now,
        summary="Meeting",
    )
    async with sessions() as session:
        assert (await plan_for(session, baby_care, now=now)).sends  # before: she gets it
        woman = await session.get(Woman, record.woman_id)
        assert woman is not None
        woman.mother_only = True
        assert not (await plan_for(session, baby_care, now=now)).sends
        assert (await plan_for(session, about_her, now=now)).sends
