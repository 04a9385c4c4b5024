"""UK civil time (GMT, and BST in summer) from the fixed rule, without the tz database.

`zoneinfo` fails inside Temporal's workflow sandbox (docs/temporal-notes.md, section 3), so
workflows use these instead. Only the standard library's `datetime`: safe inside a workflow.

The rule, in force since 1996 and assumed to hold for the future: BST (UTC+1) runs from 01:00 UTC
on the last Sunday of March to 01:00 UTC on the last Sunday of October; GMT (UTC+0) otherwise.
Dates before 1996 are not supported (the UK then followed other rules).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

GMT = timedelta(0)
BST = timedelta(hours=1)

# The clocks change at 01:00 UTC on the day.
_CHANGE_AT = time(1, 0)
_SUNDAY = 6


def _last_sunday(year: int, month: int) -> date:
    """The last Sunday of a 31-day month (March and October both have 31 days)."""
    last = date(year, month, 31)
    return last - timedelta(days=(last.weekday() - _SUNDAY) % 7)


@lru_cache(maxsize=128)
def bst_bounds(year: int) -> tuple[datetime, datetime]:
    """When BST starts and ends in `year`, as aware UTC datetimes (start inclusive, end not)."""
    start = datetime.combine(_last_sunday(year, 3), _CHANGE_AT, tzinfo=UTC)
    end = datetime.combine(_last_sunday(year, 10), _CHANGE_AT, tzinfo=UTC)
    return start, end


def _as_utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive datetime is refused because its meaning is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def uk_offset(moment: datetime) -> timedelta:
    """The UK's offset from UTC at the aware instant `moment`: 0 (GMT) or 1 hour (BST)."""
    utc = _as_utc(moment)
    start, end = bst_bounds(utc.year)
    return BST if start <= utc < end else GMT


def to_uk(moment: datetime) -> datetime:
    """The UK wall-clock time at the aware instant `moment`, as a naive datetime."""
    utc = _as_utc(moment)
    return (utc + uk_offset(utc)).replace(tzinfo=None)


def uk_date(moment: datetime) -> date:
    """The UK calendar date at the aware instant `moment`."""
    return to_uk(moment).date()


def uk_wall_to_utc(day: date, at: time) -> datetime:
    """The aware UTC instant when UK clocks show `at` on `day` (gaps and repeats as PEP 495)."""
    # Wall times that do not exist or happen twice follow PEP 495 (and zoneinfo): with
    # at.fold == 0 (the default) the offset in force *before* the change applies, so a
    # spring-forward 01:30 means 02:30 BST (01:30 UTC, later, never earlier than asked) and a
    # repeated autumn 01:30 means its first occurrence (01:30 BST, 00:30 UTC).
    # at.fold == 1 picks the offset in force after the change instead.
    if at.tzinfo is not None:
        raise ValueError("expected a naive wall-clock time")
    wall = datetime.combine(day, at.replace(fold=0))
    as_gmt = wall.replace(tzinfo=UTC)
    as_bst = (wall - BST).replace(tzinfo=UTC)
    gmt_fits = uk_offset(as_gmt) == GMT
    bst_fits = uk_offset(as_bst) == BST
    if gmt_fits != bst_fits:
        return as_gmt if gmt_fits else as_bst
    # Both fit: the repeated autumn hour (BST comes first). Neither: the spring gap (GMT first).
    before, after = (as_bst, as_gmt) if gmt_fits else (as_gmt, as_bst)
    return after if at.fold else before
