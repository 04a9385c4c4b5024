"""Every activity's contract: its name, what it takes and what it answers, and in its docstring
what it does. A contract has no body of its own, as a Protocol's methods have none: the worker
runs the method in `activities/` that says `@implements(contract)`, registered under the
contract's name. The workflows call these (`act(acts.plan_clocks, …)`), so mypy checks each call
and its answer against the contract, and no activity is named in a string;
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


# Her referral and pathway.


@activity.defn(name="record_referral")
async def record_referral(inp: RecordReferral) -> None:
    """The woman, her referral and who is involved, on record; a repeat changes nothing."""


@activity.defn(name="record_further_referral")
async def record_further_referral(inp: RecordFurtherReferral) -> None:
    """A further referral on her record: her timeline, the agency now involved."""


@activity.defn(name="record_screening")
async def record_screening(inp: RecordScreening) -> None:
    """A screening decision on record, her stage moved and the agencies invited."""


@activity.defn(name="load_area_rules")
async def load_area_rules(area: str) -> AreaRules:
    """The area's rules as they are now, with its closed days for the next few years."""


@activity.defn(name="record_pathway_event")
async def record_pathway_event(inp: RecordPathwayEvent) -> None:
    """An event on her timeline and the fields it changes; a repeat does nothing."""


@activity.defn(name="record_contact_answer")
async def record_contact_answer(inp: RecordContactAnswer) -> None:
    """Her contact request marked answered (by whom, when); a repeat does nothing."""


@activity.defn(name="record_overdue_on_arrival")
async def record_overdue_on_arrival(inp: OverdueOnArrival) -> None:
    """A task for her team for each duty already overdue when she was brought in."""


@activity.defn(name="issue_information_pack")
async def issue_information_pack(woman_id: uuid.UUID) -> None:
    """Her plain-language information pack, and a notice to send it to her."""


# Her clocks.


@activity.defn(name="compute_deadlines")
async def compute_deadlines(inp: ComputeDeadlines) -> list[Deadline]:
    """The statutory deadlines for the dates known so far, under her area's rules."""


@activity.defn(name="plan_clocks")
async def plan_clocks(inp: PlanClocks) -> list[Clock]:
    """Each requested deadline with its due date and escalation steps, on record."""


@activity.defn(name="escalate_clock")
async def escalate_clock(inp: EscalateClock) -> None:
    """A clock's next step: remind its owner, or tell the manager, then the lead."""


@activity.defn(name="record_clock_change")
async def record_clock_change(inp: RecordClockChange) -> None:
    """A clock met, paused, restarted, extended or cancelled, with its reason."""


# Meetings and conferences.


@activity.defn(name="record_meeting")
async def record_meeting(inp: RecordMeeting) -> list[Invitee]:
    """The meeting and its notices to everyone invited; a repeat changes nothing."""


@activity.defn(name="check_booked_meeting")
async def check_booked_meeting(inp: CheckBookedMeeting) -> BookedMeetingCheck:
    """A meeting booked after its latest date flagged (once per latest date)."""


@activity.defn(name="record_conference")
async def record_conference(inp: RecordConference) -> None:
    """The conference's row kept in step with its workflow (phase, latest date)."""


@activity.defn(name="record_report")
async def record_report(inp: RecordReport) -> None:
    """An agency's report kept; a late one is flagged to the chair and her advocate."""


@activity.defn(name="record_outcome")
async def record_outcome(inp: RecordOutcome) -> None:
    """The conference's decision (or that it was inquorate); a letter goes to her."""


@activity.defn(name="record_conference_document")
async def record_conference_document(inp: RecordConferenceDocument) -> None:
    """The minutes as written by the chair."""


@activity.defn(name="chase_reports")
async def chase_reports(inp: ChaseReports) -> None:
    """Each agency whose report is outstanding asked; once late, the chair and advocate told."""


# Her baby, her support episode and her advocate.


@activity.defn(name="record_baby_event")
async def record_baby_event(inp: RecordBabyEvent) -> None:
    """The baby's row kept in step and the event on her timeline."""


@activity.defn(name="prompt_supervision")
async def prompt_supervision(woman_id: uuid.UUID) -> None:
    """The supervisors of the staff involved asked to offer restorative supervision."""


@activity.defn(name="open_support_episode")
async def open_support_episode(inp: OpenEpisode) -> uuid.UUID | None:
    """Her episode opened, with a named worker who is not her baby's (or none yet)."""


@activity.defn(name="record_support_event")
async def record_support_event(inp: SupportEvent) -> None:
    """Her episode's row brought up to date and the event on her timeline."""


@activity.defn(name="record_missed_contact")
async def record_missed_contact(inp: MissedContact) -> None:
    """Outreach for a missed contact; past the area's number, the lead is told."""


@activity.defn(name="review_allocation")
async def review_allocation(inp: ReviewAllocation) -> Review:
    """Her advocate kept if they can still act (and she told at once); else ended."""


@activity.defn(name="allocate_advocate")
async def allocate_advocate(inp: AllocateAdvocate) -> Offer:
    """Her case offered to the best eligible advocate, atomically; or none free."""


@activity.defn(name="record_advocate_response")
async def record_advocate_response(inp: RecordAdvocateResponse) -> None:
    """The advocate's answer (or none in time); a no goes to the manager and leads."""


@activity.defn(name="alert_removal")
async def alert_removal(inp: AlertRemoval) -> None:
    """Her baby was removed while an offer waits: the advocate told, with less time."""


@activity.defn(name="settle_allocation_request")
async def settle_allocation_request(inp: SettleRequest) -> None:
    """The request's open escalation tasks closed: she has an advocate, or said no."""


@activity.defn(name="record_advocacy_offer")
async def record_advocacy_offer(inp: RecordAdvocacyOffer) -> AdvocacyOfferResult:
    """Her advocate offered again (conference, birth), unless she has one."""


# Delivery and oversight.


@activity.defn(name="deliver_due_notices")
async def deliver_due_notices(inp: DispatchRequest) -> DispatchResult:
    """One round of delivery: removal messages escalated, due notices sent."""


@activity.defn(name="poll_delivery_statuses")
async def poll_delivery_statuses(inp: DispatchRequest) -> PollResult:
    """Notify asked about messages still on their way."""


@activity.defn(name="check_woman")
async def check_woman(inp: CheckWomanRequest | uuid.UUID) -> WomanCheck:
    """Her invariant checked at the workflow's time; her breaches raised or resolved (a bare id
    is what runs made before the request carried that time sent: kept for replay)."""


@activity.defn(name="sweep_area_invariants")
async def sweep_area_invariants(inp: SweepRequest) -> SweepResult:
    """Every duty whose chain has ended told again, then every woman checked."""
