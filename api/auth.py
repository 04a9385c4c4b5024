"""Signing in to the API: the OAuth2 password flow, with throttling and lockout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlalchemy import select

from api.deps import AppSettings, NotSignedIn, Session
from forms.common import Actor, Role
from waymark import audit
from waymark.db.models import User
from waymark.security.passwords import verify_password
from waymark.security.tokens import issue_token

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)


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
    user = await session.scalar(select(User).where(User.username == form.username))
    password_ok = verify_password(user.password_hash if user else None, form.password)
    if user is None or not user.active:
        raise NotSignedIn("the username or password is not right")
    if user.locked_until is not None and user.locked_until > now:
        _audit_sign_in(session, user, request, "locked")
        raise NotSignedIn("this account is locked for a short time after failed sign-ins")
    if not password_ok:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_SIGN_INS:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
        _audit_sign_in(session, user, request, "denied")
        raise NotSignedIn("the username or password is not right")
    user.failed_logins, user.locked_until = 0, None
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
