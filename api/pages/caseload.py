"""The social worker's caseload: what she owes, and her team's women, each with her stage and
next deadline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import Session
from api.pages import woman_data
from api.pages.guard import SocialWorker
from api.pages.render import render
from services import women
from services.duty_views import owed_view
from waymark.db.base import utcnow
from waymark.localtime import today_in_uk

router = APIRouter(tags=["pages: caseload"], include_in_schema=False)
OWED_SHOWN = 20


@router.get("/caseload")
async def caseload(request: Request, principal: SocialWorker, session: Session) -> Response:
    """Her team's women, soonest deadline first (each listing is audited by the service)."""
    listed = await women.list_women(session, principal)
    upcoming = await woman_data.next_deadlines(session, [w.id for w in listed])
    far = today_in_uk().replace(year=9999)
    rows = sorted(listed, key=lambda w: (upcoming[w.id].due if w.id in upcoming else far, w.name))
    return render(
        request,
        "caseload.html.j2",
        title="Caseload",
        women=rows,
        upcoming=upcoming,
        today=today_in_uk(),
        owed=await owed_view(session, principal, now=utcnow(), limit=OWED_SHOWN),
    )
