"""Small shared vocabulary for the contracts: nations, roles and the acting person."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Annotated, NamedTuple
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

# Why a person did something: required wherever a rule is set aside or a decision is made.
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


def nfc(value: str) -> str:
    """One spelling for one name: the same letters typed two ways (é, e + ◌́) compare equal."""
    return unicodedata.normalize("NFC", value)


# A person's name, normalised to NFC. What a name may not contain is checked at the boundary
# (`name_problem`), not here: these contracts are also decoded when running workflows replay,
# and a rule added later must not refuse a name that an earlier version accepted.
PersonName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(nfc),
]


class Problem(NamedTuple):
    """What is wrong with one field of a request, named by its dotted path."""

    field: str
    problem: str


def name_problem(value: str) -> str | None:
    """Why this cannot be a person's name, or None: it needs a letter, and no control or format
    character (bidirectional overrides, zero-width characters) that would change how it reads."""
    categories = {unicodedata.category(char) for char in value}
    if "Cc" in categories:
        return "must not contain control characters"
    if "Cf" in categories:
        return "must not contain invisible formatting characters (such as direction overrides)"
    if not any(category.startswith("L") for category in categories):
        return "must contain at least one letter"
    return None


def checked_name(value: str) -> str:
    """For contracts that never reach a workflow (staff accounts): NFC, and refused at once."""
    value = nfc(value)
    why = name_problem(value)
    if why:
        raise ValueError(f"the name {why}")
    return value


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
