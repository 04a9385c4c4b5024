"""When a clock reminds its owner and escalates: working days of the area, at 09:00 UK time.

Uses the area's working calendar (bank holidays from the `holidays` package), so it runs in
activities: holiday data can change without breaking the replay of running workflows.
"""

from __future__ import annotations

from datetime import date, datetime, time

from forms.area import AreaRules
from forms.clock import ClockStep, Escalation
from workflows.rules.calendar import WorkingCalendar
from workflows.rules.uktime import uk_wall_to_utc

# Reminders and escalations go out at the start of the working day, UK time.
STEP_AT = time(9, 0)


def plan_escalation(area: AreaRules, due: date) -> list[ClockStep]:
    """The owner's reminder before `due`, then the manager's and the lead's escalations after."""
    calendar = WorkingCalendar(area)
    remind = calendar.shift(due, area.clock_reminder_before, before=True)
    manager = calendar.add_working_days(due, 1)
    lead = calendar.shift(manager, area.escalate_to_lead_after)
    return [
        ClockStep(at=_at_nine(remind), action=Escalation.REMIND_OWNER),
        ClockStep(at=_at_nine(manager), action=Escalation.ESCALATE_MANAGER),
        ClockStep(at=_at_nine(lead), action=Escalation.ESCALATE_LEAD),
    ]


def _at_nine(day: date) -> datetime:
    """09:00 UK time on `day`, as an aware UTC datetime."""
    return uk_wall_to_utc(day, STEP_AT)
