"""Compliance figures over HTTP: safeguarding leads see their own area, admins any area."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import Session, require_role
from forms.common import Role
from forms.oversight_reports import ComplianceReport
from services.compliance import compliance_report
from waymark import audit
from waymark.errors import Forbidden
from waymark.security.principal import Principal

router = APIRouter(prefix="/api/v1", tags=["compliance"])

Overseer = Annotated[
    Principal,
    Depends(require_role(Role.SAFEGUARDING_LEAD, Role.ADMIN, action="view_compliance")),
]
AreaCode = Annotated[
    str | None,
    Query(max_length=64, description="An area's code; a lead's own area when left out."),
]


@router.get("/compliance")
async def compliance_figures(
    principal: Overseer, session: Session, area: AreaCode = None
) -> ComplianceReport:
    """Compliance figures with numerators and denominators, by area and agency, and caseloads."""
    if principal.role is Role.SAFEGUARDING_LEAD:
        if area is not None and area != principal.area_code:
            audit.record(
                session,
                principal.actor(),
                action="view_compliance",
                record_type="area",
                record_id=area,
                outcome="denied",
            )
            raise Forbidden("a safeguarding lead sees the figures of her own area only")
        area = principal.area_code
    report = await compliance_report(session, area=area)
    audit.record(
        session, principal.actor(), action="view_compliance", record_type="area", record_id=area
    )
    return report
