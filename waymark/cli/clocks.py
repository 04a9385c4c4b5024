"""`waymark clocks`: the statutory deadlines for a pregnancy in an area, as a table or JSON."""

from __future__ import annotations

import json
import re
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from forms.area import AreaRules
from forms.clocks import Deadline, DeadlineKey
from rules.clocks import compute_deadlines
from waymark.areas import get_area

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

LABELS: dict[str, str] = {
    DeadlineKey.PREBIRTH_CONFERENCE_LATEST: "Latest date for the pre-birth conference",
    DeadlineKey.INITIAL_CONFERENCE: "Initial conference",
    DeadlineKey.CONFERENCE_DUE: "Conference due by",
    DeadlineKey.NOTICE_TO_PARTICIPANTS: "Notice to participants",
    DeadlineKey.REPORTS_TO_WOMAN: "Reports shared with the woman",
    DeadlineKey.DECISION_LETTER: "Decision letter",
    DeadlineKey.MINUTES: "Minutes",
    DeadlineKey.FIRST_CORE_GROUP: "First core group",
    DeadlineKey.FIRST_REVIEW: "First review conference",
    DeadlineKey.NEXT_REVIEW: "Next review conference",
}


class ConferenceKind(StrEnum):
    """Whether the conference given is the initial one or a review."""

    INITIAL = "initial"
    REVIEW = "review"


def parse_date(value: str) -> date:
    """A date written as YYYY-MM-DD, or a usage error that says so."""
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date; write it as YYYY-MM-DD.") from None


def _date_option(help_text: str) -> typer.models.OptionInfo:
    return typer.Option(parser=parse_date, metavar="YYYY-MM-DD", help=help_text)


def clocks(
    area: Annotated[str, typer.Option(help="Area code: england, scotland or an area file's code.")],
    edd: Annotated[date, _date_option("Estimated due date.")],
    concern: Annotated[date | None, _date_option("Date the concern was raised.")] = None,
    strategy_discussion: Annotated[
        date | None, _date_option("Date of the strategy discussion (IRD in Scotland).")
    ] = None,
    conference: Annotated[date | None, _date_option("Date of the conference.")] = None,
    conference_kind: Annotated[
        ConferenceKind, typer.Option(help="Whether the conference is the initial one or a review.")
    ] = ConferenceKind.INITIAL,
    birth: Annotated[date | None, _date_option("Date of birth, if the baby is born.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show the statutory deadlines for a pregnancy in an area."""
    try:
        rules = get_area(area)
        deadlines = compute_deadlines(
            rules,
            edd=edd,
            concern=concern,
            strategy_discussion=strategy_discussion,
            conference=conference,
            conference_kind="review" if conference_kind is ConferenceKind.REVIEW else "initial",
            birth=birth,
        )
    except ValueError as error:
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(code=2) from None
    if as_json:
        typer.echo(json.dumps(_as_json(rules, deadlines), indent=2))
    else:
        Console().print(_as_table(rules, deadlines))


def _as_json(area: AreaRules, deadlines: list[Deadline]) -> dict[str, object]:
    return {
        "area": area.code,
        "deadlines": [item.model_dump(mode="json") for item in deadlines],
    }


def _as_table(area: AreaRules, deadlines: list[Deadline]) -> Table:
    table = Table(title=f"Deadlines in {area.name}", title_justify="left")
    table.add_column("Deadline")
    table.add_column("Due", no_wrap=True)
    table.add_column("Rule")
    for item in deadlines:
        due = f"{item.due.strftime('%a')} {item.due.isoformat()}"
        table.add_row(LABELS.get(item.key, item.key), due, item.basis)
    return table
