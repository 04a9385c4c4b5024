"""What staff read about a woman: her summary, the people around her, her timeline."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from forms.common import Contract, Nation


class TimelineEntry(Contract):
    kind: str
    occurred_at: datetime
    summary: str


class ReferralSummary(Contract):
    id: UUID
    received_at: datetime
    referring_agency: str
    referrer_name: str
    screening_decision: str | None
    screened_at: datetime | None


class AgencySummary(Contract):
    code: str
    name: str
    agency_kind: str
    reason: str


class DeadlineSummary(Contract):
    id: UUID
    label: str
    due: date
    status: str
    basis: str
    escalation: str | None
    note: str | None
    # A due date on a weekend or holiday of her area: that fact and the last open day before it.
    closed_day: str | None = None
    # Which clock it is ("prebirth_assessment"), so a page can offer the command that meets it.
    deadline: str | None = None


class MeetingSummary(Contract):
    id: UUID
    kind: str
    starts_at: datetime
    status: str
    sequence: int
    conference_id: UUID | None
    short_notice: bool


class DocumentSummary(Contract):
    id: UUID
    kind: str
    title: str
    audience: str
    created_at: datetime


class ConferenceSummary(Contract):
    id: UUID
    kind: str
    phase: str
    statutory_latest: date | None
    plan: bool | None


class WomanSummary(Contract):
    id: UUID
    given_name: str
    family_name: str
    preferred_name: str | None
    date_of_birth: date
    area: str
    edd: date
    stage: str
    team: str
    coordinator: str | None
    advocate: str | None
    agencies: list[AgencySummary]
    referrals: list[ReferralSummary]
    deadlines: list[DeadlineSummary]
    meetings: list[MeetingSummary]
    conferences: list[ConferenceSummary]
    documents: list[DocumentSummary]
    timeline: list[TimelineEntry]


class WomanListItem(Contract):
    id: UUID
    name: str
    stage: str
    edd: date
    # Her area's nation: a list shows her row in her words, whoever reads it.
    nation: Nation
