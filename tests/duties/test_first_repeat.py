"""When a duty whose escalation chain has ended is first told again (`rules.escalation.
first_repeat`), and when a duty with no chain of its own is first taken up (`next_sweep`): the
daily sweep at 06:00 UK time that acts on it, never later than the area's
interval, across the clock changes too. Pure: no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rules.escalation import first_repeat, next_sweep


def utc(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ended", "hours", "repeat"),
    [
        # In winter the sweep runs at 06:00 UTC: the next morning's, within a day.
        (utc(2027, 2, 8, 15), 24, utc(2027, 2, 9, 6)),
        # Ended by the sweep itself: the next day's sweep, not the same one again.
        (utc(2027, 2, 9, 6), 24, utc(2027, 2, 10, 6)),
        # Two days' interval: the last sweep within it.
        (utc(2027, 2, 8, 15), 48, utc(2027, 2, 10, 6)),
        # An interval shorter than the time to the next sweep: that sweep (none sooner).
        (utc(2027, 2, 8, 15), 4, utc(2027, 2, 9, 6)),
        # In summer the sweep runs at 05:00 UTC (06:00 BST).
        (utc(2027, 6, 1, 9), 24, utc(2027, 6, 2, 5)),
        # British Summer Time starts on Sunday 28 March 2027: the day is 23 hours long.
        (utc(2027, 3, 27, 6), 24, utc(2027, 3, 28, 5)),
        # It ends on Sunday 31 October 2027: the next sweep is 25 hours on, past the interval,
        # so it is the first one after.
        (utc(2027, 10, 30, 5), 24, utc(2027, 10, 31, 6)),
    ],
)
def test_the_first_repeat_is_the_sweep_that_makes_it(
    ended: datetime, hours: int, repeat: datetime
) -> None:
    assert first_repeat(ended, hours) == repeat


@pytest.mark.parametrize(
    ("after", "sweep"),
    [
        # A named worker due by midnight in winter: that morning's sweep, 06:00 UTC.
        (utc(2027, 2, 9, 0), utc(2027, 2, 9, 6)),
        # At the sweep itself: the next day's.
        (utc(2027, 2, 9, 6), utc(2027, 2, 10, 6)),
        # Midnight BST (23:00 UTC the day before): 06:00 BST is 05:00 UTC.
        (utc(2027, 6, 1, 23), utc(2027, 6, 2, 5)),
        # The night the clocks go forward (Sunday 28 March 2027): 06:00 BST that morning.
        (utc(2027, 3, 28, 0), utc(2027, 3, 28, 5)),
    ],
)
def test_the_next_sweep_is_the_first_after(after: datetime, sweep: datetime) -> None:
    assert next_sweep(after) == sweep
