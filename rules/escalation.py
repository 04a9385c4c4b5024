"""When a clock reminds its owner and escalates: working days of the area, at 09:00 UK time.

Uses the area's working calendar (bank holidays from the `holidays` package), so it runs in
activities: holiday data can change without breaking the replay of running workflows.

A clock can start already overdue: a late referral (her due date under about 12 weeks away)
arrives after the date by which the pre-birth conference should have been held, and a conference
booked at short notice starts after its notice was due. Planned from the due date alone, every
step of such a clock is in the past and all of them fire at the same moment: the owner is told
it is "due soon", and the manager and the lead that it was missed, all at once. That is noise,
and it hides what happened. So a clock whose manager step would already have passed when it
starts is a late start: the owner and her manager are told once, together, at once, that it began
late (they are the people who can arrange it now); the safeguarding lead hears only if it is
still not done `escalate_to_lead_after` working days after it began, as for any missed clock.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta

from forms.area import AreaRules
from forms.clock import ClockStep, Escalation
from rules.calendar import WorkingCalendar
from rules.uktime import uk_date, uk_wall_to_utc

# Reminders and escalations go out at the start of the working day, UK time.
STEP_AT = time(9, 0)
# The daily oversight sweep, UK time: it tells the lead again about every duty whose chain has
# ended (`waymark.temporal.schedules` runs it then).
SWEEP_AT = time(6, 0)


def next_sweep(after: datetime) -> datetime:
    """The first daily sweep after `after`: where a duty with no chain of its own (her named
    worker) is first taken up, so it is not "dropped" in the hours before that sweep; and the
    sweeps `first_repeat` chooses among."""
    day = uk_date(after)
    while uk_wall_to_utc(day, SWEEP_AT) <= after:
        day += timedelta(days=1)
    return uk_wall_to_utc(day, SWEEP_AT)


@functools.lru_cache(maxsize=4096)  # a sweep asks it for every silent duty, with the same `ended`
def first_repeat(ended: datetime, every_hours: int) -> datetime:
    """When a duty whose escalation chain ended at `ended` is first told again: at the last
    daily sweep within the area's repeat interval after it (so never later than the interval),
    else (an interval shorter than a day) at the first sweep after it. The duty's next step is
    then the moment the sweep acts on it, so it is never "dropped" while it waits for one."""
    latest = ended + timedelta(hours=every_hours)
    sweep = next_sweep(ended)
    while next_sweep(sweep) <= latest:
        sweep = next_sweep(sweep)
    return sweep


def plan_escalation(area: AreaRules, due: date, now: datetime | None = None) -> list[ClockStep]:
    """The owner's reminder before `due`, then the manager's and the lead's escalations after;
    or, for a clock starting at `now` that is already past its manager step, a late start."""
    calendar = WorkingCalendar(area)
    remind = calendar.shift(due, area.clock_reminder_before, before=True)
    manager = calendar.add_working_days(due, 1)
    if now is not None and _at_nine(manager) <= now:
        return late_start(area, now, calendar)
    lead = calendar.shift(manager, area.escalate_to_lead_after)
    return [
        ClockStep(at=_at_nine(remind), action=Escalation.REMIND_OWNER),
        ClockStep(at=_at_nine(manager), action=Escalation.ESCALATE_MANAGER),
        ClockStep(at=_at_nine(lead), action=Escalation.ESCALATE_LEAD),
    ]


def late_start(
    area: AreaRules, now: datetime, calendar: WorkingCalendar | None = None
) -> list[ClockStep]:
    """Owner and manager told together now; the lead at 09:00 on the working day
    `escalate_to_lead_after` after today, if it is still not done."""
    calendar = calendar or WorkingCalendar(area)
    lead = calendar.shift(uk_date(now), area.escalate_to_lead_after)
    return [
        ClockStep(at=now, action=Escalation.LATE_START),
        ClockStep(at=_at_nine(lead), action=Escalation.ESCALATE_LEAD),
    ]


def _at_nine(day: date) -> datetime:
    """09:00 UK time on `day`, as an aware UTC datetime."""
    return uk_wall_to_utc(day, STEP_AT)
