"""Signing in to the API: the OAuth2 password flow, with throttling and lockout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlalchemy import select

from api.deps import AppSettings, Session
from forms.common import Actor, Role
from waymark import audit
from waymark.db.models import User
from waymark.errors import Forbidden, NotSignedIn
from waymark.security.passwords import verify_password
from waymark.security.tokens import issue_token

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)
# One message for every failure, so it reveals neither which usernames exist nor which are locked.
NOT_RIGHT = (
    "the username or password is not right (after 5 failed attempts an account is locked "
    "for 15 minutes)"
)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


@router.post("/token")
async def sign_in(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: Session,
    settings: AppSettings,
) -> Token:
    """Exchange a username and password for a bearer token."""
    now = datetime.now(UTC)
    # Row lock: concurrent failures must all count towards the lockout (PostgreSQL).
    user = await session.scalar(
        select(User).where(User.username == form.username).with_for_update()
    )
    password_ok = verify_password(user.password_hash if user else None, form.password)
    if user is None or not user.active:
        audit.record(
            session,
            None,
            action="sign_in",
            record_type="user",
            record_id=None,
            outcome="denied",
            detail="no active account with that username",
        )
        raise NotSignedIn(NOT_RIGHT)
    if user.locked_until is not None and user.locked_until > now:
        _audit_sign_in(session, user, request, "locked")
        raise NotSignedIn(NOT_RIGHT)
    if not password_ok:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_SIGN_INS:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
        _audit_sign_in(session, user, request, "denied")
        raise NotSignedIn(NOT_RIGHT)
    user.failed_logins, user.locked_until = 0, None
    if user.password_must_change and request.url.path.startswith("/api/"):
        # A first password works once, on the pages, where its owner chooses their own.
        _audit_sign_in(session, user, request, "denied")
        raise Forbidden("choose your own password on the pages (/account/password) first")
    ttl = timedelta(minutes=settings.token_ttl_minutes)
    token = issue_token(session, user, ttl=ttl)
    _audit_sign_in(session, user, request, "allowed")
    return Token(access_token=token, expires_in=int(ttl.total_seconds()))


def _audit_sign_in(session: Session, user: User, request: Request, outcome: str) -> None:
    actor = Actor(
        user_id=user.id,
        role=Role(user.role),
        organisation_id=user.organisation_id,
        request_id=request.state.request_id,
    )
    audit.record(
        session, actor, action="sign_in", record_type="user", record_id=user.id, outcome=outcome
    )
