"""Escalations never go silent: the daily sweep tells the lead again (and, for an advocate, the
advocacy manager) about every duty still owed whose chain has ended, at the area's interval,
until it is met or waived; a duty being chased, met or waived is left alone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.oversight import OversightActivities
from forms.common import Actor, Role
from forms.ledger import SweepRequest
from rules.uktime import uk_date
from services import duties, duty_support
from services.dropped import is_dropped
from services.duty_repeat import REPEAT, repeat_silent
from tests.helpers.planning import count, rows
from tests.oversight.builders import NOON, make_woman, open_episode
from waymark.db.models import Duty, Notice, SupportEpisode, TimelineEvent, User, Woman
from waymark.db.session import transaction

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]


async def _silent_named_worker(sessions: Sessions) -> tuple[uuid.UUID, Duty]:
    woman_id = await make_woman(sessions)
    episode_id = await open_episode(sessions, woman_id, named_worker_id=None)
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        episode = await session.get(SupportEpisode, episode_id)
        assert woman is not None
        assert episode is not None
        await duty_support.on_opening(session, woman, episode, f"support:{episode_id}:opened")
    [named] = await rows(sessions, Duty, kind="named_worker")
    return woman_id, named


async def _repeat(sessions: Sessions, at: datetime) -> int:
    async with transaction(sessions) as session:
        return await repeat_silent(session, at)


async def test_a_silent_duty_is_told_again_each_interval_until_met(sessions: Sessions) -> None:
    woman_id, named = await _silent_named_worker(sessions)
    async with transaction(sessions) as session:  # only her named worker is owed
        await duty_support.advocate_found(session, woman_id, NOON, "advocacy:x:accepted")
    first = named.due_at + timedelta(hours=6)
    # Her named worker's first step is the morning sweep after it falls due: not dropped in
    # the night before it, dropped from it until the sweep tells the lead.
    assert named.next_escalation_at == first
    assert not is_dropped(named, first - timedelta(minutes=1))
    assert is_dropped(named, first)
    assert await _repeat(sessions, named.due_at - timedelta(hours=2)) == 0  # not yet owed
    assert await _repeat(sessions, first) == 1
    [named] = await rows(sessions, Duty, kind="named_worker")
    assert named.next_escalation_at == first + timedelta(hours=24)  # the area's interval
    assert named.escalation_level == 1
    assert not is_dropped(named, first + timedelta(hours=23))  # someone is being told
    # The same sweep again (a retry) tells nobody twice; the next day's sweep tells again.
    assert await _repeat(sessions, first + timedelta(minutes=5)) == 0
    assert await _repeat(sessions, first + timedelta(hours=24)) == 1
    notices = await rows(sessions, Notice, kind=REPEAT)
    leads = set(await _scalars(sessions, select(User.id).where(User.role == "safeguarding_lead")))
    assert {n.recipient_user_id for n in notices} <= leads
    assert len(notices) == 2 * len({n.recipient_user_id for n in notices})
    assert all(n.urgent and n.woman_id == woman_id for n in notices)
    assert await count(sessions, TimelineEvent, kind=REPEAT) == 2
    # Met: no more repeats, ever.
    async with transaction(sessions) as session:
        await duties.meet_duty(session, named.key, at=first, by="support:named")
    assert await _repeat(sessions, first + timedelta(days=5)) == 0


async def test_a_waived_duty_is_not_told_again(sessions: Sessions) -> None:
    woman_id, named = await _silent_named_worker(sessions)
    async with transaction(sessions) as session:
        await duty_support.advocate_found(session, woman_id, NOON, "advocacy:x:accepted")
        lead = await session.scalar(select(User).where(User.role == "safeguarding_lead"))
        assert lead is not None
        actor = Actor(
            user_id=lead.id, role=Role.SAFEGUARDING_LEAD, organisation_id=lead.organisation_id
        )
        await duties.waive_duty(
            session, named.id, actor=actor, reason="her own GP team supports her", at=NOON
        )
    assert await _repeat(sessions, named.due_at + timedelta(days=3)) == 0
    assert await count(sessions, Notice, kind=REPEAT) == 0


async def test_no_advocate_available_is_repeated_to_the_lead_and_the_advocacy_manager(
    sessions: Sessions,
) -> None:
    woman_id, _ = await _silent_named_worker(sessions)
    [advocate] = await rows(sessions, Duty, kind="advocate")
    escalated = advocate.due_at + timedelta(hours=1)  # 15:00 on Monday 8 February
    async with transaction(sessions) as session:  # the chain's last step
        await duty_support.advocate_escalated(session, woman_id, escalated)
    # Its next step is the sweep that first tells the lead again (06:00 the next morning):
    # until then it is not dropped, and nothing is repeated.
    at = datetime(2027, 2, 9, 6, tzinfo=UTC)
    [advocate] = await rows(sessions, Duty, kind="advocate")
    assert advocate.next_escalation_at == at
    assert not is_dropped(advocate, at - timedelta(minutes=1))
    assert await _repeat(sessions, escalated + timedelta(minutes=1)) == 0
    assert await _repeat(sessions, at) == 1  # her advocate (her named worker is not yet due)
    told = {n.recipient_user_id for n in await rows(sessions, Notice, kind=REPEAT)}
    roles = {u.role: u for u in await _scalars(sessions, select(User).where(User.id.in_(told)))}
    assert {"safeguarding_lead", "advocate"} <= set(roles)
    [advocate] = await rows(sessions, Duty, kind="advocate")
    assert not is_dropped(advocate, at + timedelta(hours=12))


async def test_the_daily_sweep_repeats_silent_duties(sessions: Sessions) -> None:
    _, named = await _silent_named_worker(sessions)
    at = named.due_at + timedelta(hours=7)
    request = SweepRequest(today=uk_date(at), at=at)
    result = await ActivityEnvironment().run(
        OversightActivities(sessions).sweep_area_invariants, request
    )
    assert result.repeated == 2  # her named worker and her advocate, both silent by then
    assert all(not is_dropped(d, at) for d in await rows(sessions, Duty, status="open"))


async def _scalars(sessions: Sessions, query: Select[Any]) -> list[Any]:
    async with sessions() as session:
        return list(await session.scalars(query))


async def test_a_repeat_on_the_eve_of_summer_time_is_made_again_by_the_next_sweep(
    sessions: Sessions,
) -> None:
    """British Summer Time starts on Sunday 28 March 2027: that morning's sweep (06:00 BST,
    05:00 UTC) comes 23 hours after Saturday's (06:00 GMT). A repeat made a second into
    Saturday's sweep is due again at Sunday's, not 24 hours on (an hour after it, so silent
    until Monday's sweep, and dropped for the night's check: the breaches once seen that day)."""
    woman_id, _ = await _silent_named_worker(sessions)
    async with transaction(sessions) as session:  # only her named worker and contact are owed
        await duty_support.advocate_found(session, woman_id, NOON, "advocacy:x:accepted")
    assert await _repeat(sessions, datetime(2027, 3, 27, 6, 0, 1, tzinfo=UTC)) >= 1
    [named] = await rows(sessions, Duty, kind="named_worker")
    assert named.escalation_level == 1
    assert await _repeat(sessions, datetime(2027, 3, 28, 5, 0, 0, tzinfo=UTC)) >= 1
    [named] = await rows(sessions, Duty, kind="named_worker")
    assert named.escalation_level == 2
    assert not is_dropped(named, datetime(2027, 3, 28, 22, tzinfo=UTC))  # the night's check
