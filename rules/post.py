"""When a letter sent through GOV.UK Notify reaches her: pure, her nation's bank holidays passed in.

Notify prints and posts a letter on the working day (Monday to Friday, not a bank holiday) after
the day it is sent, one day later when it is sent after Notify's 5:30pm cut-off or on a day that
is not a working day. Royal Mail then delivers first class on the next delivery day and second class
on the second; a delivery day is Monday to Saturday, never a Sunday or a bank holiday (there is no
collection or delivery on those days).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import date, datetime, time, timedelta
from typing import Literal

from rules.uktime import to_uk

LetterClass = Literal["first", "second"]

CUT_OFF = time(17, 30)
DELIVERY_DAYS_AFTER_POSTING: dict[LetterClass, int] = {"first": 1, "second": 2}

_SATURDAY, _SUNDAY = 5, 6


def _working(day: date, bank_holidays: Container[date]) -> bool:
    return day.weekday() < _SATURDAY and day not in bank_holidays


def _delivery(day: date, bank_holidays: Container[date]) -> bool:
    return day.weekday() != _SUNDAY and day not in bank_holidays


def _next(
    day: date, is_open: Callable[[date, Container[date]], bool], bank_holidays: Container[date]
) -> date:
    day += timedelta(days=1)
    while not is_open(day, bank_holidays):
        day += timedelta(days=1)
    return day


def posting_day(sent_at: datetime, bank_holidays: Container[date]) -> date:
    """The day Notify hands the letter to Royal Mail."""
    local = to_uk(sent_at)
    day = local.date()
    if local.time() >= CUT_OFF or not _working(day, bank_holidays):
        day = _next(day, _working, bank_holidays)
    return _next(day, _working, bank_holidays)


def arrival_day(
    sent_at: datetime, letter_class: LetterClass, bank_holidays: Container[date]
) -> date:
    """The day the letter is delivered to her door."""
    day = posting_day(sent_at, bank_holidays)
    for _ in range(DELIVERY_DAYS_AFTER_POSTING[letter_class]):
        day = _next(day, _delivery, bank_holidays)
    return day


def arrives_before(
    sent_at: datetime,
    day: date,
    letter_class: LetterClass,
    bank_holidays: Container[date],
) -> bool:
    """Whether a letter sent at `sent_at` is on her doormat before `day` (a meeting's date)."""
    return arrival_day(sent_at, letter_class, bank_holidays) < day
