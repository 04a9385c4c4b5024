"""Pausing, resuming and extending a clock: Updates shared by every workflow that has clocks.
Each needs a recorded reason; each is on her record."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from forms.clock import Clock, ClockChange, ClockRequest, ClockStatus, ExtendClock, PauseClock
    from rules.wording import long_date
    from workflows.clockwork import Clockwork


class ClockCommands:
    """Mixed into a workflow that sets self._clockwork, self._clock_scope and self._area_code."""

    _clockwork: Clockwork
    _clock_scope: str
    _area_code: str
    _dirty: bool

    @workflow.update
    async def pause_clock(self, command: PauseClock) -> Clock:
        """Stop a clock's reminders and escalations until it is resumed."""
        await self._clockwork.settle(
            command.key, ClockChange.PAUSED, reason=command.reason, actor=command.actor
        )
        self._dirty = True
        return self._clockwork.require(command.key)

    @pause_clock.validator
    def _check_pause(self, command: PauseClock) -> None:
        if self._clockwork.require(command.key).status is not ClockStatus.PENDING:
            raise ApplicationError("only a running clock can be paused", type="Refused")

    @workflow.update
    async def resume_clock(self, command: PauseClock) -> Clock:
        """Restart a paused clock; steps whose time has passed run at once."""
        await self._clockwork.settle(
            command.key, ClockChange.RESUMED, reason=command.reason, actor=command.actor
        )
        self._dirty = True
        return self._clockwork.require(command.key)

    @resume_clock.validator
    def _check_resume(self, command: PauseClock) -> None:
        if self._clockwork.require(command.key).status is not ClockStatus.PAUSED:
            raise ApplicationError("only a paused clock can be resumed", type="Refused")

    @workflow.update
    async def extend_clock(self, command: ExtendClock) -> Clock:
        """Move a clock's due date later, with the reason on record; escalations follow."""
        clock = self._clockwork.require(command.key)
        previous = clock.due
        request = ClockRequest(
            deadline=clock.deadline,
            label=clock.label,
            due=command.new_due,
            basis=f"extended from {long_date(previous)}: {command.reason}",
        )
        await self._clockwork.plan(self._clock_scope, self._area_code, [request])
        await self._clockwork.settle(
            command.key, ClockChange.EXTENDED, reason=command.reason, actor=command.actor
        )
        await self._clock_moved(self._clockwork.require(command.key))
        self._dirty = True
        return self._clockwork.require(command.key)

    async def _clock_moved(self, clock: Clock) -> None:
        """What else follows a clock's new due date (nothing, unless a workflow says so)."""

    @extend_clock.validator
    def _check_extend(self, command: ExtendClock) -> None:
        clock = self._clockwork.require(command.key)
        if clock.status not in (ClockStatus.PENDING, ClockStatus.PAUSED):
            raise ApplicationError("only a running or paused clock can be extended", type="Refused")
        if command.new_due <= clock.due:
            raise ApplicationError(
                f"the new date must be after the current one ({long_date(clock.due)})",
                type="Refused",
            )
