"""What staff read about a woman: her summary, the people around her, her timeline."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from forms.common import Contract


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
    advocate: str | None
    agencies: list[AgencySummary]
    referrals: list[ReferralSummary]
    timeline: list[TimelineEntry]


class WomanListItem(Contract):
    id: UUID
    name: str
    stage: str
    edd: date
