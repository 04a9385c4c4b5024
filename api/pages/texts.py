"""Texts nobody could match, as a page: staff read each one and say whose it is. Matching uses
the API's own path (the record policy, her timeline, her response clock)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.contact_triage import match_and_tell, texts_seen_by
from api.deps import Session, Temporal
from api.pages.fields import Errors, text
from api.pages.guard import CheckedForm, page_role
from api.pages.render import render
from forms.common import Role
from services import women
from waymark.errors import DomainError
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: texts to match"], include_in_schema=False)

Triager = Annotated[
    Principal,
    Depends(page_role(Role.SOCIAL_WORKER, Role.SAFEGUARDING_LEAD, action="triage_unmatched_texts")),
]


async def _page(
    request: Request,
    principal: Principal,
    session: Session,
    errors: dict[str, Errors] | None = None,
    status: int = 200,
) -> Response:
    texts = await texts_seen_by(session, principal)
    choices = [(str(w.id), w.name) for w in await women.list_women(session, principal)]
    return render(
        request,
        "texts.html.j2",
        status=status,
        title="Texts to match",
        texts=texts,
        choices=[("", "Choose a woman"), *sorted(choices, key=lambda c: c[1])],
        form_errors=errors or {},
    )


@router.get("/texts")
async def texts_page(request: Request, principal: Triager, session: Session) -> Response:
    """Texts from numbers we do not know, oldest first, each with a way to say whose it is."""
    return await _page(request, principal, session)


@router.post("/texts/{request_id}/match")
async def match_text_page(
    request: Request,
    request_id: uuid.UUID,
    principal: Triager,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
) -> Response:
    """Say whose text it is: it joins her record and her worker must respond in time."""
    chosen = text(form, "woman_id")
    try:
        woman_id = uuid.UUID(chosen or "")
    except ValueError:
        errors = {str(request_id): {"woman_id": "Choose the woman who sent this text"}}
        return await _page(request, principal, session, errors, 422)
    try:
        await match_and_tell(session, temporal, principal, request_id, woman_id)
    except DomainError as exc:
        if exc.status_code != 409:
            raise
        errors = {str(request_id): {"woman_id": "This text has already been matched"}}
        return await _page(request, principal, session, errors, 409)
    return RedirectResponse(f"/women/{woman_id}?done=text_matched", status_code=303)
