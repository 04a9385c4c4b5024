"""Calendar arithmetic that needs no holiday data, so workflows may use it directly."""

from __future__ import annotations

import calendar as _monthcal
from datetime import date, timedelta

from forms.area import AreaRules, Span


def add_months(start: date, months: int) -> date:
    """The same day of the month `months` later (or earlier if negative), clipped to month end."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last_day = _monthcal.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def shift_calendar(start: date, span: Span) -> date:
    """Move a date by a span counted in calendar days, weeks or months (not working days)."""
    if span.unit == "months":
        return add_months(start, span.amount)
    if span.unit == "weeks":
        return start + timedelta(weeks=span.amount)
    if span.unit == "calendar_days":
        return start + timedelta(days=span.amount)
    raise ValueError("working days need the area's calendar: compute them in an activity")


def support_runs_until(removal_on: date, area: AreaRules) -> date:
    """The first day her support may close without a second reason: the area's minimum after
    the removal. The one place this date is worked out (her pages and her pathway agree)."""
    return shift_calendar(removal_on, area.support_minimum_after_removal)
