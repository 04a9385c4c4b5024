"""Who may use a page: the signed-in person from the session cookie, role checks (audited,
as in the API), and the CSRF and same-origin checks every page form passes."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from api import csrf, web_session
from api.deps import AppSettings, Session, require_role
from forms.common import Role
from waymark.security.principal import Principal, principal_of


class PasswordChangeNeeded(Exception):
    """Signed in with a first password: choosing their own comes before any other page."""


# The pages someone whose first password has been used may still open.
BEFORE_OWN_PASSWORD = ("/account/password", "/sign-out")


class SignInNeeded(Exception):
    """No live session: the person is sent to sign in (and told if it timed out)."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("sign in first")
        self.expired = expired


async def page_principal(request: Request, session: Session, settings: AppSettings) -> Principal:
    """The person behind the session cookie; without one, off to the sign-in page."""
    found = await web_session.signed_in(session, request, settings)
    if found is None:
        raise SignInNeeded(expired=web_session.COOKIE in request.cookies)
    user, session_id = found
    if user.password_must_change and request.url.path not in BEFORE_OWN_PASSWORD:
        raise PasswordChangeNeeded()
    principal = await principal_of(session, user, request.state.request_id)
    request.state.principal = principal
    request.state.csrf_binding = session_id
    return principal


PagePrincipal = Annotated[Principal, Depends(page_principal)]


def page_role(*roles: Role, action: str) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A page dependency that lets only these roles through (the API's check, so audited)."""
    check_role = require_role(*roles, action=action)

    async def check(principal: PagePrincipal, session: Session) -> Principal:
        return await check_role(principal, session)

    return check


async def checked_form(
    request: Request, principal: PagePrincipal, settings: AppSettings
) -> FormData:
    """The submitted form, once its token and origin are checked (else a 403 page)."""
    csrf.check_origin(request, settings)
    form = await request.form()
    csrf.check_token(settings, getattr(request.state, "csrf_binding", None), form.get(csrf.FIELD))
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]
SocialWorker = Annotated[
    Principal, Depends(page_role(Role.SOCIAL_WORKER, action="use_social_work_pages"))
]
Advocate = Annotated[Principal, Depends(page_role(Role.ADVOCATE, action="use_advocate_pages"))]
Lead = Annotated[Principal, Depends(page_role(Role.SAFEGUARDING_LEAD, action="use_lead_pages"))]
Practitioner = Annotated[
    Principal, Depends(page_role(Role.PRACTITIONER, action="use_agency_pages"))
]
Admin = Annotated[Principal, Depends(page_role(Role.ADMIN, action="use_admin_pages"))]
