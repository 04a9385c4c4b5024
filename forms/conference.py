"""The case conference: England's ICPC / review, Scotland's CPPM / review."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from forms.area import AreaRules
from forms.clock import Clock
from forms.common import Actor, Contract
from forms.meeting import Invitee, MeetingRef

LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]


class ConferenceKind(StrEnum):
    INITIAL = "initial"
    REVIEW = "review"


class ConferencePhase(StrEnum):
    TO_SCHEDULE = "to_schedule"
    SCHEDULED = "scheduled"
    DECIDED = "decided"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Category(StrEnum):
    """England's categories of a child protection plan (Scotland records areas of concern)."""

    PHYSICAL = "physical_abuse"
    EMOTIONAL = "emotional_abuse"
    SEXUAL = "sexual_abuse"
    NEGLECT = "neglect"
    MULTIPLE = "multiple"


class ConferenceOutcome(Contract):
    """Who attended and what was decided. England: plan and category; Scotland: registration
    and areas of concern."""

    attended_agencies: list[str] = Field(default_factory=list)
    woman_attended: bool
    advocate_attended: bool = False
    plan: bool | None = None
    category: Category | None = None
    areas_of_concern: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    actor: Actor


class SubmitReport(Contract):
    """An agency's report for the conference (shared with the woman before it)."""

    organisation_id: UUID
    summary: LongText
    actor: Actor


class RecordMinutes(Contract):
    text: LongText
    actor: Actor


class RecordCoreGroup(Contract):
    held_on: date
    actor: Actor


class ConferenceState(Contract):
    conference_id: UUID
    woman_id: UUID
    kind: ConferenceKind
    phase: ConferencePhase = ConferencePhase.TO_SCHEDULE
    statutory_latest: date | None = None
    latest_basis: str = ""
    meeting: MeetingRef | None = None
    invitees: list[Invitee] = Field(default_factory=list)
    reports_received: list[UUID] = Field(default_factory=list)
    clocks: dict[str, Clock] = Field(default_factory=dict)
    outcome: ConferenceOutcome | None = None
    decided_on: date | None = None
    minutes_recorded: bool = False
    core_group_held: bool = False
    inquorate_count: int = 0
    review_due: date | None = None


class ConferenceInput(Contract):
    state: ConferenceState
    area: AreaRules
    edd: date
    parent_id: str
    unborn: bool = True


class LatestChange(Contract):
    """Signal to a conference: its statutory latest date moved (an EDD change, a re-date)."""

    latest: date
    basis: str
    # Sent with the birth: the quorum rules for an unborn baby no longer apply.
    born: bool = False


class ConferenceProgress(Contract):
    """Signal from a conference to her pathway: it was decided, or it closed."""

    conference_id: UUID
    phase: ConferencePhase
    meeting_id: UUID | None = None
    quorate: bool | None = None
    plan: bool | None = None
    review_due: date | None = None
    latest: date | None = None


class MeetingChange(Contract):
    """Signal from her pathway to the conference: its meeting was scheduled, moved or cancelled."""

    meeting: MeetingRef
    invitees: list[Invitee] = Field(default_factory=list)
    reason: str | None = None
    at: datetime


class RecordOutcome(Contract):
    """Activity input: the conference decision, written with its timeline entry and letter."""

    woman_id: UUID
    conference_id: UUID
    meeting_id: UUID
    outcome: ConferenceOutcome
    quorate: bool
    missing: list[str]
    decided_at: datetime
    nation: str
    kind: ConferenceKind
    held_on: date
    core_group_by: date | None = None
    review_by: date | None = None


class RecordReport(Contract):
    woman_id: UUID
    conference_id: UUID
    report: SubmitReport
    late: bool
    at: datetime
    chair_id: UUID | None = None


class RecordConference(Contract):
    """Activity input: the conference's row in the read model (its phase and latest date)."""

    state: ConferenceState


class ChaseReports(Contract):
    """Activity input: ask agencies whose reports are outstanding; flag late ones."""

    woman_id: UUID
    conference_id: UUID
    outstanding: list[Invitee]
    due: date
    late: bool
    # The workflow's time, stamped on the notices and tasks (None from older runs).
    at: datetime | None = None


class RecordConferenceDocument(Contract):
    """Activity input: write a conference document (minutes) and its timeline entry."""

    woman_id: UUID
    conference_id: UUID
    kind: str
    text: str
    actor: Actor
    at: datetime
