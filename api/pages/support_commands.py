"""Commands on her support episode, as pages: a contact with her, and an answer to a referral
in her plan. Each sends the API's own Update to her episode's workflow (api.support)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.declared_tracks import RECORD_CONTACT, RECORD_PLAN_ITEM
from api.deps import AppSettings, Session, Temporal
from api.pages.actions import command_page, given, open_for_form, run_command
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import CheckedForm
from api.pages.render import uk_date
from api.pages.support import SupportUser, back_to_support, her_episode, open_support
from api.pages.support_data import read_support
from forms.support import ContactKind
from waymark.db.models import SupportEpisode, Woman
from waymark.localtime import today_in_uk

router = APIRouter(tags=["pages: her support"], include_in_schema=False)

KINDS = [
    (ContactKind.IN_PERSON.value, "In person"),
    (ContactKind.PHONE.value, "By phone"),
    (ContactKind.VIDEO.value, "By video call"),
    (ContactKind.OUTREACH_VISIT.value, "An outreach visit: you went to see her"),
]


# A contact with her.


def _contact_page(
    request: Request,
    woman: Woman,
    episode: SupportEpisode,
    values: Values,
    errors: Errors,
    status: int = 200,
) -> Response:
    return command_page(
        request,
        "support_contact.html.j2",
        "Record a contact with her",
        woman,
        status,
        kinds=KINDS,
        ready=episode.status == "active",
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/support/contacts/new")
async def contact_form(
    request: Request, woman_id: uuid.UUID, principal: SupportUser, session: Session
) -> Response:
    """The form for a contact with her (today unless changed)."""
    woman = await open_for_form(session, principal, woman_id, "support_contact")
    episode = await her_episode(session, woman_id)
    return _contact_page(request, woman, episode, {"on": today_in_uk().isoformat()}, {})


@router.post("/women/{woman_id}/support/contacts/new")
async def record_contact(
    request: Request,
    woman_id: uuid.UUID,
    principal: SupportUser,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """A contact with her: her rhythm restarts, outreach for missed contacts is done."""
    woman, episode = await open_support(session, principal, woman_id, RECORD_CONTACT.action)
    values = values_of(form)
    data = given(on=text(form, "on"), kind=text(form, "kind"), note=text(form, "note"))
    response = await run_command(
        temporal,
        settings,
        session,
        RECORD_CONTACT,
        woman_id=woman_id,
        data={**data, "actor": principal.actor()},
        target=episode.workflow_id,
        page=lambda errors, status: _contact_page(request, woman, episode, values, errors, status),
    )
    return back_to_support(response, woman_id)


# An answer to a referral in her plan.


async def _waiting(
    session: Session, woman: Woman, episode: SupportEpisode
) -> list[tuple[str, str]]:
    """The referrals still waiting for an answer, each with the date it is needed by."""
    support = await read_support(session, episode, woman.area_code)
    return [
        (r.item, f"{r.name}: answer needed by {uk_date(r.due)}" if r.due else r.name)
        for r in support.waiting()
    ]


def _plan_page(
    request: Request,
    woman: Woman,
    items: list[tuple[str, str]],
    values: Values,
    errors: Errors,
    status: int = 200,
    *,
    active: bool = True,
) -> Response:
    return command_page(
        request,
        "support_plan.html.j2",
        "Record an answer to a referral",
        woman,
        status,
        items=items,
        active=active,
        ready=active and bool(items),
        values=values,
        errors=errors,
    )


@router.get("/women/{woman_id}/support/plan")
async def plan_form(
    request: Request,
    woman_id: uuid.UUID,
    principal: SupportUser,
    session: Session,
    item: str | None = None,
) -> Response:
    """The form for an answer to a referral (the one chosen on her support page, if any)."""
    woman = await open_for_form(session, principal, woman_id, "support_plan")
    episode = await her_episode(session, woman_id)
    items = await _waiting(session, woman, episode)
    values = {"item": item} if item in {value for value, _ in items} else {}
    return _plan_page(request, woman, items, values, {}, active=episode.status == "active")


@router.post("/women/{woman_id}/support/plan")
async def record_plan_item(
    request: Request,
    woman_id: uuid.UUID,
    principal: SupportUser,
    form: CheckedForm,
    session: Session,
    temporal: Temporal,
    settings: AppSettings,
) -> Response:
    """A referral in her plan was answered (or the offer made): its clock is met."""
    woman, episode = await open_support(session, principal, woman_id, RECORD_PLAN_ITEM.action)
    items = await _waiting(session, woman, episode)
    values = values_of(form)
    data = given(item=text(form, "item"), outcome=text(form, "outcome"))
    response = await run_command(
        temporal,
        settings,
        session,
        RECORD_PLAN_ITEM,
        woman_id=woman_id,
        data={**data, "actor": principal.actor()},
        target=episode.workflow_id,
        page=lambda errors, status: _plan_page(
            request, woman, items, values, errors, status, active=episode.status == "active"
        ),
    )
    return back_to_support(response, woman_id)
