"""Clock side effects: computing due dates (holiday data lives here, not in workflows),
recording deadlines, and escalating them to the right person."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.business_time import business_time
from activities.wake import waking_transaction
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.area import AreaRules, Span
from forms.clock import (
    Clock,
    ClockRequest,
    ComputeDeadlines,
    EscalateClock,
    PlanClocks,
    RecordClockChange,
)
from forms.clocks import Deadline as DeadlineOut
from rules.calendar import WorkingCalendar, describe_span
from rules.clocks import compute_deadlines as compute
from rules.escalation import plan_escalation
from rules.wording import long_date
from services import duty_clocks
from services.escalation import escalate
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Deadline, TimelineEvent, Woman

CHANGE_WORDS = {
    "met": "met",
    "late": "done late",
    "paused": "paused",
    "resumed": "restarted",
    "extended": "extended",
    "cancelled": "no longer needed",
}


class ClockActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.compute_deadlines)
    async def compute_deadlines(self, inp: ComputeDeadlines) -> list[DeadlineOut]:
        """The statutory deadlines for the dates known so far, under her area's rules."""
        return compute(
            get_area(inp.area),
            edd=inp.edd,
            concern=inp.concern,
            strategy_discussion=inp.strategy_discussion,
            conference=inp.conference,
            conference_kind="review" if inp.conference_kind == "review" else "initial",
            birth=inp.birth,
        )

    @implements(acts.plan_clocks)
    async def plan_clocks(self, inp: PlanClocks) -> list[Clock]:
        """Give each requested deadline its due date and escalation steps, and record it."""
        area = get_area(inp.area)
        clocks = [_plan(area, inp, request) for request in inp.requests]
        async with waking_transaction(self._sessions) as session:
            for clock in clocks:
                await _upsert_deadline(session, inp, clock)
        return clocks

    @implements(acts.escalate_clock)
    async def escalate_clock(self, inp: EscalateClock) -> None:
        """Remind the owner, or tell the manager then the safeguarding lead that it was missed."""
        at = business_time(inp.at)
        async with waking_transaction(self._sessions) as session:
            if await escalate(session, inp, at=at):
                await duty_clocks.escalate_clock_duty(session, inp.clock, inp.action, at)

    @implements(acts.record_clock_change)
    async def record_clock_change(self, inp: RecordClockChange) -> None:
        """Record a clock met, paused, restarted, extended or cancelled, with its reason."""
        key = f"clock:{inp.clock.key}:{inp.change.value}:{inp.at.isoformat()}"
        async with waking_transaction(self._sessions) as session:
            if await session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key)):
                return
            row = await session.scalar(select(Deadline).where(Deadline.key == inp.clock.key))
            if row is not None:
                row.status = inp.clock.status.value
                row.due = inp.clock.due
                row.note = inp.reason or row.note
            await duty_clocks.change_clock_duty(session, inp.clock, inp.at)
            if inp.change.value == "met":
                return
            words = CHANGE_WORDS[inp.change.value]
            because = f": {inp.reason}" if inp.reason else ""
            session.add(
                TimelineEvent(
                    event_key=key,
                    woman_id=inp.woman_id,
                    kind=f"clock_{inp.change.value}",
                    occurred_at=inp.at,
                    actor_user_id=inp.actor.user_id if inp.actor else None,
                    summary=f"{inp.clock.label} (due {long_date(inp.clock.due)}) {words}{because}",
                    data={"clock": inp.clock.key},
                )
            )
            audit.record(
                session,
                inp.actor,
                action=f"clock_{inp.change.value}",
                record_type="woman",
                record_id=inp.woman_id,
            )


def _plan(area: AreaRules, inp: PlanClocks, request: ClockRequest) -> Clock:
    due, basis = request.due, request.basis
    if due is None:
        if request.after is None or request.rule is None:
            raise ValueError(f"clock {request.deadline} needs a due date or a rule and a date")
        span = getattr(area, request.rule)
        if not isinstance(span, Span):
            raise ValueError(f"{request.rule} is not a span of time in the area's rules")
        due = WorkingCalendar(area).shift(request.after, span)
        basis = basis or f"{describe_span(span)} after {long_date(request.after)}"
    return Clock(
        key=f"{inp.woman_id}:{inp.scope}:{request.deadline}",
        deadline=request.deadline,
        label=request.label,
        due=due,
        basis=basis,
        # From the workflow's time when it gave it: a clock starting already overdue is a late
        # start (see rules.escalation), not every step at once.
        steps=plan_escalation(area, due, inp.at),
    )


async def _upsert_deadline(session: AsyncSession, inp: PlanClocks, clock: Clock) -> None:
    row = await session.scalar(select(Deadline).where(Deadline.key == clock.key))
    woman = await session.get(Woman, inp.woman_id)
    if woman is None:
        return  # her record is written first; a clock for an unknown woman is not kept
    if row is None or row.status not in ("met", "cancelled"):
        at = business_time(inp.at)
        await duty_clocks.plan_clock_duty(session, woman, inp.scope, clock, at)
    if row is None:
        session.add(
            Deadline(
                key=clock.key,
                woman_id=inp.woman_id,
                scope=inp.scope,
                deadline=clock.deadline,
                label=clock.label,
                due=clock.due,
                basis=clock.basis,
                status="pending",
            )
        )
        return
    if row.status in ("met", "late", "cancelled"):
        return
    row.due, row.basis, row.label = clock.due, clock.basis, clock.label
    row.updated_at = datetime.now(UTC)
