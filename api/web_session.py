"""Browser sessions for the pages: a random token in an HttpOnly cookie, stored server-side
(only its hash) in auth_sessions with the same idle and absolute expiry as API tokens."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from waymark.db.models import AuthSession, User
from waymark.security.tokens import _digest, user_for_token
from waymark.settings import Settings

COOKIE = "waymark_session"
# Before signing in there is no session: the sign-in form's token is bound to this instead.
PRE_COOKIE = "waymark_presession"


def session_id(token: str) -> str:
    """A session's stored id (the hash of its token): what its CSRF token is bound to."""
    return _digest(token)


def secure_cookies(settings: Settings) -> bool:
    """Secure (HTTPS-only) cookies everywhere but a developer's machine and the tests."""
    return settings.environment not in ("development", "test")


def set_cookie(response: Response, name: str, value: str, settings: Settings) -> None:
    """A session cookie: HttpOnly, SameSite=Lax, Secure outside development."""
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings),
        path="/",
    )


def clear_cookie(response: Response, name: str, settings: Settings) -> None:
    """Tell the browser to forget a cookie (with the attributes it was set with)."""
    response.delete_cookie(
        name, httponly=True, samesite="lax", secure=secure_cookies(settings), path="/"
    )


async def signed_in(
    session: AsyncSession, request: Request, settings: Settings
) -> tuple[User, str] | None:
    """The person behind the session cookie, and the session's id; None when not signed in."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    idle = timedelta(minutes=settings.token_idle_minutes)
    user = await user_for_token(session, token, idle=idle)
    return (user, session_id(token)) if user is not None else None


async def revoke(session: AsyncSession, token: str) -> None:
    """End the session behind this cookie value (signing out)."""
    await session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == session_id(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def presession(request: Request) -> tuple[str, bool]:
    """The pre-sign-in binding for the sign-in form's token, and whether it is new."""
    value = request.cookies.get(PRE_COOKIE)
    if value and 20 <= len(value) <= 64:
        return value, False
    return secrets.token_urlsafe(24), True
