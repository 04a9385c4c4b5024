"""Emergency ("break-glass") access as pages: asking for it (a reason, an NHS or CHI number),
and the safeguarding lead's review queue."""

from __future__ import annotations

import re
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from api.deps import Session
from api.pages import emergency_records as emergency
from api.pages.fields import Errors, text, values_of
from api.pages.guard import CheckedForm, Lead, page_role
from api.pages.render import render
from forms.common import Role
from waymark import audit
from waymark.db.models import BreakGlass, Woman
from waymark.errors import NotFound
from waymark.security.policy import visible_women
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: emergency access"], include_in_schema=False)

Requester = Annotated[
    Principal,
    Depends(
        page_role(
            Role.SOCIAL_WORKER,
            Role.PRACTITIONER,
            Role.SAFEGUARDING_LEAD,
            action="request_emergency_access",
        )
    ),
]
NUMBER = re.compile(r"^[0-9]{10}$")
MIN_REASON = 10


def _request_page(
    request: Request, values: dict[str, str], errors: Errors, status: int = 200
) -> Response:
    return render(
        request,
        "emergency_access.html.j2",
        status=status,
        title="Ask for emergency access to a record",
        values=values,
        errors=errors,
    )


@router.get("/emergency-access")
async def request_form(request: Request, principal: Requester) -> Response:
    """The form to ask for emergency access."""
    return _request_page(request, {}, {})


def _check(number: str | None, reason: str | None) -> Errors:
    errors: Errors = {}
    if not number or not NUMBER.match(number):
        errors["number"] = "Enter her NHS or CHI number: 10 digits"
    if not reason or len(reason) < MIN_REASON:
        errors["reason"] = "Enter why you need to see her record now (at least 10 characters)"
    elif len(reason) > 2000:
        errors["reason"] = "The reason must be 2000 characters or fewer"
    return errors


@router.post("/emergency-access")
async def request_access(
    request: Request, principal: Requester, form: CheckedForm, session: Session
) -> Response:
    """Find her record and open it for an hour; her area's safeguarding lead is alerted."""
    number = (text(form, "number") or "").replace(" ", "")
    reason = text(form, "reason")
    errors = _check(number, reason)
    if errors or reason is None:
        return _request_page(request, values_of(form), errors, 422)
    found = await emergency.find_records(session, number)
    if not found:
        audit.record(
            session,
            principal.actor(),
            action="break_glass",
            record_type="woman",
            record_id=None,
            outcome="not_found",
            reason=reason,
        )
        errors = {"number": "No record has that NHS or CHI number: check it and try again"}
        return _request_page(request, values_of(form), errors, 404)
    for woman in found:
        mine = await session.scalar(
            select(Woman.id).where(Woman.id == woman.id, visible_women(principal))
        )
        if mine is None:
            await emergency.grant(session, principal, woman, reason)
    return RedirectResponse(f"/women/{found[0].id}", status_code=303)


@router.get("/lead/emergency-access")
async def review_queue(
    request: Request, principal: Lead, session: Session, done: str | None = None
) -> Response:
    """Emergency access in her area: what awaits review first."""
    items = await emergency.queue(session, principal.area_code)
    audit.record(
        session,
        principal.actor(),
        action="view_break_glass_queue",
        record_type="area",
        record_id=principal.area_code,
    )
    return render(
        request,
        "lead_emergency_access.html.j2",
        title="Emergency access reviews",
        items=items,
        outcomes=list(emergency.REVIEW_OUTCOMES.items()),
        notice="The review is recorded." if done == "reviewed" else None,
    )


@router.post("/lead/emergency-access/{grant_id}/review")
async def review_grant(
    request: Request, grant_id: uuid.UUID, principal: Lead, form: CheckedForm, session: Session
) -> Response:
    """Record the review of one emergency access (her own area's only)."""
    row = await session.get(BreakGlass, grant_id)
    if row is None or row.area_code != principal.area_code:
        audit.record(
            session,
            principal.actor(),
            action="review_break_glass",
            record_type="break_glass",
            record_id=grant_id,
            outcome="denied",
        )
        raise NotFound("no such emergency access in your area")
    outcome = text(form, "outcome")
    if outcome not in emergency.REVIEW_OUTCOMES:
        items = await emergency.queue(session, principal.area_code)
        return render(
            request,
            "lead_emergency_access.html.j2",
            status=422,
            title="Emergency access reviews",
            items=items,
            outcomes=list(emergency.REVIEW_OUTCOMES.items()),
            errors={f"outcome-{grant_id}": "Say whether the access was appropriate"},
        )
    note = (text(form, "note") or "")[:2000] or None
    await emergency.review(session, principal, row, outcome, note)
    return RedirectResponse("/lead/emergency-access?done=reviewed", status_code=303)
