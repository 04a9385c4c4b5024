"""Contracts of the woman's pathway workflow: its stages, its input and state, its commands."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from pydantic import Field

from forms.area import AreaRules
from forms.birth import BabyState
from forms.clock import Clock
from forms.common import Actor, Contract, Nation, Reason
from forms.meeting import MeetingRef
from forms.referral import ReferralForm


class Stage(StrEnum):
    """Where her journey stands; shown to staff and stored in the read model."""

    SCREENING = "screening"
    EARLY_HELP = "early_help"
    PRE_BIRTH_ASSESSMENT = "pre_birth_assessment"
    STRATEGY_DISCUSSION = "strategy_discussion"
    CONFERENCE = "conference"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    SUPPORT_WITHOUT_PLAN = "support_without_plan"
    POSTNATAL = "postnatal"
    BABY_IN_CARE = "baby_in_care"
    CLOSED = "closed"


class ScreeningDecision(StrEnum):
    NO_FURTHER_ACTION = "no_further_action"
    EARLY_HELP = "early_help"
    PRE_BIRTH_ASSESSMENT = "pre_birth_assessment"
    STRATEGY_DISCUSSION = "strategy_discussion"


DECISION_STAGE = {
    ScreeningDecision.NO_FURTHER_ACTION: Stage.CLOSED,
    ScreeningDecision.EARLY_HELP: Stage.EARLY_HELP,
    ScreeningDecision.PRE_BIRTH_ASSESSMENT: Stage.PRE_BIRTH_ASSESSMENT,
    ScreeningDecision.STRATEGY_DISCUSSION: Stage.STRATEGY_DISCUSSION,
}

# Screening can be revisited only to escalate: early help may become an assessment or a strategy
# discussion, an assessment may need a strategy discussion. Nothing de-escalates by screening.
ALLOWED_DECISIONS: dict[Stage, frozenset[ScreeningDecision]] = {
    Stage.SCREENING: frozenset(ScreeningDecision),
    Stage.EARLY_HELP: frozenset(
        {ScreeningDecision.PRE_BIRTH_ASSESSMENT, ScreeningDecision.STRATEGY_DISCUSSION}
    ),
    Stage.PRE_BIRTH_ASSESSMENT: frozenset({ScreeningDecision.STRATEGY_DISCUSSION}),
}


class PathwayState(Contract):
    """Everything the workflow carries across continue-as-new. No names or contact details."""

    woman_id: UUID
    referral_id: UUID
    area: str
    nation: Nation
    edd: date
    stage: Stage = Stage.SCREENING
    recorded: bool = False
    intake_fingerprint: str = ""
    screening_count: int = 0
    coordinator_id: UUID | None = None
    concern_on: date | None = None
    strategy_discussion_on: date | None = None
    planning_started: bool = False
    meetings: dict[str, MeetingRef] = Field(default_factory=dict)
    clocks: dict[str, Clock] = Field(default_factory=dict)
    conference_id: UUID | None = None
    conference_latest: date | None = None
    conferences_held: int = 0
    plan_made: bool = False
    last_conference_on: date | None = None
    birth_on: date | None = None
    babies: dict[str, BabyState] = Field(default_factory=dict)
    mother_only: bool = False
    support_episodes: int = 0
    support_episode_id: UUID | None = None
    # Booked meetings flagged as after their latest date, until moved in time.
    late_bookings: list[str] = Field(default_factory=list)
    # Merges (their ids) whose records this pathway has taken over.
    absorbed: list[str] = Field(default_factory=list)
    # Transfers to another area already carried out (by transfer id): each once.
    transfers: list[str] = Field(default_factory=list)


class ReopenCase(Contract):
    """Reopen her closed case (a command of its own): the reason is on her record."""

    reason: Reason
    actor: Actor


class BringIn(Contract):
    """Start of a pathway for a woman already in an area's care: her clocks from her real dates,
    and no notice for a date already past (a task for each duty already overdue instead)."""

    referral_on: date
    team_id: UUID
    # Who brought her in: what her pathway records on arrival (her baby) is theirs.
    by: Actor | None = None
    # Her baby's placement in care, if she is brought in after it (the support runs from it).
    placed_on: date | None = None


class PathwayInput(Contract):
    """Start of a pathway (with the referral) or a continuation (state only)."""

    state: PathwayState
    referral: ReferralForm | None = None
    referral_actor: Actor | None = None
    # Continue-as-new once the history passes this many events (well under Temporal's limits).
    history_event_limit: int = 1_500
    # A closed case reopened: the new run of her pathway starts by reopening it, on record.
    reopen: ReopenCase | None = None
    # A woman brought in from an area's records (waymark onboard): her clocks from her dates.
    onboard: BringIn | None = None
    # Her area's rules with their closed days, read by whoever starts her pathway (referral
    # intake) so that it need not fetch them; None: her pathway loads them itself.
    area_rules: AreaRules | None = None


class PathwayResult(Contract):
    woman_id: UUID
    stage: Stage


class ConfirmIntake(Contract):
    """Sent with the start: waits for the referral to be recorded and detects a reused key."""

    intake_fingerprint: str


class ScreeningCommand(Contract):
    """A social worker's screening decision on the referral."""

    decision: ScreeningDecision
    reason: Reason
    actor: Actor


class ScreeningOutcome(Contract):
    stage: Stage
    decided_at: datetime


class RecordReferral(Contract):
    """Activity input: write the woman, the referral and the first timeline entry."""

    woman_id: UUID
    referral_id: UUID
    referral: ReferralForm
    actor: Actor
    received_at: datetime


class RecordScreening(Contract):
    """Activity input: write a screening decision and move her stage."""

    woman_id: UUID
    referral_id: UUID
    sequence: int = Field(ge=1)
    command: ScreeningCommand
    new_stage: Stage
    decided_at: datetime
