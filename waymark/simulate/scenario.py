"""Reading a scenario (TOML or JSON): one woman, a start date and her dated events, checked with
pydantic so that every mistake names the event it is in."""

from __future__ import annotations

import json
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from forms.referral import Concerns, ContactPreferences
from waymark.areas import UnknownAreaError, get_area
from waymark.simulate.context import referral_areas
from waymark.simulate.events import KINDS, Event, Username

EVENT = TypeAdapter[Event](Event)
DATE_ERRORS = {
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "date_type",
}


class ScenarioError(ValueError):
    """A scenario that cannot be run: the message says where and what is wrong."""


class WomanSpec(BaseModel):
    """The woman: a pseudonym, her area, her EDD (a date or days after the start), the referral."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="Woman 1", min_length=1, max_length=100)
    area: str = "northmoor"
    edd: date | None = None
    edd_in_days: int | None = Field(default=None, ge=-14, le=280)
    age: int = Field(default=28, ge=12, le=60)
    referred_by: Username | None = None
    concerns: Concerns = Field(
        default_factory=lambda: Concerns(
            substances=["heroin"], in_drug_treatment=True, opioid_substitution_therapy=True
        )
    )
    contact: ContactPreferences | None = None

    @model_validator(mode="after")
    def _edd_once(self) -> WomanSpec:
        if (self.edd is None) == (self.edd_in_days is None):
            raise ValueError("give her EDD as edd (a date) or edd_in_days (one of them)")
        try:
            get_area(self.area)
        except UnknownAreaError as error:
            raise ValueError(str(error)) from None
        if self.area not in referral_areas():
            known = ", ".join(referral_areas())
            raise ValueError(
                f"area: the demo data has no team taking referrals in '{self.area}'"
                f" (use one of: {known})"
            )
        return self

    def due_date(self, start: date) -> date:
        """Her EDD in scenario dates."""
        return self.edd if self.edd is not None else start + timedelta(days=self.edd_in_days or 0)


class Scenario(BaseModel):
    """A case to replay: she is referred on `start`; events follow in date order."""

    model_config = ConfigDict(extra="forbid")

    title: str = "Scenario"
    start: date
    end: date | None = None
    woman: WomanSpec
    events: list[Event] = Field(default_factory=list)
    advocates: Literal["accept", "manual"] = "accept"
    expect: list[str] = Field(default_factory=list)

    @property
    def last_day(self) -> date:
        """The day the run stops: `end`, else the day after the last event."""
        if self.end is not None:
            return self.end
        days = [e.on for e in self.events] or [self.start]
        return max(days) + timedelta(days=1)


def load_scenario(path: Path) -> Scenario:
    """Read a .toml or .json scenario file; ScenarioError names the file and the problem."""
    try:
        text = path.read_text()
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read it ({error.strerror})") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        kind = "JSON" if path.suffix == ".json" else "TOML"
        raise ScenarioError(f"{path}: not valid {kind}: {error}") from None
    try:
        return parse_scenario(data)
    except ScenarioError as error:
        raise ScenarioError(f"{path}: {error}") from None


def parse_scenario(data: dict[str, Any]) -> Scenario:
    """Check a scenario's data: each event alone first, so an error names the event."""
    raw_events = data.get("events", [])
    if not isinstance(raw_events, list):
        raise ScenarioError("events: must be a list of tables ([[events]])")
    events = [parse_event(number, raw) for number, raw in enumerate(raw_events, start=1)]
    try:
        scenario = Scenario.model_validate({**data, "events": []})
    except ValidationError as error:
        raise ScenarioError(describe(error)) from None
    scenario.events = events
    check_order(scenario)
    return scenario


def parse_event(number: int, raw: Any) -> Event:
    """One event; the error starts 'event N (do = ..., on = ...)'."""
    if not isinstance(raw, dict):
        raise ScenarioError(f"event {number}: must be a table with `on` and `do`")
    where = f"event {number} (do = {raw.get('do')!r}, on = {raw.get('on')!s})"
    if "do" not in raw:
        raise ScenarioError(f"{where}: `do` is missing; one of: {', '.join(KINDS)}")
    if raw["do"] not in KINDS:
        raise ScenarioError(f"{where}: unknown do = {raw['do']!r}; one of: {', '.join(KINDS)}")
    try:
        return EVENT.validate_python(raw)
    except ValidationError as error:
        raise ScenarioError(f"{where}: {describe(error, skip=1)}") from None


def check_order(scenario: Scenario) -> None:
    """Events must be in date order, on or after the start, and before the end."""
    previous = scenario.start
    for number, event in enumerate(scenario.events, start=1):
        where = f"event {number} (do = {event.do!r}, on = {event.on})"
        if event.on < scenario.start:
            raise ScenarioError(f"{where}: is before the start ({scenario.start})")
        if event.on < previous:
            raise ScenarioError(f"{where}: is before the event above it; list events in date order")
        if scenario.end is not None and event.on > scenario.end:
            raise ScenarioError(f"{where}: is after the end ({scenario.end})")
        previous = event.on


def describe(error: ValidationError, skip: int = 0) -> str:
    """Each problem as `field: message`; a bad date says how to write one."""
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"][skip:]) or "scenario"
        if item["type"] in DATE_ERRORS:
            message = f"{item['input']!r} is not a date; write it as YYYY-MM-DD"
        elif item["type"] == "extra_forbidden":
            message = "unknown field"
        elif item["type"] == "missing":
            message = "is required"
        else:
            message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{where}: {message}")
    return "; ".join(problems)
