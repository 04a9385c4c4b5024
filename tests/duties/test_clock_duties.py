"""A clock's duty with no step of its chain left to run (its chain ended, or every step already
past) is carried by the daily sweep's repeats, whether it is planned, re-planned or extended
then: its next step is that sweep (`rules.escalation.first_repeat`), so it is never "dropped"
for a check before it; a step still to run stays its next step."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from forms.clock import Clock, ClockStatus, ClockStep, Escalation
from rules.escalation import first_repeat
from services import duties
from services.dropped import is_dropped
from services.duty_clocks import change_clock_duty, plan_clock_duty
from tests.helpers.planning import rows
from tests.oversight.builders import NOON, make_woman
from waymark.db.models import Duty, Woman
from waymark.db.session import transaction

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]
DAY = 24  # Northmoor tells the lead again every 24 hours


def _clock(due: date, *, done: bool, status: ClockStatus = ClockStatus.PENDING) -> Clock:
    lead_at = datetime.combine(due, NOON.timetz()) + timedelta(days=3)
    return Clock(
        key="first_review:test",
        deadline="first_review",
        label="Review conference held",
        due=due,
        basis="test",
        status=status,
        steps=[ClockStep(at=lead_at, action=Escalation.ESCALATE_LEAD, done=done)],
    )


async def _plan(sessions: Sessions, clock: Clock, at: datetime) -> Duty:
    woman_id = await make_woman(sessions)
    async with transaction(sessions) as session:
        woman = await session.get(Woman, woman_id)
        assert woman is not None
        await plan_clock_duty(session, woman, "pathway", clock, at)
    [duty] = await rows(sessions, Duty, kind="review")
    return duty


async def test_planned_with_every_step_past_the_sweep_carries_it(sessions: Sessions) -> None:
    due = (NOON - timedelta(days=20)).date()
    duty = await _plan(sessions, _clock(due, done=True), NOON)
    assert duty.next_escalation_at == first_repeat(NOON, DAY)
    assert not is_dropped(duty, NOON + timedelta(hours=1))
    assert is_dropped(duty, first_repeat(NOON, DAY))  # the sweep then picks it up


async def test_re_planned_or_extended_after_its_chain_ended_the_sweep_carries_it(
    sessions: Sessions,
) -> None:
    due = (NOON - timedelta(days=20)).date()
    await _plan(sessions, _clock(due, done=False), NOON - timedelta(days=30))
    async with transaction(sessions) as session:  # its chain's last step ran
        await duties.end_chain(session, "clock:first_review:test", at=NOON - timedelta(days=2))
    later = NOON + timedelta(hours=3)
    # Extended to a date already past, every step done: the sweep after now carries it.
    async with transaction(sessions) as session:
        await change_clock_duty(session, _clock(due + timedelta(days=5), done=True), later)
    [duty] = await rows(sessions, Duty, kind="review")
    assert duty.next_escalation_at == first_repeat(later, DAY)
    assert not is_dropped(duty, later + timedelta(hours=1))
    # Re-planned with a step still to run: that step is its next.
    step_at = later + timedelta(days=2)
    again = _clock(due + timedelta(days=5), done=False)
    again.steps[0].at = step_at
    async with transaction(sessions) as session:
        woman = await session.get(Woman, duty.woman_id)
        assert woman is not None
        await plan_clock_duty(session, woman, "pathway", again, later)
    [duty] = await rows(sessions, Duty, kind="review")
    assert duty.next_escalation_at == step_at
    # Paused: not owed now, so nothing carries it.
    async with transaction(sessions) as session:
        paused = _clock(due, done=True, status=ClockStatus.PAUSED)
        await change_clock_duty(session, paused, later)
    [duty] = await rows(sessions, Duty, kind="review")
    assert (duty.status, duty.next_escalation_at) == ("paused", None)
