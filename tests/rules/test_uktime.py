"""UK time without the tz database: checked against zoneinfo's Europe/London and by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rules.uktime import bst_bounds, to_uk, uk_date, uk_offset, uk_wall_to_utc

LONDON = ZoneInfo("Europe/London")
HOUR = timedelta(hours=1)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_every_hour_2020_to_2036_matches_zoneinfo() -> None:
    moment, end = utc("2020-01-01T00:00"), utc("2036-01-01T00:00")
    checked = 0
    while moment < end:
        local = moment.astimezone(LONDON)
        wall = local.replace(tzinfo=None)
        assert uk_offset(moment) == local.utcoffset(), moment
        assert to_uk(moment) == wall, moment
        # And back: zoneinfo marks the second pass through the autumn hour with fold=1.
        assert uk_wall_to_utc(wall.date(), wall.time().replace(fold=local.fold)) == moment
        moment += HOUR
        checked += 1
    assert checked == 140_256  # 16 years, 4 of them leap years: (16 * 365 + 4) * 24


@pytest.mark.parametrize("year", range(2020, 2036))
def test_both_edges_to_the_minute_match_zoneinfo(year: int) -> None:
    for edge in bst_bounds(year):
        for minutes in range(-90, 91):
            moment = edge + timedelta(minutes=minutes)
            local = moment.astimezone(LONDON)
            assert uk_offset(moment) == local.utcoffset(), moment
            assert to_uk(moment) == local.replace(tzinfo=None), moment


@pytest.mark.parametrize(
    ("year", "starts", "ends"),
    [
        # Worked out from a calendar: the last Sundays of March and October.
        (2026, "2026-03-29T01:00", "2026-10-25T01:00"),
        (2027, "2027-03-28T01:00", "2027-10-31T01:00"),
        # March 31 is itself a Sunday in 2024 and 2030.
        (2024, "2024-03-31T01:00", "2024-10-27T01:00"),
        (2030, "2030-03-31T01:00", "2030-10-27T01:00"),
    ],
)
def test_bst_bounds_by_hand(year: int, starts: str, ends: str) -> None:
    assert bst_bounds(year) == (utc(starts), utc(ends))


@pytest.mark.parametrize(
    ("moment", "offset_hours", "wall"),
    [
        ("2026-03-29T00:59", 0, "2026-03-29T00:59"),
        ("2026-03-29T01:00", 1, "2026-03-29T02:00"),
        ("2026-10-25T00:59", 1, "2026-10-25T01:59"),
        ("2026-10-25T01:00", 0, "2026-10-25T01:00"),
        ("2026-06-14T23:30", 1, "2026-06-15T00:30"),
        ("2026-12-31T23:30", 0, "2026-12-31T23:30"),
    ],
)
def test_offsets_by_hand(moment: str, offset_hours: int, wall: str) -> None:
    assert uk_offset(utc(moment)) == timedelta(hours=offset_hours)
    assert to_uk(utc(moment)) == datetime.fromisoformat(wall)


def test_other_offsets_are_converted_first() -> None:
    # 02:30 in New York (UTC-4 in June) is 06:30 UTC, 07:30 BST.
    new_york = datetime(2026, 6, 1, 2, 30, tzinfo=ZoneInfo("America/New_York"))
    assert to_uk(new_york) == datetime(2026, 6, 1, 7, 30)


def test_uk_date_is_the_local_date_not_the_utc_date() -> None:
    assert uk_date(utc("2026-06-14T23:30")) == date(2026, 6, 15)
    assert uk_date(utc("2026-12-14T23:30")) == date(2026, 12, 14)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        uk_offset(datetime(2026, 6, 1, 12, 0))


@pytest.mark.parametrize(
    ("day", "at", "expected"),
    [
        ("2026-01-15", time(9, 0), "2026-01-15T09:00"),
        ("2026-07-15", time(9, 0), "2026-07-15T08:00"),
        # Spring forward (29 March 2026): 00:59 is GMT, 02:00 is BST.
        ("2026-03-29", time(0, 59), "2026-03-29T00:59"),
        ("2026-03-29", time(2, 0), "2026-03-29T01:00"),
        # 01:30 does not exist: fold 0 reads it as GMT, i.e. 02:30 BST.
        ("2026-03-29", time(1, 30), "2026-03-29T01:30"),
        ("2026-03-29", time(1, 30, fold=1), "2026-03-29T00:30"),
        # Fall back (25 October 2026): 01:30 happens twice; fold 0 is the first (BST).
        ("2026-10-25", time(1, 30), "2026-10-25T00:30"),
        ("2026-10-25", time(1, 30, fold=1), "2026-10-25T01:30"),
        ("2026-10-25", time(0, 59), "2026-10-24T23:59"),
        ("2026-10-25", time(2, 0), "2026-10-25T02:00"),
    ],
)
def test_wall_to_utc_by_hand(day: str, at: time, expected: str) -> None:
    assert uk_wall_to_utc(date.fromisoformat(day), at) == utc(expected)


@pytest.mark.parametrize("year", range(2020, 2036))
@pytest.mark.parametrize("fold", [0, 1])
def test_wall_to_utc_matches_zoneinfo_on_clock_change_days(year: int, fold: int) -> None:
    for edge in bst_bounds(year):
        day = edge.date()
        for minute in range(0, 24 * 60, 5):
            at = time(minute // 60, minute % 60, fold=fold)
            expected = datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)
            assert uk_wall_to_utc(day, at) == expected, (day, at)


def test_aware_times_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        uk_wall_to_utc(date(2026, 1, 1), time(9, 0, tzinfo=UTC))
