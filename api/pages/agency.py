"""The agency practitioner's page: meetings her agency is invited to (with a report to submit
for a conference) and the women her agency works with."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from sqlalchemy import or_, select
from starlette.responses import Response

from api.deps import Session
from api.pages.guard import Practitioner
from api.pages.render import render
from services import women
from waymark.db.models import Meeting, Notice
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: agencies"], include_in_schema=False)


async def invited_meetings(session: Session, principal: Principal) -> list[Meeting]:
    """Upcoming meetings her agency (or she) was sent an invitation or change notice about."""
    invited = select(Notice.meeting_id).where(
        Notice.meeting_id.is_not(None),
        or_(
            Notice.recipient_organisation_id == principal.organisation_id,
            Notice.recipient_user_id == principal.user_id,
        ),
    )
    rows = await session.scalars(
        select(Meeting)
        .where(
            Meeting.id.in_(invited),
            Meeting.status != "cancelled",
            Meeting.ends_at >= datetime.now(UTC),
        )
        .order_by(Meeting.starts_at)
    )
    return list(rows)


@router.get("/agency")
async def agency_home(request: Request, principal: Practitioner, session: Session) -> Response:
    """Her agency's meetings and women (each listing audited by the service)."""
    listed = await women.list_women(session, principal)
    names = {w.id: w.name for w in listed}
    meetings = [m for m in await invited_meetings(session, principal) if m.woman_id in names]
    return render(
        request,
        "agency_home.html.j2",
        title="Meetings and women",
        women=listed,
        names=names,
        nations={w.id: w.nation for w in listed},
        meetings=meetings,
    )
