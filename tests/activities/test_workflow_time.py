"""Activities stamp business times with the calling workflow's time (passed in as `at`, or when
the workflow scheduled them), never the worker's clock: here a workflow time years from today,
as on the simulator's time-skipping server."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.clocks import ClockActivities
from activities.conference import ConferenceActivities
from activities.documents import DocumentActivities
from activities.support import SupportActivities
from forms.clock import Clock, ClockRequest, ClockStep, EscalateClock, Escalation, PlanClocks
from forms.conference import ChaseReports
from forms.meeting import Invitee, InviteeKind
from forms.support import MissedContact
from tests.api.conftest import demo
from tests.helpers.planning import rows
from tests.oversight.builders import make_woman, open_episode, user_id
from waymark.db.models import Document, Notice, Organisation, Task, TimelineEvent, User, Woman
from waymark.db.session import transaction

__all__ = ["demo"]

pytestmark = pytest.mark.usefixtures("demo")

Sessions = async_sessionmaker[AsyncSession]
# Tuesday 4 March 2031, 10:30 UK time (GMT): the workflow's time, years from the wall clock.
AT = datetime(2031, 3, 4, 10, 30, tzinfo=UTC)
DAY = date(2031, 3, 4)


def _clock(woman: uuid.UUID, due: date) -> Clock:
    return Clock(
        key=f"{woman}:pathway:conference_due",
        deadline="conference_due",
        label="Pre-birth conference held",
        due=due,
        basis="test",
    )


async def _woman_with_coordinator(sessions: Sessions, *, manager: str | None = None) -> uuid.UUID:
    """Her co-ordinator is Sam; Sam's manager, if given, is that person."""
    woman = await make_woman(sessions)
    async with transaction(sessions) as session:
        sam = await user_id(session, "sam.social")
        row = await session.get(Woman, woman)
        assert row is not None
        row.coordinator_user_id = sam
        if manager is not None:
            user = await session.get(User, sam)
            assert user is not None
            user.manager_id = await user_id(session, manager)
    return woman


async def test_an_escalation_is_stamped_with_the_workflows_time(sessions: Sessions) -> None:
    woman = await _woman_with_coordinator(sessions)
    escalate = EscalateClock(
        woman_id=woman,
        clock=_clock(woman, date(2031, 3, 1)),
        action=Escalation.ESCALATE_LEAD,
        at=AT,
    )
    await ActivityEnvironment().run(ClockActivities(sessions).escalate_clock, escalate)
    notices = await rows(sessions, Notice, kind="deadline_escalate_lead")
    assert notices
    assert {n.send_at for n in notices} == {AT}
    [missed] = await rows(sessions, TimelineEvent, kind="deadline_missed")
    assert missed.occurred_at == AT


async def test_late_reports_are_flagged_on_the_workflows_day(sessions: Sessions) -> None:
    woman = await _woman_with_coordinator(sessions)
    async with sessions() as session:
        org = await session.scalar(
            select(Organisation).where(Organisation.code == "northmoor-maternity")
        )
    assert org is not None
    chase = ChaseReports(
        woman_id=woman,
        conference_id=uuid.uuid4(),
        outstanding=[
            Invitee(
                kind=InviteeKind.AGENCY, name=org.name, organisation_id=org.id, owes_report=True
            )
        ],
        due=date(2031, 3, 1),
        late=True,
        at=AT,
    )
    await ActivityEnvironment().run(ConferenceActivities(sessions).chase_reports, chase)
    [late] = await rows(sessions, Notice, kind="report_late")
    assert late.send_at == AT
    [task] = await rows(sessions, Task, kind="late_report")
    assert task.due == DAY


async def test_a_missed_contact_is_stamped_with_the_workflows_time(sessions: Sessions) -> None:
    woman = await make_woman(sessions)
    episode = await open_episode(sessions, woman)
    missed = MissedContact(
        episode_id=episode,
        woman_id=woman,
        due=date(2031, 3, 3),
        missed=2,
        escalate=True,
        named_worker_id=None,
        at=AT,
    )
    await ActivityEnvironment().run(SupportActivities(sessions).record_missed_contact, missed)
    [timeline] = await rows(sessions, TimelineEvent, kind="contact_missed")
    assert timeline.occurred_at == AT
    [notice] = await rows(sessions, Notice, kind="missed_contacts_escalation")
    assert notice.send_at == AT


async def test_her_information_pack_is_dated_when_her_pathway_asked_for_it(
    sessions: Sessions,
) -> None:
    """Its input is her id alone (her pathway's call is unchanged): the scheduled time counts."""
    woman = await make_woman(sessions)
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, scheduled_time=AT)
    await env.run(DocumentActivities(sessions).issue_information_pack, woman)
    [pack] = await rows(sessions, TimelineEvent, kind="information_pack")
    assert pack.occurred_at == AT
    [notice] = await rows(sessions, Notice, recipient_kind="woman")
    assert notice.send_at == AT
    [document] = await rows(sessions, Document)
    assert "4 March 2031" in document.html  # one date style: no weekday in letters


async def test_a_clock_planned_already_overdue_starts_late_from_the_workflows_time(
    sessions: Sessions,
) -> None:
    woman = await make_woman(sessions)
    request = ClockRequest(
        deadline="conference_due", label="Pre-birth conference held", due=date(2031, 2, 20)
    )
    plan = PlanClocks(woman_id=woman, scope="pathway", area="northmoor", requests=[request], at=AT)
    [clock] = await ActivityEnvironment().run(ClockActivities(sessions).plan_clocks, plan)
    # Owner and manager at once; the lead two working days on (Thursday 6 March, 09:00 GMT).
    assert clock.steps == [
        ClockStep(at=AT, action=Escalation.LATE_START),
        ClockStep(at=datetime(2031, 3, 6, 9, tzinfo=UTC), action=Escalation.ESCALATE_LEAD),
    ]


async def test_a_late_start_tells_her_worker_and_their_manager_together_not_the_lead(
    sessions: Sessions,
) -> None:
    woman = await _woman_with_coordinator(sessions, manager="ada.admin")
    escalate = EscalateClock(
        woman_id=woman, clock=_clock(woman, date(2031, 2, 20)), action=Escalation.LATE_START, at=AT
    )
    await ActivityEnvironment().run(ClockActivities(sessions).escalate_clock, escalate)
    async with sessions() as session:
        told = {await user_id(session, name) for name in ("sam.social", "ada.admin")}
    tasks = await rows(sessions, Task, kind="deadline_late_start")
    assert {t.assignee_user_id for t in tasks} == told
    notices = await rows(sessions, Notice, kind="deadline_late_start")
    assert {(n.recipient_user_id, n.send_at, n.urgent) for n in notices} == {
        (person, AT, True) for person in told
    }
    assert "20 February 2031" in notices[0].summary
    assert await rows(sessions, Notice, kind="deadline_escalate_lead") == []
