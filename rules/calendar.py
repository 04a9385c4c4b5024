"""Date arithmetic for clocks: an area's working days, months and weeks of gestation.

Pure functions (no I/O, no clock), but they use the `holidays` package, whose data can change
with an upgrade: call them from activities, so a workflow replays the dates it first recorded.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType

import holidays

from forms.area import AreaRules, ClosedDays, Span
from forms.common import Nation
from rules.months import add_months
from rules.wording import day_and_date

# The `holidays` package's subdivision codes for each nation's bank holidays.
SUBDIVISIONS: dict[Nation, str] = {Nation.ENGLAND: "ENG", Nation.SCOTLAND: "SCT"}

# A full-term pregnancy in days: the estimated due date is 40+0 weeks' gestation.
FULL_TERM_DAYS = 280

_SATURDAY = 5

# Her pathway reads its area's rules again when it continues as new, so a few years' closed days
# suffice for the meetings it may schedule meanwhile.
CLOSED_DAYS_YEARS_AHEAD = 3


def gestation_date(edd: date, weeks: int, days: int = 0) -> date:
    """The date a pregnancy reaches `weeks`+`days` of gestation, given its estimated due date."""
    return edd - timedelta(days=FULL_TERM_DAYS - 7 * weeks - days)


def describe_span(span: Span) -> str:
    """A span in plain words, such as "15 working days" or "1 month"."""
    words = {
        "working_days": ("working day", "working days"),
        "calendar_days": ("day", "days"),
        "weeks": ("week", "weeks"),
        "months": ("month", "months"),
    }[span.unit]
    return f"{span.amount} {words[0] if span.amount == 1 else words[1]}"


def with_closed_days(area: AreaRules, this_year: int) -> AreaRules:
    """The area's rules with its closed days from `this_year` for the next few, as a pathway
    runs under them (read when it starts, so its replay never depends on the `holidays` data)."""
    closed = WorkingCalendar(area).closed_days(this_year, this_year + CLOSED_DAYS_YEARS_AHEAD)
    return area.model_copy(update={"closed_days": closed})


class WorkingCalendar:
    """An area's working days: not weekends, bank holidays (with substitute days) or local days."""

    def __init__(self, area: AreaRules) -> None:
        self._area_name = area.name
        self._subdivision = SUBDIVISIONS[area.nation]
        self._local = frozenset(area.local_holidays)

    def _named(self, year: int) -> Mapping[date, str]:
        return _named_bank_holidays(self._subdivision, year)

    def bank_holidays(self, year: int) -> frozenset[date]:
        """The nation's bank holidays in `year`, substitute days included."""
        return frozenset(self._named(year))

    def closed_days(self, first_year: int, last_year: int) -> ClosedDays:
        """Bank and local holidays by date, with their names, from one year to another."""
        days: dict[date, str] = {}
        for year in range(first_year, last_year + 1):
            days.update(self._named(year))
        for day in self._local:
            if first_year <= day.year <= last_year:
                days.setdefault(day, f"a local holiday in {self._area_name}")
        return ClosedDays(
            first_year=first_year, last_year=last_year, days=dict(sorted(days.items()))
        )

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a working day in this area."""
        if day.weekday() >= _SATURDAY or day in self._local:
            return False
        return day not in self._named(day.year)

    def why_closed(self, day: date) -> str | None:
        """Why offices are closed on `day`, in words; None on a working day."""
        if self.is_working_day(day):
            return None
        if day in self._local:
            return f"a local holiday in {self._area_name}"
        name = self._named(day.year).get(day)
        return f"{name}, a bank holiday" if name else "a weekend"

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`th working day strictly after `start` (or strictly before it if negative)."""
        step = timedelta(days=1 if count >= 0 else -1)
        day, remaining = start, abs(count)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def shift(self, start: date, span: Span, *, before: bool = False) -> date:
        """The date `span` after `start` (or before it); only working-day spans skip closed days."""
        sign = -1 if before else 1
        if span.unit == "working_days":
            return self.add_working_days(start, sign * span.amount)
        if span.unit == "months":
            return add_months(start, sign * span.amount)
        days = span.amount * (7 if span.unit == "weeks" else 1)
        return start + timedelta(days=sign * days)


@functools.cache
def _named_bank_holidays(subdivision: str, year: int) -> Mapping[date, str]:
    """A nation's bank holidays in `year` by date, with their names (read-only), worked out
    once per process: every clock planned and every escalation asks."""
    # observed=True (the default) adds the substitute day for a holiday at a weekend.
    found = holidays.country_holidays("GB", subdiv=subdivision, years=year)
    return MappingProxyType(dict(found.items()))


def first_open_day(day: date, calendars: Iterable[WorkingCalendar]) -> date:
    """`day`, or the first day after it that is a working day in every one of `calendars`."""
    everywhere = tuple(calendars)
    while not all(calendar.is_working_day(day) for calendar in everywhere):
        day += timedelta(days=1)
    return day


def closed_day_note(area: AreaRules, day: date) -> str | None:
    """For a deadline on a day the area is closed: that fact and the last open day before it."""
    calendar = WorkingCalendar(area)
    why = calendar.why_closed(day)
    if why is None:
        return None
    last = calendar.add_working_days(day, -1)
    return f"{day_and_date(day)} is {why}: the last open day before it is {day_and_date(last)}"
