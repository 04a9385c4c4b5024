"""The safeguarding lead's pages: the ledger (breaches first), who viewed a woman's record,
and compliance figures with simple charts. The same services as the API, audited the same."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from starlette.responses import Response

from api.deps import Session
from api.pages import charts
from api.pages.guard import Lead
from api.pages.render import render
from services.audit_trail import who_viewed
from services.compliance import compliance_report
from services.duty_views import owed_view
from services.ledger import build_ledger
from services.search import searches_in_area
from waymark import audit
from waymark.areas import get_area
from waymark.db.base import utcnow
from waymark.db.models import Organisation
from waymark.localtime import today_in_uk
from waymark.security.policy import visible_woman

router = APIRouter(tags=["pages: safeguarding lead"], include_in_schema=False)
PAGE_SIZE = 50
OWED_SHOWN = 20


@router.get("/lead")
async def ledger(
    request: Request,
    principal: Lead,
    session: Session,
    after: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """A page of the women in her area whose baby was placed in care: overdue duties first."""
    result = await build_ledger(
        session,
        area=principal.area_code,
        today=today_in_uk(),
        actor=principal.actor(),
        limit=PAGE_SIZE,
        after=after,
    )
    owed = await owed_view(session, principal, now=utcnow(), limit=OWED_SHOWN)
    return render(
        request, "lead_ledger.html.j2", title="The ledger", ledger=result, after=after, owed=owed
    )


@router.get("/lead/searches")
async def searches(request: Request, principal: Lead, session: Session) -> Response:
    """The searches people of her area made: who, when, how many results, and the terms."""
    rows = await searches_in_area(session, principal)
    return render(request, "lead_searches.html.j2", title="Searches made", searches=rows)


@router.get("/lead/women/{woman_id}/who-viewed")
async def her_access(
    request: Request,
    woman_id: uuid.UUID,
    principal: Lead,
    session: Session,
    since: date | None = None,
    until: date | None = None,
) -> Response:
    """Who viewed or changed her record, and who was refused."""
    woman = await visible_woman(session, principal, woman_id, action="view_audit")
    entries = await who_viewed(session, woman_id=woman_id, since=since, until=until)
    audit.record(
        session, principal.actor(), action="view_audit", record_type="woman", record_id=woman_id
    )
    return render(
        request,
        "lead_who_viewed.html.j2",
        title="Who viewed her record",
        woman=woman,
        name=f"{woman.preferred_name or woman.given_name} {woman.family_name}",
        entries=list(reversed(entries)),
        values={
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
        },
    )


@router.get("/lead/compliance")
async def compliance(request: Request, principal: Lead, session: Session) -> Response:
    """Her area's compliance figures, as numbers and as bar charts."""
    report = await compliance_report(session, area=principal.area_code)
    audit.record(
        session,
        principal.actor(),
        action="view_compliance",
        record_type="area",
        record_id=principal.area_code,
    )
    areas = [
        (area, charts.rate_bars(area.figures), charts.medians(area.figures))
        for area in report.areas
    ]
    return render(
        request,
        "lead_compliance.html.j2",
        title="Compliance",
        report=report,
        areas=areas,
        agency_charts=charts.rate_bars,
        agency_names=dict(
            (await session.execute(select(Organisation.code, Organisation.name))).all()
        ),
        area_names={area.area: get_area(area.area).name for area in report.areas},
    )
