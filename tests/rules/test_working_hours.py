"""Office hours for an advocate's answer: counted on working days only, in UK wall-clock time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from forms.area import AreaRules
from rules.working_hours import add_working_hours, office_hours_after
from waymark.areas import get_area


def _after(start: datetime, hours: float, area: str = "northmoor") -> datetime:
    return office_hours_after(start, hours, get_area(area))


def test_within_one_working_day() -> None:
    # Tuesday 10 November 2026, 10:00 GMT → 14:00.
    start = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)
    assert _after(start, 4) == datetime(2026, 11, 10, 14, 0, tzinfo=UTC)


def test_the_hours_left_at_close_carry_to_the_next_morning() -> None:
    # Friday 13 November 2026, 15:00 → 2 hours on Friday, then 2 from 09:00 on Monday.
    start = datetime(2026, 11, 13, 15, 0, tzinfo=UTC)
    assert _after(start, 4) == datetime(2026, 11, 16, 11, 0, tzinfo=UTC)


def test_an_offer_out_of_hours_starts_counting_when_the_office_opens() -> None:
    # Saturday night → Monday 09:00 + 4 hours.
    start = datetime(2026, 11, 14, 23, 30, tzinfo=UTC)
    assert _after(start, 4) == datetime(2026, 11, 16, 13, 0, tzinfo=UTC)


def test_summer_time_office_hours_are_uk_wall_clock() -> None:
    # Wednesday 1 July 2026 08:00 UTC is 09:00 BST: 4 hours later is 13:00 BST, 12:00 UTC.
    start = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert _after(start, 4) == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


def test_bank_holidays_differ_between_the_nations() -> None:
    # 30 November 2026 (a Monday) is St Andrew's Day: a bank holiday in Scotland only.
    friday_afternoon = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    assert _after(friday_afternoon, 4, "northmoor") == datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert _after(friday_afternoon, 4, "glenbrae") == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_office_hours_must_be_in_order() -> None:
    rules = get_area("northmoor").model_dump()
    rules.update(working_day_starts=time(17, 0), working_day_ends=time(9, 0))
    with pytest.raises(ValueError, match="start before it ends"):
        AreaRules.model_validate(rules)


def test_a_calendar_with_no_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="no working day"):
        add_working_hours(
            datetime(2026, 1, 5, 9, tzinfo=UTC),
            1,
            is_working_day=lambda day: day < date(2000, 1, 1),
            opens=time(9),
            closes=time(17),
        )
