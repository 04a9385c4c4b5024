"""Meeting rules used inside workflows: reminder times, short notice, clashes, busy weeks.

Pure functions of their arguments (no I/O, no clock, no tz database): safe inside a workflow.
Days are UK calendar days, from `rules.uktime`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from forms.meeting import MeetingRef, MeetingStatus
from rules.uktime import to_uk, uk_date, uk_wall_to_utc

# A reminder N days ahead goes at 09:00 UK time; the one on the day at 08:00 ...
REMINDER_AT = time(9, 0)
MORNING_OF_AT = time(8, 0)
# ... unless the meeting starts before 08:30, when 08:00 is too late to be of use.
EARLY_START_BEFORE = time(8, 30)
EARLY_START_LEAD = timedelta(hours=2)


def reminder_times(
    starts_at: datetime, reminder_days: list[int], *, now: datetime
) -> list[datetime]:
    """When to remind people of a meeting: UTC, ascending, unique, only those after `now`."""
    if any(days < 0 for days in reminder_days):
        raise ValueError("reminder days must be 0 or more")
    meeting_day = uk_date(starts_at)
    times = {
        _morning_of(starts_at)
        if days == 0
        else uk_wall_to_utc(meeting_day - timedelta(days=days), REMINDER_AT)
        for days in reminder_days
    }
    return sorted(moment for moment in times if moment > now)


def _morning_of(starts_at: datetime) -> datetime:
    """08:00 UK on the day, or 2 hours before a meeting that starts before 08:30."""
    local = to_uk(starts_at)
    if local.time() < EARLY_START_BEFORE:
        return starts_at.astimezone(UTC) - EARLY_START_LEAD
    return uk_wall_to_utc(local.date(), MORNING_OF_AT)


def is_short_notice(starts_at: datetime, *, now: datetime, minimum_notice_days: int) -> bool:
    """Whether fewer than `minimum_notice_days` whole UK days separate today and the meeting."""
    return (uk_date(starts_at) - uk_date(now)).days < minimum_notice_days


def _live(meetings: Iterable[MeetingRef], ignore: UUID | None) -> list[MeetingRef]:
    """Meetings that still count: not cancelled and not the one being (re)scheduled."""
    return [
        meeting
        for meeting in meetings
        if meeting.status != MeetingStatus.CANCELLED and meeting.meeting_id != ignore
    ]


def clashes(
    meetings: list[MeetingRef], starts_at: datetime, *, ignore: UUID | None = None
) -> list[MeetingRef]:
    """Her other live meetings on the same UK day as `starts_at`, earliest first."""
    day = uk_date(starts_at)
    same_day = [meeting for meeting in _live(meetings, ignore) if uk_date(meeting.starts_at) == day]
    return sorted(same_day, key=lambda meeting: meeting.starts_at)


def _iso_week(day: date) -> tuple[int, int]:
    """The ISO year and week of `day` (weeks run Monday to Sunday)."""
    year, week, _ = day.isocalendar()
    return year, week


def meetings_in_week(
    meetings: list[MeetingRef], starts_at: datetime, *, ignore: UUID | None = None
) -> int:
    """How many of her live meetings fall in the ISO week (UK dates) of `starts_at`."""
    week = _iso_week(uk_date(starts_at))
    return sum(
        1 for meeting in _live(meetings, ignore) if _iso_week(uk_date(meeting.starts_at)) == week
    )
