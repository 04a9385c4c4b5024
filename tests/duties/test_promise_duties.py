"""The duties of the promise after a removal, through the service the activities call: a
named worker (open with its own short clock when nobody but the baby's social worker could be
named), an advocate (offered, none available, accepted, declined), and the one definition of
dropped applied to each."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from rules.escalation import next_sweep
from services import duty_support
from services.dropped import is_dropped
from tests.helpers.planning import rows
from tests.oversight.builders import NOON, make_woman, open_episode
from waymark.db.models import Duty, SupportEpisode, Woman
from waymark.db.session import transaction

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]
OPENED = NOON - timedelta(days=30)


async def _opened(sessions: Sessions, **episode: Any) -> tuple[uuid.UUID, dict[str, Duty]]:
    woman_id = await make_woman(sessions)
    episode_id = await open_episode(sessions, woman_id, **episode)
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        row = await session.get(SupportEpisode, episode_id)
        assert woman is not None
        assert row is not None
        await duty_support.on_opening(session, woman, row, f"support:{episode_id}:opened")
    return woman_id, {d.kind: d for d in await rows(sessions, Duty)}


async def test_with_nobody_to_name_the_named_worker_is_owed_by_her_team_on_a_short_clock(
    sessions: Sessions,
) -> None:
    woman_id, duties = await _opened(sessions, named_worker_id=None)
    named = duties["named_worker"]
    assert named.status == "open"
    assert named.owed_by_user_id is None
    assert named.owed_by_organisation_id is not None
    # One working day (the area's default): late from midnight after it; the next morning's
    # sweep is its first step (it tells the lead), and it is dropped if that passes unacted.
    assert timedelta(days=1) <= named.due_at - OPENED <= timedelta(days=4)
    assert not is_dropped(named, named.due_at - timedelta(minutes=1))
    assert named.next_escalation_at == next_sweep(named.due_at)
    assert not is_dropped(named, named.due_at)
    assert is_dropped(named, next_sweep(named.due_at))


async def test_the_advocate_duty_is_live_while_asked_and_dropped_when_none_is_available(
    sessions: Sessions,
) -> None:
    woman_id, duties = await _opened(sessions)
    advocate = duties["advocate"]
    due = advocate.due_at
    assert due - OPENED == timedelta(hours=2)  # Northmoor: two hours after a removal
    assert not is_dropped(advocate, due - timedelta(minutes=1))  # not yet due
    assert is_dropped(advocate, due)  # no offer made in the hour after the removal
    async with transaction(sessions) as session:
        await duty_support.advocate_offered(session, woman_id, due + timedelta(hours=2))
    [advocate] = await rows(sessions, Duty, kind="advocate")
    assert not is_dropped(advocate, due + timedelta(hours=2))
    assert is_dropped(advocate, due + timedelta(hours=3, minutes=1))  # the answer lapsed
    async with transaction(sessions) as session:  # "none available": the chain's last step
        await duty_support.advocate_escalated(session, woman_id, due + timedelta(hours=4))
    [advocate] = await rows(sessions, Duty, kind="advocate")
    assert advocate.escalation_level == 1
    # The lead is told again at the next morning's sweep (06:00 UK): live until then, and
    # dropped only if that repeat does not come.
    sweep = datetime(2027, 2, 9, 6, tzinfo=UTC)
    assert advocate.next_escalation_at == sweep
    assert not is_dropped(advocate, sweep - timedelta(minutes=1))
    assert is_dropped(advocate, sweep)
    async with transaction(sessions) as session:
        await duty_support.advocate_found(session, woman_id, due, "advocacy:x:accepted")
    [advocate] = await rows(sessions, Duty, kind="advocate")
    assert (advocate.status, advocate.met_by) == ("met", "advocacy:x:accepted")
    assert not is_dropped(advocate, due + timedelta(days=30))


async def test_opening_twice_writes_each_duty_once(sessions: Sessions) -> None:
    woman_id, first = await _opened(sessions)
    async with transaction(sessions) as session:
        episode_id = await session.scalar(
            select(SupportEpisode.id).where(SupportEpisode.woman_id == woman_id)
        )
        episode = await session.get(SupportEpisode, episode_id)
        woman = await session.get(Woman, woman_id)
        assert episode is not None
        assert woman is not None
        await duty_support.on_opening(session, woman, episode, "again")
    again = await rows(sessions, Duty)
    assert sorted(d.key for d in again) == sorted(d.key for d in first.values())
