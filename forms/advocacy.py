"""Independent advocacy: offering her an advocate, allocating one, and what staff read about it.

The allocation workflow (`AdvocateAllocation`, id `advocacy-<woman_id>`) takes only ids and
flags: nothing personal crosses into Temporal beyond what is encrypted in payloads.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints, model_validator

from forms.common import Actor, Contract, Nation, Reason

WORKFLOW_NAME = "AdvocateAllocation"
# How long to wait before trying again when no advocate is available (a per-deployment setting).
NO_ADVOCATE_RETRY_HOURS = 4

AreaCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


def allocation_workflow_id(woman_id: object) -> str:
    """Her allocation workflow's id: opaque, one running at a time per woman."""
    return f"advocacy-{woman_id}"


class Trigger(StrEnum):
    """Why an advocate is offered (or allocated) now."""

    REFERRAL = "referral"
    CONFERENCE = "conference"
    BIRTH = "birth"
    REMOVAL = "removal"
    # Her advocate can no longer act (a conflict, leave, left the service).
    REALLOCATION = "reallocation"


OFFER_TRIGGERS = (Trigger.REFERRAL, Trigger.CONFERENCE, Trigger.BIRTH, Trigger.REMOVAL)


class AllocationStatus(StrEnum):
    """An allocation's state; offered and accepted ones are open (they count against capacity)."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TIMED_OUT = "timed_out"
    ENDED = "ended"


class OfferResponse(StrEnum):
    """Her answer to the offer of an advocate."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class AdvocateReply(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"


class AllocationOutcome(StrEnum):
    KEPT = "kept"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    ALREADY_OPEN = "already_open"


# Workflow contracts.


class AllocationInput(Contract):
    """Start an allocation for her; new fields get defaults so running workflows still decode."""

    woman_id: UUID
    area: str
    trigger: Trigger
    after_removal: bool = False
    # The business key of this request: offer rows are keyed `<request_id>:<attempt>`.
    request_id: UUID
    retry_hours: int = Field(default=NO_ADVOCATE_RETRY_HOURS, ge=1)
    # Continue-as-new well before Temporal's history limits while waiting for weeks.
    history_event_limit: int = Field(default=2_000, ge=20)
    # Carried across continue-as-new.
    attempt: int = 0
    excluded: list[UUID] = Field(default_factory=list)
    # Asked and did not answer in time: asked again when nobody else is available.
    lapsed: list[UUID] = Field(default_factory=list)


class AllocationResult(Contract):
    outcome: AllocationOutcome
    allocation_id: UUID | None = None
    advocate_user_id: UUID | None = None


class RespondCommand(Contract):
    """The offered advocate's answer (the API has checked who she is)."""

    allocation_id: UUID
    reply: AdvocateReply
    actor: Actor
    # Why she declined (answers recorded before reasons were asked for have none).
    reason: str = ""


class Withdraw(Contract):
    """She declined advocacy: the request stops and any pending offer ends."""

    actor: Actor


class AdvocateUnable(Contract):
    """An advocate can no longer be considered for her (a conflict was recorded)."""

    advocate_user_id: UUID


class RemovalHappened(Contract):
    """Her baby was removed while the allocation was in progress: it becomes urgent."""

    at: datetime | None = None


# Activity contracts.


class ReviewAllocation(Contract):
    woman_id: UUID
    request_id: UUID
    after_removal: bool
    at: datetime


class Review(Contract):
    """Whether her current advocate is kept (and was told at once)."""

    kept: bool
    allocation_id: UUID | None = None
    advocate_user_id: UUID | None = None


class AllocateAdvocate(Contract):
    woman_id: UUID
    request_id: UUID
    attempt: int
    after_removal: bool
    window_hours: int = Field(ge=1)
    excluded: list[UUID] = Field(default_factory=list)
    at: datetime


class Offer(Contract):
    """The result of one allocation attempt."""

    status: Literal["offered", "none_available", "already_open"]
    allocation_id: UUID | None = None
    advocate_user_id: UUID | None = None
    offered_at: datetime | None = None
    accept_by: datetime | None = None
    reason: str = ""


class RecordAdvocateResponse(Contract):
    allocation_id: UUID
    status: AllocationStatus
    end_reason: str | None = None
    actor: Actor | None = None
    at: datetime


class AlertRemoval(Contract):
    allocation_id: UUID
    accept_by: datetime
    at: datetime


class SettleRequest(Contract):
    """Close the request's escalation tasks once she has an advocate or has said no."""

    woman_id: UUID
    request_id: UUID
    outcome: AllocationOutcome
    at: datetime


class RecordAdvocacyOffer(Contract):
    """For her pathway: at a conference, birth or removal, offer her an advocate again."""

    woman_id: UUID
    trigger: Trigger
    key: str = Field(min_length=1, max_length=150)
    at: datetime
    actor: Actor | None = None


class AdvocacyOfferResult(Contract):
    offered: bool
    reason: str


# API contracts.


class OfferRequest(Contract):
    trigger: Trigger

    @model_validator(mode="after")
    def _an_offer_trigger(self) -> OfferRequest:
        if self.trigger not in OFFER_TRIGGERS:
            raise ValueError("an offer is made at referral, a conference, birth or a removal")
        return self


class ResponseRequest(Contract):
    response: Literal["accepted", "declined"]


DeclineReason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=180)
]


class AdvocateResponseRequest(Contract):
    """Accept, or decline saying why (her manager reads the reason when finding someone else)."""

    reply: AdvocateReply
    reason: DeclineReason | None = None

    @model_validator(mode="after")
    def _a_decline_says_why(self) -> AdvocateResponseRequest:
        if self.reply is AdvocateReply.DECLINE and self.reason is None:
            raise ValueError("say why you cannot take this on")
        return self


class ConflictRequest(Contract):
    woman_id: UUID
    reason: Reason


class ProfileRequest(Contract):
    """An advocate's profile, as an admin sets it."""

    capacity: int = Field(ge=0, le=100)
    areas: list[AreaCode] = Field(min_length=1, max_length=20)
    languages: list[LanguageCode] = Field(default_factory=lambda: ["en"], max_length=20)
    on_leave_from: date | None = None
    on_leave_until: date | None = None
    is_manager: bool = False

    @model_validator(mode="after")
    def _leave_in_order(self) -> ProfileRequest:
        start, end = self.on_leave_from, self.on_leave_until
        if start is not None and end is not None and end < start:
            raise ValueError("leave must end on or after the day it starts")
        return self


class OfferView(Contract):
    id: UUID
    trigger: str
    offered_at: datetime
    response: str
    responded_at: datetime | None


class AllocationView(Contract):
    id: UUID
    advocate: str
    status: str
    started_at: datetime
    offered_at: datetime | None
    accept_by: datetime | None
    responded_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None
    after_removal: bool


class AdvocacyHistory(Contract):
    offers: list[OfferView]
    allocations: list[AllocationView]


class AllocatedWoman(Contract):
    id: UUID
    name: str
    stage: str
    since: datetime
    status: str
    # Her area's nation: a list shows her row in her words, whoever reads it.
    nation: Nation


class ResponseRecorded(Contract):
    """Her answer is on record; an acceptance starts (or joins) her allocation workflow."""

    offer_id: UUID
    response: OfferResponse
    workflow_id: str | None = None


class AnswerRecorded(Contract):
    status: AllocationStatus


class ConflictRecorded(Contract):
    """The conflict is on record; if the advocate had her case, she is being replaced."""

    id: UUID
    reallocating: bool


class ProfileView(ProfileRequest):
    user_id: UUID
