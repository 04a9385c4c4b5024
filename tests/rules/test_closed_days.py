"""No meeting on a weekend or the area's bank or local holiday, unless the area allows it;
England and Scotland differ. The holidays come with the rules, as the activity loads them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from temporalio.exceptions import ApplicationError

from forms.area import AreaRules, england_rules, scotland_rules
from rules.calendar import WorkingCalendar
from rules.closed_days import closed_day_reason, refuse_closed_day


def loaded(area: AreaRules, **overrides: object) -> AreaRules:
    """The area as `load_area_rules` returns it: with its closed days for 2026 to 2029."""
    area = AreaRules.model_validate({**area.model_dump(), **overrides})
    return area.model_copy(update={"closed_days": WorkingCalendar(area).closed_days(2026, 2029)})


def at_ten(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)


ENGLAND = loaded(england_rules("northmoor", "Northmoor Council"))
SCOTLAND = loaded(scotland_rules("glenbrae", "Glenbrae Council"))


@pytest.mark.parametrize(
    ("area", "day", "words"),
    [
        (ENGLAND, "2026-12-05", "Saturday 5 December 2026 is a weekend"),
        (SCOTLAND, "2026-12-06", "Sunday 6 December 2026 is a weekend"),
        (ENGLAND, "2026-12-25", "Friday 25 December 2026 is Christmas Day, a bank holiday"),
        (
            SCOTLAND,
            "2026-11-30",
            "Monday 30 November 2026 is Saint Andrew's Day, a bank holiday in Scotland",
        ),
        (SCOTLAND, "2027-01-04", "Monday 4 January 2027 is New Year Holiday"),
        (ENGLAND, "2026-04-06", "Monday 6 April 2026 is Easter Monday, a bank holiday in England"),
        (ENGLAND, "2026-12-28", "Monday 28 December 2026 is Boxing Day (observed)"),
    ],
)
def test_closed_days_are_refused_naming_the_date(area: AreaRules, day: str, words: str) -> None:
    reason = closed_day_reason(area, "conference", at_ten(day))
    assert reason is not None
    assert reason.startswith(words)
    assert area.name in reason


@pytest.mark.parametrize(
    ("area", "day"),
    [
        (ENGLAND, "2026-11-30"),  # St Andrew's Day is Scotland's
        (ENGLAND, "2027-01-04"),  # 2 January (a Saturday in 2027, kept on Monday 4) likewise
        (SCOTLAND, "2026-04-06"),  # Easter Monday is England's
        (SCOTLAND, "2026-08-31"),  # England's late summer bank holiday; Scotland's is 3 August
        (ENGLAND, "2026-12-02"),  # an ordinary Wednesday
    ],
)
def test_the_other_nations_holidays_and_working_days_are_open(area: AreaRules, day: str) -> None:
    assert closed_day_reason(area, "conference", at_ten(day)) is None


def test_a_local_holiday_is_refused() -> None:
    area = loaded(scotland_rules("glenbrae", "Glenbrae Council"), local_holidays=["2026-09-28"])
    reason = closed_day_reason(area, "core_group", at_ten("2026-09-28"))
    assert reason is not None
    assert reason.startswith("Monday 28 September 2026 is a local holiday in Glenbrae Council")


def test_the_uk_date_counts_not_the_utc_date() -> None:
    # 23:30 UTC on Friday 4 December 2026 is Friday in London (GMT); 23:30 UTC on Friday 3 July
    # 2026 is already Saturday 00:30 in London (BST).
    winter = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    assert closed_day_reason(ENGLAND, "conference", winter) is None
    summer = closed_day_reason(ENGLAND, "conference", datetime(2026, 7, 3, 23, 30, tzinfo=UTC))
    assert summer is not None
    assert summer.startswith("Saturday 4 July 2026")


def test_an_area_may_hold_a_kind_of_meeting_on_closed_days() -> None:
    assert closed_day_reason(ENGLAND, "court_hearing", at_ten("2026-12-05")) is None
    assert closed_day_reason(ENGLAND, "pre_discharge", at_ten("2026-12-25")) is None
    strict = loaded(england_rules("northmoor", "Northmoor"), closed_day_meetings=[])
    assert closed_day_reason(strict, "pre_discharge", at_ten("2026-12-25")) is not None
    relaxed = loaded(england_rules("northmoor", "Northmoor"), closed_day_meetings=["core_group"])
    assert closed_day_reason(relaxed, "core_group", at_ten("2026-12-26")) is None
    assert closed_day_reason(relaxed, "conference", at_ten("2026-12-26")) is not None


def test_rules_loaded_before_they_carried_holidays_still_know_weekends() -> None:
    area = england_rules()
    assert area.closed_days is None
    assert closed_day_reason(area, "conference", at_ten("2026-12-05")) is not None
    assert closed_day_reason(area, "conference", at_ten("2026-12-25")) is None


def test_a_validator_refuses_without_writing() -> None:
    with pytest.raises(ApplicationError, match="Saturday 5 December 2026") as caught:
        refuse_closed_day(ENGLAND, "conference", at_ten("2026-12-05"))
    assert caught.value.type == "Refused"
    refuse_closed_day(ENGLAND, "conference", at_ten("2026-12-07"))


def test_closed_days_cover_the_years_asked_for_with_names() -> None:
    closed = WorkingCalendar(SCOTLAND).closed_days(2027, 2027)
    assert (closed.first_year, closed.last_year) == (2027, 2027)
    assert all(day.year == 2027 for day in closed.days)
    assert closed.days[date(2027, 11, 30)] == "Saint Andrew's Day"
