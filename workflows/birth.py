"""Birth, placement and discharge on her pathway. A move of her baby into care is a removal:
at once her advocate is ensured, her own support episode opens, messages to her become
mother-only, and the staff involved are offered restorative supervision."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any, NamedTuple

from temporalio import workflow
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.advocacy import AllocationInput, RemovalHappened, Trigger, allocation_workflow_id
    from forms.birth import (
        BabyLocation,
        BabyState,
        CloseCase,
        Exposure,
        MoveBaby,
        Placement,
        RecordBabyEvent,
        RecordBirth,
        RecordDischarge,
        RecordPlacement,
        basis_fits_nation,
    )
    from forms.clock import ClockRequest, ComputeDeadlines
    from forms.clocks import Deadline
    from forms.common import Actor, Role
    from forms.meeting import MeetingKind, MeetingStatus
    from forms.pathway import BringIn, Stage
    from forms.support import SupportInput, SupportState
    from rules.uktime import uk_date
    from rules.wording import long_date
    from workflows.options import act
    from workflows.replan import BIRTH_REPLAN_PATCH, BookedReplan
    from workflows.support import episode_id_for


class PreDischargeDuty(NamedTuple):
    clock: ClockRequest
    task: dict[str, Any]


OPEN_STAGES = (
    Stage.POSTNATAL,
    Stage.BABY_IN_CARE,
    Stage.CHILD_PROTECTION_PLAN,
    Stage.SUPPORT_WITHOUT_PLAN,
    Stage.EARLY_HELP,
)


class BirthAndPlacement(BookedReplan):
    @workflow.update
    async def record_birth(self, command: RecordBirth) -> list[BabyState]:
        """The unborn record becomes a baby record (or two); clocks are re-planned from birth."""
        async with self._lock:
            born_on = uk_date(command.born_at)
            observe = self.area.neonatal_observation
            days = {
                Exposure.OPIOIDS_OR_POLYDRUG: observe.opioid_or_polydrug_days,
                Exposure.STIMULANTS_ONLY: observe.stimulants_only_days,
            }.get(command.exposure, 0)
            self._state.birth_on = born_on
            duty = self._pre_discharge_duty(born_on + timedelta(days=days))
            for number, baby in enumerate(command.babies, start=1):
                state = BabyState(
                    baby_id=workflow.uuid4(),
                    number=number,
                    born_at=command.born_at,
                    location=baby.location,
                    observe_until=born_on + timedelta(days=days),
                )
                self._state.babies[str(state.baby_id)] = state
                where = (
                    "on the neonatal unit"
                    if baby.location is BabyLocation.NEONATAL_UNIT
                    else "with her"
                )
                await self._baby_event(
                    state,
                    "born",
                    f"Baby {number} born on {long_date(born_on)}, {where}",
                    command.actor,
                    **(duty.task if duty and number == 1 else {}),
                )
            await self._move_to(Stage.POSTNATAL, "Her baby was born", command.actor)
            await self._end_prebirth_duties()
            if duty is not None:
                await self._plan_clocks([duty.clock])
            await self._replan_after_birth(born_on)
            await self._offer_advocate(Trigger.BIRTH, str(self._state.woman_id), command.actor)
            return list(self._state.babies.values())

    @record_birth.validator
    def _check_birth(self, command: RecordBirth) -> None:
        if self._state.babies:
            self._refuse("the birth is already recorded")
        if command.born_at > workflow.now():
            self._refuse("the birth cannot be in the future")
        if self._state.stage is Stage.CLOSED:
            self._refuse("her pathway is closed")

    def _pre_discharge_duty(self, earliest: date) -> PreDischargeDuty | None:
        """Where the area requires a pre-discharge meeting after a pre-birth plan, the birth
        creates the duty (a clock) and a task to book it before the earliest planned discharge.
        Guarded: runs that recorded a birth before it replay without them."""
        if not (self.area.pre_discharge_meeting_required and self._state.plan_made):
            return None
        if not workflow.patched(BIRTH_REPLAN_PATCH):
            return None
        why = f"{self.area.name} requires it before a baby with a pre-birth plan leaves hospital"
        clock = ClockRequest(
            deadline="pre_discharge_meeting",
            label="Pre-discharge meeting held",
            due=earliest,
            basis=f"before the earliest planned discharge ({long_date(earliest)}): {why}",
        )
        task = {
            "task": f"Book the pre-discharge meeting before {long_date(earliest)}, the earliest "
            f"planned discharge: {why}",
            "task_kind": "book_pre_discharge_meeting",
            "task_due": earliest,
        }
        return PreDischargeDuty(clock=clock, task=task)

    async def _baby_event(
        self,
        baby: BabyState,
        event: str,
        summary: str,
        actor: Actor,
        reason: str | None = None,
        **task: Any,
    ) -> None:
        await act(
            acts.record_baby_event,
            RecordBabyEvent(
                woman_id=self._state.woman_id,
                baby=baby,
                event=event,
                summary=summary,
                at=workflow.now(),
                actor=actor,
                reason=reason,
                **task,
            ),
        )

    async def _replan_after_birth(self, born_on: date) -> None:
        requests = [
            ClockRequest(
                deadline="postnatal_support_review",
                label="Postnatal support period reached: review her support",
                after=born_on,
                rule="postnatal_support",
            )
        ]
        if self._state.plan_made and self._state.last_conference_on is not None:
            deadlines: list[Deadline] = await act(
                acts.compute_deadlines,
                ComputeDeadlines(
                    area=self._area_code,
                    edd=self._state.edd,
                    conference=self._state.last_conference_on,
                    birth=born_on,
                ),
            )
            review = next((d for d in deadlines if d.key == "first_review"), None)
            if review is not None and self._state.conference_id is not None:
                await self._move_latest(review.due, review.basis, "her baby was born")
        await self._plan_clocks(requests)

    @workflow.update
    async def record_placement(self, command: RecordPlacement) -> Stage:
        """Where her baby is to live. Into care: her advocate and her own support, at once."""
        async with self._lock:
            baby = self._state.babies[str(command.baby_id)]
            was_in_care = baby.placement is Placement.CARE
            baby.placement, baby.legal_basis = command.placement, command.legal_basis
            words = command.placement.value.replace("_", " ")
            if command.legal_basis is not None:
                words += f" ({command.legal_basis.value.replace('_', ' ')})"
            removal = command.placement is Placement.CARE and not was_in_care
            if removal:
                # Her advocate and her own support before any bookkeeping: seconds count.
                await asyncio.gather(self._start_support(command.actor), self._ensure_advocate())
            await self._baby_event(
                baby, "placement", f"Baby {baby.number}: {words}", command.actor, command.reason
            )
            if removal:
                await self._on_removal(command)
            elif was_in_care and command.placement is not Placement.CARE:
                await self._on_return(command)
            return self._state.stage

    @record_placement.validator
    def _check_placement(self, command: RecordPlacement) -> None:
        baby = self._state.babies.get(str(command.baby_id))
        if baby is None:
            self._refuse("no baby with that id is recorded for her")
        elif baby.placement is command.placement and baby.legal_basis is command.legal_basis:
            self._refuse("that is already where her baby is")
        if command.legal_basis is not None and not basis_fits_nation(
            command.legal_basis, self.area.nation
        ):
            self._refuse(
                f"{command.legal_basis.value.replace('_', ' ')} is not an order of "
                f"{self.area.nation.value.title()}"
            )

    async def _on_removal(self, command: RecordPlacement) -> None:
        self._state.mother_only = True
        await self._event(
            f"removal:{workflow.now().isoformat()}",
            "baby_placed_in_care",
            "Her baby was placed in care: her own support starts now, and "
            "messages to her are about her only",
            command.actor,
            stage=Stage.BABY_IN_CARE.value,
            mother_only=True,
        )
        self._state.stage = Stage.BABY_IN_CARE
        await act(
            acts.prompt_supervision,
            self._state.woman_id,
        )

    async def _start_support(self, placed_by: Actor, arrival: BringIn | None = None) -> None:
        """Her own support episode, from the removal: today, or, for a woman brought in from
        an area's records, its real date (a duty already overdue a task for her team)."""
        if self._state.support_episode_id is not None:
            handle = workflow.get_external_workflow_handle(
                episode_id_for(self._state.woman_id, self._state.support_episodes)
            )
            await handle.signal("baby_removed_again")
            return
        self._state.support_episodes += 1
        episode_id = workflow.uuid4()
        today = uk_date(workflow.now())
        removed = (arrival.placed_on if arrival else None) or today
        rhythm = self.area.contact_rhythm
        state = SupportState(
            episode_id=episode_id,
            woman_id=self._state.woman_id,
            opened_at=workflow.now(),
            removal_on=removed,
            birth_on=self._state.birth_on or removed,
            # Never due in the past: a contact owed since before she arrived is due now.
            next_contact_due=max(removed + timedelta(days=rhythm.early_interval_days), today),
            # The social worker who placed the baby works for the baby: not her named worker.
            baby_worker_id=placed_by.user_id if placed_by.role is Role.SOCIAL_WORKER else None,
            arrived_team_id=arrival.team_id if arrival else None,
        )
        await workflow.start_child_workflow(
            "MotherSupport",
            SupportInput(state=state, area=self.area, pathway_id=workflow.info().workflow_id),
            id=episode_id_for(self._state.woman_id, self._state.support_episodes),
            # Her episode outlives the baby's case: closing or ending this pathway leaves it.
            parent_close_policy=ParentClosePolicy.ABANDON,
        )
        self._state.support_episode_id = episode_id

    async def _ensure_advocate(self) -> None:
        """Her advocate is kept and told at once, or one is allocated with the short window."""
        request = AllocationInput(
            woman_id=self._state.woman_id,
            area=self._area_code,
            trigger=Trigger.REMOVAL,
            after_removal=True,
            request_id=workflow.uuid4(),
        )
        try:
            await workflow.start_child_workflow(
                "AdvocateAllocation",
                request,
                id=allocation_workflow_id(self._state.woman_id),
                parent_close_policy=ParentClosePolicy.ABANDON,
            )
        except WorkflowAlreadyStartedError:
            # An allocation is already under way for her: it must now treat this as a removal.
            handle = workflow.get_external_workflow_handle(
                allocation_workflow_id(self._state.woman_id)
            )
            await handle.signal("removal", RemovalHappened(at=workflow.now()))

    async def _on_return(self, command: RecordPlacement) -> None:
        if not any(b.placement is Placement.CARE for b in self._state.babies.values()):
            await self._move_to(Stage.POSTNATAL, "Her baby returned to her care", command.actor)
        if self._state.support_episode_id is not None:
            handle = workflow.get_external_workflow_handle(
                episode_id_for(self._state.woman_id, self._state.support_episodes)
            )
            await handle.signal("baby_returned")

    @workflow.update
    async def record_discharge(self, command: RecordDischarge) -> None:
        """The baby leaves hospital (after the pre-discharge meeting, where one is required)."""
        baby = self._state.babies[str(command.baby_id)]
        baby.discharged = True
        summary, task = f"Baby {baby.number} discharged from hospital", None
        left = command.discharged_on or self.today()
        if command.discharged_on is not None:
            summary += f" on {long_date(left)}"
        if left < baby.observe_until:
            # Allowed (the decision is clinical), but warned: before the observation advised.
            summary += (
                f". Warning: this is before the end of the observation advised for the "
                f"exposure recorded at birth ({long_date(baby.observe_until)})"
            )
            task = (
                f"Baby {baby.number} left hospital before {long_date(baby.observe_until)}: "
                "arrange a check on the baby at home and support for her"
            )
        await self._baby_event(
            baby,
            "discharged",
            summary,
            command.actor,
            task=task,
            task_kind="early_discharge",
            on=command.discharged_on,
        )

    @record_discharge.validator
    def _check_discharge(self, command: RecordDischarge) -> None:
        baby = self._state.babies.get(str(command.baby_id))
        if baby is None or baby.discharged:
            self._refuse("no baby in hospital with that id is recorded for her")
        assert baby is not None
        if command.discharged_on is not None:
            _check_discharge_day(command.discharged_on, uk_date(baby.born_at), self.today())
        if (
            self.area.pre_discharge_meeting_required
            and self._state.plan_made
            and not any(
                m.kind is MeetingKind.PRE_DISCHARGE and m.status is MeetingStatus.HELD
                for m in self._state.meetings.values()
            )
        ):
            self._refuse(
                f"in {self.area.name} the baby cannot be discharged until the "
                "pre-discharge meeting has been held: schedule it and record it as held"
            )

    @workflow.update
    async def move_baby(self, command: MoveBaby) -> None:
        """A baby moves within hospital (the neonatal unit, transitional care, the ward)."""
        baby = self._state.babies[str(command.baby_id)]
        baby.location = command.location
        where = {
            BabyLocation.NEONATAL_UNIT: "the neonatal unit",
            BabyLocation.TRANSITIONAL_CARE: "transitional care",
            BabyLocation.WITH_MOTHER: "the ward, with her",
        }[command.location]
        await self._baby_event(baby, "moved", f"Baby {baby.number} moved to {where}", command.actor)

    @move_baby.validator
    def _check_move(self, command: MoveBaby) -> None:
        baby = self._state.babies.get(str(command.baby_id))
        if baby is None or baby.discharged:
            self._refuse("no baby in hospital with that id is recorded for her")
        elif baby.location is command.location:
            self._refuse("the baby is already there")

    @workflow.update
    async def close_case(self, command: CloseCase) -> None:
        """Close the baby's case (her pathway). Her own support episode is not touched."""
        await self._move_to(
            Stage.CLOSED, f"Her baby's case was closed: {command.reason}", command.actor
        )

    @close_case.validator
    def _check_close_case(self, command: CloseCase) -> None:
        if self._state.stage not in OPEN_STAGES:
            self._refuse(f"her case cannot be closed at '{self._state.stage.value}'")


def _check_discharge_day(day: date, born_on: date, today: date) -> None:
    """A discharge day the baby could have left on: bad input is a 422 naming the field."""
    if day < born_on:
        raise ApplicationError(
            "discharged_on: the discharge cannot be before the birth", type="InvalidInput"
        )
    if day > today:
        raise ApplicationError(
            "discharged_on: the discharge cannot be in the future", type="InvalidInput"
        )
