"""Advocates: acknowledging a notice, and a private calendar feed of her clients' meetings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api.deps import AppSettings, CurrentPrincipal, Session, WriteSession, require_role
from delivery.calendar import feed
from delivery.feeds import advocate_meetings, feed_for_token, issue_feed
from forms.common import Actor, Role
from forms.delivery import Acknowledgement, CalendarLink
from services import removal_ack
from waymark import audit
from waymark.db.models import Notice
from waymark.errors import NotFound
from waymark.security.principal import Principal

router = APIRouter(tags=["advocates"])

Advocate = Annotated[Principal, Depends(require_role(Role.ADVOCATE, action="get_calendar_link"))]


@router.post("/api/v1/notices/{notice_id}/acknowledge")
async def acknowledge_notice(
    notice_id: uuid.UUID, principal: CurrentPrincipal, session: Session
) -> Acknowledgement:
    """The person it was sent to confirms she has seen it (a repeat changes nothing); her
    removal message acknowledged meets the duty to acknowledge it. Anyone else's: a 404."""
    notice = await session.get(Notice, notice_id)
    if (
        notice is None
        or notice.recipient_kind not in ("advocate", "staff")
        or notice.recipient_user_id != principal.user_id
    ):
        audit.record(
            session,
            principal.actor(),
            action="acknowledge_notice",
            record_type="notice",
            record_id=notice_id,
            outcome="denied",
        )
        raise NotFound("no such notice for you")
    if notice.acknowledged_at is None:
        notice.acknowledged_at = datetime.now(UTC)
        notice.acknowledged_by = principal.user_id
        await removal_ack.acknowledged(session, notice, principal.user_id, notice.acknowledged_at)
        audit.record(
            session,
            principal.actor(),
            action="acknowledge_notice",
            record_type="woman",
            record_id=notice.woman_id,
        )
    return Acknowledgement(notice_id=notice.id, acknowledged_at=notice.acknowledged_at)


@router.get("/api/v1/advocates/me/calendar-link")
async def calendar_link(
    principal: Advocate, session: WriteSession, settings: AppSettings
) -> CalendarLink:
    """A private link to subscribe to; asking again gives a new one and stops the old."""
    token = await issue_feed(session, principal.user_id, now=datetime.now(UTC))
    audit.record(
        session,
        principal.actor(),
        action="issue_calendar_link",
        record_type="user",
        record_id=principal.user_id,
    )
    return CalendarLink(url=f"{settings.public_url}/calendar/{token}.ics")


@router.get("/calendar/{token}.ics", response_class=Response)
async def calendar_feed(token: str, session: Session) -> Response:
    """Her upcoming meetings as iCalendar; the secret token is the only key."""
    now = datetime.now(UTC)
    found = await feed_for_token(session, token, now=now)
    if found is None:
        audit.record(
            session,
            None,
            action="read_calendar_feed",
            record_type="calendar_feed",
            record_id=None,
            outcome="denied",
        )
        raise NotFound("no such calendar")
    row, user = found
    meetings = await advocate_meetings(session, user.id, now=now)
    actor = Actor(user_id=user.id, role=Role(user.role), organisation_id=user.organisation_id)
    audit.record(
        session, actor, action="read_calendar_feed", record_type="calendar_feed", record_id=row.id
    )
    body = feed(meetings, stamp=now, name="Waymark meetings")
    return Response(body, media_type="text/calendar; charset=utf-8")
