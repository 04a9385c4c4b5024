"""Side effects of a conference: its record, agency reports, the decision and its letter,
the minutes, and chasing reports that are due."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.exceptions import ApplicationError

from activities.business_time import business_time
from activities.wake import waking_transaction
from forms import activity_contracts as acts
from forms.activity_contracts import implements
from forms.clock import Escalation
from forms.common import Nation
from forms.conference import (
    ChaseReports,
    RecordConference,
    RecordConferenceDocument,
    RecordOutcome,
    RecordReport,
)
from forms.documents import DecisionContext, DocumentKind, render
from forms.labels import label
from rules.uktime import uk_date
from rules.wording import long_date
from services import documents
from services.escalation import recipients
from services.situation import baby_orders, baby_situation
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import AgencyReport, Conference, Meeting, Notice, Task, TimelineEvent, Woman


class ConferenceActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @implements(acts.record_conference)
    async def record_conference(self, inp: RecordConference) -> None:
        """Keep the conference's row in step with its workflow (phase, latest date)."""
        state = inp.state
        async with waking_transaction(self._sessions) as session:
            row = await session.get(Conference, state.conference_id)
            if row is None:
                row = Conference(
                    id=state.conference_id, woman_id=state.woman_id, kind=state.kind.value
                )
                session.add(row)
            row.phase, row.statutory_latest = state.phase.value, state.statutory_latest

    @implements(acts.record_report)
    async def record_report(self, inp: RecordReport) -> None:
        """Keep an agency's report; a late one is flagged to the chair and her advocate."""
        async with waking_transaction(self._sessions) as session:
            exists = await session.scalar(
                select(AgencyReport.id).where(
                    AgencyReport.conference_id == inp.conference_id,
                    AgencyReport.organisation_id == inp.report.organisation_id,
                )
            )
            if exists is not None:
                return
            session.add(
                AgencyReport(
                    conference_id=inp.conference_id,
                    organisation_id=inp.report.organisation_id,
                    author_user_id=inp.report.actor.user_id,
                    summary=inp.report.summary,
                    submitted_at=inp.at,
                    late=inp.late,
                )
            )
            late = " (late)" if inp.late else ""
            _timeline(
                session,
                inp.woman_id,
                f"conference:{inp.conference_id}:report:{inp.report.organisation_id}",
                "report_received",
                f"Agency report received for the conference{late}",
                inp.at,
            )
            if inp.late:
                await _flag(
                    session,
                    inp.woman_id,
                    f"conference:{inp.conference_id}:late:{inp.report.organisation_id}",
                    "A report for her conference arrived after it was due to be shared",
                    inp.at,
                )
            audit.record(
                session,
                inp.report.actor,
                action="submit_report",
                record_type="woman",
                record_id=inp.woman_id,
            )

    @implements(acts.record_outcome)
    async def record_outcome(self, inp: RecordOutcome) -> None:
        """The decision (or that the meeting was inquorate); a decision letter goes to her."""
        async with waking_transaction(self._sessions) as session:
            conference = await session.get(Conference, inp.conference_id)
            meeting = await session.get(Meeting, inp.meeting_id)
            woman = await session.get(Woman, inp.woman_id)
            if conference is None or meeting is None or woman is None:
                raise ApplicationError("the conference is not on record", type="InvalidRecord")
            key = f"conference:{inp.conference_id}:outcome:{inp.meeting_id}"
            if (
                await session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key))
                is not None
            ):
                return
            outcome = inp.outcome
            meeting.status = "held" if inp.quorate else "inquorate"
            conference.quorate = inp.quorate
            if inp.quorate:
                conference.plan, conference.decided_at = outcome.plan, inp.decided_at
                conference.category = outcome.category.value if outcome.category else None
                conference.areas_of_concern = {"areas": outcome.areas_of_concern}
                await _decision_letter(session, woman, inp)
            _timeline(
                session,
                inp.woman_id,
                key,
                "conference_outcome",
                _summary(inp),
                inp.decided_at,
                outcome.actor.user_id,
            )
            audit.record(
                session,
                outcome.actor,
                action="record_outcome",
                record_type="woman",
                record_id=inp.woman_id,
            )

    @implements(acts.record_conference_document)
    async def record_conference_document(self, inp: RecordConferenceDocument) -> None:
        """Keep the minutes as written by the chair."""
        key = f"conference:{inp.conference_id}:{inp.kind}"
        async with waking_transaction(self._sessions) as session:
            if (
                await session.scalar(select(TimelineEvent.id).where(TimelineEvent.event_key == key))
                is not None
            ):
                return
            woman = await session.get(Woman, inp.woman_id)
            if woman is None:
                raise ApplicationError("her record is not found", type="InvalidRecord")
            nation = get_area(woman.area_code).nation  # Scotland keeps a record of the meeting
            _timeline(
                session,
                inp.woman_id,
                key,
                f"{inp.kind}_recorded",
                label("minutes_event", nation),
                inp.at,
                inp.actor.user_id,
            )
            session.add(
                TimelineEvent(
                    event_key=f"{key}:text",
                    woman_id=inp.woman_id,
                    kind="minutes_text",
                    occurred_at=inp.at,
                    actor_user_id=inp.actor.user_id,
                    summary=label("minutes_text", nation),
                    data={"text": inp.text},
                )
            )
            audit.record(
                session,
                inp.actor,
                action=f"record_{inp.kind}",
                record_type="woman",
                record_id=inp.woman_id,
            )

    @implements(acts.chase_reports)
    async def chase_reports(self, inp: ChaseReports) -> None:
        """Ask each agency whose report is outstanding; once late, tell the chair and advocate."""
        at = business_time(inp.at)
        async with waking_transaction(self._sessions) as session:
            stage = "late" if inp.late else "chase"
            for invitee in inp.outstanding:
                key = f"conference:{inp.conference_id}:{stage}:{invitee.organisation_id}"
                if await session.scalar(select(Notice.id).where(Notice.key == key)):
                    continue
                session.add(
                    Notice(
                        key=key,
                        woman_id=inp.woman_id,
                        recipient_kind="agency",
                        recipient_organisation_id=invitee.organisation_id,
                        kind=f"report_{stage}",
                        send_at=at,
                        urgent=inp.late,
                        summary=f"Your report for her conference is due by {long_date(inp.due)}"
                        if not inp.late
                        else "Your report for her conference is overdue",
                    )
                )
            if inp.late:
                names = ", ".join(i.name for i in inp.outstanding)
                await _flag(
                    session,
                    inp.woman_id,
                    f"conference:{inp.conference_id}:overdue",
                    f"Reports not shared with her in time: {names}",
                    at,
                )


async def _decision_letter(session: AsyncSession, woman: Woman, inp: RecordOutcome) -> None:
    area = get_area(woman.area_code)
    advocate, worker = await documents.her_people(session, woman)
    outcome = inp.outcome
    letter = render(
        DocumentKind.DECISION_LETTER,
        DecisionContext(
            nation=area.nation,
            area_name=area.name,
            issued_on=uk_date(inp.decided_at),
            woman_name=documents.preferred_name(woman),
            advocate=advocate,
            named_worker=worker,
            conference_kind=inp.kind,
            held_on=inp.held_on,
            plan=bool(outcome.plan),
            category=outcome.category,
            areas_of_concern=outcome.areas_of_concern,
            core_group_by=inp.core_group_by,
            review_by=inp.review_by,
            situation=await baby_situation(session, woman_id=woman.id),
            orders=await baby_orders(session, woman_id=woman.id),
            formats=documents.her_formats(woman, area),
        ),
    )
    await documents.store(
        session,
        woman.id,
        f"conference:{inp.conference_id}:decision_letter",
        letter,
        send_to_woman=True,
        at=inp.decided_at,
    )


async def _flag(
    session: AsyncSession, woman_id: object, key: str, title: str, at: datetime
) -> None:
    """Tell the chair (her co-ordinator, else her team) and her advocate, at `at` (the
    workflow's time: the task is due that UK day)."""
    woman = await session.get(Woman, woman_id)
    if woman is None or await session.scalar(select(Task.id).where(Task.key == f"{key}:task")):
        return
    for user_id, org_id in await recipients(session, woman, Escalation.REMIND_OWNER):
        session.add(
            Task(
                key=f"{key}:task",
                woman_id=woman.id,
                assignee_user_id=user_id,
                assignee_organisation_id=org_id,
                kind="late_report",
                title=title,
                due=uk_date(at),
            )
        )
    advocate = await documents.current_advocate(session, woman)
    if advocate is not None:
        session.add(
            Notice(
                key=f"{key}:advocate",
                woman_id=woman.id,
                recipient_kind="advocate",
                recipient_user_id=advocate.id,
                kind="late_report",
                send_at=at,
                urgent=True,
                summary=title,
            )
        )


def _summary(inp: RecordOutcome) -> str:
    if not inp.quorate:
        meeting = label("meeting", Nation(inp.nation))
        return f"The {meeting} could not make a decision (not quorate): " + "; ".join(inp.missing)
    scottish = inp.nation == "scotland"
    if inp.outcome.plan:
        return (
            "Decision: her baby's name is placed on the child protection register"
            if scottish
            else "Decision: a child protection plan"
        )
    return "Decision: no registration" if scottish else "Decision: no child protection plan"


def _timeline(
    session: AsyncSession,
    woman_id: object,
    key: str,
    kind: str,
    summary: str,
    at: datetime,
    actor_id: object = None,
) -> None:
    session.add(
        TimelineEvent(
            event_key=key,
            woman_id=woman_id,
            kind=kind,
            occurred_at=at,
            actor_user_id=actor_id,
            summary=summary,
            data={},
        )
    )
