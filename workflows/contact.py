"""When she reaches out (R8.3): a response clock starts; her named worker is told at once and an
unanswered request escalates to the team manager, then the safeguarding lead."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from forms import activity_contracts as acts
    from forms.clock import ClockRequest, ClockStatus
    from forms.delivery import ContactRequested
    from forms.prebirth import AnswerContactRequest, RecordContactAnswer
    from rules.uktime import uk_date
    from workflows.options import act
    from workflows.pathway_base import PathwayBase


def _deadline(request_id: object) -> str:
    return f"contact_request_{request_id}"


class ContactRequests(PathwayBase):
    @workflow.signal
    async def contact_requested(self, request: ContactRequested) -> None:
        """She asked for her worker: the area's response clock starts now."""
        self._asked.add(_deadline(request.request_id))  # known at once, planned in a moment
        async with self._lock:
            await self._plan_clocks(
                [
                    ClockRequest(
                        deadline=_deadline(request.request_id),
                        label="Respond to her request to speak to her worker",
                        after=uk_date(request.received_at),
                        rule="contact_request_response",
                    )
                ]
            )

    @workflow.update
    async def answer_contact_request(self, command: AnswerContactRequest) -> None:
        """Her worker got back to her: the clock is met (once it is planned, if she asked a
        moment ago: her request is on her record before its clock is)."""
        deadline = _deadline(command.request_id)
        await workflow.wait_condition(lambda: self._clockwork.find(deadline) is not None)
        await act(
            acts.record_contact_answer,
            RecordContactAnswer(
                request_id=command.request_id, actor=command.actor, at=workflow.now()
            ),
        )
        await self._clockwork.meet(deadline)
        self._dirty = True

    @answer_contact_request.validator
    def _check_answer(self, command: AnswerContactRequest) -> None:
        deadline = _deadline(command.request_id)
        clock = self._clockwork.find(deadline)
        if clock is None and deadline in self._asked:
            return  # its clock is being planned
        if clock is None or clock.status not in (ClockStatus.PENDING, ClockStatus.PAUSED):
            self._refuse("there is no open request from her with that id")
