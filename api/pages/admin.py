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
from waymark import audit
from waymark.areas import load_areas
from waymark.db.models import AdvocateProfile, Organisation, User
from waymark.localtime import today_in_uk
from waymark.security.principal import Principal
from waymark.services.advocates import on_leave, open_loads

router = APIRouter(tags=["pages: admin"], include_in_schema=False)


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
        users=[
            (user, org, bool(user.locked_until and user.locked_until > now)) for user, org in rows
        ],
    )


@router.get("/admin/advocates")
async def advocates(request: Request, principal: Admin, session: Session) -> Response:
    """Advocates covering her area: capacity, open allocations, leave."""
    rows = list(
        await session.execute(
            select(User, AdvocateProfile)
            .join(AdvocateProfile, AdvocateProfile.user_id == User.id)
            .where(User.role == "advocate")
            .order_by(User.display_name)
        )
    )
    mine = [(u, p) for u, p in rows if principal.area_code in (p.areas or [])]
    loads = await open_loads(session, [u.id for u, _ in mine])
    today = today_in_uk()
    _audit(session, principal, "advocates")
    return render(
        request,
        "admin_advocates.html.j2",
        title="Advocates and capacity",
        advocates=[(u, p, loads.get(u.id, 0), on_leave(p, today)) for u, p in mine],
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
