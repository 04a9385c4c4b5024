"""Your own account: changing your password (first from the one-off password an admin gave)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from api.deps import Session
from api.pages.guard import CheckedForm, PagePrincipal
from api.pages.render import ROLE_HOMES, render
from services import accounts
from waymark.db.models import User
from waymark.errors import Invalid

router = APIRouter(tags=["pages: your account"], include_in_schema=False)

FIELDS = ("current", "new", "again")


async def _page(
    request: Request,
    session: Session,
    user_id: object,
    *,
    errors: dict[str, str],
    status: int,
    notice: str | None = None,
) -> Response:
    user = await session.get(User, user_id)
    first = bool(user and user.password_must_change)
    response = render(
        request,
        "account_password.html.j2",
        status=status,
        title="Choose your own password" if first else "Change your password",
        first=first,
        minimum=accounts.MIN_LENGTH,
        errors=errors,
        notice=notice,
        home=ROLE_HOMES,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/account/password")
async def password_form(
    request: Request, principal: PagePrincipal, session: Session, done: str | None = None
) -> Response:
    """The form to change your password; never shows any password back."""
    notice = "Your password is changed." if done == "1" else None
    return await _page(request, session, principal.user_id, errors={}, status=200, notice=notice)


@router.post("/account/password")
async def change_password(
    request: Request, principal: PagePrincipal, form: CheckedForm, session: Session
) -> Response:
    """Change it: your current password first, then the new one twice."""
    given = {name: str(form.get(name, ""))[:500] for name in FIELDS}
    try:
        await accounts.change_password(
            session,
            principal,
            current=given["current"],
            new=given["new"],
            again=given["again"],
            keep_token_hash=getattr(request.state, "csrf_binding", None),
        )
    except Invalid as exc:
        field, _ = exc.problems[0]
        words = exc.message[:1].upper() + exc.message[1:]
        errors = {field if field in FIELDS else "current": words}
        return await _page(request, session, principal.user_id, errors=errors, status=422)
    return RedirectResponse("/account/password?done=1", status_code=303)
