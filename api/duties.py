"""The duty register over HTTP: an area's overdue duties for its safeguarding leads, paged;
a lead waiving a duty, always with a reason."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import CurrentPrincipal, Session, require_role
from forms.common import Role
from forms.duties import DutyPage, DutyView, WaiveDuty
from services.duties import waive_duty
from services.duty_views import overdue_page, owed_view, view
from waymark import audit
from waymark.db.base import utcnow
from waymark.errors import Forbidden
from waymark.security.principal import Principal

router = APIRouter(prefix="/api/v1/duties", tags=["duties"])
me = APIRouter(prefix="/api/v1/me", tags=["duties"])

Lead = Annotated[Principal, Depends(require_role(Role.SAFEGUARDING_LEAD, action="view_duties"))]


@router.get("/overdue", response_model=DutyPage)
async def overdue_duties(
    principal: Lead,
    session: Session,
    area: Annotated[str | None, Query(max_length=64, description="Your area (default).")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    after: Annotated[str | None, Query(max_length=100, description="`next` of a page.")] = None,
) -> DutyPage:
    """Your area's overdue duties, longest overdue first: what is owed, by whom, since when."""
    area = area or principal.area_code
    if area != principal.area_code:
        raise Forbidden("you can see the duties of your own area only")
    page = await overdue_page(session, area=area, now=utcnow(), limit=limit, after=after)
    audit.record(
        session,
        principal.actor(),
        action="view_duties",
        record_type="duties",
        record_id=None,
        detail=f"area {area}: {len(page.duties)} listed after {after or 'start'}"[:200],
        listed=[duty.woman_id for duty in page.duties],
    )
    return page


@me.get("/duties", response_model=DutyPage)
async def my_duties(
    principal: CurrentPrincipal,
    session: Session,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    after: Annotated[str | None, Query(max_length=100, description="`next` of a page.")] = None,
) -> DutyPage:
    """What you owe (and your team owes), overdue first then soonest due; one audit row a view."""
    return await owed_view(session, principal, now=utcnow(), limit=limit, after=after)


@router.post("/{duty_id}/waive", response_model=DutyView)
async def waive(duty_id: uuid.UUID, body: WaiveDuty, principal: Lead, session: Session) -> DutyView:
    """A lead of her area decides the duty is no longer owed, and says why."""
    now = utcnow()
    duty = await waive_duty(session, duty_id, actor=principal.actor(), reason=body.reason, at=now)
    return view(duty, now, {})
