"""Her own support episode as a page: its state, her named worker, the heightened-risk window,
her plan with each referral's response clock, contacts made and due, open escalations. For
those who support her (the API's roles), under the record-level policy; every view audited."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.deps import Session
from api.pages.actions import her_name
from api.pages.guard import page_role
from api.pages.render import render
from api.pages.support_data import latest_episode, read_support
from forms.common import Role
from services.named_worker import may_name
from waymark import audit
from waymark.db.models import SupportEpisode, Woman
from waymark.errors import NotFound
from waymark.localtime import today_in_uk
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: her support"], include_in_schema=False)

# The API's roles for her support (api.support): her named worker and team, the agencies in
# her plan, the safeguarding lead. The record-level policy then decides which women.
SupportUser = Annotated[
    Principal,
    Depends(
        page_role(
            Role.SOCIAL_WORKER, Role.PRACTITIONER, Role.SAFEGUARDING_LEAD, action="support_her"
        )
    ),
]

# What a finished command says on her support page (the address names only the kind).
DONE = {
    "contact": "The contact is recorded. Her next contact is due by the date below.",
    "plan": "The answer to the referral is recorded.",
    "closed": "Her support is closed and handed over.",
    "named": "Her named worker is recorded.",
    "pending": "This was sent, but her support episode has not confirmed it yet. "
    "Look at this page again in a minute before trying again.",
}


def support_path(woman_id: uuid.UUID) -> str:
    return f"/women/{woman_id}/support"


async def her_episode(session: Session, woman_id: uuid.UUID) -> SupportEpisode:
    """Her latest support episode, or a 404 (her baby has never been placed in care)."""
    episode = await latest_episode(session, woman_id)
    if episode is None:
        raise NotFound("she has no support episode")
    return episode


async def open_support(
    session: Session, principal: Principal, woman_id: uuid.UUID, action: str
) -> tuple[Woman, SupportEpisode]:
    """Her record (the policy decides) and her latest support episode, or a 404."""
    woman = await visible_woman(session, principal, woman_id, action=action)
    return woman, await her_episode(session, woman_id)


def back_to_support(response: Response, woman_id: uuid.UUID) -> Response:
    """A finished command lands on her support page rather than her record, saying what was
    done; anything else (the form again, with its errors) is left as it is."""
    location = response.headers.get("location", "")
    record = f"/women/{woman_id}?done="
    if response.status_code != 303 or not location.startswith(record):
        return response
    return RedirectResponse(
        support_path(woman_id) + "?done=" + location.removeprefix(record), status_code=303
    )


@router.get("/women/{woman_id}/support")
async def support_page(
    request: Request,
    woman_id: uuid.UUID,
    principal: SupportUser,
    session: Session,
    done: str | None = None,
) -> Response:
    """Her support episode as it stands, and what the signed-in person may do next."""
    woman, episode = await open_support(session, principal, woman_id, "view_support")
    audit.record(
        session, principal.actor(), action="view_support", record_type="woman", record_id=woman_id
    )
    return render(
        request,
        "support_episode.html.j2",
        title="Her support",
        woman=woman,
        name=her_name(woman),
        support=await read_support(session, episode, woman.area_code),
        today=today_in_uk(),
        lead=principal.role is Role.SAFEGUARDING_LEAD,
        may_name=may_name(principal.actor(), woman),
        notice=DONE.get(done or ""),
    )
