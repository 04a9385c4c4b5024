"""The woman's pathway: one durable workflow per woman, owning her journey from referral on.

Commands from people arrive as Updates (validators refuse impossible ones before anything is
written); the run loop sleeps until the next clock step, a command, or the end of her pathway.
"""

from __future__ import annotations

import uuid
from datetime import date

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.area import AreaRules
    from forms.birth import Placement
    from forms.conference import ConferenceKind, ConferencePhase, ConferenceProgress
    from forms.labels import label
    from forms.meeting import MeetingStatus
    from forms.pathway import (
        ALLOWED_DECISIONS,
        DECISION_STAGE,
        ConfirmIntake,
        PathwayInput,
        PathwayResult,
        PathwayState,
        RecordReferral,
        RecordScreening,
        ReopenCase,
        ScreeningCommand,
        ScreeningDecision,
        ScreeningOutcome,
        Stage,
    )
    from forms.referral import ReferralReceipt
    from rules.uktime import uk_date
    from workflows import search
    from workflows.birth import BirthAndPlacement
    from workflows.clock_commands import ClockCommands
    from workflows.contact import ContactRequests
    from workflows.intake import FurtherReferrals
    from workflows.meetings import MeetingCommands
    from workflows.merging import RecordMerging
    from workflows.onboard import BroughtIn
    from workflows.options import DB_RETRY, DB_TIMEOUT, act
    from workflows.prebirth import PLANNING_STAGES, PrebirthPlanning
    from workflows.transfer import AreaTransfer

# An outcome recorded after the birth sets her stage as it does before (a plan, or none).
POSTNATAL_OUTCOME_PATCH = "pathway-postnatal-outcome-stage"
# A referral in one workflow task: her area's rules come with her start input (intake reads
# them) instead of from an activity, and her referral is recorded by a local activity.
INTAKE_IN_ONE_TASK_PATCH = "pathway-intake-in-one-task"


def workflow_id(woman_id: object) -> str:
    """Her pathway's workflow id: opaque, holding nothing personal."""
    return f"pathway-{woman_id}"


def is_pathway(process_id: str) -> bool:
    """Whether this workflow id is a woman's pathway's."""
    return process_id.startswith("pathway-")


def woman_of(process_id: str) -> uuid.UUID:
    """Whose pathway this workflow id is (the opaque id of her record)."""
    return uuid.UUID(process_id.removeprefix("pathway-"))


@workflow.defn(name="WomanPathway")
class WomanPathway(
    AreaTransfer,
    BroughtIn,
    PrebirthPlanning,
    MeetingCommands,
    BirthAndPlacement,
    ContactRequests,
    ClockCommands,
    FurtherReferrals,
    RecordMerging,
):
    """Owns one woman's journey; commands arrive as validated Updates."""

    @workflow.init
    def __init__(self, inp: PathwayInput) -> None:
        super().__init__(inp)

    @workflow.run
    async def run(self, inp: PathwayInput) -> PathwayResult:
        self._area = await self._area_rules(inp)
        if not self._state.recorded:
            await self._record_referral(inp)
        if inp.reopen is not None and self._state.stage is Stage.CLOSED:
            await self._reopen(inp.reopen)
        if inp.onboard is not None:
            await self._bring_in(inp.onboard)
        while not self._finished(inp):
            self._dirty = False
            try:
                await workflow.wait_condition(
                    lambda: self._dirty or self._finished(inp), timeout=self._clockwork.timeout()
                )
            except TimeoutError:
                pass  # the next clock step is due
            await self._clockwork.fire_due()
        # Never continue or finish with a command half-handled.
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self._state.stage is not Stage.CLOSED:
            workflow.continue_as_new(
                PathwayInput(state=self._state, history_event_limit=inp.history_event_limit)
            )
        return PathwayResult(woman_id=self._state.woman_id, stage=self._state.stage)

    async def _area_rules(self, inp: PathwayInput) -> AreaRules:
        """The rules sent with her start (guarded: older runs replay the activity they made),
        else as the `load_area_rules` activity reads them now."""
        rules = inp.area_rules
        if rules is not None and workflow.patched(INTAKE_IN_ONE_TASK_PATCH):
            self._in_one_task = True
            return rules
        return await act(
            acts.load_area_rules,
            self._area_code,
        )

    async def _record_referral(self, inp: PathwayInput) -> None:
        if inp.referral is None or inp.referral_actor is None:
            raise ApplicationError("a new pathway needs its referral", non_retryable=True)
        record = RecordReferral(
            woman_id=self._state.woman_id,
            referral_id=self._state.referral_id,
            referral=inp.referral,
            actor=inp.referral_actor,
            received_at=workflow.now(),
        )
        if self._in_one_task:
            # In her first workflow task (no activity task's round trips): the referrer waits
            # on this write alone, which is keyed by her referral and so safe to repeat.
            await workflow.execute_local_activity(
                acts.record_referral,
                record,
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
        else:
            await act(
                acts.record_referral,
                record,
            )
        self._state.recorded = True
        workflow.upsert_search_attributes(
            [
                search.STAGE.value_set(self._state.stage.value),
                search.AREA.value_set(self._area_code),
            ]
        )

    def _finished(self, inp: PathwayInput) -> bool:
        return self._state.stage is Stage.CLOSED or self._history_full(inp)

    def _history_full(self, inp: PathwayInput) -> bool:
        info = workflow.info()
        return (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() >= inp.history_event_limit
        )

    @workflow.query
    def state(self) -> PathwayState:
        return self._state

    @workflow.update
    async def confirm_intake(self, command: ConfirmIntake) -> ReferralReceipt:
        """Answers the referrer once her referral is on record (sent with the start)."""
        await workflow.wait_condition(lambda: self._state.recorded)
        return ReferralReceipt(
            woman_id=self._state.woman_id,
            referral_id=self._state.referral_id,
            stage=self._state.stage.value,
        )

    @confirm_intake.validator
    def _check_intake(self, command: ConfirmIntake) -> None:
        if command.intake_fingerprint != self._state.intake_fingerprint:
            raise ApplicationError(
                "this Idempotency-Key was already used for a different referral",
                type="IdempotencyConflict",
            )

    async def _reopen(self, command: ReopenCase) -> None:
        """Back to screening, or, after the birth, to where her baby is."""
        stage = Stage.SCREENING
        if self._state.babies:
            in_care = any(b.placement is Placement.CARE for b in self._state.babies.values())
            stage = Stage.BABY_IN_CARE if in_care else Stage.POSTNATAL
        await self._move_to(stage, f"Her case was reopened: {command.reason}", command.actor)

    @workflow.update
    async def confirm_reopen(self) -> Stage:
        """Answers the person who reopened her case once it is open again."""
        await workflow.wait_condition(lambda: self._state.stage is not Stage.CLOSED)
        return self._state.stage

    @workflow.update
    async def record_screening(self, command: ScreeningCommand) -> ScreeningOutcome:
        """A social worker's screening decision moves her to the matching stage."""
        async with self._lock:
            # Re-check under the lock: two decisions may have passed validation together.
            self._check_screening(command)
            new_stage = DECISION_STAGE[command.decision]
            decided_at = workflow.now()
            await act(
                acts.record_screening,
                RecordScreening(
                    woman_id=self._state.woman_id,
                    referral_id=self._state.referral_id,
                    sequence=self._state.screening_count + 1,
                    command=command,
                    new_stage=new_stage,
                    decided_at=decided_at,
                ),
            )
            self._state.screening_count += 1
            self._state.stage = new_stage
            workflow.upsert_search_attributes([search.STAGE.value_set(new_stage.value)])
            if new_stage in PLANNING_STAGES:
                await self._start_planning()
            self._dirty = True
            return ScreeningOutcome(stage=new_stage, decided_at=decided_at)

    @record_screening.validator
    def _check_screening(self, command: ScreeningCommand) -> None:
        if not self._state.recorded:
            raise ApplicationError(
                "the referral is still being recorded; try again in a moment", type="NotReady"
            )
        allowed = ALLOWED_DECISIONS.get(self._state.stage, frozenset())
        if command.decision not in allowed:
            raise ApplicationError(
                f"a screening decision of '{command.decision.value}' cannot be recorded "
                f"while her pathway is at '{self._state.stage.value}'",
                type="InvalidTransition",
            )
        if (
            command.decision is ScreeningDecision.STRATEGY_DISCUSSION
            and self._state.strategy_discussion_on is not None
        ):
            # After one that decided on an assessment only, her stage is the assessment again.
            raise ApplicationError(
                f"the {label('discussion', self._state.nation)} is already recorded",
                type="InvalidTransition",
            )

    def _mark_meeting(self, progress: ConferenceProgress) -> None:
        """Her list of meetings learns that the conference met (or could not decide)."""
        meeting = self._state.meetings.get(str(progress.meeting_id))
        if meeting is None or progress.quorate is None:
            return
        status = MeetingStatus.HELD if progress.quorate else MeetingStatus.INQUORATE
        self._state.meetings[str(progress.meeting_id)] = meeting.model_copy(
            update={"status": status}
        )

    def _held_on(self, progress: ConferenceProgress) -> date | None:
        meeting = self._state.meetings.get(str(progress.meeting_id))
        return uk_date(meeting.starts_at) if meeting is not None else None

    def _outcome_sets_stage(self) -> bool:
        """Before the birth always; after it too (guarded: older runs replay without it),
        unless her baby is in care, which her stage must keep saying."""
        if self._state.birth_on is None:
            return True
        return self._state.stage is not Stage.BABY_IN_CARE and workflow.patched(
            POSTNATAL_OUTCOME_PATCH
        )

    @workflow.signal
    async def conference_progress(self, progress: ConferenceProgress) -> None:
        """From her conference: decided (the conference clock is met), re-dated, or closed."""
        async with self._lock:
            if progress.latest is not None:
                self._state.conference_latest = progress.latest
            self._mark_meeting(progress)
            if progress.phase is ConferencePhase.DECIDED:
                self._state.conferences_held += 1
                self._state.plan_made = bool(progress.plan)
                self._state.last_conference_on = self.today()
                await self._clockwork.meet("conference_due", self._held_on(progress))
                # A woman brought in with a plan: her review conference's clock (none else).
                await self._clockwork.meet("first_review", self._held_on(progress))
                if self._outcome_sets_stage():
                    plan = Stage.CHILD_PROTECTION_PLAN
                    stage = plan if progress.plan else Stage.SUPPORT_WITHOUT_PLAN
                    await self._move_to(stage, "The conference made its decision")
            if progress.phase is ConferencePhase.CLOSED and progress.review_due is not None:
                await self._start_conference(ConferenceKind.REVIEW, progress.review_due)
            self._dirty = True
