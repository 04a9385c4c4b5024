"""Birth, where the baby is, placement changes (including removal into care) and discharge."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from forms.common import Actor, Contract, Nation, Reason


class BabyLocation(StrEnum):
    """Where a baby is in hospital: with her on the ward, transitional care or the unit."""

    WITH_MOTHER = "with_mother"
    NEONATAL_UNIT = "neonatal_unit"
    TRANSITIONAL_CARE = "transitional_care"


class Exposure(StrEnum):
    """Substances the baby was exposed to, which set how long the baby is observed."""

    OPIOIDS_OR_POLYDRUG = "opioids_or_polydrug"
    STIMULANTS_ONLY = "stimulants_only"
    NONE_KNOWN = "none_known"


class Placement(StrEnum):
    WITH_MOTHER = "with_mother"
    MOTHER_AND_BABY = "mother_and_baby_placement"
    FAMILY_OR_FRIENDS = "family_or_friends"
    CARE = "care"


class LegalBasis(StrEnum):
    """The legal basis on which a baby is placed in care (England / Scotland)."""

    POLICE_PROTECTION = "police_protection"
    EMERGENCY_PROTECTION_ORDER = "emergency_protection_order"
    VOLUNTARY_S20 = "voluntary_accommodation_s20"
    VOLUNTARY_S25 = "voluntary_accommodation_s25"
    INTERIM_CARE_ORDER = "interim_care_order"
    CARE_ORDER = "care_order"
    CHILD_PROTECTION_ORDER = "child_protection_order"
    COMPULSORY_SUPERVISION_ORDER = "compulsory_supervision_order"


ENGLAND_ONLY = {
    LegalBasis.VOLUNTARY_S20,
    LegalBasis.EMERGENCY_PROTECTION_ORDER,
    LegalBasis.INTERIM_CARE_ORDER,
    LegalBasis.CARE_ORDER,
}
SCOTLAND_ONLY = {
    LegalBasis.VOLUNTARY_S25,
    LegalBasis.CHILD_PROTECTION_ORDER,
    LegalBasis.COMPULSORY_SUPERVISION_ORDER,
}


def basis_fits_nation(basis: LegalBasis, nation: Nation) -> bool:
    """Each nation's law has its own orders; police protection exists in both."""
    return basis not in (SCOTLAND_ONLY if nation is Nation.ENGLAND else ENGLAND_ONLY)


class BabyAtBirth(Contract):
    location: BabyLocation = BabyLocation.WITH_MOTHER


class RecordBirth(Contract):
    """The birth, recorded by maternity or the social worker."""

    born_at: AwareDatetime
    gestation_weeks: Annotated[int, Field(ge=22, le=44)]
    gestation_days: Annotated[int, Field(ge=0, le=6)] = 0
    babies: list[BabyAtBirth] = Field(min_length=1, max_length=4)
    exposure: Exposure = Exposure.NONE_KNOWN
    actor: Actor


class BabyState(Contract):
    baby_id: UUID
    number: int
    born_at: datetime
    location: BabyLocation
    placement: Placement = Placement.WITH_MOTHER
    legal_basis: LegalBasis | None = None
    observe_until: date
    discharged: bool = False


class RecordPlacement(Contract):
    """Where a baby is to live; a move into care is a removal and starts her support."""

    baby_id: UUID
    placement: Placement
    legal_basis: LegalBasis | None = None
    reason: Reason
    actor: Actor

    @model_validator(mode="after")
    def _basis_for_care(self) -> RecordPlacement:
        if self.placement is Placement.CARE and self.legal_basis is None:
            raise ValueError("a placement in care needs its legal basis")
        if self.placement is not Placement.CARE and self.legal_basis is not None:
            raise ValueError("a legal basis is recorded only for a placement in care")
        return self


class RecordDischarge(Contract):
    baby_id: UUID
    # The day the baby left hospital, when it is not the day this is recorded.
    discharged_on: date | None = None
    actor: Actor


class MoveBaby(Contract):
    """A baby moves within hospital: the neonatal unit, transitional care, the ward with her."""

    baby_id: UUID
    location: BabyLocation
    actor: Actor


class CloseCase(Contract):
    """The baby's case (her pathway) closes; her own support episode is not affected."""

    reason: Reason
    actor: Actor


class RecordBabyEvent(Contract):
    """Activity input: write a baby's row and the timeline entry for what happened."""

    woman_id: UUID
    baby: BabyState
    event: str
    summary: str
    at: datetime
    # The day it happened, when it is not the day it is recorded (a discharge given late).
    on: date | None = None
    actor: Actor | None = None
    reason: str | None = None
    # Work this event creates for her worker (or her team): booking a pre-discharge meeting,
    # or following up a discharge before the observation advised for the baby's exposure.
    task: str | None = None
    task_kind: str = "baby_follow_up"
    task_due: date | None = None
