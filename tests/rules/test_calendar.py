"""Working days, months and gestation: expected dates are worked out by hand from a calendar."""

from __future__ import annotations

from datetime import date

import pytest

from forms.area import AreaRules, Span, england_rules, scotland_rules
from rules.calendar import (
    WorkingCalendar,
    add_months,
    describe_span,
    gestation_date,
)


def make_area(nation: str = "england", **overrides: object) -> AreaRules:
    base = england_rules() if nation == "england" else scotland_rules()
    return AreaRules.model_validate({**base.model_dump(), **overrides})


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("nation", "day", "working"),
    [
        # Easter Monday is a bank holiday in England only; Good Friday in both.
        ("england", "2026-04-06", False),
        ("scotland", "2026-04-06", True),
        ("england", "2026-04-03", False),
        ("scotland", "2026-04-03", False),
        # 2 January is Scotland's; in 2026 it is a Friday.
        ("england", "2026-01-02", True),
        ("scotland", "2026-01-02", False),
        # 2 January 2027 is a Saturday: Scotland's substitute day is Monday 4 January.
        ("england", "2027-01-04", True),
        ("scotland", "2027-01-04", False),
        # Christmas 2027 is a Saturday, Boxing Day a Sunday: Monday 27 and Tuesday 28 instead.
        ("england", "2027-12-27", False),
        ("england", "2027-12-28", False),
        ("scotland", "2027-12-27", False),
        ("scotland", "2027-12-28", False),
        ("england", "2027-12-29", True),
        ("england", "2027-12-24", True),
        # New Year's Day 2028 is a Saturday: Monday 3 January in both, Tuesday 4 in Scotland too.
        ("england", "2028-01-03", False),
        ("england", "2028-01-04", True),
        ("scotland", "2028-01-04", False),
        # Summer bank holiday: first Monday of August in Scotland, last Monday in England.
        ("scotland", "2026-08-03", False),
        ("england", "2026-08-03", True),
        ("england", "2026-08-31", False),
        ("scotland", "2026-08-31", True),
        # St Andrew's Day: Sunday 30 November 2025, so Monday 1 December in Scotland.
        ("scotland", "2025-12-01", False),
        ("england", "2025-12-01", True),
        ("scotland", "2027-11-30", False),
        ("england", "2027-11-30", True),
        # Weekends, and an ordinary weekday.
        ("england", "2026-03-07", False),
        ("scotland", "2026-03-08", False),
        ("england", "2026-03-09", True),
    ],
)
def test_is_working_day(nation: str, day: str, working: bool) -> None:
    assert WorkingCalendar(make_area(nation)).is_working_day(d(day)) is working


def test_local_holiday_is_not_a_working_day() -> None:
    area = make_area("england", local_holidays=[d("2026-03-10")])
    calendar = WorkingCalendar(area)
    assert calendar.is_working_day(d("2026-03-10")) is False
    assert calendar.add_working_days(d("2026-03-09"), 1) == d("2026-03-11")


@pytest.mark.parametrize(
    ("nation", "start", "count", "expected"),
    [
        # Strictly after: the 1st working day after a Friday is the Monday.
        ("england", "2026-03-06", 1, "2026-03-09"),
        ("england", "2026-03-09", 1, "2026-03-10"),
        ("england", "2026-03-07", 1, "2026-03-09"),
        ("england", "2026-03-09", 0, "2026-03-09"),
        ("england", "2026-03-02", 15, "2026-03-23"),
        # Strictly before.
        ("england", "2026-03-09", -1, "2026-03-06"),
        ("england", "2026-03-20", -5, "2026-03-13"),
        ("england", "2026-03-08", -1, "2026-03-06"),
        # Easter 2026: Good Friday 3 April in both, Easter Monday 6 April in England only.
        ("england", "2026-04-02", 1, "2026-04-07"),
        ("scotland", "2026-04-02", 1, "2026-04-06"),
        ("england", "2026-04-07", -1, "2026-04-02"),
        ("scotland", "2026-04-07", -1, "2026-04-06"),
        # Christmas 2027 substitute days, then New Year 2028 substitute days.
        ("england", "2027-12-23", 1, "2027-12-24"),
        ("england", "2027-12-23", 2, "2027-12-29"),
        ("scotland", "2027-12-23", 2, "2027-12-29"),
        ("england", "2027-12-23", 5, "2028-01-04"),
        ("scotland", "2027-12-23", 5, "2028-01-05"),
        ("england", "2027-12-29", -1, "2027-12-24"),
        # New Year 2027: 1 January (Friday) in both, Monday 4 January in Scotland.
        ("england", "2026-12-31", 1, "2027-01-04"),
        ("scotland", "2026-12-31", 1, "2027-01-05"),
        # Summer bank holidays.
        ("scotland", "2026-07-31", 1, "2026-08-04"),
        ("england", "2026-07-31", 1, "2026-08-03"),
        ("england", "2026-08-28", 1, "2026-09-01"),
        ("scotland", "2026-08-28", 1, "2026-08-31"),
        # St Andrew's Day substitute, Monday 1 December 2025.
        ("scotland", "2025-11-28", 1, "2025-12-02"),
        ("england", "2025-11-28", 1, "2025-12-01"),
    ],
)
def test_add_working_days(nation: str, start: str, count: int, expected: str) -> None:
    calendar = WorkingCalendar(make_area(nation))
    assert calendar.add_working_days(d(start), count) == d(expected)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2026-11-15", 3, "2027-02-15"),
        ("2026-12-20", 1, "2027-01-20"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-05-30", -3, "2026-02-28"),
        ("2026-06-20", 0, "2026-06-20"),
    ],
)
def test_add_months_keeps_the_day_clipped_to_month_end(
    start: str, months: int, expected: str
) -> None:
    assert add_months(d(start), months) == d(expected)


@pytest.mark.parametrize(
    ("edd", "weeks", "days", "expected"),
    [
        ("2026-09-10", 28, 0, "2026-06-18"),  # 84 days before the due date
        ("2026-09-10", 34, 0, "2026-07-30"),  # 42 days before
        ("2026-09-10", 28, 3, "2026-06-21"),  # 81 days before
        ("2026-09-10", 40, 0, "2026-09-10"),
    ],
)
def test_gestation_date(edd: str, weeks: int, days: int, expected: str) -> None:
    assert gestation_date(d(edd), weeks, days) == d(expected)


@pytest.mark.parametrize(
    ("span", "before", "expected"),
    [
        # Calendar days are not moved off a weekend: 5 days before Friday 20 March is a Sunday.
        (Span(amount=5, unit="calendar_days"), True, "2026-03-15"),
        (Span(amount=28, unit="calendar_days"), False, "2026-04-17"),
        (Span(amount=16, unit="weeks"), False, "2026-07-10"),
        (Span(amount=3, unit="months"), False, "2026-06-20"),
        (Span(amount=1, unit="months"), True, "2026-02-20"),
        (Span(amount=3, unit="working_days"), True, "2026-03-17"),
        (Span(amount=1, unit="working_days"), False, "2026-03-23"),
    ],
)
def test_shift_by_span(span: Span, before: bool, expected: str) -> None:
    calendar = WorkingCalendar(make_area("scotland"))
    assert calendar.shift(d("2026-03-20"), span, before=before) == d(expected)


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (Span(amount=1, unit="working_days"), "1 working day"),
        (Span(amount=15, unit="working_days"), "15 working days"),
        (Span(amount=28, unit="calendar_days"), "28 days"),
        (Span(amount=1, unit="months"), "1 month"),
        (Span(amount=6, unit="months"), "6 months"),
        (Span(amount=16, unit="weeks"), "16 weeks"),
    ],
)
def test_describe_span(span: Span, words: str) -> None:
    assert describe_span(span) == words


def test_a_deadline_on_a_closed_day_names_the_holiday_and_the_last_open_day() -> None:
    from rules.calendar import closed_day_note
    from waymark.areas import get_area

    northmoor, glenbrae = get_area("northmoor"), get_area("glenbrae")
    assert closed_day_note(northmoor, date(2026, 12, 26)) == (
        "Saturday 26 December 2026 is Boxing Day, a bank holiday: the last open day before it "
        "is Thursday 24 December 2026"
    )
    assert closed_day_note(northmoor, date(2027, 3, 6)) == (
        "Saturday 6 March 2027 is a weekend: the last open day before it is Friday 5 March 2027"
    )
    assert closed_day_note(glenbrae, date(2027, 3, 29)) == (
        "Monday 29 March 2027 is a local holiday in Glenbrae Council: the last open day "
        "before it is Thursday 25 March 2027"  # Good Friday is a bank holiday in Scotland too
    )
    # St Andrew's Day is Scotland's, not England's.
    assert closed_day_note(northmoor, date(2027, 11, 30)) is None
    assert "bank holiday" in (closed_day_note(glenbrae, date(2027, 11, 30)) or "")
