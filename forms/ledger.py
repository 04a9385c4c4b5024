"""The "no woman dropped" ledger: every woman whose baby was placed in care, what holds her,
and the breaches of the invariant that says she is never dropped.

A row carries her id and name only (what her area's safeguarding lead may see); everything else
is about her care: who, since when, what is due, what is overdue.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from forms.common import Contract
from forms.duties import DutyView


class BreachKind(StrEnum):
    """Which part of the invariant failed."""

    ADVOCATE = "advocate"
    SUPPORT = "support"
    CONTACT = "contact"


class AdvocateStatus(StrEnum):
    """Why the advocate part of the invariant holds, or that it does not."""

    ALLOCATED = "allocated"
    OFFERED = "offered"
    ALLOCATING = "allocating"
    ESCALATED = "escalated"
    DECLINED = "declined"
    NONE = "none"


class Finding(Contract):
    """One failed part of the invariant; the detail names no person."""

    kind: BreachKind
    detail: str


class AdvocateView(Contract):
    status: AdvocateStatus
    name: str | None = None
    since: datetime | None = None
    reason: str | None = None


class EpisodeView(Contract):
    status: str
    opened_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = None
    close_reason: str | None = None
    handover_to: str | None = None


class PlanReferral(Contract):
    """A referral in her support plan not yet answered."""

    item: str
    status: str
    respond_by: date | None = None


class OverdueClock(Contract):
    label: str
    due: date
    status: str


class BreachView(Contract):
    kind: BreachKind
    detail: str
    raised_at: datetime


class LedgerRow(Contract):
    """One woman in the ledger, as her area's safeguarding lead sees her."""

    woman_id: UUID
    name: str
    area_code: str
    team_id: UUID
    advocate: AdvocateView
    episode: EpisodeView | None = None
    named_worker: str | None = None
    last_contact_on: date | None = None
    next_contact_due: date | None = None
    missed_contacts: int = 0
    contact_overdue: bool = False
    heightened_risk_until: date | None = None
    heightened_risk: bool = False
    open_referrals: list[PlanReferral] = Field(default_factory=list)
    overdue_clocks: list[OverdueClock] = Field(default_factory=list)
    breaches: list[BreachView] = Field(default_factory=list)
    # What is owed to her (from the duty register): by whom, since when, what has been done
    # (its escalation level), and whether it is dropped.
    duties: list[DutyView] = Field(default_factory=list)


class Ledger(Contract):
    """One page of the ledger: the women with an overdue duty first (longest overdue first),
    then the others; `next` continues it (none on the last page)."""

    area: str | None = None
    team: UUID | None = None
    today: date
    rows: list[LedgerRow] = Field(default_factory=list)
    next: str | None = None


class CheckWomanRequest(Contract):
    """Activity input: check her invariant at `at`, the calling workflow's time (so that grace
    windows compare workflow time with workflow time, in simulation and on replay alike)."""

    woman_id: UUID
    at: datetime | None = None


class WomanCheck(Contract):
    """What one check of her invariant changed, and what stays open."""

    woman_id: UUID
    raised: list[BreachKind] = Field(default_factory=list)
    resolved: list[BreachKind] = Field(default_factory=list)
    open: list[BreachKind] = Field(default_factory=list)


class SweepInput(Contract):
    """The periodic sweep; `today` is the UK day it checks against (the workflow's by default)."""

    today: date | None = None


class SweepRequest(Contract):
    """Activity input: the UK day to check against and the moment to stamp (workflow time)."""

    today: date
    at: datetime | None = None


class SweepResult(Contract):
    women: int = 0
    # Duties still owed after their chain ended, told again to the lead (duty_repeat).
    repeated: int = 0
    raised: int = 0
    resolved: int = 0
    open: int = 0
