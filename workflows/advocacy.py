"""Allocating her an independent advocate, durably.

If she has an advocate who can still act, the advocate is kept and told at once. Otherwise her
case is offered to the best eligible advocate, who has the area's window (shorter after a
removal) to accept; a decline or no answer is recorded, her manager and the safeguarding leads
are told, and the next advocate is asked. When nobody is available an escalation task stays
open and the workflow tries again every few hours until someone accepts: it never gives up.

One runs at a time per woman (id `advocacy-<woman_id>`); her pathway starts it as a child with
`request_advocate` below, which turns a removal during a running allocation into a signal.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from temporalio import workflow
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.advocacy import (
        WORKFLOW_NAME,
        AdvocateReply,
        AdvocateUnable,
        AlertRemoval,
        AllocateAdvocate,
        AllocationInput,
        AllocationOutcome,
        AllocationResult,
        AllocationStatus,
        Offer,
        RecordAdvocateResponse,
        RemovalHappened,
        RespondCommand,
        Review,
        ReviewAllocation,
        SettleRequest,
        Withdraw,
        allocation_workflow_id,
    )
    from forms.area import AreaRules
    from forms.common import Actor
    from workflows.options import act
    from workflows.oversight import check_woman


async def request_advocate(inp: AllocationInput) -> None:
    """From a parent workflow: start her allocation, or make a running one urgent on removal."""
    try:
        await workflow.start_child_workflow(
            WORKFLOW_NAME,
            inp,
            id=allocation_workflow_id(inp.woman_id),
            parent_close_policy=ParentClosePolicy.ABANDON,
        )
    except WorkflowAlreadyStartedError:
        if inp.after_removal:
            handle = workflow.get_external_workflow_handle(allocation_workflow_id(inp.woman_id))
            await handle.signal("removal", RemovalHappened(at=workflow.now()))


@workflow.defn(name=WORKFLOW_NAME)
class AdvocateAllocation:
    """One allocation request for her; the offered advocate answers through `respond`."""

    @workflow.init
    def __init__(self, inp: AllocationInput) -> None:
        self._inp = inp
        self._after_removal = inp.after_removal
        self._removal_news = False
        self._excluded: list[UUID] = list(inp.excluded)
        self._lapsed: list[UUID] = list(inp.lapsed)
        self._attempt = inp.attempt
        self._offer: Offer | None = None
        self._open = False
        self._reply: RespondCommand | None = None
        self._withdrawn: Withdraw | None = None
        self._unable: set[UUID] = set()
        self._wake = False
        self._answers: dict[UUID, AllocationStatus] = {}
        self._result: AllocationResult | None = None

    @workflow.run
    async def run(self, inp: AllocationInput) -> AllocationResult:
        self._area: AreaRules = await act(acts.load_area_rules, inp.area)
        review = await self._review()
        if review.kept and self._after_removal and not inp.after_removal:
            review = await self._review()  # a removal arrived meanwhile: tell her urgently
        if review.kept:
            return self._finish(
                AllocationOutcome.KEPT, review.allocation_id, review.advocate_user_id
            )
        result = await self._allocate()
        await act(
            acts.settle_allocation_request,
            SettleRequest(
                woman_id=inp.woman_id,
                request_id=inp.request_id,
                outcome=result.outcome,
                at=workflow.now(),
            ),
        )
        if workflow.patched("advocacy-check-woman"):
            await check_woman(inp.woman_id)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return result

    async def _review(self) -> Review:
        review: Review = await act(
            acts.review_allocation,
            ReviewAllocation(
                woman_id=self._inp.woman_id,
                request_id=self._inp.request_id,
                after_removal=self._after_removal,
                at=workflow.now(),
            ),
        )
        return review

    async def _allocate(self) -> AllocationResult:
        """Offer, wait, and offer again until someone accepts or she says no."""
        while self._withdrawn is None:
            offer: Offer = await act(acts.allocate_advocate, self._allocation_request())
            if offer.status == "already_open":
                return self._finish(AllocationOutcome.ALREADY_OPEN)
            if offer.status == "none_available":
                if workflow.patched("advocacy-check-woman"):
                    await check_woman(self._inp.woman_id)  # the escalation is on record
                await self._sleep(timedelta(hours=self._inp.retry_hours))
                self._ask_again()
                await self._continue_as_new_if_long()
                continue
            if await self._await_answer(offer) is AllocationStatus.ACCEPTED:
                return self._finish(
                    AllocationOutcome.ACCEPTED, offer.allocation_id, offer.advocate_user_id
                )
        return self._finish(AllocationOutcome.WITHDRAWN)

    def _ask_again(self) -> None:
        """Nobody was available: those who did not answer in time are asked again (those who
        declined, or can no longer act, are not)."""
        if self._lapsed and workflow.patched("advocacy-ask-again"):
            self._excluded = [u for u in self._excluded if u not in self._lapsed]
            self._lapsed = []

    def _allocation_request(self) -> AllocateAdvocate:
        return AllocateAdvocate(
            woman_id=self._inp.woman_id,
            request_id=self._inp.request_id,
            attempt=self._attempt,
            after_removal=self._after_removal,
            window_hours=self._window_hours(),
            excluded=self._excluded,
            at=workflow.now(),
        )

    def _window_hours(self) -> int:
        if self._after_removal:
            return self._area.advocate_acceptance_after_removal_hours
        return self._area.advocate_acceptance_hours

    async def _await_answer(self, offer: Offer) -> AllocationStatus:
        """Wait for the advocate's answer until the offer's deadline; record what happened."""
        assert offer.allocation_id is not None
        assert offer.advocate_user_id is not None
        self._offer, self._open, self._reply = offer, True, None
        await self._wait_for_answer(offer)
        self._open = False
        status, reason, actor = self._verdict(offer.advocate_user_id)
        await act(
            acts.record_advocate_response,
            RecordAdvocateResponse(
                allocation_id=offer.allocation_id,
                status=status,
                end_reason=reason,
                actor=actor,
                at=workflow.now(),
            ),
        )
        self._answers[offer.allocation_id] = status
        self._offer, self._reply = None, None
        if status is not AllocationStatus.ACCEPTED:
            self._excluded.append(offer.advocate_user_id)
            self._attempt += 1
        if status is AllocationStatus.TIMED_OUT:
            self._lapsed.append(offer.advocate_user_id)
        return status

    async def _wait_for_answer(self, offer: Offer) -> None:
        """Until answered or past the deadline, which a removal brings forward."""
        assert offer.allocation_id is not None
        assert offer.offered_at is not None
        self._removal_news = False
        accept_by = offer.accept_by or workflow.now()
        while not self._answered() and workflow.now() < accept_by:
            await self._sleep(accept_by - workflow.now())
            if self._removal_news:
                self._removal_news = False
                window = timedelta(hours=self._window_hours())
                accept_by = min(accept_by, offer.offered_at + window)
                await act(
                    acts.alert_removal,
                    AlertRemoval(
                        allocation_id=offer.allocation_id, accept_by=accept_by, at=workflow.now()
                    ),
                )

    def _answered(self) -> bool:
        offer = self._offer
        return (
            self._reply is not None
            or self._withdrawn is not None
            or (offer is not None and offer.advocate_user_id in self._unable)
        )

    def _verdict(self, advocate_id: UUID) -> tuple[AllocationStatus, str | None, Actor | None]:
        if self._reply is not None:
            if self._reply.reply is AdvocateReply.ACCEPT:
                return AllocationStatus.ACCEPTED, None, self._reply.actor
            why = "declined by the advocate"
            if self._reply.reason and workflow.patched("advocacy-decline-reason"):
                why = f"declined by the advocate: {self._reply.reason}"
            return AllocationStatus.DECLINED, why, self._reply.actor
        if self._withdrawn is not None:
            return AllocationStatus.ENDED, "she declined advocacy", self._withdrawn.actor
        if advocate_id in self._unable:
            return AllocationStatus.ENDED, "a conflict of interest was recorded", None
        return AllocationStatus.TIMED_OUT, "no answer in time", None

    async def _sleep(self, duration: timedelta) -> None:
        """Wait for the duration, an answer, or news (a removal, a conflict, her decline)."""
        self._wake = False
        try:
            await workflow.wait_condition(
                lambda: self._wake or self._answered(), timeout=max(duration, timedelta(0))
            )
        except TimeoutError:
            pass

    async def _continue_as_new_if_long(self) -> None:
        info = workflow.info()
        if self._withdrawn is not None or not (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() >= self._inp.history_event_limit
        ):
            return
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(
            self._inp.model_copy(
                update={
                    "after_removal": self._after_removal,
                    "attempt": self._attempt,
                    "excluded": self._excluded,
                    "lapsed": self._lapsed,
                }
            )
        )

    def _finish(
        self,
        outcome: AllocationOutcome,
        allocation_id: UUID | None = None,
        advocate_user_id: UUID | None = None,
    ) -> AllocationResult:
        self._result = AllocationResult(
            outcome=outcome, allocation_id=allocation_id, advocate_user_id=advocate_user_id
        )
        return self._result

    @workflow.update
    async def respond(self, command: RespondCommand) -> AllocationStatus:
        """The offered advocate accepts or declines; answers once the answer is recorded."""
        self._check_respond(command)
        self._reply = command
        await workflow.wait_condition(lambda: command.allocation_id in self._answers)
        return self._answers[command.allocation_id]

    @respond.validator
    def _check_respond(self, command: RespondCommand) -> None:
        offer = self._offer
        if offer is None or not self._open or offer.allocation_id != command.allocation_id:
            raise ApplicationError("this offer is no longer waiting for an answer", type="Refused")
        if self._answered():
            raise ApplicationError("this offer has already been answered", type="Refused")
        if command.actor.user_id != offer.advocate_user_id:
            raise ApplicationError("only the advocate it was offered to can answer", type="Refused")

    @workflow.update
    async def withdraw(self, command: Withdraw) -> AllocationOutcome:
        """She declined advocacy: any waiting offer ends and the request stops."""
        self._check_withdraw(command)
        self._withdrawn, self._wake = command, True
        await workflow.wait_condition(lambda: self._result is not None)
        assert self._result is not None
        return self._result.outcome

    @withdraw.validator
    def _check_withdraw(self, command: Withdraw) -> None:
        if self._withdrawn is not None or self._result is not None:
            raise ApplicationError("this allocation has already finished", type="Refused")

    @workflow.signal
    def removal(self, news: RemovalHappened) -> None:
        """Her baby was removed: the shorter window applies and the advocate is told urgently."""
        if not self._after_removal:
            self._after_removal = self._removal_news = self._wake = True

    @workflow.signal
    def advocate_unable(self, news: AdvocateUnable) -> None:
        """An advocate may no longer be asked (a conflict was recorded)."""
        self._unable.add(news.advocate_user_id)
        if news.advocate_user_id not in self._excluded:
            self._excluded.append(news.advocate_user_id)
        self._wake = True

    @workflow.query
    def offer(self) -> Offer | None:
        """The offer waiting for an answer, if any."""
        return self._offer if self._open else None
