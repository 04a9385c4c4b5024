"""Signing in and out of the pages: the API's sign-in (same accounts, throttling and lockout),
then a server-side session behind an HttpOnly cookie; signing out revokes it. Signing in through
an OpenID Connect provider (api/pages/oidc.py) ends in the same session, via start_session."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from api import auth, csrf, web_session
from api.deps import AppSettings, Session
from api.pages.guard import CheckedForm, PagePrincipal
from api.pages.render import ROLE_HOMES, render
from waymark import audit
from waymark.errors import NotSignedIn
from waymark.security import oidc
from waymark.settings import Settings

router = APIRouter(tags=["pages: signing in"], include_in_schema=False)

NOT_RIGHT = "Enter a username and password that are right"


def safe_next(target: object) -> str:
    """Only a path on this site (never //host or a full address) is followed after sign-in."""
    if isinstance(target, str) and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target[:500]
    return "/"


def _form_page(
    request: Request, settings: AppSettings, *, status: int = 200, **context: object
) -> Response:
    binding, new = web_session.presession(request)
    request.state.csrf_binding = f"pre:{binding}"
    # The "Sign in with ..." link shows only when a provider is configured.
    oidc_link = settings.oidc_display_name if oidc.enabled(settings) else None
    page = {"expired": False, "next": "/", "oidc_link": oidc_link, **context}
    response = render(request, "sign_in.html.j2", status=status, **page)
    if new:
        web_session.set_cookie(response, web_session.PRE_COOKIE, binding, settings)
    return response


@router.get("/sign-in")
async def sign_in_page(
    request: Request,
    settings: AppSettings,
    next: str = "/",
    expired: str | None = None,
    signed_out: str | None = None,
) -> Response:
    """The sign-in form."""
    notice = "You have signed out." if signed_out == "1" else None
    return _form_page(
        request, settings, next=safe_next(next), expired=expired == "1", notice=notice
    )


@router.post("/sign-in")
async def sign_in(request: Request, session: Session, settings: AppSettings) -> Response:
    """Check the username and password; start a session and go where the person was going."""
    csrf.check_origin(request, settings)
    form = await request.form()
    binding = request.cookies.get(web_session.PRE_COOKIE)
    csrf.check_token(settings, f"pre:{binding}" if binding else None, form.get(csrf.FIELD))
    username, password = str(form.get("username", ""))[:120], str(form.get("password", ""))
    target = safe_next(form.get("next"))
    if not username or not password:
        errors = {"username": NOT_RIGHT} if not username else {"password": "Enter your password"}
        return _form_page(
            request, settings, status=422, errors=errors, values={"username": username}, next=target
        )
    credentials = OAuth2PasswordRequestForm(username=username, password=password)
    try:
        token = await auth.sign_in(request, credentials, session, settings)
    except NotSignedIn:
        # The same words whatever was wrong, so they reveal nothing about which accounts exist.
        errors = {"username": NOT_RIGHT + " (after 5 attempts an account is locked for 15 minutes)"}
        return _form_page(
            request, settings, status=401, errors=errors, values={"username": username}, next=target
        )
    return await start_session(request, session, settings, token.access_token, target)


async def start_session(
    request: Request, session: AsyncSession, settings: Settings, token: str, target: str
) -> Response:
    """Put a newly issued session token in the cookie (ending any earlier session in this
    browser) and go to target: the end of every way of signing in to the pages."""
    old = request.cookies.get(web_session.COOKIE)
    if old:
        await web_session.revoke(session, old)
    response = RedirectResponse(target, status_code=303)
    web_session.set_cookie(response, web_session.COOKIE, token, settings)
    web_session.clear_cookie(response, web_session.PRE_COOKIE, settings)
    return response


@router.post("/sign-out")
async def sign_out(
    request: Request,
    principal: PagePrincipal,
    form: CheckedForm,
    session: Session,
    settings: AppSettings,
) -> Response:
    """End the session: the cookie is cleared and the session revoked on the server."""
    await web_session.revoke(session, request.cookies.get(web_session.COOKIE, ""))
    audit.record(
        session,
        principal.actor(),
        action="sign_out",
        record_type="user",
        record_id=principal.user_id,
    )
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    web_session.clear_cookie(response, web_session.COOKIE, settings)
    return response


@router.get("/")
async def home(principal: PagePrincipal) -> Response:
    """Each person's home page."""
    return RedirectResponse(ROLE_HOMES[principal.role], status_code=303)
