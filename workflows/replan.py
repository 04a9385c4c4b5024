"""Re-planning that reaches what is booked: when the current conference's latest date moves (a
new EDD, the birth, an extension), the conference itself learns it and a booked meeting now
after it is flagged on her record with a task for her worker; moved in time, the task is done.
Reminders need nothing here: they belong to the meeting and move with it. At the birth, the
pre-birth duties end with their reason or become their postnatal equivalents."""

from __future__ import annotations

from datetime import date

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.clock import ClockChange, ClockRequest, ClockStatus, ComputeDeadlines
    from forms.clocks import Deadline
    from forms.conference import LatestChange
    from forms.labels import label
    from forms.meeting import MeetingRef, MeetingStatus
    from forms.replan import BookedMeetingCheck, CheckBookedMeeting
    from rules.wording import long_date
    from workflows.options import act
    from workflows.pathway_base import PathwayBase

# Runs that began before re-planning reached booked meetings replay without the check.
REPLAN_PATCH = "pathway-replan-booked-meetings"
# Runs that recorded a birth before it replay without ending or re-planning pre-birth duties.
BIRTH_REPLAN_PATCH = "pathway-birth-replans-duties"
RUNNING = (ClockStatus.PENDING, ClockStatus.PAUSED)


class BookedReplan(PathwayBase):
    async def _conference_due(self) -> list[ClockRequest]:
        """The initial conference's deadline: by gestation before the birth; after it, within
        its postnatal clock (from the strategy discussion, or from the birth)."""
        deadlines: list[Deadline] = await act(
            acts.compute_deadlines,
            ComputeDeadlines(
                area=self._area_code,
                edd=self._state.edd,
                concern=self._state.concern_on,
                strategy_discussion=self._state.strategy_discussion_on,
                birth=self._state.birth_on,
            ),
        )
        due = next(d for d in deadlines if d.key == "conference_due")
        born = self._state.birth_on is not None
        return [
            ClockRequest(
                deadline="conference_due",
                label=label(
                    "conference_due_after_birth" if born else "conference_due", self._state.nation
                ),
                due=due.due,
                basis=due.basis,
            )
        ]

    async def _end_prebirth_duties(self) -> None:
        """At the birth: the pre-birth assessment ends with its reason; an initial conference
        not yet held becomes due within its postnatal clock, and its booking is checked."""
        born_on = self._state.birth_on
        if born_on is None or not workflow.patched(BIRTH_REPLAN_PATCH):
            return
        assessment = self._clockwork.find("prebirth_assessment")
        if assessment is not None and assessment.status in RUNNING:
            await self._clockwork.settle(
                assessment.key,
                ClockChange.CANCELLED,
                reason=f"her baby was born on {long_date(born_on)}, so the assessment "
                "continues under the plan for her baby",
            )
        conference = self._clockwork.find("conference_due")
        if conference is None or conference.status not in RUNNING:
            return
        await self._plan_clocks(await self._conference_due())
        clock = self._clockwork.require(conference.key)
        if self._state.conference_id is not None:
            await self._move_latest(clock.due, clock.basis, "her baby was born")

    async def _move_latest(self, latest: date, basis: str, why: str) -> None:
        """The current conference's latest date is now `latest`: tell it, check its booking."""
        self._state.conference_latest = latest
        if self._state.conference_id is not None:
            handle = workflow.get_external_workflow_handle(
                f"conference-{self._state.conference_id}"
            )
            born = self._state.birth_on is not None
            await handle.signal(
                "latest_changed", LatestChange(latest=latest, basis=basis, born=born)
            )
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
        found: BookedMeetingCheck = await act(
            acts.check_booked_meeting,
            CheckBookedMeeting(
                woman_id=self._state.woman_id,
                area=self._area_code,
                meeting=meeting,
                latest=latest,
                why=why,
                at=workflow.now(),
            ),
        )
        flagged, key = self._state.late_bookings, str(meeting.meeting_id)
        if found.late and key not in flagged:
            flagged.append(key)
        elif not found.late and key in flagged:
            flagged.remove(key)
