"""Clocks: a deadline in a woman's pathway with its reminder and escalation chain."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from forms.common import Actor, Contract, Reason


class Escalation(StrEnum):
    """Who is told, in order: the owner before it is due, then their manager, then the lead.

    A clock that starts already overdue (a late referral) tells the owner and the manager once,
    together (LATE_START), and the lead later if it is still not done.
    """

    REMIND_OWNER = "remind_owner"
    ESCALATE_MANAGER = "escalate_manager"
    ESCALATE_LEAD = "escalate_lead"
    LATE_START = "late_start"


class ClockStatus(StrEnum):
    PENDING = "pending"
    MET = "met"
    # Done, but after its due date (a conference held after its latest date): never "met".
    LATE = "late"
    PAUSED = "paused"
    CANCELLED = "cancelled"


class ClockStep(Contract):
    at: datetime
    action: Escalation
    done: bool = False


class ClockRequest(Contract):
    """A deadline a workflow wants watched: a known due date, or a rule (an AreaRules span
    field) counted from a date, which the planning activity turns into a date."""

    deadline: str
    label: str
    due: date | None = None
    basis: str = ""
    after: date | None = None
    rule: str | None = None


class Clock(Contract):
    """A watched deadline. key is its business key: unique across the whole system."""

    key: str
    deadline: str
    label: str
    due: date
    basis: str
    status: ClockStatus = ClockStatus.PENDING
    steps: list[ClockStep] = Field(default_factory=list)
    note: str | None = None


class PlanClocks(Contract):
    """Activity input: turn deadlines into clocks (escalation times) and record them."""

    woman_id: UUID
    scope: str
    area: str
    requests: list[ClockRequest]
    # The workflow's time: a clock that starts already late is escalated from then (defaults
    # keep payloads from running workflows decoding).
    at: datetime | None = None


class ComputeDeadlines(Contract):
    """Activity input: the statutory deadlines from the dates known so far."""

    area: str
    edd: date
    concern: date | None = None
    strategy_discussion: date | None = None
    conference: date | None = None
    conference_kind: str = "initial"
    birth: date | None = None


class EscalateClock(Contract):
    woman_id: UUID
    clock: Clock
    action: Escalation
    # The workflow's time, stamped on the notices and timeline entry it writes.
    at: datetime | None = None


class ClockChange(StrEnum):
    MET = "met"
    LATE = "late"
    PAUSED = "paused"
    RESUMED = "resumed"
    EXTENDED = "extended"
    CANCELLED = "cancelled"


class RecordClockChange(Contract):
    woman_id: UUID
    clock: Clock
    change: ClockChange
    reason: str | None = None
    actor: Actor | None = None
    at: datetime


class PauseClock(Contract):
    """Pause, resume or extend a clock: always with a recorded reason."""

    key: str
    reason: Reason
    actor: Actor


class ExtendClock(PauseClock):
    new_due: date
