"""Every activity's contract: its name, what it takes and what it answers. The workflows call
these (`workflow.execute_activity(acts.plan_clocks, …)`), so a call is checked by mypy against
the contract and names nothing by a string; each method in `activities/` that does the work says
`@implements(contract)`, which registers it under the contract's name, and
`tests/temporal/test_worker_activities.py` checks that each contract has exactly one
implementation with the same signature. The names are those saved histories hold: never rename."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from temporalio import activity

from forms.advocacy import (
    AdvocacyOfferResult,
    AlertRemoval,
    AllocateAdvocate,
    Offer,
    RecordAdvocacyOffer,
    RecordAdvocateResponse,
    Review,
    ReviewAllocation,
    SettleRequest,
)
from forms.area import AreaRules
from forms.birth import RecordBabyEvent
from forms.clock import Clock, ComputeDeadlines, EscalateClock, PlanClocks, RecordClockChange
from forms.clocks import Deadline
from forms.conference import (
    ChaseReports,
    RecordConference,
    RecordConferenceDocument,
    RecordOutcome,
    RecordReport,
)
from forms.delivery import DispatchRequest, DispatchResult, PollResult
from forms.intake import RecordFurtherReferral
from forms.ledger import CheckWomanRequest, SweepRequest, SweepResult, WomanCheck
from forms.meeting import Invitee, RecordMeeting
from forms.onboard import OverdueOnArrival
from forms.pathway import RecordReferral, RecordScreening
from forms.prebirth import RecordContactAnswer, RecordPathwayEvent
from forms.replan import BookedMeetingCheck, CheckBookedMeeting
from forms.support import MissedContact, OpenEpisode, SupportEvent

Method = TypeVar("Method", bound=Callable[..., Awaitable[Any]])


def name_of(contract: Callable[..., Awaitable[Any]]) -> str:
    """The name the contract's activity is registered, and saved in histories, under."""
    definition = getattr(contract, "__temporal_activity_definition", None)
    if definition is None:
        raise TypeError(f"{contract!r} is not an activity's contract")
    return str(definition.name)


def implements(contract: Callable[..., Awaitable[Any]]) -> Callable[[Method], Method]:
    """The decorated method does the work of `contract`: it is registered under its name."""
    return activity.defn(name=name_of(contract))


def _contract() -> NotImplementedError:
    return NotImplementedError("a contract only: the worker runs its implementation (activities/)")


# Her referral and pathway.


@activity.defn(name="record_referral")
async def record_referral(inp: RecordReferral) -> None:
    raise _contract()


@activity.defn(name="record_further_referral")
async def record_further_referral(inp: RecordFurtherReferral) -> None:
    raise _contract()


@activity.defn(name="record_screening")
async def record_screening(inp: RecordScreening) -> None:
    raise _contract()


@activity.defn(name="load_area_rules")
async def load_area_rules(area: str) -> AreaRules:
    raise _contract()


@activity.defn(name="record_pathway_event")
async def record_pathway_event(inp: RecordPathwayEvent) -> None:
    raise _contract()


@activity.defn(name="record_contact_answer")
async def record_contact_answer(inp: RecordContactAnswer) -> None:
    raise _contract()


@activity.defn(name="record_overdue_on_arrival")
async def record_overdue_on_arrival(inp: OverdueOnArrival) -> None:
    raise _contract()


@activity.defn(name="issue_information_pack")
async def issue_information_pack(woman_id: uuid.UUID) -> None:
    raise _contract()


# Her clocks.


@activity.defn(name="compute_deadlines")
async def compute_deadlines(inp: ComputeDeadlines) -> list[Deadline]:
    raise _contract()


@activity.defn(name="plan_clocks")
async def plan_clocks(inp: PlanClocks) -> list[Clock]:
    raise _contract()


@activity.defn(name="escalate_clock")
async def escalate_clock(inp: EscalateClock) -> None:
    raise _contract()


@activity.defn(name="record_clock_change")
async def record_clock_change(inp: RecordClockChange) -> None:
    raise _contract()


# Meetings and conferences.


@activity.defn(name="record_meeting")
async def record_meeting(inp: RecordMeeting) -> list[Invitee]:
    raise _contract()


@activity.defn(name="check_booked_meeting")
async def check_booked_meeting(inp: CheckBookedMeeting) -> BookedMeetingCheck:
    raise _contract()


@activity.defn(name="record_conference")
async def record_conference(inp: RecordConference) -> None:
    raise _contract()


@activity.defn(name="record_report")
async def record_report(inp: RecordReport) -> None:
    raise _contract()


@activity.defn(name="record_outcome")
async def record_outcome(inp: RecordOutcome) -> None:
    raise _contract()


@activity.defn(name="record_conference_document")
async def record_conference_document(inp: RecordConferenceDocument) -> None:
    raise _contract()


@activity.defn(name="chase_reports")
async def chase_reports(inp: ChaseReports) -> None:
    raise _contract()


# Her baby, her support episode and her advocate.


@activity.defn(name="record_baby_event")
async def record_baby_event(inp: RecordBabyEvent) -> None:
    raise _contract()


@activity.defn(name="prompt_supervision")
async def prompt_supervision(woman_id: uuid.UUID) -> None:
    raise _contract()


@activity.defn(name="open_support_episode")
async def open_support_episode(inp: OpenEpisode) -> uuid.UUID | None:
    raise _contract()


@activity.defn(name="record_support_event")
async def record_support_event(inp: SupportEvent) -> None:
    raise _contract()


@activity.defn(name="record_missed_contact")
async def record_missed_contact(inp: MissedContact) -> None:
    raise _contract()


@activity.defn(name="review_allocation")
async def review_allocation(inp: ReviewAllocation) -> Review:
    raise _contract()


@activity.defn(name="allocate_advocate")
async def allocate_advocate(inp: AllocateAdvocate) -> Offer:
    raise _contract()


@activity.defn(name="record_advocate_response")
async def record_advocate_response(inp: RecordAdvocateResponse) -> None:
    raise _contract()


@activity.defn(name="alert_removal")
async def alert_removal(inp: AlertRemoval) -> None:
    raise _contract()


@activity.defn(name="settle_allocation_request")
async def settle_allocation_request(inp: SettleRequest) -> None:
    raise _contract()


@activity.defn(name="record_advocacy_offer")
async def record_advocacy_offer(inp: RecordAdvocacyOffer) -> AdvocacyOfferResult:
    raise _contract()


# Delivery and oversight.


@activity.defn(name="deliver_due_notices")
async def deliver_due_notices(inp: DispatchRequest) -> DispatchResult:
    raise _contract()


@activity.defn(name="poll_delivery_statuses")
async def poll_delivery_statuses(inp: DispatchRequest) -> PollResult:
    raise _contract()


@activity.defn(name="check_woman")
async def check_woman(inp: CheckWomanRequest | uuid.UUID) -> WomanCheck:
    """A bare id is what runs before the request carried its time sent (kept for replay)."""
    raise _contract()


@activity.defn(name="sweep_area_invariants")
async def sweep_area_invariants(inp: SweepRequest) -> SweepResult:
    raise _contract()
