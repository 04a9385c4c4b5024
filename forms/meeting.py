"""Meetings about a woman: scheduling, changes, who is invited, what must be sent when."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from forms.common import Actor, Contract, Nation, Reason

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# A language by its ISO 639 code, as forms.languages names it for people.
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


class MeetingKind(StrEnum):
    PLANNING = "planning_meeting"
    CONFERENCE = "conference"
    REVIEW_CONFERENCE = "review_conference"
    CORE_GROUP = "core_group"
    PRE_DISCHARGE = "pre_discharge"
    PRE_PROCEEDINGS = "pre_proceedings"
    COURT = "court_hearing"
    APPOINTMENT = "appointment"


# England's Public Law Outline has pre-proceedings meetings; Scotland has no such process (a
# Children's Hearing decides on compulsory measures), so it is never offered there.
ENGLAND_ONLY_KINDS = frozenset({MeetingKind.PRE_PROCEEDINGS})


def kind_fits_nation(kind: MeetingKind, nation: Nation) -> bool:
    """Whether this kind of meeting exists where she lives."""
    return nation is Nation.ENGLAND or kind not in ENGLAND_ONLY_KINDS


class MeetingFormat(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    INQUORATE = "inquorate"
    CANCELLED = "cancelled"


class Venue(Contract):
    name: ShortText
    address: ShortText | None = None
    private_room: bool = False
    accessible: bool = False


class MeetingDetails(Contract):
    """When and where: a venue (with a private room and access noted) for in-person meetings."""

    starts_at: AwareDatetime
    duration_minutes: int = Field(default=90, ge=15, le=480)
    format: MeetingFormat = MeetingFormat.IN_PERSON
    venue: Venue | None = None
    travel_support: bool = False
    # The language an interpreter at the meeting speaks, when she needs one.
    interpreter: LanguageCode | None = None

    @model_validator(mode="after")
    def _venue_for_in_person(self) -> MeetingDetails:
        if self.format is MeetingFormat.IN_PERSON and self.venue is None:
            raise ValueError("an in-person meeting needs a venue")
        return self


class ScheduleMeeting(Contract):
    """Schedule a meeting (or reschedule one, by meeting_id)."""

    kind: MeetingKind
    details: MeetingDetails
    meeting_id: UUID | None = None
    late_reason: Reason | None = None
    actor: Actor
    # Agencies (organisations in her area) invited as well as those the area's rules invite.
    also_invite: list[UUID] = Field(default_factory=list, max_length=20)


class MeetingHeld(Contract):
    """A meeting (other than a conference, whose outcome records it) took place."""

    meeting_id: UUID
    actor: Actor


class CancelMeeting(Contract):
    meeting_id: UUID
    reason: Reason
    actor: Actor


class MeetingRef(Contract):
    """What her pathway keeps about each meeting: enough to check clashes and follow changes."""

    meeting_id: UUID
    kind: MeetingKind
    starts_at: datetime
    ends_at: datetime
    details: MeetingDetails
    status: MeetingStatus = MeetingStatus.SCHEDULED
    sequence: int = 0
    conference_id: UUID | None = None


class MeetingReceipt(Contract):
    meeting_id: UUID
    sequence: int
    warnings: list[str] = Field(default_factory=list)


class InviteeKind(StrEnum):
    WOMAN = "woman"
    ADVOCATE = "advocate"
    AGENCY = "agency"


class Invitee(Contract):
    kind: InviteeKind
    name: str
    organisation_id: UUID | None = None
    user_id: UUID | None = None
    agency_kind: str | None = None
    required: bool = False
    owes_report: bool = False


class RecordMeeting(Contract):
    """Activity input: the meeting row and, in the same transaction, the notices it causes."""

    woman_id: UUID
    meeting: MeetingRef
    change: Literal["scheduled", "rescheduled", "cancelled", "held"]
    area: str
    reason: str | None = None
    short_notice: bool = False
    actor: Actor | None = None
    at: datetime
    also_invite: list[UUID] = Field(default_factory=list)
