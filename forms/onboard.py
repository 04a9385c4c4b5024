"""One row of an onboarding file: a woman already in an area's care, the stage she has reached
and its key dates (docs/onboarding.md). Field names are the file's column names."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints, field_validator, model_validator

from forms.clock import Clock
from forms.common import Contract, PersonName
from forms.identifiers import check_chi_number, check_nhs_number
from forms.pathway import Stage
from forms.referral import POSTCODE, Code, ShortText

CaseId = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,63}$")
]
# The stages a woman can be brought in at, and the dates each needs (beyond referral_on).
STAGES: dict[Stage, tuple[str, ...]] = {
    Stage.SCREENING: (),
    Stage.PRE_BIRTH_ASSESSMENT: (),
    Stage.STRATEGY_DISCUSSION: (),
    Stage.CONFERENCE: ("strategy_discussion_on",),
    Stage.CHILD_PROTECTION_PLAN: ("conference_on",),
    Stage.POSTNATAL: ("born_on",),
    Stage.BABY_IN_CARE: ("born_on", "placed_on"),
}


class OnboardRow(Contract):
    case_id: CaseId
    area: Code
    given_name: PersonName
    family_name: PersonName
    preferred_name: PersonName | None = None
    date_of_birth: date
    nhs_number: str | None = None
    chi_number: str | None = None
    address_line1: ShortText
    town: ShortText
    postcode: Annotated[str, StringConstraints(pattern=POSTCODE)]
    edd: date
    stage: Stage
    referral_on: date
    concern_on: date | None = None
    strategy_discussion_on: date | None = None
    conference_on: date | None = None
    born_on: date | None = None
    placed_on: date | None = None
    advocate: Annotated[str, Field(max_length=120)] | None = None

    @field_validator("postcode", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("nhs_number")
    @classmethod
    def _nhs(cls, value: str | None) -> str | None:
        return check_nhs_number(value) if value else None

    @field_validator("stage")
    @classmethod
    def _supported(cls, value: Stage) -> Stage:
        if value not in STAGES:
            known = ", ".join(s.value for s in STAGES)
            raise ValueError(f"a woman can be brought in at {known} (not yet {value.value})")
        return value

    @model_validator(mode="after")
    def _dates(self) -> OnboardRow:
        if self.chi_number:
            self.chi_number = check_chi_number(self.chi_number, self.date_of_birth)
        for needed in STAGES.get(self.stage, ()):
            if getattr(self, needed) is None:
                raise ValueError(f"{needed}: needed for a woman at {self.stage.value}")
        if self.concern_on and self.concern_on > self.referral_on:
            raise ValueError("concern_on: after her referral_on")
        if self.strategy_discussion_on and self.strategy_discussion_on < self.referral_on:
            raise ValueError("strategy_discussion_on: before her referral_on")
        if self.conference_on and self.conference_on < (
            self.strategy_discussion_on or self.referral_on
        ):
            raise ValueError("conference_on: before her strategy discussion or referral")
        if self.placed_on and (self.born_on is None or self.placed_on < self.born_on):
            raise ValueError("placed_on: before her baby's born_on")
        return self


class OverdueOnArrival(Contract):
    """Activity input: a task for her team for each duty already overdue when she arrived."""

    woman_id: UUID
    team_id: UUID
    clocks: list[Clock]
