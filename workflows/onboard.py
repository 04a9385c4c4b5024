"""A woman brought in from an area's records (waymark onboard): her pathway starts at the stage
she has reached, its clocks counted from her real dates. A clock already overdue tells nobody
about the past (its steps so far are marked done); her team gets a task for it instead."""

from __future__ import annotations

from datetime import UTC, datetime, time

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from forms.birth import BabyLocation, BabyState, RecordBabyEvent
    from forms.clock import ClockRequest, ClockStatus, ComputeDeadlines
    from forms.clocks import Deadline
    from forms.conference import ConferenceKind
    from forms.labels import label
    from forms.onboard import OverdueOnArrival
    from forms.pathway import BringIn, Stage
    from workflows import search
    from workflows.birth import BirthAndPlacement
    from workflows.options import DB_RETRY, DB_TIMEOUT
    from workflows.prebirth import PLANNING_STAGES, PrebirthPlanning
    from workflows.rules.wording import long_date

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
        if self._state.stage is Stage.POSTNATAL:
            await self._baby_born(plan)
        now, today = workflow.now(), self.today()
        overdue = [
            c
            for c in self._clockwork.clocks.values()
            if c.status is ClockStatus.PENDING and c.due < today
        ]
        for clock in self._clockwork.clocks.values():
            for step in clock.steps:
                step.done = step.done or step.at <= now
        if overdue:
            await workflow.execute_activity(
                "record_overdue_on_arrival",
                OverdueOnArrival(
                    woman_id=self._state.woman_id, team_id=plan.team_id, clocks=overdue
                ),
                start_to_close_timeout=DB_TIMEOUT,
                retry_policy=DB_RETRY,
            )
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
            observe_until=born_on,
        )
        self._state.babies[str(baby.baby_id)] = baby
        await workflow.execute_activity(
            "record_baby_event",
            RecordBabyEvent(
                woman_id=self._state.woman_id,
                baby=baby,
                event="brought_in",
                summary=f"Baby 1 born on {long_date(born_on)} (brought in from the area's records)",
                at=workflow.now(),
                on=born_on,
                actor=plan.by,
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        await self._replan_after_birth(born_on)

    async def _plan_duties(self) -> list[ClockRequest]:
        """Her plan's first core group and first review, counted from her real conference."""
        deadlines: list[Deadline] = await workflow.execute_activity(
            "compute_deadlines",
            ComputeDeadlines(
                area=self._area_code,
                edd=self._state.edd,
                conference=self._state.last_conference_on,
                conference_kind=ConferenceKind.INITIAL.value,
                birth=self._state.birth_on,
            ),
            start_to_close_timeout=DB_TIMEOUT,
            retry_policy=DB_RETRY,
            result_type=list[Deadline],
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
