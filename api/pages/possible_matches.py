"""Referrals that may be for a woman on record, as a page: her team's social workers compare
the details and confirm or reject each, with a reason, through the API's own path."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from api.deps import AppSettings, Session, Temporal
from api.pages.fields import Errors, text
from api.pages.guard import CheckedForm, page_role
from api.pages.render import render
from api.possible_matches import Decision, resolve, view
from forms.common import Role
from services import possible_matches as queue
from waymark.errors import DomainError
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: possible matches"], include_in_schema=False)

SocialWorker = Annotated[
    Principal, Depends(page_role(Role.SOCIAL_WORKER, action="resolve_possible_match"))
]


async def _page(
    request: Request,
    principal: Principal,
    session: Session,
    errors: dict[str, Errors] | None = None,
    status: int = 200,
) -> Response:
    items = [view(item) for item in await queue.open_items(session, principal)]
    return render(
        request,
        "possible_matches.html.j2",
        status=status,
        title="Possible matches",
        items=items,
        form_errors=errors or {},
    )


@router.get("/possible-matches")
async def possible_matches_page(
    request: Request, principal: SocialWorker, session: Session
) -> Response:
    """Referrals waiting for your team to say whether each is for a woman on record."""
    return await _page(request, principal, session)


@router.post("/possible-matches/{match_id}")
async def decide_page(
    request: Request,
    match_id: uuid.UUID,
    principal: SocialWorker,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Confirm (the referral joins her record) or reject (it starts a record of its own)."""
    choice, key = text(form, "decision"), str(match_id)
    try:
        body = Decision(reason=text(form, "reason") or "")
    except ValidationError:
        return await _page(request, principal, session, {key: {"reason": "Give a reason"}}, 422)
    if choice not in ("confirm", "reject"):
        errors = {key: {"decision": "Choose whether she is the woman on record"}}
        return await _page(request, principal, session, errors, 422)
    try:
        receipt = await resolve(
            session, temporal, settings, principal, match_id, body, join=choice == "confirm"
        )
    except DomainError as exc:
        if exc.status_code != 409:
            raise
        errors = {key: {"decision": "This referral has already been decided"}}
        return await _page(request, principal, session, errors, 409)
    return RedirectResponse(f"/women/{receipt.woman_id}", status_code=303)
