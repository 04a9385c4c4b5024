"""Invitations and report forms for a conference: her letter, each agency's invitation and the
form for its report, rendered when the conference is scheduled or moved."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forms.area import AreaRules
from forms.conference import ConferenceKind
from forms.documents import (
    AgencyInvitationContext,
    DocumentKind,
    MeetingInfo,
    ReportFormContext,
    WomanLetterContext,
    render,
)
from forms.meeting import Invitee, InviteeKind, MeetingKind, RecordMeeting
from forms.situation import Situation
from rules.clocks import compute_deadlines
from rules.uktime import uk_date
from services import documents
from services.situation import baby_situation
from waymark.db.models import Woman

CONFERENCES = {
    MeetingKind.CONFERENCE: ConferenceKind.INITIAL,
    MeetingKind.REVIEW_CONFERENCE: ConferenceKind.REVIEW,
}


async def issue_invitations(
    session: AsyncSession,
    woman: Woman,
    inp: RecordMeeting,
    invitees: list[Invitee],
    area: AreaRules,
) -> None:
    """Render and keep the conference's invitations (hers is sent with the meeting notice)."""
    kind = CONFERENCES.get(inp.meeting.kind)
    if kind is None or inp.change == "cancelled":
        return
    meeting = MeetingInfo.from_details(inp.meeting.details)
    reports_by = _reports_by(area, woman, inp, kind)
    base = f"meeting:{inp.meeting.meeting_id}:{inp.meeting.sequence}"
    advocate, worker = await documents.her_people(session, woman)
    situation = await baby_situation(session, woman_id=woman.id)
    letter = render(
        DocumentKind.INVITATION_WOMAN,
        WomanLetterContext(
            nation=area.nation,
            area_name=area.name,
            issued_on=uk_date(inp.at),
            woman_name=documents.preferred_name(woman),
            advocate=advocate,
            named_worker=worker,
            conference_kind=kind,
            meeting=meeting,
            reports_by=reports_by,
            unborn=situation is Situation.BEFORE_BIRTH,
            situation=situation,
            formats=documents.her_formats(woman, area),
        ),
    )
    await documents.store(session, woman.id, f"{base}:invitation:woman", letter, at=inp.at)
    for invitee in invitees:
        if invitee.kind is InviteeKind.AGENCY and invitee.owes_report:
            await _agency_documents(
                session,
                woman,
                invitee,
                kind,
                meeting,
                reports_by,
                area,
                base,
                at=inp.at,
                unborn=situation is Situation.BEFORE_BIRTH,
            )


async def _agency_documents(
    session: AsyncSession,
    woman: Woman,
    invitee: Invitee,
    kind: ConferenceKind,
    meeting: MeetingInfo,
    reports_by: date,
    area: AreaRules,
    base: str,
    *,
    at: datetime,
    unborn: bool,
) -> None:
    """The agency's invitation and report form, dated by `at` (the workflow's time)."""
    name = documents.preferred_name(woman) + " " + woman.family_name
    invitation = render(
        DocumentKind.INVITATION_AGENCY,
        AgencyInvitationContext(
            nation=area.nation,
            area_name=area.name,
            issued_on=uk_date(at),
            agency_name=invitee.name,
            woman_name=name,
            conference_kind=kind,
            meeting=meeting,
            report_due=reports_by,
            reports_to_woman_by=reports_by,
            attendance_required=invitee.required,
            unborn=unborn,
        ),
    )
    form = render(
        DocumentKind.REPORT_FORM,
        ReportFormContext(
            nation=area.nation,
            area_name=area.name,
            issued_on=uk_date(at),
            agency_name=invitee.name,
            woman_name=name,
            conference_kind=kind,
            meeting_starts_at=meeting.starts_at,
            report_due=reports_by,
            reports_to_woman_by=reports_by,
        ),
    )
    key = f"{base}:{invitee.organisation_id}"
    await documents.store(session, woman.id, f"{key}:invitation", invitation, at=at)
    await documents.store(session, woman.id, f"{key}:report_form", form, at=at)


def _reports_by(area: AreaRules, woman: Woman, inp: RecordMeeting, kind: ConferenceKind) -> date:
    deadlines = compute_deadlines(
        area, edd=woman.edd, conference=uk_date(inp.meeting.starts_at), conference_kind=kind.value
    )
    return next(d.due for d in deadlines if d.key == "reports_to_woman")
