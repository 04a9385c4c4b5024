"""A letter's real journey: Notify's cut-off and working days, then Royal Mail's delivery days
(first or second class), never a Sunday or a bank holiday."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rules.calendar import WorkingCalendar
from rules.post import arrival_day, arrives_before, posting_day
from waymark.areas import get_area

NONE: frozenset[date] = frozenset()
ENGLAND_2027 = WorkingCalendar(get_area("northmoor")).bank_holidays(2027)
SCOTLAND_2027 = WorkingCalendar(get_area("glenbrae")).bank_holidays(2027)


def uk(day: date, hour: int, minute: int = 0) -> datetime:
    # February is GMT, so UTC is UK time.
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sent", "posted"),
    [
        (uk(date(2027, 2, 1), 10), date(2027, 2, 2)),  # Monday morning: posted Tuesday
        (uk(date(2027, 2, 1), 17, 29), date(2027, 2, 2)),  # just before the cut-off
        (uk(date(2027, 2, 1), 17, 30), date(2027, 2, 3)),  # at the cut-off: a day later
        (uk(date(2027, 2, 5), 10), date(2027, 2, 8)),  # Friday: posted Monday
        (uk(date(2027, 2, 6), 10), date(2027, 2, 9)),  # Saturday: as if sent Monday
    ],
)
def test_notify_posts_on_the_working_day_after_it_is_sent(sent: datetime, posted: date) -> None:
    assert posting_day(sent, NONE) == posted


def test_second_class_takes_two_delivery_days_and_saturday_is_one() -> None:
    thursday = uk(date(2027, 2, 4), 10)  # posted Friday 5th
    assert arrival_day(thursday, "first", NONE) == date(2027, 2, 6)  # Saturday
    assert arrival_day(thursday, "second", NONE) == date(2027, 2, 8)  # Monday, not Sunday


def test_no_collection_or_delivery_on_a_bank_holiday() -> None:
    # Thursday 25 March 2027: posted Friday 26th; Good Friday is 26 March 2027, so posted
    # on Monday 29th in Scotland, Tuesday 30th in England (Easter Monday is England's only).
    sent = datetime(2027, 3, 25, 10, tzinfo=UTC)
    assert posting_day(sent, ENGLAND_2027) == date(2027, 3, 30)
    assert posting_day(sent, SCOTLAND_2027) == date(2027, 3, 29)
    assert arrival_day(sent, "second", ENGLAND_2027) == date(2027, 4, 1)
    assert arrival_day(sent, "first", SCOTLAND_2027) == date(2027, 3, 30)


def test_in_time_means_on_her_doormat_before_the_meeting_day() -> None:
    monday = uk(date(2027, 2, 1), 10)  # posted Tuesday, second class arrives Thursday
    assert arrives_before(monday, date(2027, 2, 5), "second", NONE)
    assert not arrives_before(monday, date(2027, 2, 4), "second", NONE)
    assert arrives_before(monday, date(2027, 2, 4), "first", NONE)
