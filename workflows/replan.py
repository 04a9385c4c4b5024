"""Re-planning that reaches what is booked: when the current conference's latest date moves (a
new EDD, the birth, an extension), the conference itself learns it and a booked meeting now
after it is flagged on her record with a task for her worker; moved in time, the task is done.
Reminders need nothing here: they belong to the meeting and move with it."""

from __future__ import annotations

from datetime import date

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from forms.conference import LatestChange
    from forms.meeting import MeetingRef, MeetingStatus
    from forms.replan import BookedMeetingCheck, CheckBookedMeeting
    from workflows.options import DB_RETRY, DB_TIMEOUT
    from workflows.pathway_base import PathwayBase

# Runs that began before re-planning reached booked meetings replay without the check.
REPLAN_PATCH = "pathway-replan-booked-meetings"


class BookedReplan(PathwayBase):
    async def _move_latest(self, latest: date, basis: str, why: str) -> None:
        """The current conference's latest date is now `latest`: tell it, check its booking."""
        self._state.conference_latest = latest
        if self._state.conference_id is not None:
            handle = workflow.get_external_workflow_handle(
                f"conference-{self._state.conference_id}"
            )
            await handle.signal("latest_changed", LatestChange(latest=latest, basis=basis))
        await self._check_booking(why)

    def _booked_conference(self) -> MeetingRef | None:
        return next(
            (
                m
                for m in self._state.meetings.values()
                if m.conference_id is not None
                and m.conference_id == self._state.conference_id
                and m.status is MeetingStatus.SCHEDULED
            ),
            None,
        )

    async def _check_booking(self, why: str) -> None:
        """A booked conference after its latest date: a warning and a task (once per date)."""
        meeting = self._booked_conference()
        latest = self._state.conference_latest
        if meeting is None or latest is None or not workflow.patched(REPLAN_PATCH):
            return
        found: BookedMeetingCheck = await workflow.execute_activity(
            "check_booked_meeting",
            CheckBookedMeeting(
                woman_id=self._state.woman_id,
                area=self._area_code,
                meeting=meeting,
                latest=latest,
                why=why,
                at=workflow.now(),
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
            result_type=BookedMeetingCheck,
        )
        flagged, key = self._state.late_bookings, str(meeting.meeting_id)
        if found.late and key not in flagged:
            flagged.append(key)
        elif not found.late and key in flagged:
            flagged.remove(key)
