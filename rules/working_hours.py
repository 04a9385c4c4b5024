"""Working hours: the instant a number of office hours after another, on an area's working days.

Pure (no I/O, no clock), but `office_hours_after` uses the area's holidays (the `holidays`
package): call it from activities, as for rules.calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from forms.area import AreaRules
from rules.calendar import WorkingCalendar
from rules.uktime import uk_date, uk_wall_to_utc

# Nobody looks further than this for the next office hour (a guard against a closed calendar).
LOOK_AHEAD_DAYS = 366


def add_working_hours(
    start: datetime,
    hours: float,
    *,
    is_working_day: Callable[[date], bool],
    opens: time,
    closes: time,
) -> datetime:
    """The aware UTC instant `hours` office hours after `start` (UK wall-clock office hours)."""
    if hours < 0:
        raise ValueError("working hours must be 0 or more")
    remaining = timedelta(hours=hours)
    day = uk_date(start)
    for _ in range(LOOK_AHEAD_DAYS):
        if is_working_day(day):
            begin = max(start, uk_wall_to_utc(day, opens))
            end = uk_wall_to_utc(day, closes)
            if begin < end:
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
        day += timedelta(days=1)
    raise ValueError("no working day within a year: check the area's calendar")


def office_hours_after(start: datetime, hours: float, area: AreaRules) -> datetime:
    """`hours` of the area's office hours after `start`, on its working days."""
    return add_working_hours(
        start,
        hours,
        is_working_day=WorkingCalendar(area).is_working_day,
        opens=area.working_day_starts,
        closes=area.working_day_ends,
    )
