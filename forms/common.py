"""Small shared vocabulary for the contracts: nations, roles and the acting person."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, StringConstraints

# Why a person did something: required wherever a rule is set aside or a decision is made.
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Nation(StrEnum):
    """The nation whose law and guidance govern an area."""

    ENGLAND = "england"
    SCOTLAND = "scotland"


class Role(StrEnum):
    """What a user does; the record-level policy keys off it."""

    SOCIAL_WORKER = "social_worker"
    ADVOCATE = "advocate"
    SAFEGUARDING_LEAD = "safeguarding_lead"
    PRACTITIONER = "practitioner"
    ADMIN = "admin"


class Contract(BaseModel):
    """Base for every contract that crosses a boundary: strict about unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=False)


class Actor(Contract):
    """Who is acting, carried into workflows and activities so every write is attributable."""

    user_id: UUID
    role: Role
    organisation_id: UUID
    request_id: str = ""
