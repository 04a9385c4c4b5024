"""Closing her support, as a page: a safeguarding lead's sign-off with a reason and a handover,
and a second reason before the area's minimum period. The page sends the API's own closing
command (api.support.close_episode), so a refused attempt is kept on her record there too."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import support as support_api
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import carry_out, command_page, given, open_for_form, validated
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm
from api.pages.support import SupportUser, back_to_support, her_episode, open_support
from api.pages.support_data import earliest_close
from forms.common import Role
from waymark.db.models import SupportEpisode, Woman
from waymark.localtime import today_in_uk
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: her support"], include_in_schema=False)

CLOSE = {
    "reason": "the reason for closing her support",
    "handover_to": "who her support is handed over to",
    "second_reason": "the second reason for closing early",
}


def _close_page(
    request: Request,
    woman: Woman,
    episode: SupportEpisode,
    principal: Principal,
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    earliest = earliest_close(episode, woman.area_code)
    return command_page(
        request,
        "support_close.html.j2",
        "Close her support",
        woman,
        status,
        ready=episode.status == "active",
        lead=principal.role is Role.SAFEGUARDING_LEAD,
        earliest=earliest,
        early=today_in_uk() < earliest,
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/support/close")
async def close_form(
    request: Request, woman_id: uuid.UUID, principal: SupportUser, session: Session
) -> Response:
    """The closing form (only a safeguarding lead's sign-off closes her support)."""
    woman = await open_for_form(session, principal, woman_id, "support_close")
    episode = await her_episode(session, woman_id)
    return _close_page(request, woman, episode, principal, {}, {})


@router.post("/women/{woman_id}/support/close")
async def close_support(
    request: Request,
    woman_id: uuid.UUID,
    principal: SupportUser,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """Close her support: refused for anyone but a safeguarding lead, and before the minimum
    period without a second reason; a refusal changes nothing and is kept on her record."""
    woman, episode = await open_support(session, principal, woman_id, "close_support")
    values = values_of(form)
    data = given(
        reason=text(form, "reason"),
        handover_to=text(form, "handover_to"),
        second_reason=text(form, "second_reason"),
    )
    body, errors = validated(support_api.CloseRequest, data, CLOSE)

    async def refused(errors: Errors, status: int) -> Response:
        return _close_page(request, woman, episode, principal, values, errors, status)

    if body is None:
        return await refused(errors, 422)
    early = today_in_uk() < earliest_close(episode, woman.area_code)
    focus = "second_reason" if early and principal.role is Role.SAFEGUARDING_LEAD else "reason"
    # The API's own route function, not a copy: the same checks, Update and refusal record.
    closing = support_api.close_episode(
        woman_id, body, request, principal, session, temporal, settings
    )
    response = await carry_out(closing, woman_id, "closed", refused, focus)
    return back_to_support(response, woman_id)
