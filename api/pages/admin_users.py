"""The admin's forms for accounts in her area: adding a user (the first password shown once),
changing a user's role and organisation, and deactivating or reactivating an account. The rules
are services.users': a refusal is the form again with the reason, and nothing changes."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from api.deps import Session
from api.pages.actions import given, sentence, validated
from api.pages.fields import Errors, Values, text, values_of
from api.pages.guard import Admin, CheckedForm
from api.pages.render import label, render
from forms.common import Role
from forms.users import AccessChange, NewUser
from services import users
from waymark import audit
from waymark.db.models import User
from waymark.errors import Conflict, DomainError, Invalid
from waymark.security.principal import Principal

router = APIRouter(tags=["pages: admin"], include_in_schema=False)

ROLES = [(role.value, label(role.value)) for role in Role]
NEW_USER = {
    "username": "a username",
    "display_name": "their full name",
    "role": "what their role is",
    "organisation_id": "what organisation they work for",
}
ACCESS = {key: NEW_USER[key] for key in ("role", "organisation_id")}


def done(what: str) -> Response:
    """Back to the list of users, which says what was done."""
    return RedirectResponse(f"/admin?done={what}", status_code=303)


def refusal(exc: DomainError, fields: dict[type[DomainError], str]) -> tuple[Errors, int]:
    """A service's refusal as a message next to the field it is about (a 404 stays a page)."""
    for kind, field in fields.items():
        if isinstance(exc, kind):
            return {field: sentence(exc.message)}, exc.status_code
    raise exc


async def _form(
    request: Request,
    session: Session,
    principal: Principal,
    template: str,
    title: str,
    values: Values,
    errors: Errors,
    status: int = 200,
    **context: Any,
) -> Response:
    orgs = await users.area_organisations(session, principal.area_code)
    return render(
        request,
        template,
        status=status,
        title=title,
        values=values,
        errors=errors,
        roles=ROLES,
        organisations=[("", "Choose an organisation"), *((str(o.id), o.name) for o in orgs)],
        **context,
    )


@router.get("/admin/users/new")
async def new_user_form(request: Request, principal: Admin, session: Session) -> Response:
    """The form to add a user."""
    return await _form(request, session, principal, "admin_user_new.html.j2", "Add a user", {}, {})


@router.post("/admin/users/new")
async def add_user(
    request: Request, principal: Admin, form: CheckedForm, session: Session
) -> Response:
    """Add the account and show its first password, once (it is never stored or shown again)."""
    values = values_of(form)
    data = given(**{name: text(form, name) for name in NEW_USER})
    body, errors = validated(NewUser, data, NEW_USER)
    status = 422
    if body is not None:
        try:
            user, password = await users.create_user(session, principal, body)
        except DomainError as exc:
            errors, status = refusal(exc, {Conflict: "username", Invalid: "organisation_id"})
        else:
            added = render(
                request,
                "admin_user_added.html.j2",
                title="User added",
                user=user,
                password=password,
            )
            added.headers["Cache-Control"] = "no-store"  # the password must not be kept
            return added
    page = "admin_user_new.html.j2"
    return await _form(request, session, principal, page, "Add a user", values, errors, status)


@router.get("/admin/users/{user_id}/access")
async def access_form(
    request: Request, user_id: uuid.UUID, principal: Admin, session: Session
) -> Response:
    """The form to change a user's role and organisation."""
    user = await _user(session, principal, user_id, "open_user_access_form")
    values = {"role": user.role, "organisation_id": str(user.organisation_id)}
    title = "Change role and organisation"
    page = "admin_user_access.html.j2"
    return await _form(request, session, principal, page, title, values, {}, user=user)


@router.post("/admin/users/{user_id}/access")
async def change_access(
    request: Request, user_id: uuid.UUID, principal: Admin, form: CheckedForm, session: Session
) -> Response:
    """Change a user's role and organisation (not your own role, nor the last admin's)."""
    user = await users.area_user(session, principal.area_code, user_id)
    data = given(**{name: text(form, name) for name in ACCESS})
    body, errors = validated(AccessChange, data, ACCESS)
    status = 422
    if body is not None:
        try:
            await users.change_access(session, principal, user, body)
        except DomainError as exc:
            errors, status = refusal(exc, {Conflict: "role", Invalid: "organisation_id"})
        else:
            return done("access")
    title, page = "Change role and organisation", "admin_user_access.html.j2"
    values = values_of(form)
    return await _form(request, session, principal, page, title, values, errors, status, user=user)


@router.get("/admin/users/{user_id}/status")
async def status_form(
    request: Request, user_id: uuid.UUID, principal: Admin, session: Session
) -> Response:
    """Asks the admin to confirm deactivating (or reactivating) the account."""
    user = await _user(session, principal, user_id, "open_user_status_form")
    return _status_page(request, user, {})


@router.post("/admin/users/{user_id}/status")
async def change_status(
    request: Request, user_id: uuid.UUID, principal: Admin, form: CheckedForm, session: Session
) -> Response:
    """Deactivate or reactivate the account (never your own, nor the last admin)."""
    user = await users.area_user(session, principal.area_code, user_id)
    wanted = {"yes": True, "no": False}.get(str(form.get("active", "")))
    if wanted is None:
        return _status_page(request, user, {"active": "Say whether the account should be active"})
    try:
        await users.set_active(session, principal, user, active=wanted)
    except DomainError as exc:
        errors, status = refusal(exc, {Conflict: "active"})
        return _status_page(request, user, errors, status)
    return done("reactivated" if wanted else "deactivated")


def _status_page(request: Request, user: User, errors: Errors, status: int = 422) -> Response:
    title = "Reactivate the account" if not user.active else "Deactivate the account"
    return render(
        request,
        "admin_user_status.html.j2",
        status=status if errors else 200,
        title=title,
        user=user,
        errors=errors,
    )


async def _user(session: Session, principal: Principal, user_id: uuid.UUID, action: str) -> User:
    user = await users.area_user(session, principal.area_code, user_id)
    audit.record(session, principal.actor(), action=action, record_type="user", record_id=user.id)
    return user
