"""The advocate's pages: offers waiting for her answer, her women, their meetings in the next
14 days with what is ready, notices to acknowledge, and her private calendar link. Commands are
the API's own. A woman is hers once she has accepted the offer, not before."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import func, select
from starlette.responses import RedirectResponse, Response

from api import calendar_feed
from api.deps import AppSettings, Session
from api.pages.advocacy import pending_offers
from api.pages.guard import Advocate, CheckedForm
from api.pages.render import render
from delivery import calendar
from delivery.messages import meeting_facts
from forms.advocacy import AllocationStatus
from services import advocacy_views, advocates
from services.duty_views import owed_view
from waymark import audit
from waymark.areas import get_area
from waymark.db.models import (
    AdvocateAllocation,
    AgencyReport,
    Document,
    Meeting,
    Notice,
    User,
    Woman,
)
from waymark.errors import NotFound
from waymark.security.policy import serving_advocate
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: advocate"], include_in_schema=False)

AHEAD = timedelta(days=14)
MESSAGES_FOR = timedelta(days=30)
OWED_SHOWN = 20
ACCEPTED = AllocationStatus.ACCEPTED.value
DONE = {
    "acknowledged": "Thank you: the notice is acknowledged.",
    "accepted": "Thank you: you are now her advocate. She is in your list below.",
    "declined": "Your answer is recorded. Her case will be offered to another advocate.",
    "timed_out": "The time to answer had passed. Her case will be offered to another advocate.",
    "pending": "Your answer was sent but is not confirmed yet. "
    "Look at this page again in a minute before answering again.",
}


@dataclass
class Upcoming:
    """A meeting soon, and what is ready for it."""

    meeting: Meeting
    woman_name: str
    reports: int
    papers_for_her: int
    unacknowledged: int


async def upcoming(
    session: Session, principal: Principal, names: dict[uuid.UUID, str], now: datetime
) -> list[Upcoming]:
    """Meetings of her women in the next 14 days, not cancelled."""
    meetings = await session.scalars(
        select(Meeting)
        .join(AdvocateAllocation, AdvocateAllocation.woman_id == Meeting.woman_id)
        .where(
            AdvocateAllocation.advocate_user_id == principal.user_id,
            serving_advocate(),  # an offer is not yet hers: only an accepted allocation
            Meeting.status != "cancelled",
            Meeting.ends_at >= now,
            Meeting.starts_at <= now + AHEAD,
        )
        .order_by(Meeting.starts_at)
    )
    return [await _ready(session, principal, meeting, names, now) for meeting in meetings]


async def _ready(
    session: Session,
    principal: Principal,
    meeting: Meeting,
    names: dict[uuid.UUID, str],
    now: datetime,
) -> Upcoming:
    """What is ready for one meeting: agency reports, papers sent to her, notices seen."""
    reports = (
        await _count(session, AgencyReport.id, AgencyReport.conference_id == meeting.conference_id)
        if meeting.conference_id
        else 0
    )
    papers = await _count(
        session, Document.id, Document.woman_id == meeting.woman_id, Document.audience == "woman"
    )
    unseen = await _count(
        session,
        Notice.id,
        Notice.meeting_id == meeting.id,
        Notice.recipient_user_id == principal.user_id,
        Notice.acknowledged_at.is_(None),
        Notice.send_at <= now,
        Notice.status != "superseded",
    )
    return Upcoming(meeting, names.get(meeting.woman_id, ""), reports, papers, unseen)


async def _count(session: Session, column: Any, *where: Any) -> int:
    return int(await session.scalar(select(func.count(column)).where(*where)) or 0)


async def to_acknowledge(session: Session, principal: Principal, now: datetime) -> list[Notice]:
    """Notices sent to her that she has not yet acknowledged, newest first."""
    rows = await session.scalars(
        select(Notice)
        .where(
            Notice.recipient_kind == "advocate",
            Notice.recipient_user_id == principal.user_id,
            Notice.acknowledged_at.is_(None),
            Notice.status != "superseded",
            Notice.send_at <= now,
        )
        .order_by(Notice.send_at.desc())
        .limit(100)
    )
    return list(rows)


async def urgent_first(session: Session, principal: Principal, now: datetime) -> list[Notice]:
    """Urgent messages to her not yet acknowledged (her baby has been removed...), listed above
    everything else; an offer is answered in its own table instead."""
    rows = await session.scalars(
        select(Notice)
        .where(
            Notice.recipient_user_id == principal.user_id,
            Notice.urgent.is_(True),
            Notice.acknowledged_at.is_(None),
            Notice.kind != "advocate_offer",
            Notice.status != "superseded",
            Notice.send_at <= now,
            Notice.send_at > now - MESSAGES_FOR,
        )
        .order_by(Notice.send_at.desc())
        .limit(50)
    )
    return list(rows)


async def messages(session: Session, principal: Principal, now: datetime) -> list[Notice]:
    """Other messages to her in the last 30 days (offers, a removal, an allocation ending)."""
    rows = await session.scalars(
        select(Notice)
        .where(
            Notice.recipient_kind == "staff",
            Notice.recipient_user_id == principal.user_id,
            Notice.kind != "advocate_offer",  # offers have their own table, with the time left
            Notice.status != "superseded",
            Notice.send_at <= now,
            Notice.send_at > now - MESSAGES_FOR,
        )
        .order_by(Notice.urgent.desc(), Notice.send_at.desc())
        .limit(50)
    )
    return list(rows)


async def declined_for_manager(
    session: Session, principal: Principal, now: datetime
) -> list[tuple[AdvocateAllocation, str, str]]:
    """For an advocacy manager: offers her service's advocates declined in the last 30 days,
    with who and why (the reason is the advocate's own words)."""
    if principal.user_id not in await advocates.managers(session, [principal.organisation_id]):
        return []
    rows = await session.execute(
        select(AdvocateAllocation, User.display_name)
        .join(User, User.id == AdvocateAllocation.advocate_user_id)
        .where(
            User.organisation_id == principal.organisation_id,
            AdvocateAllocation.status == AllocationStatus.DECLINED.value,
            AdvocateAllocation.ended_at > now - MESSAGES_FOR,
        )
        .order_by(AdvocateAllocation.ended_at.desc())
        .limit(50)
    )
    return [(row, name, _why(row.end_reason)) for row, name in rows]


def _why(end_reason: str | None) -> str:
    """The advocate's reason, from the allocation's end reason ("declined by the advocate: …")."""
    reason = (end_reason or "").partition(": ")[2]
    return reason or "No reason was asked for then"


@router.get("/advocate")
async def advocate_home(
    request: Request, principal: Advocate, session: Session, done: str | None = None
) -> Response:
    """Offers to answer, her women, the next 14 days' meetings and what is ready, notices."""
    now = datetime.now(UTC)
    allocated = await advocacy_views.allocated_women(session, principal)
    women = [w for w in allocated if w.status == ACCEPTED]  # an offer is not yet hers
    names = {w.id: w.name for w in women}
    urgent = await urgent_first(session, principal, now)
    first = {n.id for n in urgent}
    return render(
        request,
        "advocate_home.html.j2",
        title="Your women and meetings",
        offers=await pending_offers(session, principal, now),
        women=women,
        names=names,
        nations={w.id: w.nation for w in women},
        meetings=await upcoming(session, principal, names, now),
        urgent=urgent,
        owed=await owed_view(session, principal, now=now, limit=OWED_SHOWN),
        notices=[n for n in await to_acknowledge(session, principal, now) if n.id not in first],
        messages=[n for n in await messages(session, principal, now) if n.id not in first],
        declined=await declined_for_manager(session, principal, now),
        notice=DONE.get(done or ""),
    )


@router.post("/advocate/notices/{notice_id}/acknowledge")
async def acknowledge(
    notice_id: uuid.UUID, principal: Advocate, form: CheckedForm, session: Session
) -> Response:
    """Acknowledge a notice (the API's acknowledgement: a repeat changes nothing)."""
    await calendar_feed.acknowledge_notice(notice_id, principal, session)
    return RedirectResponse("/advocate?done=acknowledged", status_code=303)


@router.get("/advocate/calendar")
async def calendar_page(request: Request, principal: Advocate) -> Response:
    """How to get her private calendar link."""
    return render(request, "advocate_calendar.html.j2", title="Your calendar", link=None)


@router.post("/advocate/calendar")
async def new_calendar_link(
    request: Request,
    principal: Advocate,
    form: CheckedForm,
    session: Session,
    settings: AppSettings,
) -> Response:
    """A new private link (shown once; any earlier link stops working)."""
    link = await calendar_feed.calendar_link(principal, session, settings)
    return render(request, "advocate_calendar.html.j2", title="Your calendar", link=link.url)


@router.get("/advocate/meetings/{meeting_id}/invite.ics")
async def meeting_invite(meeting_id: uuid.UUID, principal: Advocate, session: Session) -> Response:
    """One meeting of a woman she is advocate for, as a calendar invite to add to her diary."""
    found = await session.execute(
        select(Meeting, Woman.area_code)
        .join(Woman, Woman.id == Meeting.woman_id)
        .join(AdvocateAllocation, AdvocateAllocation.woman_id == Meeting.woman_id)
        .where(
            Meeting.id == meeting_id,
            Meeting.status != "cancelled",
            AdvocateAllocation.advocate_user_id == principal.user_id,
            serving_advocate(),
        )
    )
    row = found.first()
    if row is None:
        raise NotFound("no such meeting of a woman you are advocate for")
    meeting, area = row
    audit.record(
        session,
        principal.actor(),
        action="download_meeting_invite",
        record_type="woman",
        record_id=meeting.woman_id,
    )
    body = calendar.invite(
        meeting_facts(meeting, get_area(area).nation), "REQUEST", stamp=datetime.now(UTC)
    )
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="meeting.ics"'},
    )
