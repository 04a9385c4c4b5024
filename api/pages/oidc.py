"""Signing in through the organisation's OpenID Connect provider, when one is configured: off to
the provider with a state, a nonce and a PKCE challenge (remembered in a short-lived signed
cookie), back with a code that is exchanged and an ID token that is checked, then the same page
session as signing in with a password. Only existing, active accounts: none is made from a token.
Every return from the provider is audited, whatever its outcome."""

from __future__ import annotations

import hmac
import logging
from datetime import timedelta

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from api import csrf, web_session
from api.deps import AppSettings, WriteSession
from api.pages.auth import safe_next, start_session
from api.pages.errors import error_page
from api.pages.render import ROLE_HOMES, render
from forms.common import Actor, Role
from waymark import audit
from waymark.db.models import User
from waymark.security import oidc
from waymark.security.oidc import Flow, OidcRefused
from waymark.security.tokens import issue_token
from waymark.settings import Settings

log = logging.getLogger("waymark.pages")
router = APIRouter(tags=["pages: signing in"], include_in_schema=False)

FLOW_COOKIE = "waymark_oidc_flow"
ACTION = "sign_in_oidc"
START_AGAIN = "go back to the sign-in page and start again"
NOT_SET_UP = "your account is not set up in Waymark: ask your administrator"
# The error codes a provider may send back (OAuth 2.0 and OpenID Connect); others are "other".
PROVIDER_ERRORS = frozenset(
    {
        "invalid_request",
        "unauthorized_client",
        "access_denied",
        "unsupported_response_type",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
        "interaction_required",
        "login_required",
        "account_selection_required",
        "consent_required",
    }
)


@router.get("/sign-in/oidc")
async def start(request: Request, settings: AppSettings, next: str = "/") -> Response:
    """Off to the provider's sign-in, remembering in a signed cookie what to check on return."""
    if not oidc.enabled(settings):
        return error_page(request, 404)
    flow = Flow.begin(safe_next(next))
    try:
        url = await oidc.authorization_url(settings, flow)
    except OidcRefused as refused:
        log.warning("openid connect sign-in could not start: %s", refused.detail)
        return _refused_page(request, refused)
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        FLOW_COOKIE,
        oidc.seal(flow, csrf.secret_key(settings)),
        max_age=oidc.FLOW_SECONDS,
        path="/sign-in/oidc",  # sent back to the callback only
        httponly=True,
        samesite="lax",  # the provider's redirect back is a top-level GET: Lax cookies go with it
        secure=web_session.secure_cookies(settings),
    )
    return response


@router.get(oidc.CALLBACK_PATH)
async def callback(request: Request, session: WriteSession, settings: AppSettings) -> Response:
    """Back from the provider: check it all, then sign in the account the provider vouches for."""
    if not oidc.enabled(settings):
        return error_page(request, 404)
    flow = oidc.unseal(request.cookies.get(FLOW_COOKIE), csrf.secret_key(settings))
    try:
        user = await _vouched_user(request, session, settings, flow)
    except OidcRefused as refused:
        audit.record(
            session,
            None,
            action=ACTION,
            record_type=oidc.FLOW_RECORD,
            record_id=flow.digest if flow else None,
            outcome="denied",
            detail=refused.detail,
        )
        response = _refused_page(request, refused)
    else:
        assert flow is not None
        response = await _sign_in(request, session, settings, user, flow)
    # Single use: whatever happened, this browser's flow is over.
    response.delete_cookie(
        FLOW_COOKIE,
        path="/sign-in/oidc",
        httponly=True,
        samesite="lax",
        secure=web_session.secure_cookies(settings),
    )
    return response


async def _vouched_user(
    request: Request, session: AsyncSession, settings: Settings, flow: Flow | None
) -> User:
    """The active account the provider vouches for, after every check; else OidcRefused."""
    params = request.query_params
    if flow is None:
        detail = "no sign-in in progress in this browser (cookie missing or altered)"
        raise OidcRefused(400, "this sign-in did not start here, " + START_AGAIN, detail)
    if flow.expired():
        raise OidcRefused(400, "signing in took too long, " + START_AGAIN, "sign-in expired")
    if await oidc.flow_used(session, flow):
        detail = "sign-in already came back once (a replayed return)"
        raise OidcRefused(400, "this sign-in has already been used, " + START_AGAIN, detail)
    if not hmac.compare_digest(params.get("state", "").encode(), flow.state.encode()):
        detail = "state does not match this browser's sign-in"
        raise OidcRefused(
            400, "this sign-in did not match the one started here, " + START_AGAIN, detail
        )
    if "error" in params:
        raise _provider_error(params["error"])
    code = params.get("code")
    if not code:
        raise OidcRefused(400, "the sign-in service sent no sign-in, " + START_AGAIN, "no code")
    username = await oidc.vouched_username(settings, flow, code)
    user = await oidc.account_for(session, username)
    if user is None:
        raise OidcRefused(403, NOT_SET_UP, "no account with the provider's username")
    if not user.active:
        raise OidcRefused(403, NOT_SET_UP, "the account with the provider's username is not active")
    return user


def _provider_error(error: str) -> OidcRefused:
    code = error if error in PROVIDER_ERRORS else "other"
    if code == "access_denied":
        message = "the sign-in service did not let you sign in (it said access was denied)"
        return OidcRefused(403, message, "provider refused: access_denied")
    message = "the sign-in service could not sign you in just now, " + START_AGAIN
    return OidcRefused(400, message, f"provider error: {code}")


async def _sign_in(
    request: Request, session: AsyncSession, settings: Settings, user: User, flow: Flow
) -> Response:
    """The same session as signing in with a password: issued, audited, in the cookie."""
    token = issue_token(session, user, ttl=timedelta(minutes=settings.token_ttl_minutes))
    actor = Actor(
        user_id=user.id,
        role=Role(user.role),
        organisation_id=user.organisation_id,
        request_id=request.state.request_id,
    )
    audit.record(
        session,
        actor,
        action="sign_in",
        record_type="user",
        record_id=user.id,
        detail="openid connect",
    )
    audit.record(session, actor, action=ACTION, record_type=oidc.FLOW_RECORD, record_id=flow.digest)
    target = flow.next if flow.next != "/" else ROLE_HOMES[Role(user.role)]
    return await start_session(request, session, settings, token, target)


def _refused_page(request: Request, refused: OidcRefused) -> Response:
    return render(
        request, "sign_in_refused.html.j2", status=refused.status, message=refused.message
    )
