"""The search for a woman's record: by name, NHS or CHI number, or date of birth."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from forms.common import Contract, Nation
from forms.identifiers import normalise_number

NameTerm = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
MAX_RESULTS = 50


class SearchQuery(Contract):
    """At least one of: her name (family name, or given and family names), her NHS or CHI
    number, her date of birth. Given together, every one must match."""

    model_config = ConfigDict(extra="forbid")

    name: NameTerm | None = None
    number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None
    date_of_birth: date | None = None

    @model_validator(mode="after")
    def _something(self) -> SearchQuery:
        self.name = self.name or None
        self.number = normalise_number(self.number) if self.number else None
        if self.name is None and self.number is None and self.date_of_birth is None:
            raise ValueError("give her name, her NHS or CHI number, or her date of birth")
        if self.name is not None and len(self.name) < 2:
            raise ValueError("give at least two letters of her name")
        return self


class SearchResult(Contract):
    id: UUID
    name: str
    date_of_birth: date
    stage: str
    edd: date
    # Her area's nation: a list shows her row in her words, whoever reads it.
    nation: Nation


class SearchResults(Contract):
    results: list[SearchResult] = Field(default_factory=list)
    # True when more women matched than are shown: narrow the search.
    more: bool = False
