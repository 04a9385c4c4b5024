"""Driving a pathway into pre-birth planning and a conference, for workflow and API tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle

from forms.common import Actor
from forms.meeting import MeetingDetails, MeetingKind, ScheduleMeeting, Venue
from forms.pathway import ScreeningCommand, ScreeningDecision
from forms.prebirth import RecordStrategyDiscussion, StrategyOutcome
from rules.calendar import first_open_day
from rules.uktime import uk_date, uk_wall_to_utc
from waymark.db.models import Deadline
from waymark.simulate.generate import demo_calendars
from workflows.pathway import WomanPathway

ACTIVITY_CLOSED = {
    EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
    EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
    EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
}
TASK_EVENTS = {
    EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
}


async def to_conference(
    handle: WorkflowHandle[Any, Any], social_worker: Actor, now: datetime
) -> None:
    """Screen for a strategy discussion and record one that decides to confer."""
    await handle.execute_update(
        WomanPathway.record_screening,
        ScreeningCommand(
            decision=ScreeningDecision.STRATEGY_DISCUSSION,
            reason="Significant concerns",
            actor=social_worker,
        ),
    )
    await handle.execute_update(
        WomanPathway.record_strategy_discussion,
        RecordStrategyDiscussion(
            held_on=uk_date(now), outcome=StrategyOutcome.CONFERENCE, actor=social_worker
        ),
    )


def open_day(day: date) -> date:
    """`day`, or the next day both demo areas' offices are open (meetings are not held on a
    weekend or a bank holiday of either nation), so tests do not depend on today's weekday."""
    return first_open_day(day, demo_calendars())


def meeting_day(now: datetime, days: int) -> date:
    """The day `meeting_at(now, days)` (and the pages' meeting form helper) chooses."""
    return open_day(uk_date(now) + timedelta(days=days))


async def evening_of(env: Any, day: date) -> None:
    """Move virtual time on to 18:00 UK time on `day` (after a morning meeting that day)."""
    await env.sleep(uk_wall_to_utc(day, time(18, 0)) - await env.get_current_time())


def meeting_at(
    now: datetime, days: int, hour: int = 10, *, any_day: bool = False
) -> MeetingDetails:
    """A meeting on the first open day `days` or more UK days after now (exactly `days` with
    any_day), at `hour` UK time, at a private, accessible venue."""
    day = uk_date(now) + timedelta(days=days)
    day = day if any_day else open_day(day)
    return MeetingDetails(
        starts_at=uk_wall_to_utc(day, time(hour, 0)),
        venue=Venue(name="Family Centre", private_room=True, accessible=True),
    )


def schedule(
    kind: MeetingKind, details: MeetingDetails, actor: Actor, **extra: Any
) -> ScheduleMeeting:
    return ScheduleMeeting(kind=kind, details=details, actor=actor, **extra)


async def rows(sessions: async_sessionmaker[AsyncSession], model: type, **where: Any) -> list[Any]:
    async with sessions() as session:
        query: Any = select(model).filter_by(**where)
        return list(await session.scalars(query))


async def count(sessions: async_sessionmaker[AsyncSession], model: type, **where: Any) -> int:
    async with sessions() as session:
        counted = select(func.count()).select_from(model).filter_by(**where)
        return int(await session.scalar(counted) or 0)


async def deadline(sessions: async_sessionmaker[AsyncSession], name: str) -> Deadline:
    found = await rows(sessions, Deadline, deadline=name)
    assert len(found) == 1, [d.key for d in found]
    return found[0]


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> None:
    """Wait (in real time) for a signal's effects, which land just after the command returns."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def settled(client: Client, workflow_id: str, seconds: float = 10.0) -> None:
    """Wait (in real time) until her workflow has nothing in hand: its last task completed and
    every activity it scheduled closed, so every write a command set going has landed."""

    async def idle() -> bool:
        events = (await client.get_workflow_handle(workflow_id).fetch_history()).events
        scheduled = {
            e.event_id
            for e in events
            if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        }
        closed = {
            getattr(e, str(e.WhichOneof("attributes"))).scheduled_event_id
            for e in events
            if e.event_type in ACTIVITY_CLOSED
        }
        tasks = [e.event_type for e in events if e.event_type in TASK_EVENTS]
        return scheduled <= closed and tasks[-1] == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED

    await eventually(idle, seconds)
