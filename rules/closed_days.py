"""No meeting on a day the area's offices are closed: a weekend, a bank holiday of its nation
(England and Scotland differ: 2 January and St Andrew's Day are Scotland's only, Easter Monday
England's), or one of its local holidays, unless the area holds that kind of meeting then.

Pure and sandbox-safe, for the scheduling validator of her pathway: it must not load the
`holidays` package, so the area's holidays arrive with its rules (`AreaRules.closed_days`,
computed by the `load_area_rules` activity). Weekends need no data; without holiday data (a run
that loaded its rules before they carried them, or a year beyond them) only weekends are known.
"""

from __future__ import annotations

from datetime import date, datetime

from temporalio.exceptions import ApplicationError

from forms.area import AreaRules
from rules.uktime import uk_date
from rules.wording import day_and_date

_SATURDAY = 5


def closed_day_reason(area: AreaRules, kind: str, starts_at: datetime) -> str | None:
    """Why a meeting of `kind` cannot start at `starts_at` in this area, naming the date (UK
    time); None when the day is open, or the area holds this kind of meeting on closed days."""
    if kind in area.closed_day_meetings:
        return None
    day = uk_date(starts_at)
    why = _why_closed(area, day)
    if why is None:
        return None
    return (
        f"{day_and_date(day)} is {why}: {area.name} holds this meeting on working "
        "days only. Choose another date"
    )


def refuse_closed_day(area: AreaRules, kind: str, starts_at: datetime) -> None:
    """For a validator: refuse (nothing is written) a meeting on a day the area is closed."""
    reason = closed_day_reason(area, kind, starts_at)
    if reason is not None:
        raise ApplicationError(reason, type="Refused")


def _why_closed(area: AreaRules, day: date) -> str | None:
    """The day's holiday in words, or that it is a weekend; None on a working day."""
    if day in area.local_holidays:
        return f"a local holiday in {area.name}"
    name = area.closed_days.days.get(day) if area.closed_days is not None else None
    if name is not None and name.startswith("a local holiday"):
        return name
    if name is not None:
        return f"{name}, a bank holiday in {area.nation.value.title()}"
    if day.weekday() >= _SATURDAY:
        return "a weekend"
    return None
