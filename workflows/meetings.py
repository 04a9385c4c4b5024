"""Meetings about her, scheduled, moved and cancelled through her pathway, which knows all her
meetings: it refuses clashes and late dates without a reason, and warns of a crowded week."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.advocacy import Trigger
    from forms.conference import MeetingChange
    from forms.labels import label
    from forms.meeting import (
        CancelMeeting,
        Invitee,
        MeetingHeld,
        MeetingKind,
        MeetingReceipt,
        MeetingRef,
        MeetingStatus,
        RecordMeeting,
        ScheduleMeeting,
        kind_fits_nation,
    )
    from rules.closed_days import refuse_closed_day
    from rules.meetings import clashes, is_short_notice, meetings_in_week
    from rules.uktime import uk_date
    from rules.wording import clock_time, long_date
    from workflows.options import act
    from workflows.replan import BookedReplan

CONFERENCE_KINDS = (MeetingKind.CONFERENCE, MeetingKind.REVIEW_CONFERENCE)
Change = Literal["scheduled", "rescheduled", "cancelled", "held"]


class MeetingCommands(BookedReplan):
    @workflow.update
    async def schedule_meeting(self, command: ScheduleMeeting) -> MeetingReceipt:
        """Schedule (or, with meeting_id, reschedule) a meeting; notices follow at once."""
        async with self._lock:
            self._check_schedule(command)
            details = command.details
            previous = self._state.meetings.get(str(command.meeting_id))
            ref = MeetingRef(
                meeting_id=command.meeting_id or workflow.uuid4(),
                kind=command.kind,
                starts_at=details.starts_at,
                ends_at=details.starts_at + timedelta(minutes=details.duration_minutes),
                details=details,
                sequence=previous.sequence + 1 if previous else 0,
                conference_id=self._state.conference_id
                if command.kind in CONFERENCE_KINDS
                else None,
            )
            warnings = self._warnings(command, ref)
            short = is_short_notice(
                details.starts_at,
                now=workflow.now(),
                minimum_notice_days=self.area.minimum_notice_days,
            )
            invitees = await self._record(
                ref, command, "rescheduled" if previous else "scheduled", short, command.late_reason
            )
            self._state.meetings[str(ref.meeting_id)] = ref
            await self._tell_conference(ref, invitees, command.late_reason)
            if str(ref.meeting_id) in self._state.late_bookings:
                await self._check_booking("the meeting was moved")
            if ref.conference_id is not None and previous is None:
                await self._offer_advocate(Trigger.CONFERENCE, str(ref.meeting_id), command.actor)
            if short:
                warnings.append("this is short notice: her advocate is told by the fastest way")
            return MeetingReceipt(
                meeting_id=ref.meeting_id, sequence=ref.sequence, warnings=warnings
            )

    @schedule_meeting.validator
    def _check_schedule(self, command: ScheduleMeeting) -> None:
        starts_at = command.details.starts_at
        if starts_at <= workflow.now():
            self._refuse("the meeting must be in the future")
        if command.meeting_id is not None:
            previous = self._state.meetings.get(str(command.meeting_id))
            if previous is None or previous.status is not MeetingStatus.SCHEDULED:
                self._refuse("there is no scheduled meeting with that id to move")
            elif previous.kind is not command.kind:
                self._refuse("a meeting cannot change its kind; cancel it and schedule another")
        if not kind_fits_nation(command.kind, self.area.nation):
            raise ApplicationError(
                "kind: a pre-proceedings meeting is part of England's Public Law Outline; in "
                "Scotland a Children's Hearing decides on compulsory measures",
                type="InvalidInput",
            )
        refuse_closed_day(self.area, command.kind, starts_at)
        if command.kind in CONFERENCE_KINDS:
            self._check_conference_date(command)
        for other in clashes(
            list(self._state.meetings.values()), starts_at, ignore=command.meeting_id
        ):
            self._refuse(
                f"she already has a {other.kind.value.replace('_', ' ')} that day at "
                f"{clock_time(other.starts_at)}: choose another day"
            )

    def _check_conference_date(self, command: ScheduleMeeting) -> None:
        # In her nation's words (a child protection planning meeting and an IRD in Scotland).
        meeting, discussion = (
            label("meeting", self.area.nation),
            label("discussion", self.area.nation),
        )
        if self._state.conference_id is None:
            self._refuse(f"there is no {meeting} to schedule: record the {discussion} first")
        if command.meeting_id is None and any(
            m.conference_id == self._state.conference_id and m.status is MeetingStatus.SCHEDULED
            for m in self._state.meetings.values()
        ):
            self._refuse(f"the {meeting} is already scheduled: reschedule it instead")
        latest = self._state.conference_latest
        day = uk_date(command.details.starts_at)
        if latest is not None and day > latest and command.late_reason is None:
            self._refuse(
                f"the {meeting} is due by {long_date(latest)}: choose an earlier date or record "
                "the reason it must be later"
            )

    def _warnings(self, command: ScheduleMeeting, ref: MeetingRef) -> list[str]:
        count = meetings_in_week(
            list(self._state.meetings.values()), ref.starts_at, ignore=command.meeting_id
        )
        if count >= self.area.busy_week_appointments:
            return [
                f"she already has {count} meetings that week: could any be combined or "
                "moved, or held nearer to her?"
            ]
        return []

    async def _record(
        self,
        ref: MeetingRef,
        command: ScheduleMeeting | CancelMeeting | MeetingHeld,
        change: Change,
        short: bool,
        reason: str | None,
    ) -> list[Invitee]:
        also = command.also_invite if isinstance(command, ScheduleMeeting) else []
        # Older runs never carried chosen invitees: only a command that names some is patched.
        if also and not workflow.patched("meeting-also-invite"):
            also = []
        invitees: list[Invitee] = await act(
            acts.record_meeting,
            RecordMeeting(
                woman_id=self._state.woman_id,
                meeting=ref,
                change=change,
                area=self._area_code,
                reason=reason,
                short_notice=short,
                actor=command.actor,
                at=workflow.now(),
                also_invite=also,
            ),
        )
        return invitees

    async def _tell_conference(
        self, ref: MeetingRef, invitees: list[Invitee], reason: str | None
    ) -> None:
        if ref.conference_id is None:
            return
        handle = workflow.get_external_workflow_handle(f"conference-{ref.conference_id}")
        await handle.signal(
            "meeting_changed",
            MeetingChange(meeting=ref, invitees=invitees, reason=reason, at=workflow.now()),
        )

    @workflow.update
    async def cancel_meeting(self, command: CancelMeeting) -> MeetingReceipt:
        """Cancel a meeting; everyone invited is told at once."""
        async with self._lock:
            self._check_cancel(command)
            previous = self._state.meetings[str(command.meeting_id)]
            ref = previous.model_copy(
                update={"status": MeetingStatus.CANCELLED, "sequence": previous.sequence + 1}
            )
            invitees = await self._record(ref, command, "cancelled", False, command.reason)
            self._state.meetings[str(ref.meeting_id)] = ref
            await self._tell_conference(ref, invitees, command.reason)
            return MeetingReceipt(meeting_id=ref.meeting_id, sequence=ref.sequence)

    @workflow.update
    async def record_meeting_held(self, command: MeetingHeld) -> MeetingReceipt:
        """The meeting took place (a pre-discharge meeting must have, before discharge)."""
        async with self._lock:
            self._check_held(command)
            previous = self._state.meetings[str(command.meeting_id)]
            ref = previous.model_copy(update={"status": MeetingStatus.HELD})
            await self._record(ref, command, "held", False, None)
            self._state.meetings[str(ref.meeting_id)] = ref
            if ref.kind is MeetingKind.PRE_DISCHARGE:
                await self._clockwork.meet("pre_discharge_meeting")
            if ref.kind is MeetingKind.CORE_GROUP:
                # A woman brought in with a plan: her first core group's clock (none else).
                await self._clockwork.meet("first_core_group", uk_date(ref.starts_at))
            return MeetingReceipt(meeting_id=ref.meeting_id, sequence=ref.sequence)

    @record_meeting_held.validator
    def _check_held(self, command: MeetingHeld) -> None:
        meeting = self._state.meetings.get(str(command.meeting_id))
        if meeting is None or meeting.status is not MeetingStatus.SCHEDULED:
            self._refuse("there is no scheduled meeting with that id")
        elif meeting.kind in CONFERENCE_KINDS:
            self._refuse("a conference is recorded through its outcome")
        elif meeting.starts_at > workflow.now():
            self._refuse("the meeting has not started yet")

    @cancel_meeting.validator
    def _check_cancel(self, command: CancelMeeting) -> None:
        meeting = self._state.meetings.get(str(command.meeting_id))
        if meeting is None or meeting.status is not MeetingStatus.SCHEDULED:
            self._refuse("there is no scheduled meeting with that id to cancel")
