"""Pre-birth planning: the care co-ordinator, the assessment and its deadline, the information
pack, the strategy discussion, the conference deadline, and EDD changes that move every clock."""

from __future__ import annotations

from datetime import date

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.clock import Clock, ClockRequest, ClockStatus
    from forms.conference import ConferenceInput, ConferenceKind, ConferenceState
    from forms.labels import label
    from forms.pathway import Stage
    from forms.prebirth import (
        AssignCoordinator,
        ChangeEdd,
        RecordAssessment,
        RecordStrategyDiscussion,
        StrategyOutcome,
    )
    from forms.referral import EDD_FURTHEST_AHEAD, EDD_OVERDUE_ALLOWED
    from rules.wording import long_date
    from workflows.options import act
    from workflows.replan import REPLAN_PATCH, BookedReplan

PLANNING_STAGES = (Stage.PRE_BIRTH_ASSESSMENT, Stage.STRATEGY_DISCUSSION)
# A strategy discussion / IRD that decides on an assessment only moves her back to the pre-birth
# assessment (runs recorded before this stayed at the strategy discussion).
ASSESSMENT_ONLY_PATCH = "pathway-assessment-only-stage"


class PrebirthPlanning(BookedReplan):
    async def _start_planning(self) -> None:
        """On a decision for an assessment or a strategy discussion: clocks and her pack."""
        if self._state.planning_started:
            return
        self._state.planning_started = True
        self._state.concern_on = self._state.concern_on or self.today()
        requests = [
            ClockRequest(
                deadline="prebirth_assessment",
                label="Pre-birth assessment completed",
                after=self.today(),
                rule="prebirth_assessment_within",
            ),
        ]
        if self._state.stage is Stage.STRATEGY_DISCUSSION:
            requests.append(
                ClockRequest(
                    deadline="strategy_discussion",
                    label=label("strategy_discussion", self._state.nation),
                    after=self._state.concern_on,
                    rule="strategy_discussion_after_concern",
                )
            )
        await self._plan_clocks(requests + await self._conference_due())
        await act(
            acts.issue_information_pack,
            self._state.woman_id,
        )

    @workflow.update
    async def assign_coordinator(self, command: AssignCoordinator) -> None:
        """Name her care co-ordinator (checked to be a social worker by the API)."""
        self._state.coordinator_id = command.user_id
        await self._event(
            f"coordinator:{command.user_id}:{workflow.now().isoformat()}",
            "coordinator_assigned",
            "Care co-ordinator named",
            command.actor,
            coordinator_id=command.user_id,
        )

    @assign_coordinator.validator
    def _check_coordinator(self, command: AssignCoordinator) -> None:
        if self._state.stage is Stage.CLOSED:
            self._refuse("her pathway is closed")

    @workflow.update
    async def record_assessment(self, command: RecordAssessment) -> None:
        """The pre-birth assessment is complete: its clock is met."""
        await self._event(
            "assessment:completed",
            "assessment_completed",
            f"Pre-birth assessment completed on {long_date(command.completed_on)}",
            command.actor,
        )
        await self._clockwork.meet("prebirth_assessment")
        self._dirty = True

    @record_assessment.validator
    def _check_assessment(self, command: RecordAssessment) -> None:
        clock = self._clockwork.find("prebirth_assessment")
        if clock is None or clock.status.value in ("met", "cancelled"):
            self._refuse("there is no pre-birth assessment in progress")
        if command.completed_on > self.today():
            self._refuse("the completion date is in the future")

    @workflow.update
    async def record_strategy_discussion(self, command: RecordStrategyDiscussion) -> Stage:
        """Record the strategy discussion / IRD; a decision to confer starts the conference."""
        async with self._lock:
            # Re-check under the lock: two recordings may have passed validation together.
            self._check_strategy(command)
            self._state.strategy_discussion_on = command.held_on
            if command.concern_on is not None:
                self._state.concern_on = command.concern_on
            await self._event(
                "strategy_discussion",
                "strategy_discussion",
                f"{label('strategy_discussion_event', self._state.nation)} on "
                f"{long_date(command.held_on)}",
                command.actor,
            )
            await self._clockwork.meet("strategy_discussion")
            if command.outcome is StrategyOutcome.CONFERENCE:
                await self._plan_clocks(await self._conference_due())
                await self._move_to(
                    Stage.CONFERENCE,
                    label("conference_to_be_held", self._state.nation),
                    command.actor,
                )
                await self._start_conference(ConferenceKind.INITIAL)
            elif workflow.patched(ASSESSMENT_ONLY_PATCH):
                await self._move_to(
                    Stage.PRE_BIRTH_ASSESSMENT,
                    label("assessment_only", self._state.nation),
                    command.actor,
                )
            return self._state.stage

    @record_strategy_discussion.validator
    def _check_strategy(self, command: RecordStrategyDiscussion) -> None:
        discussion = label("discussion", self._state.nation)  # an IRD in Scotland
        if self._state.stage not in PLANNING_STAGES:
            self._refuse(f"a {discussion} cannot be recorded at '{self._state.stage.value}'")
        if self._state.strategy_discussion_on is not None:
            self._refuse(f"the {discussion} is already recorded")
        if command.held_on > self.today():
            self._refuse(f"the {discussion} date is in the future")
        if command.concern_on is not None and command.concern_on > command.held_on:
            self._refuse(f"the concern cannot be after the {discussion}")

    async def _start_conference(self, kind: ConferenceKind, latest: date | None = None) -> None:
        clock = self._clockwork.find("conference_due")
        if kind is ConferenceKind.INITIAL and clock is not None:
            latest = clock.due
        conference_id = workflow.uuid4()
        self._state.conference_id = conference_id
        self._state.conference_latest = latest
        state = ConferenceState(
            conference_id=conference_id,
            woman_id=self._state.woman_id,
            kind=kind,
            statutory_latest=latest,
            latest_basis=clock.basis if clock and kind is ConferenceKind.INITIAL else "",
        )
        await workflow.start_child_workflow(
            "CaseConference",
            ConferenceInput(
                state=state,
                area=self.area,
                edd=self._state.edd,
                parent_id=workflow.info().workflow_id,
                unborn=self._state.birth_on is None,
            ),
            id=f"conference-{conference_id}",
            # Her pathway may continue-as-new while a conference runs: the conference goes on.
            parent_close_policy=ParentClosePolicy.ABANDON,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )

    @workflow.update
    async def change_edd(self, command: ChangeEdd) -> None:
        """A new EDD: every pending clock that depends on it is recomputed, timers follow."""
        async with self._lock:
            previous = self._state.edd
            self._state.edd = command.edd
            await self._event(
                f"edd:{command.edd.isoformat()}:{workflow.now().isoformat()}",
                "edd_changed",
                f"EDD changed from {long_date(previous)} to {long_date(command.edd)}: "
                f"{command.reason}",
                command.actor,
                edd=command.edd,
            )
            if self._state.planning_started:
                await self._plan_clocks(await self._conference_due())
            clock = self._clockwork.find("conference_due")
            # Only the initial conference's deadline follows the EDD; once it is met, the
            # current conference is a review with dates of its own.
            if (
                self._state.conference_id is not None
                and clock is not None
                and clock.status in (ClockStatus.PENDING, ClockStatus.PAUSED)
            ):
                why = f"her due date changed to {long_date(command.edd)}"
                await self._move_latest(clock.due, clock.basis, why)

    async def _clock_moved(self, clock: Clock) -> None:
        """An extended conference deadline moves the conference's latest date with it."""
        if (
            clock.deadline == "conference_due"
            and self._state.conference_id is not None
            and workflow.patched(REPLAN_PATCH)
        ):
            await self._move_latest(clock.due, clock.basis, "its deadline was extended")

    @change_edd.validator
    def _check_edd(self, command: ChangeEdd) -> None:
        today = self.today()
        if command.edd < today - EDD_OVERDUE_ALLOWED or command.edd > today + EDD_FURTHEST_AHEAD:
            # Bad input, not a conflict with her pathway: a 422 naming the field.
            raise ApplicationError(
                "edd: the EDD must be between 14 days ago and 45 weeks from today",
                type="InvalidInput",
            )
        if self._state.birth_on is not None:
            self._refuse("edd: her baby is born, so her due date no longer changes")
        if command.edd == self._state.edd:
            self._refuse("that is already her EDD")
        if self._state.stage is Stage.CLOSED:
            self._refuse("her pathway is closed")
