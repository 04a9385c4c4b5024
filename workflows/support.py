"""Her own, mother-only support episode after her baby is placed in care (R5.10/8.5).

Nothing about the baby's case can end it: it is started with ParentClosePolicy.ABANDON, it takes
no signal that closes it, and missing contacts leads to outreach and escalation, never closure.
Only a safeguarding lead's sign-off, with a reason and a handover, closes it.
"""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta
from typing import Any
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.clock import ClockRequest, ClockStatus
    from forms.common import Role
    from forms.support import (
        PLAN_LABELS,
        URGENT_ITEMS,
        CloseEpisode,
        ContactEntry,
        EpisodeStatus,
        MissedContact,
        NameWorker,
        OpenEpisode,
        PlanItem,
        RecordContact,
        RecordPlanItem,
        SupportEvent,
        SupportInput,
        SupportState,
    )
    from forms.transfer import AreaMoved
    from rules.months import shift_calendar, support_runs_until
    from rules.uktime import uk_date, uk_wall_to_utc
    from rules.wording import long_date
    from workflows.clock_commands import ClockCommands
    from workflows.clockwork import Clockwork
    from workflows.options import act
    from workflows.oversight import check_woman

CONTACT_CHECK_AT = time(9, 0)


def episode_id_for(woman_id: UUID, number: int) -> str:
    """Her episode's workflow id: opaque."""
    return f"support-{woman_id}-{number}"


@workflow.defn(name="MotherSupport")
class MotherSupport(ClockCommands):
    """Runs until a safeguarding lead signs it off; continues-as-new to keep history short."""

    @workflow.init
    def __init__(self, inp: SupportInput) -> None:
        self._s: SupportState = inp.state
        self._inp = inp
        self._area_code = inp.area.code
        self._clock_scope = f"support:{inp.state.episode_id}"
        self._clockwork = Clockwork(inp.state.woman_id, inp.state.clocks)
        self._dirty = False
        self._lock = asyncio.Lock()

    @workflow.run
    async def run(self, inp: SupportInput) -> None:
        if self._s.revision == 0:
            await self._open()
            await self._check()
        while not self._finished():
            self._dirty = False
            try:
                await workflow.wait_condition(
                    lambda: self._dirty or self._finished(), timeout=self._next_wake()
                )
            except TimeoutError:
                pass
            await self._clockwork.fire_due()
            await self._check_contact()
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self._s.status is EpisodeStatus.ACTIVE:
            workflow.continue_as_new(
                SupportInput(
                    state=self._s,
                    area=self._inp.area,
                    pathway_id=inp.pathway_id,
                    history_event_limit=inp.history_event_limit,
                )
            )

    def _finished(self) -> bool:
        info = workflow.info()
        return self._s.status is EpisodeStatus.CLOSED or (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() >= self._inp.history_event_limit
        )

    async def _open(self) -> None:
        area = self._inp.area
        risk_until = shift_calendar(self._s.birth_on, area.heightened_risk_period)
        self._s.named_worker_id = await act(
            acts.open_support_episode,
            OpenEpisode(
                state=self._s,
                workflow_id=workflow.info().workflow_id,
                area=self._area_code,
                heightened_risk_until=risk_until,
            ),
        )
        await self._clockwork.plan(self._clock_scope, self._area_code, self._plan_requests())
        if self._s.arrived_team_id is not None:
            await self._clockwork.arrive(self._s.arrived_team_id, uk_date(workflow.now()))
        self._s.revision = 1

    def _plan_requests(self) -> list[ClockRequest]:
        """A clock for each referral in her plan, counted from her baby's removal."""
        return [
            ClockRequest(
                deadline=f"plan_{item.value}",
                label=PLAN_LABELS[item],
                after=self._s.removal_on,
                rule="urgent_referral_response"
                if item in URGENT_ITEMS
                else "support_referral_response",
            )
            for item in PlanItem
        ]

    def _next_wake(self) -> timedelta | None:
        contact = uk_wall_to_utc(self._s.next_contact_due + timedelta(days=1), CONTACT_CHECK_AT)
        until_contact = max(contact - workflow.now(), timedelta(milliseconds=1))
        clocks = self._clockwork.timeout()
        return min(until_contact, clocks) if clocks is not None else until_contact

    def _interval(self, on: date) -> int:
        rhythm = self._inp.area.contact_rhythm
        early_until = self._s.removal_on + timedelta(weeks=rhythm.early_period_weeks)
        return rhythm.early_interval_days if on < early_until else rhythm.later_interval_days

    async def _check_contact(self) -> None:
        """A contact due yesterday or before that did not happen: outreach, then escalation."""
        due = self._s.next_contact_due
        if self._s.status is not EpisodeStatus.ACTIVE or uk_date(workflow.now()) <= due:
            return
        self._s.missed_contacts += 1
        threshold = self._inp.area.missed_contacts_before_escalation
        await act(
            acts.record_missed_contact,
            MissedContact(
                episode_id=self._s.episode_id,
                woman_id=self._s.woman_id,
                due=due,
                missed=self._s.missed_contacts,
                escalate=self._s.missed_contacts >= threshold,
                named_worker_id=self._s.named_worker_id,
                at=workflow.now(),
            ),
        )
        await self._check()
        # Missing a contact never closes anything: the rhythm goes on, with assertive outreach.
        self._s.next_contact_due = due + timedelta(days=self._interval(due))

    async def _event(self, key: str, kind: str, summary: str, **extra: Any) -> None:
        await act(
            acts.record_support_event,
            SupportEvent(
                episode_id=self._s.episode_id,
                woman_id=self._s.woman_id,
                key=f"support:{self._s.episode_id}:{key}",
                kind=kind,
                summary=summary,
                at=workflow.now(),
                state=self._s,
                **extra,
            ),
        )

    async def _check(self) -> None:
        """The "no woman dropped" invariant, checked at once after an event that can break it."""
        if workflow.patched("support-check-woman"):
            await check_woman(self._s.woman_id)

    async def _opened(self) -> None:
        """Commands wait until the episode's opening (named worker, plan clocks) is recorded."""
        await workflow.wait_condition(lambda: self._s.revision >= 1)

    @workflow.query
    def state(self) -> SupportState:
        return self._s

    @workflow.update
    async def record_contact(self, command: RecordContact) -> SupportState:
        """A contact with her resets the rhythm and the count of missed contacts."""
        await self._opened()
        async with self._lock:
            self._s.last_contact_on = max(command.on, self._s.last_contact_on or command.on)
            self._s.missed_contacts, self._s.escalated_for_missed = 0, False
            self._s.next_contact_due = self._s.last_contact_on + timedelta(
                days=self._interval(self._s.last_contact_on)
            )
            entry = ContactEntry(on=command.on, kind=command.kind, note=command.note)
            kept = {"contact": entry} if workflow.patched("support-contact-note") else {}
            await self._event(
                f"contact:{workflow.uuid4()}",
                "support_contact",
                f"Contact with her ({command.kind.value.replace('_', ' ')})",
                actor=command.actor,
                **kept,
            )
            await self._check()
            self._dirty = True
            return self._s

    @record_contact.validator
    def _check_contact_command(self, command: RecordContact) -> None:
        self._refuse_if_closed()
        if command.on > uk_date(workflow.now()):
            raise ApplicationError("the contact date is in the future", type="Refused")
        if command.on < self._s.removal_on:
            raise ApplicationError("the contact is before her episode began", type="Refused")

    @workflow.update
    async def record_plan_item(self, command: RecordPlanItem) -> None:
        """A referral in her plan was answered (or the offer made): its clock is met."""
        await self._opened()
        self._s.items[command.item.value] = command.outcome
        await self._event(
            f"item:{command.item.value}",
            "support_plan_item",
            f"{PLAN_LABELS[command.item]}: {command.outcome}",
            actor=command.actor,
        )
        await self._clockwork.meet(f"plan_{command.item.value}")
        self._dirty = True

    @record_plan_item.validator
    def _check_item(self, command: RecordPlanItem) -> None:
        self._refuse_if_closed()
        if command.item.value in self._s.items:
            raise ApplicationError("this part of her plan is already recorded", type="Refused")

    @workflow.update
    async def name_worker(self, command: NameWorker) -> SupportState:
        """Her named worker, named now: the duty to name one is met in the same transaction."""
        await self._opened()
        async with self._lock:
            self._s.named_worker_id = command.worker_id
            await self._event(
                f"named_worker:{workflow.uuid4()}",
                "support_named_worker",
                "A named worker for her own support was named",
                actor=command.actor,
            )
            self._dirty = True
            return self._s

    @name_worker.validator
    def _check_name_worker(self, command: NameWorker) -> None:
        self._refuse_if_closed()
        if command.worker_id == self._s.baby_worker_id:
            raise ApplicationError(
                "this person is her baby's social worker: her named worker must be someone "
                "else, for her own support",
                type="Refused",
            )
        if command.worker_id == self._s.named_worker_id:
            raise ApplicationError("this person is already her named worker", type="Refused")

    @workflow.update
    async def close_episode(self, command: CloseEpisode) -> SupportState:
        """A safeguarding lead's sign-off: the only way her episode closes."""
        await self._opened()
        self._s.status = EpisodeStatus.CLOSED
        reason = command.reason + (f" / {command.second_reason}" if command.second_reason else "")
        await self._event(
            "closed",
            "support_closed",
            f"Her support episode was closed and handed over to {command.handover_to}",
            actor=command.actor,
            close_reason=reason,
            handover_to=command.handover_to,
        )
        await self._check()
        self._dirty = True
        return self._s

    @close_episode.validator
    def _check_close(self, command: CloseEpisode) -> None:
        self._refuse_if_closed()
        if command.actor.role is not Role.SAFEGUARDING_LEAD:
            raise ApplicationError(
                "only a safeguarding lead can close her support episode", type="Refused"
            )
        earliest = support_runs_until(self._s.removal_on, self._inp.area)
        if uk_date(workflow.now()) < earliest and not command.second_reason:
            raise ApplicationError(
                f"her support runs at least until {long_date(earliest)}; closing earlier needs a "
                "second reason",
                type="Refused",
            )

    def _refuse_if_closed(self) -> None:
        if self._s.status is EpisodeStatus.CLOSED:
            raise ApplicationError("her support episode is closed", type="Refused")

    @workflow.signal
    async def area_moved(self, move: AreaMoved) -> None:
        """Her record moved area: her support goes on, unbroken, under its rules (contact
        rhythm, escalation, its working days for the clocks of her plan still running)."""
        await self._opened()
        async with self._lock:
            self._inp.area, self._area_code = move.area, move.area.code
            running = {
                c.deadline
                for c in self._clockwork.clocks.values()
                if c.status in (ClockStatus.PENDING, ClockStatus.PAUSED)
            }
            requests = [r for r in self._plan_requests() if r.deadline in running]
            if requests:
                await self._clockwork.plan(self._clock_scope, self._area_code, requests)
            self._dirty = True

    @workflow.signal
    async def baby_returned(self) -> None:
        """Her baby came home: her plan is revised; the episode is not closed."""
        async with self._lock:
            self._s.baby_home = True
            await self._event(
                f"returned:{workflow.now().isoformat()}",
                "baby_returned",
                "Her baby returned to her care: her support plan is to be revised",
            )

    @workflow.signal
    async def baby_removed_again(self) -> None:
        async with self._lock:
            self._s.baby_home = False
            await self._event(
                f"removed:{workflow.now().isoformat()}",
                "baby_removed_again",
                "Her baby was placed in care again: her support continues",
            )
