"""Dates and times as every page, letter and message writes them: "6 December 2026", "10:00am".
Pure and sandbox-safe (UK time from rules.uktime), so workflows use it too."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from rules.uktime import to_uk

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(value: date) -> str:
    """ "6 December 2026" (a datetime is first moved to UK time)."""
    if isinstance(value, datetime):
        value = to_uk(value).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_and_date(value: date) -> str:
    """ "Sunday 6 December 2026", where the day of the week matters (a closed day)."""
    return f"{WEEKDAYS[value.weekday()]} {long_date(value)}"


def clock_time(moment: datetime) -> str:
    """ "10:00am", "2:30pm", in UK time."""
    return time_of_day(to_uk(moment).time())


def time_of_day(value: time) -> str:
    """ "10:00am", "2:30pm": a wall-clock time."""
    return f"{value.hour % 12 or 12}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


def date_and_time(moment: datetime) -> str:
    """ "6 December 2026 at 10:00am", in UK time."""
    return f"{long_date(moment)} at {clock_time(moment)}"


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


_ISO_TIME = re.compile(r"\b([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?\b")


def readable_times(text: str) -> str:
    """Words with 24-hour times ("09:00") as a person reads them: "9:00am"."""
    return _ISO_TIME.sub(lambda found: time_of_day(time(int(found[1]), int(found[2]))), text)


def readable_dates(text: str) -> str:
    """Words written before the one date style ("after 2026-12-06"), as a person reads them:
    each ISO date becomes "6 December 2026"."""

    def _long(found: re.Match[str]) -> str:
        try:
            return long_date(date(*(int(part) for part in found.groups())))
        except ValueError:
            return found.group(0)

    return _ISO_DATE.sub(_long, text)
