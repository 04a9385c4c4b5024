"""The admin's pages: users and roles in her area, advocates and their capacity, and a
read-only view of the area settings. Reading staff data only: never a woman's record."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import Response

from api.deps import Session
from api.pages.guard import Admin
from api.pages.render import render
from services.advocates import on_leave, open_loads
from waymark import audit
from waymark.areas import load_areas
from waymark.db.models import AdvocateProfile, Organisation, User
from waymark.localtime import today_in_uk
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: admin"], include_in_schema=False)

# What the list pages say after a form was saved (the address carries only the kind).
DONE = {
    "access": "The role and organisation were changed.",
    "deactivated": "The account was deactivated. They can no longer sign in.",
    "reactivated": "The account was reactivated. They can sign in again.",
    "profile": "The advocate's profile was saved.",
}


def _audit(session: Session, principal: Principal, what: str) -> None:
    audit.record(
        session,
        principal.actor(),
        action=f"view_{what}",
        record_type="area",
        record_id=principal.area_code,
    )


@router.get("/admin")
async def users(request: Request, principal: Admin, session: Session) -> Response:
    """Everyone with an account in her area, by organisation."""
    rows = await session.execute(
        select(User, Organisation.name)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.area_code == principal.area_code)
        .order_by(Organisation.name, User.display_name)
    )
    _audit(session, principal, "users")
    now = datetime.now(UTC)
    return render(
        request,
        "admin_users.html.j2",
        title="Users and roles",
        notice=DONE.get(request.query_params.get("done", "")),
        me_id=principal.user_id,
        users=[
            (user, org, bool(user.locked_until and user.locked_until > now)) for user, org in rows
        ],
    )


@router.get("/admin/advocates")
async def advocates(request: Request, principal: Admin, session: Session) -> Response:
    """Advocates covering her area: capacity, open allocations, leave."""
    rows = list(
        await session.execute(
            select(User, AdvocateProfile, Organisation.area_code)
            .join(Organisation, Organisation.id == User.organisation_id)
            .outerjoin(AdvocateProfile, AdvocateProfile.user_id == User.id)
            .where(User.role == "advocate")
            .order_by(User.display_name)
        )
    )
    # Those who cover her area, and her area's own advocates (whose profiles she may change).
    area = principal.area_code
    mine = [
        (u, p, home == area)
        for u, p, home in rows
        if (p is not None and area in (p.areas or [])) or home == area
    ]
    loads = await open_loads(session, [u.id for u, _, _ in mine])
    today = today_in_uk()
    _audit(session, principal, "advocates")
    return render(
        request,
        "admin_advocates.html.j2",
        title="Advocates and capacity",
        notice=DONE.get(request.query_params.get("done", "")),
        advocates=[
            (u, p, loads.get(u.id, 0), p is not None and on_leave(p, today), editable)
            for u, p, editable in mine
        ],
    )


@router.get("/admin/areas")
async def areas(request: Request, principal: Admin) -> Response:
    """Every area's rules, read-only (they are changed in the area files)."""
    known = load_areas()
    return render(
        request,
        "admin_areas.html.j2",
        title="Area settings",
        areas=[(code, rules.model_dump(mode="json")) for code, rules in sorted(known.items())],
        own=principal.area_code,
    )
