"""Merging another record into hers, as a page: a safeguarding lead names the other record and
gives a reason; the page runs the API's own merge (api.merging.merge_records)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import AppSettings, Session, Temporal
from api.merging import merge_records
from api.pages.actions import carry_out, command_page, given, open_for_form, validated
from api.pages.fields import Errors, Values, text, ticked, values_of
from api.pages.guard import CheckedForm, Lead
from forms.merging import MergeRequest
from waymark.db.models import Woman
from waymark.security.policy import visible_woman

router = APIRouter(tags=["pages: merging records"], include_in_schema=False)

FIELDS = {
    "merge_woman_id": "the other record's reference",
    "reason": "the reason they are one woman",
    "across_areas": "whether the records are held by two areas",
}


def _page(
    request: Request, woman: Woman, values: Values, errors: Errors, status: int = 200
) -> Response:
    return command_page(
        request,
        "merge.html.j2",
        "Merge another record into hers",
        woman,
        status,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/merge")
async def merge_form(
    request: Request, woman_id: uuid.UUID, principal: Lead, session: Session
) -> Response:
    """The merge form: the other record's reference and the reason."""
    woman = await open_for_form(session, principal, woman_id, "merge")
    return _page(request, woman, {}, {})


@router.post("/women/{woman_id}/merge")
async def merge(
    request: Request,
    woman_id: uuid.UUID,
    principal: Lead,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Merge: her record goes on with both histories; a refusal shows the form again."""
    woman = await visible_woman(session, principal, woman_id, action="merge_records")
    values = values_of(form)
    data = given(merge_woman_id=text(form, "merge_woman_id"), reason=text(form, "reason"))
    body, errors = validated(
        MergeRequest, {**data, "across_areas": ticked(form, "across_areas")}, FIELDS
    )

    async def again(found: Errors, status: int) -> Response:
        return _page(request, woman, values, found, status)

    if body is None:
        return await again(errors, 422)
    command = merge_records(session, temporal, settings, principal, woman_id, body)
    return await carry_out(command, woman_id, "merged", again, "merge_woman_id")
