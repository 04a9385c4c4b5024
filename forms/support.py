"""Her own support episode after her baby is placed in care: it outlives the baby's case."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from forms.area import AreaRules
from forms.clock import Clock
from forms.common import Actor, Contract, Reason


class PlanItem(StrEnum):
    """What her support plan refers her to, each with its own response clock."""

    PERINATAL_MENTAL_HEALTH = "perinatal_mental_health"
    DRUG_TREATMENT = "drug_treatment_continuity"
    HOUSING = "housing"
    PEER_SUPPORT = "peer_support"
    PAUSE_PROGRAMME = "pause_programme_offer"
    CONTACT_WITH_BABY = "contact_arrangements"
    PRACTICAL_HELP = "practical_help"


URGENT_ITEMS = frozenset({PlanItem.HOUSING})

PLAN_LABELS = {
    PlanItem.PERINATAL_MENTAL_HEALTH: "Perinatal mental health referral answered",
    PlanItem.DRUG_TREATMENT: "Drug treatment continuity confirmed",
    PlanItem.HOUSING: "Housing referral answered (urgent)",
    PlanItem.PEER_SUPPORT: "Peer support referral answered",
    PlanItem.PAUSE_PROGRAMME: "Pause-type programme offered",
    PlanItem.CONTACT_WITH_BABY: "Contact arrangements with her baby agreed",
    PlanItem.PRACTICAL_HELP: "Practical help (transport, benefits) arranged",
}


class ContactKind(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"
    OUTREACH_VISIT = "outreach_visit"


class EpisodeStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class SupportState(Contract):
    episode_id: UUID
    woman_id: UUID
    opened_at: datetime
    removal_on: date
    birth_on: date
    status: EpisodeStatus = EpisodeStatus.ACTIVE
    named_worker_id: UUID | None = None
    last_contact_on: date | None = None
    next_contact_due: date
    missed_contacts: int = 0
    escalated_for_missed: bool = False
    items: dict[str, str] = Field(default_factory=dict)
    clocks: dict[str, Clock] = Field(default_factory=dict)
    baby_home: bool = False
    # Her baby's social worker (who placed the baby), never her own named worker.
    baby_worker_id: UUID | None = None
    revision: int = 0
    # Opened as she was brought in from an area's records (waymark onboard): her team gets a
    # task for each duty already overdue, and nobody a notice about the past.
    arrived_team_id: UUID | None = None


class SupportInput(Contract):
    state: SupportState
    area: AreaRules
    pathway_id: str
    history_event_limit: int = 1_500


class RecordContact(Contract):
    """A contact with her: it resets the contact rhythm (missing one never closes anything)."""

    on: date
    kind: ContactKind
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    actor: Actor


class RecordPlanItem(Contract):
    item: PlanItem
    outcome: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    actor: Actor


class NameWorker(Contract):
    """Her named worker, named later (nobody could be named when her episode opened, or the
    worker changes): a social worker in her team who does not work for her baby."""

    worker_id: UUID
    actor: Actor


class CloseEpisode(Contract):
    """Only a safeguarding lead's sign-off closes it: a reason and a handover, and a second
    reason before the area's minimum period has passed."""

    reason: Reason
    handover_to: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    second_reason: Reason | None = None
    actor: Actor


class OpenEpisode(Contract):
    """Activity input: open her episode (named worker, plan, flag); returns the named worker."""

    state: SupportState
    workflow_id: str
    area: str
    heightened_risk_until: date


class ContactEntry(Contract):
    """A contact with her as her record keeps it, with the worker's note."""

    on: date
    kind: ContactKind
    note: str = ""


class SupportEvent(Contract):
    """Activity input: something in her episode, for the read model and her timeline."""

    episode_id: UUID
    woman_id: UUID
    key: str
    kind: str
    summary: str
    at: datetime
    actor: Actor | None = None
    state: SupportState
    close_reason: str | None = None
    handover_to: str | None = None
    # A contact with her, kept with its note (runs from before this carried none).
    contact: ContactEntry | None = None


class MissedContact(Contract):
    """Activity input: a contact was due and did not happen: outreach, then escalation."""

    episode_id: UUID
    woman_id: UUID
    due: date
    missed: int
    escalate: bool
    named_worker_id: UUID | None
    # The workflow's time, stamped on the notices and timeline entry (None from older runs).
    at: datetime | None = None
