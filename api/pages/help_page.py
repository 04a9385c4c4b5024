"""Help in plain words: what each person finds in Waymark and how to do the usual things,
for the signed-in person's role first, then the others (so a person can see how colleagues
work with her record)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.pages.guard import PagePrincipal
from api.pages.render import render
from forms.common import Role

router = APIRouter(tags=["pages: help"], include_in_schema=False)

ROLE_ORDER = (
    Role.SOCIAL_WORKER,
    Role.ADVOCATE,
    Role.PRACTITIONER,
    Role.SAFEGUARDING_LEAD,
    Role.ADMIN,
)


@router.get("/help")
async def help_page(request: Request, principal: PagePrincipal) -> Response:
    """Help for your role, then how the other roles use Waymark."""
    others = [role for role in ROLE_ORDER if role is not principal.role]
    return render(request, "help.html.j2", title="Help", mine=principal.role, others=others)
