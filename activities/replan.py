"""Re-planning that reaches what is booked: a meeting left after its (moved) latest date gets a
line on her record and a task for her social worker naming the open days still before it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.meetings import when
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.area import AreaRules
from forms.labels import meeting_label
from forms.replan import BookedMeetingCheck, CheckBookedMeeting
from rules.calendar import WorkingCalendar
from rules.uktime import uk_date
from rules.wording import day_and_date, long_date
from services.tasks import her_tasks_under
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import Task, TimelineEvent, Woman
from waymark.db.session import transaction

# How many open days before the latest date the task lists (the nearest ones to it).
OPEN_DAYS_SHOWN = 5
TASK_KIND = "move_meeting"


def open_days_before(area: AreaRules, today: date, latest: date) -> list[date]:
    """The area's working days after today up to and including `latest`, nearest it last."""
    calendar = WorkingCalendar(area)
    days: list[date] = []
    day = latest
    while day > today and len(days) < OPEN_DAYS_SHOWN:
        if calendar.is_working_day(day):
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


class ReplanActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.check_booked_meeting)
    async def check_booked_meeting(self, inp: CheckBookedMeeting) -> BookedMeetingCheck:
        """Flag a meeting booked after its latest date (once per latest date), or close the
        task to move it when it now fits; a repeat changes nothing."""
        area = get_area(inp.area)
        async with transaction(self._sessions) as session:
            if uk_date(inp.meeting.starts_at) <= inp.latest:
                await _close_tasks(session, inp)
                return BookedMeetingCheck(late=False)
            days = open_days_before(area, uk_date(inp.at), inp.latest)
            woman = await session.get(Woman, inp.woman_id)
            key = f"meeting:{inp.meeting.meeting_id}:after-latest:{inp.latest.isoformat()}"
            if woman is not None and await _new(session, key):
                _flag(session, woman, inp, key, area, days)
            return BookedMeetingCheck(late=True, last_open_day=days[-1] if days else None)


async def _new(session: AsyncSession, key: str) -> bool:
    found = await session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key))
    return found is None


def _flag(
    session: AsyncSession,
    woman: Woman,
    inp: CheckBookedMeeting,
    key: str,
    area: AreaRules,
    days: list[date],
) -> None:
    label = meeting_label(inp.meeting.kind, area.nation)
    latest = day_and_date(inp.latest)
    session.add(
        TimelineEvent(
            event_key=key,
            woman_id=woman.id,
            kind="meeting_after_latest",
            occurred_at=inp.at,
            summary=f"Warning: the {label.lower()} booked for {when(inp.meeting.starts_at)} "
            f"is now after its latest date, {latest} ({inp.why}): it needs to be moved",
            data={"meeting": str(inp.meeting.meeting_id), "latest": inp.latest.isoformat()},
        )
    )
    choices = ", ".join(long_date(d) for d in days) or "none left: record why"
    session.add(
        Task(
            key=key,
            woman_id=woman.id,
            assignee_user_id=woman.coordinator_user_id,
            assignee_organisation_id=None if woman.coordinator_user_id else woman.team_id,
            kind=TASK_KIND,
            title=f"Move the {label.lower()} to {latest} or earlier ({inp.why}); "
            f"open days before it: {choices}"[:300],
            due=days[-1] if days else inp.latest,
        )
    )
    audit.record(
        session, None, action="meeting_after_latest", record_type="woman", record_id=woman.id
    )


async def _close_tasks(session: AsyncSession, inp: CheckBookedMeeting) -> None:
    await session.execute(
        update(Task)
        .where(
            her_tasks_under(inp.woman_id, f"meeting:{inp.meeting.meeting_id}:after-latest:"),
            Task.kind == TASK_KIND,
            Task.status == "open",
        )
        .values(status="done", closed_at=inp.at)
    )
