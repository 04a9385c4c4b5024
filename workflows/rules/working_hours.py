"""Working hours: the instant a number of office hours after another, on an area's working days.

Pure (no I/O, no clock); the caller supplies which days are working days, so holiday data stays
in activities (see workflows.rules.calendar).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from workflows.rules.uktime import uk_date, uk_wall_to_utc

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
