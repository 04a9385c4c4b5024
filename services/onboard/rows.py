"""Reading an onboarding file: every row checked before anything is written, and every problem
named by line and column."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from forms.onboard import OnboardRow
from waymark.areas import UnknownAreaError, get_area

# The dates that must not be in the future.
PAST = (
    "referral_on",
    "concern_on",
    "strategy_discussion_on",
    "conference_on",
    "born_on",
    "placed_on",
    "date_of_birth",
)
COLUMNS = tuple(OnboardRow.model_fields)
REQUIRED = tuple(name for name, field in OnboardRow.model_fields.items() if field.is_required())
DATES = ("date_of_birth", "edd", "referral_on", "concern_on", "strategy_discussion_on")


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class Row:
    line: int
    case: OnboardRow


def read(text: str, today: date) -> tuple[list[Row], list[Problem]]:
    """The file's rows, and its problems (none means every row may be brought in)."""
    reader = csv.DictReader(io.StringIO(text))
    problems = _header(reader.fieldnames or [])
    if problems:
        return [], problems
    rows: list[Row] = []
    seen: dict[tuple[str, str], int] = {}
    for raw in reader:
        line = reader.line_num
        row, found = _row(line, raw, today)
        problems += found
        if row is None:
            continue
        key = (row.case.area, row.case.case_id)
        if key in seen:
            problems.append(Problem(line, "case_id", f"the same case id as line {seen[key]}"))
        seen.setdefault(key, line)
        rows.append(row)
    return rows, problems


def _header(names: Sequence[str]) -> list[Problem]:
    unknown = [n for n in names if n not in COLUMNS]
    missing = [n for n in REQUIRED if n not in names]
    found = [Problem(1, n, "not a column of an onboarding file") for n in unknown]
    return found + [Problem(1, n, "this column is missing") for n in missing]


def _row(line: int, raw: dict[str, str | None], today: date) -> tuple[Row | None, list[Problem]]:
    # A blank cell is "not known": left out, so a required column says it is required.
    data = {k: v.strip() for k, v in raw.items() if k and isinstance(v, str) and v.strip()}
    try:
        case = OnboardRow.model_validate(data)
    except ValidationError as exc:
        return None, [_problem(line, error) for error in exc.errors()]
    problems = [
        Problem(line, name, "a date in the future")
        for name in PAST
        if (value := getattr(case, name)) is not None and value > today
    ]
    try:
        area = get_area(case.area)
    except UnknownAreaError:
        return None, [*problems, Problem(line, "area", f"no area with the code {case.area!r}")]
    number = "nhs_number" if area.nation.value == "scotland" else "chi_number"
    if getattr(case, number):
        problems.append(Problem(line, number, f"not used in {area.name}"))
    return (None if problems else Row(line, case)), problems


def _problem(line: int, error: ErrorDetails) -> Problem:
    loc = error["loc"]
    message = error["msg"].removeprefix("Value error, ")
    column = str(loc[0]) if loc else ""
    if not column and ": " in message:
        column, message = message.split(": ", 1)
    if error["type"] == "missing":
        message = "this is required"
    return Problem(line, column or "-", message)
