"""A case conference, as a child workflow of her pathway: from the date being set, through
reports, the meeting, quorum and the decision, to the letter, minutes and first core group."""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.clock import (
        Clock,
        ClockChange,
        ClockRequest,
        ClockStatus,
        ComputeDeadlines,
        Escalation,
    )
    from forms.clocks import Deadline
    from forms.conference import (
        ChaseReports,
        ConferenceInput,
        ConferenceOutcome,
        ConferencePhase,
        ConferenceProgress,
        ConferenceState,
        LatestChange,
        MeetingChange,
        RecordConference,
        RecordConferenceDocument,
        RecordCoreGroup,
        RecordMinutes,
        RecordOutcome,
        RecordReport,
        SubmitReport,
    )
    from forms.labels import label
    from forms.meeting import MeetingStatus
    from forms.prebirth import RecordPathwayEvent
    from forms.transfer import AreaMoved
    from rules.quorum import check_quorum
    from rules.uktime import uk_date
    from rules.wording import long_date
    from workflows.clock_commands import ClockCommands
    from workflows.clockwork import Clockwork
    from workflows.conference_rules import check_outcome, review_key
    from workflows.options import act

BEFORE = ("notice_to_participants", "reports_to_woman")
AFTER = ("decision_letter", "minutes", "first_core_group")
DONE = (ConferencePhase.CLOSED, ConferencePhase.CANCELLED)


@workflow.defn(name="CaseConference")
class CaseConference(ClockCommands):
    """One conference; its commands are Updates, its meeting changes come from her pathway."""

    @workflow.init
    def __init__(self, inp: ConferenceInput) -> None:
        self._s = inp.state
        self._inp = inp
        self._area_code = inp.area.code
        self._clock_scope = f"conference:{inp.state.conference_id}"
        self._clockwork = Clockwork(inp.state.woman_id, inp.state.clocks)
        self._dirty = False
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, inp: ConferenceInput) -> None:
        await self._save()
        while self._s.phase not in DONE:
            self._dirty = False
            try:
                await workflow.wait_condition(
                    lambda: self._dirty or self._s.phase in DONE, timeout=self._clockwork.timeout()
                )
            except TimeoutError:
                pass
            for clock, step in await self._clockwork.fire_due():
                if clock.deadline == "reports_to_woman":
                    await self._chase(late=step.action is not Escalation.REMIND_OWNER)
        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._save()
        await self._tell_pathway(review_due=self._s.review_due)

    async def _save(self) -> None:
        await act(acts.record_conference, RecordConference(state=self._s))

    async def _tell_pathway(self, **fields: Any) -> None:
        parent = workflow.get_external_workflow_handle(self._inp.parent_id)
        fields.setdefault("meeting_id", self._s.meeting.meeting_id if self._s.meeting else None)
        await parent.signal(
            "conference_progress",
            ConferenceProgress(conference_id=self._s.conference_id, phase=self._s.phase, **fields),
        )

    async def _deadlines(self, **dates: Any) -> dict[str, Deadline]:
        found: list[Deadline] = await act(
            acts.compute_deadlines,
            ComputeDeadlines(
                area=self._area_code, edd=self._inp.edd, conference_kind=self._s.kind.value, **dates
            ),
        )
        return {d.key: d for d in found}

    async def _plan(self, deadlines: dict[str, Deadline], keys: tuple[str, ...]) -> None:
        nation = self._inp.area.nation
        requests = [
            ClockRequest(
                deadline=k, label=label(k, nation), due=deadlines[k].due, basis=deadlines[k].basis
            )
            for k in keys
            if k in deadlines
        ]
        await self._clockwork.plan(self._clock_scope, self._area_code, requests)
        self._dirty = True

    async def _cancel(self, keys: tuple[str, ...]) -> None:
        for key in keys:
            clock = self._clockwork.find(key)
            if clock is not None and clock.status.value in ("pending", "paused"):
                await self._clockwork.settle(clock.key, ClockChange.CANCELLED)

    @workflow.query
    def state(self) -> ConferenceState:
        return self._s

    @workflow.signal
    async def meeting_changed(self, change: MeetingChange) -> None:
        """Her pathway scheduled, moved or cancelled the meeting: clocks and reports follow."""
        async with self._lock:
            if change.meeting.status is MeetingStatus.CANCELLED:
                self._s.meeting, self._s.phase = None, ConferencePhase.TO_SCHEDULE
                await self._cancel(BEFORE)
            else:
                self._s.meeting, self._s.invitees = change.meeting, change.invitees
                self._s.phase = ConferencePhase.SCHEDULED
                day = uk_date(change.meeting.starts_at)
                await self._plan(await self._deadlines(conference=day), BEFORE)
                notice = self._clockwork.find("notice_to_participants")
                if notice is not None and uk_date(change.at) <= notice.due:
                    await self._clockwork.meet("notice_to_participants")
            await self._save()

    @workflow.signal
    async def latest_changed(self, change: LatestChange) -> None:
        self._s.statutory_latest, self._s.latest_basis = change.latest, change.basis
        if change.born:
            self._inp.unborn = False
        await self._save()

    @workflow.signal
    async def area_moved(self, move: AreaMoved) -> None:
        """Her record moved area: this conference's running clocks are named and counted
        under its rules (its quorum and words are that nation's from now on)."""
        async with self._lock:
            self._inp.area, self._area_code = move.area, move.area.code
            running = [
                c
                for c in self._clockwork.clocks.values()
                if c.status in (ClockStatus.PENDING, ClockStatus.PAUSED)
            ]
            meeting = self._s.meeting
            day = self._s.decided_on or (uk_date(meeting.starts_at) if meeting else None)
            counted = await self._deadlines(conference=day) if running and day else {}
            requests = [self._moved(c, counted.get(c.deadline)) for c in running]
            if requests:
                await self._clockwork.plan(self._clock_scope, self._area_code, requests)
            self._dirty = True
            await self._save()

    def _moved(self, clock: Clock, counted: Deadline | None) -> ClockRequest:
        key = "redate" if clock.deadline.startswith("redate_") else clock.deadline
        try:
            words = label(key, self._inp.area.nation)
        except KeyError:
            words = clock.label
        due, basis = (counted.due, counted.basis) if counted else (clock.due, clock.basis)
        return ClockRequest(deadline=clock.deadline, label=words, due=due, basis=basis)

    @workflow.update
    async def submit_report(self, report: SubmitReport) -> None:
        """An agency's report; late ones are flagged to the chair and her advocate."""
        clock = self._clockwork.find("reports_to_woman")
        late = clock is not None and uk_date(workflow.now()) > clock.due
        await act(
            acts.record_report,
            RecordReport(
                woman_id=self._s.woman_id,
                conference_id=self._s.conference_id,
                report=report,
                late=late,
                at=workflow.now(),
            ),
        )
        self._s.reports_received.append(report.organisation_id)
        if not self._outstanding():
            await self._clockwork.meet("reports_to_woman")
        self._dirty = True

    @submit_report.validator
    def _check_report(self, report: SubmitReport) -> None:
        if self._s.phase is not ConferencePhase.SCHEDULED:
            raise ApplicationError(
                "reports are taken once the conference is scheduled and before its decision",
                type="Refused",
            )
        owing = {i.organisation_id for i in self._s.invitees if i.owes_report}
        if report.organisation_id not in owing:
            raise ApplicationError("this agency is not asked for a report", type="Refused")
        if report.organisation_id in self._s.reports_received:
            raise ApplicationError("this agency's report is already in", type="Refused")

    def _outstanding(self) -> list[Any]:
        return [
            i
            for i in self._s.invitees
            if i.owes_report and i.organisation_id not in self._s.reports_received
        ]

    async def _chase(self, *, late: bool) -> None:
        clock = self._clockwork.find("reports_to_woman")
        if clock is None or not self._outstanding():
            return
        await act(
            acts.chase_reports,
            ChaseReports(
                woman_id=self._s.woman_id,
                conference_id=self._s.conference_id,
                outstanding=self._outstanding(),
                due=clock.due,
                late=late,
                at=workflow.now(),
            ),
        )

    @workflow.update
    async def record_outcome(self, outcome: ConferenceOutcome) -> ConferencePhase:
        """Attendance, quorum and the decision; an inquorate meeting must be re-dated."""
        async with self._lock:
            assert self._s.meeting is not None
            day = uk_date(self._s.meeting.starts_at)
            quorum = check_quorum(
                self._inp.area, outcome.attended_agencies, unborn=self._inp.unborn
            )
            deadlines = await self._deadlines(conference=day) if quorum.quorate else {}
            review = deadlines.get(review_key(self._s.kind)) if outcome.plan else None
            core_group = deadlines.get("first_core_group") if outcome.plan else None
            await act(
                acts.record_outcome,
                RecordOutcome(
                    woman_id=self._s.woman_id,
                    conference_id=self._s.conference_id,
                    meeting_id=self._s.meeting.meeting_id,
                    outcome=outcome,
                    quorate=quorum.quorate,
                    missing=quorum.missing,
                    decided_at=workflow.now(),
                    nation=self._inp.area.nation.value,
                    kind=self._s.kind,
                    held_on=day,
                    core_group_by=core_group.due if core_group else None,
                    review_by=review.due if review else None,
                ),
            )
            if not quorum.quorate:
                await self._inquorate(day)
            else:
                await self._decided(outcome, deadlines)
            await self._save()
            return self._s.phase

    @record_outcome.validator
    def _check_outcome(self, outcome: ConferenceOutcome) -> None:
        if self._s.phase is not ConferencePhase.SCHEDULED or self._s.meeting is None:
            raise ApplicationError("there is no scheduled conference to record", type="Refused")
        if uk_date(self._s.meeting.starts_at) > uk_date(workflow.now()):
            raise ApplicationError("the conference has not happened yet", type="Refused")
        check_outcome(self._inp.area.nation, outcome)

    async def _inquorate(self, day: Any) -> None:
        self._s.inquorate_count += 1
        self._s.phase = ConferencePhase.TO_SCHEDULE
        await self._cancel(BEFORE)
        await self._clockwork.plan(
            self._clock_scope,
            self._area_code,
            [
                ClockRequest(
                    deadline=f"redate_{self._s.inquorate_count}",
                    label=label("redate", self._inp.area.nation),
                    after=day,
                    rule="inquorate_redate_within",
                )
            ],
        )
        clock = self._clockwork.find(f"redate_{self._s.inquorate_count}")
        assert clock is not None
        assert self._s.meeting is not None
        meeting_id = self._s.meeting.meeting_id
        self._s.statutory_latest, self._s.meeting = clock.due, None
        self._dirty = True
        await self._tell_pathway(quorate=False, latest=clock.due, meeting_id=meeting_id)

    async def _decided(self, outcome: ConferenceOutcome, deadlines: dict[str, Deadline]) -> None:
        assert self._s.meeting is not None
        self._s.outcome, self._s.decided_on = outcome, uk_date(self._s.meeting.starts_at)
        self._s.phase = ConferencePhase.DECIDED
        for key in BEFORE:
            await self._clockwork.meet(key)
        for n in range(1, self._s.inquorate_count + 1):
            await self._clockwork.meet(f"redate_{n}")
        keys = AFTER if outcome.plan else AFTER[:2]
        await self._plan(deadlines, keys)
        await self._clockwork.meet("decision_letter")  # record_outcome issued the letter
        if outcome.plan:
            self._s.review_due = deadlines[review_key(self._s.kind)].due
        await self._tell_pathway(quorate=True, plan=outcome.plan)

    @workflow.update
    async def record_minutes(self, command: RecordMinutes) -> None:
        """The minutes are written and shared."""
        await act(
            acts.record_conference_document,
            RecordConferenceDocument(
                woman_id=self._s.woman_id,
                conference_id=self._s.conference_id,
                kind="minutes",
                text=command.text,
                actor=command.actor,
                at=workflow.now(),
            ),
        )
        self._s.minutes_recorded = True
        await self._clockwork.meet("minutes")
        self._maybe_close()

    @record_minutes.validator
    def _check_minutes(self, command: RecordMinutes) -> None:
        if self._s.phase is not ConferencePhase.DECIDED or self._s.minutes_recorded:
            raise ApplicationError(label("minutes_once", self._inp.area.nation), type="Refused")

    @workflow.update
    async def record_core_group(self, command: RecordCoreGroup) -> None:
        """The first core group has met."""
        await act(
            acts.record_pathway_event,
            RecordPathwayEvent(
                woman_id=self._s.woman_id,
                event_key=f"{self._s.woman_id}:conference:{self._s.conference_id}:core_group",
                kind="core_group_held",
                summary=f"First core group held on {long_date(command.held_on)}",
                at=workflow.now(),
                actor=command.actor,
            ),
        )
        self._s.core_group_held = True
        await self._clockwork.meet("first_core_group")
        self._maybe_close()

    @record_core_group.validator
    def _check_core_group(self, command: RecordCoreGroup) -> None:
        plan = self._s.outcome.plan if self._s.outcome else None
        if self._s.phase is not ConferencePhase.DECIDED or not plan or self._s.core_group_held:
            raise ApplicationError(
                "a first core group follows a decision to make a plan", type="Refused"
            )
        if self._s.decided_on and command.held_on < self._s.decided_on:
            raise ApplicationError("the core group cannot be before the conference", type="Refused")
        if command.held_on > uk_date(workflow.now()):
            raise ApplicationError("the core group date is in the future", type="Refused")

    def _maybe_close(self) -> None:
        plan = self._s.outcome.plan if self._s.outcome else None
        if self._s.minutes_recorded and (not plan or self._s.core_group_held):
            self._s.phase = ConferencePhase.CLOSED
        self._dirty = True
