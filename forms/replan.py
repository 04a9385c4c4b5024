"""Re-planning that reaches what is booked: when a clock's due date moves (a new EDD, the
birth, an extension), a meeting booked for after its new latest date is flagged to her worker."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from forms.common import Contract
from forms.meeting import MeetingRef


class CheckBookedMeeting(Contract):
    """Activity input: is the booked meeting still on or before its latest date? If not, a
    warning on her record and a task for her social worker; if it is again, the task is done."""

    woman_id: UUID
    area: str
    meeting: MeetingRef
    latest: date
    # Why the latest date moved, in words for her record ("her EDD changed", "her baby was born").
    why: str
    at: datetime


class BookedMeetingCheck(Contract):
    """What the check found: whether the meeting is now after its latest date."""

    late: bool
    last_open_day: date | None = None
