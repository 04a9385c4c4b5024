"""Transfers waiting for your team, as a page: where from, why and when (nothing of her record
until accepted); accept, or decline with a reason, through the API's own path."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.deps import AppSettings, Session, Temporal
from api.pages.fields import Errors, text
from api.pages.guard import CheckedForm, page_role
from api.pages.render import render
from api.transfers import answer, out
from forms.transfer import TransferAnswer
from services import transfers
from waymark.areas import load_areas
from waymark.errors import DomainError
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: transfers"], include_in_schema=False)

Receiver = Annotated[
    Principal, Depends(page_role(*transfers.ANSWERING_ROLES, action="answer_transfers"))
]


async def _page(
    request: Request,
    principal: Principal,
    session: Session,
    errors: dict[str, Errors] | None = None,
    status: int = 200,
) -> Response:
    items = [out(row) for row in await transfers.waiting_for(session, principal)]
    names = {code: area.name for code, area in load_areas().items()}
    return render(
        request,
        "transfers.html.j2",
        status=status,
        title="Transfers to your team",
        items=items,
        area_names=names,
        form_errors=errors or {},
    )


@router.get("/transfers")
async def transfers_page(request: Request, principal: Receiver, session: Session) -> Response:
    """Records other areas ask your team to take on."""
    return await _page(request, principal, session)


@router.post("/transfers/{transfer_id}")
async def answer_page(
    request: Request,
    transfer_id: uuid.UUID,
    principal: Receiver,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Accept (her record comes to your team) or decline (with a reason)."""
    choice, key, reason = text(form, "decision"), str(transfer_id), text(form, "reason")
    if choice not in ("accept", "decline"):
        errors = {key: {"decision": "Choose whether your team takes her record on"}}
        return await _page(request, principal, session, errors, 422)
    if choice == "decline" and not reason:
        errors = {key: {"reason": "Say why your team declines"}}
        return await _page(request, principal, session, errors, 422)
    body = TransferAnswer(reason=reason or None)
    try:
        done = await answer(
            session, temporal, settings, principal, transfer_id, body, accept=choice == "accept"
        )
    except DomainError as exc:
        if exc.status_code != 409:
            raise
        errors = {key: {"decision": "This transfer has already been answered"}}
        return await _page(request, principal, session, errors, 409)
    target = f"/women/{done.woman_id}" if choice == "accept" else "/transfers"
    return RedirectResponse(target, status_code=303)
