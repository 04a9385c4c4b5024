"""Pre-birth planning commands: the care co-ordinator, the strategy discussion, EDD changes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from forms.common import Actor, Contract, Reason


class AssignCoordinator(Contract):
    """Name the care co-ordinator (R5.3): one worker who holds the whole picture."""

    user_id: UUID
    actor: Actor


class StrategyOutcome(StrEnum):
    CONFERENCE = "conference"
    ASSESSMENT_ONLY = "assessment_only"


class RecordStrategyDiscussion(Contract):
    """The strategy discussion (England) / IRD (Scotland), held on a date, and what it decided."""

    held_on: date
    concern_on: date | None = None
    outcome: StrategyOutcome
    actor: Actor


class ChangeEdd(Contract):
    edd: date
    reason: Reason
    actor: Actor


class RecordPathwayEvent(Contract):
    """Activity input: a pathway event for her timeline (and the read model's fields it sets)."""

    woman_id: UUID
    event_key: str
    kind: str
    summary: str
    at: datetime
    actor: Actor | None = None
    stage: str | None = None
    edd: date | None = None
    coordinator_id: UUID | None = None
    mother_only: bool | None = None
    data: dict[str, str] = {}


class RecordAssessment(Contract):
    """The pre-birth assessment is complete."""

    completed_on: date
    actor: Actor


class AnswerContactRequest(Contract):
    """Her worker responded to her request for contact."""

    request_id: UUID
    actor: Actor


class RecordContactAnswer(Contract):
    request_id: UUID
    actor: Actor
    at: datetime
