"""The clocks a workflow watches, woken by one timer at a time, with their escalation chain.

Due dates and escalation times are computed by activities (bank-holiday data can change with a
library upgrade; recorded activity results keep replay stable). The workflow only compares times.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.clock import (
        Clock,
        ClockChange,
        ClockRequest,
        ClockStatus,
        ClockStep,
        EscalateClock,
        PlanClocks,
        RecordClockChange,
    )
    from forms.common import Actor
    from forms.onboard import OverdueOnArrival
    from rules.wording import long_date
    from workflows.options import act

# A clock in one of these states is finished and is never replaced by re-planning.
SETTLED = (ClockStatus.MET, ClockStatus.LATE, ClockStatus.CANCELLED)
# Re-planning a clock whose due date is unchanged keeps its escalation chain as first planned
# (with what has already run): a chain planned from the time it started (a late start) must not
# become a different one because it is re-planned later. Guarded: runs that began before it
# replay the old way, re-running past steps (which the escalation activity ignores by its key).
KEEP_STEPS_PATCH = "clockwork-replan-keeps-steps"


class Clockwork:
    """Holds a workflow's clocks (by key) and runs their due escalation steps."""

    def __init__(self, woman_id: UUID, clocks: dict[str, Clock]) -> None:
        self.woman_id = woman_id
        self.clocks = clocks

    def next_wake(self) -> datetime | None:
        """When the next escalation step is due, if any clock is running."""
        times = [step.at for clock, step in self._pending_steps()]
        return min(times) if times else None

    def timeout(self) -> timedelta | None:
        wake = self.next_wake()
        if wake is None:
            return None
        return max(wake - workflow.now(), timedelta(milliseconds=1))

    def _pending_steps(self) -> list[tuple[Clock, ClockStep]]:
        return [
            (clock, step)
            for clock in self.clocks.values()
            if clock.status is ClockStatus.PENDING
            for step in clock.steps
            if not step.done
        ]

    async def fire_due(self) -> list[tuple[Clock, ClockStep]]:
        """Run every escalation step whose time has come, in time order; returns them."""
        now = workflow.now()
        due = sorted(
            ((c, s) for c, s in self._pending_steps() if s.at <= now), key=lambda cs: cs[1].at
        )
        for clock, step in due:
            await act(
                acts.escalate_clock,
                EscalateClock(
                    woman_id=self.woman_id, clock=clock, action=step.action, at=workflow.now()
                ),
            )
            step.done = True
        return due

    async def plan(self, scope: str, area: str, requests: list[ClockRequest]) -> None:
        """(Re)plan clocks; settled ones stay settled, paused ones stay paused."""
        planned: list[Clock] = await act(
            acts.plan_clocks,
            PlanClocks(
                woman_id=self.woman_id,
                scope=scope,
                area=area,
                requests=requests,
                at=workflow.now(),
            ),
        )
        for clock in planned:
            current = self.clocks.get(clock.key)
            if current is not None and current.status in SETTLED:
                continue
            if current is not None and current.status is ClockStatus.PAUSED:
                clock.status, clock.note = ClockStatus.PAUSED, current.note
            if (
                current is not None
                and current.due == clock.due
                and workflow.patched(KEEP_STEPS_PATCH)
            ):
                clock.steps = current.steps
            self.clocks[clock.key] = clock

    def find(self, deadline: str) -> Clock | None:
        return next((c for c in self.clocks.values() if c.deadline == deadline), None)

    def require(self, key: str) -> Clock:
        clock = self.clocks.get(key)
        if clock is None:
            raise ApplicationError(f"there is no clock '{key}' here", type="Refused")
        return clock

    async def settle(
        self,
        key: str,
        change: ClockChange,
        *,
        reason: str | None = None,
        actor: Actor | None = None,
    ) -> None:
        """Record a change of state (met, paused, resumed, extended, cancelled) on her record."""
        clock = self.require(key)
        clock.status = {
            ClockChange.MET: ClockStatus.MET,
            ClockChange.LATE: ClockStatus.LATE,
            ClockChange.PAUSED: ClockStatus.PAUSED,
            ClockChange.RESUMED: ClockStatus.PENDING,
            ClockChange.EXTENDED: ClockStatus.PENDING,
            ClockChange.CANCELLED: ClockStatus.CANCELLED,
        }[change]
        clock.note = reason if reason else clock.note
        await act(
            acts.record_clock_change,
            RecordClockChange(
                woman_id=self.woman_id,
                clock=clock,
                change=change,
                reason=reason,
                actor=actor,
                at=workflow.now(),
            ),
        )

    async def arrive(self, team_id: UUID, today: date) -> None:
        """Her clocks as planned when she was brought in from an area's records: a step already
        past tells nobody about the past (it is marked done); her team gets a task for each
        duty already overdue instead, and the deadline stays open and overdue on record."""
        now = workflow.now()
        overdue = [
            c for c in self.clocks.values() if c.status is ClockStatus.PENDING and c.due < today
        ]
        for clock in self.clocks.values():
            for step in clock.steps:
                step.done = step.done or step.at <= now
        if overdue:
            await act(
                acts.record_overdue_on_arrival,
                OverdueOnArrival(woman_id=self.woman_id, team_id=team_id, clocks=overdue),
            )

    async def meet(self, deadline: str, on: date | None = None) -> None:
        """The thing the clock watched has happened (`on` that day, if known): after the
        due date it is late, never met."""
        clock = self.find(deadline)
        if clock is None or clock.status in SETTLED:
            return
        if on is not None and on > clock.due:
            await self.settle(
                clock.key, ClockChange.LATE, reason=f"it was on {long_date(on)}, after its due date"
            )
        else:
            await self.settle(clock.key, ClockChange.MET)
