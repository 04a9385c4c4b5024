"""A woman brought in from an area's records (waymark onboard): her pathway starts at the stage
she has reached, its clocks counted from her real dates. A clock already overdue tells nobody
about the past (its steps so far are marked done); her team gets a task for it instead."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.birth import BabyLocation, BabyState, Placement, RecordBabyEvent
    from forms.clock import ClockRequest, ComputeDeadlines
    from forms.clocks import Deadline
    from forms.conference import ConferenceKind
    from forms.labels import label
    from forms.pathway import BringIn, Stage
    from rules.wording import long_date
    from workflows import search
    from workflows.birth import BirthAndPlacement
    from workflows.options import act
    from workflows.prebirth import PLANNING_STAGES, PrebirthPlanning

# The duties of a plan made before she was brought in, counted from that conference.
PLAN_DUTIES = ("first_core_group", "first_review")


class BroughtIn(PrebirthPlanning, BirthAndPlacement):
    async def _bring_in(self, plan: BringIn) -> None:
        workflow.upsert_search_attributes(
            [
                search.STAGE.value_set(self._state.stage.value),
                search.AREA.value_set(self._area_code),
            ]
        )
        if self._state.stage in (*PLANNING_STAGES, Stage.CONFERENCE):
            self._state.planning_started = True
            self._state.concern_on = self._state.concern_on or plan.referral_on
            await self._plan_clocks(self._requests(plan) + await self._conference_due())
        if self._state.stage is Stage.CHILD_PROTECTION_PLAN:
            await self._plan_clocks(await self._plan_duties())
        if self._state.stage in (Stage.POSTNATAL, Stage.BABY_IN_CARE):
            await self._baby_born(plan)
        if self._state.stage is Stage.BABY_IN_CARE:
            await self._removed(plan)
        await self._clockwork.arrive(plan.team_id, self.today())
        if self._state.stage is Stage.CONFERENCE:
            # Her conference is to be held: its deadline runs from her strategy discussion.
            await self._start_conference(ConferenceKind.INITIAL)
        review = self._clockwork.find("first_review")
        if self._state.stage is Stage.CHILD_PROTECTION_PLAN and review is not None:
            # Her plan's review conference is to be held, by the date counted from her
            # initial conference (its decision meets the clock).
            await self._start_conference(ConferenceKind.REVIEW, review.due)

    async def _baby_born(self, plan: BringIn) -> None:
        """Her baby, recorded with the real birth date; the postnatal clocks from it."""
        born_on = self._state.birth_on
        assert born_on is not None  # required for the stage by the file check
        baby = BabyState(
            baby_id=workflow.uuid4(),
            number=1,
            born_at=datetime.combine(born_on, time(12), tzinfo=UTC),
            location=BabyLocation.WITH_MOTHER,
            placement=Placement.CARE if plan.placed_on else Placement.WITH_MOTHER,
            observe_until=born_on,
        )
        self._state.babies[str(baby.baby_id)] = baby
        await act(
            acts.record_baby_event,
            RecordBabyEvent(
                woman_id=self._state.woman_id,
                baby=baby,
                event="brought_in",
                summary=f"Baby 1 born on {long_date(born_on)} (brought in from the area's records)",
                at=workflow.now(),
                on=born_on,
                actor=plan.by,
            ),
        )
        await self._replan_after_birth(born_on)

    async def _removed(self, plan: BringIn) -> None:
        """Her baby is in care: as at a removal, her advocate is ensured (kept and told, or
        allocated with the short window) and her own support episode opens from its date."""
        # Both set by the import for a woman whose baby is in care.
        assert plan.by is not None
        assert plan.placed_on is not None
        self._state.mother_only = True
        await asyncio.gather(self._start_support(plan.by, plan), self._ensure_advocate())
        await self._event(
            "removal:brought_in",
            "baby_placed_in_care",
            f"Her baby was placed in care on {long_date(plan.placed_on)} (brought in from the "
            "area's records): her own support is open, and messages to her are about her only",
            plan.by,
            stage=Stage.BABY_IN_CARE.value,
            mother_only=True,
        )

    async def _plan_duties(self) -> list[ClockRequest]:
        """Her plan's first core group and first review, counted from her real conference."""
        deadlines: list[Deadline] = await act(
            acts.compute_deadlines,
            ComputeDeadlines(
                area=self._area_code,
                edd=self._state.edd,
                conference=self._state.last_conference_on,
                conference_kind=ConferenceKind.INITIAL.value,
                birth=self._state.birth_on,
            ),
        )
        return [
            ClockRequest(
                deadline=d.key, label=label(d.key, self._state.nation), due=d.due, basis=d.basis
            )
            for d in deadlines
            if d.key in PLAN_DUTIES
        ]

    def _requests(self, plan: BringIn) -> list[ClockRequest]:
        if self._state.stage is Stage.CONFERENCE:
            return []  # her assessment and strategy discussion are behind her
        requests = [
            ClockRequest(
                deadline="prebirth_assessment",
                label="Pre-birth assessment completed",
                after=plan.referral_on,
                rule="prebirth_assessment_within",
            )
        ]
        if (
            self._state.stage is Stage.STRATEGY_DISCUSSION
            and self._state.strategy_discussion_on is None
        ):
            requests.append(
                ClockRequest(
                    deadline="strategy_discussion",
                    label=label("strategy_discussion", self._state.nation),
                    after=self._state.concern_on,
                    rule="strategy_discussion_after_concern",
                )
            )
        return requests
