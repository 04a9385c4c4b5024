"""Bearer tokens (and, later, browser sessions): random, stored only as a hash, expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from waymark.db.models import AuthSession, User
from waymark.db.session import write_later

# A token's last use is written at most this often: idle expiry is counted in minutes, and a
# read then needs no write for it.
TOUCH_EVERY = timedelta(seconds=30)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: AsyncSession, user: User, *, ttl: timedelta) -> str:
    """Create a session for the user and return its token (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(
        AuthSession(
            token_hash=_digest(token), user_id=user.id, last_seen_at=now, expires_at=now + ttl
        )
    )
    return token


async def user_for_token(session: AsyncSession, token: str, *, idle: timedelta) -> User | None:
    """The active user behind a live token; expired, idle or revoked tokens give None."""
    now = datetime.now(UTC)
    auth = await session.scalar(select(AuthSession).where(AuthSession.token_hash == _digest(token)))
    if auth is None or auth.revoked_at is not None or auth.expires_at <= now:
        return None
    if auth.last_seen_at + idle <= now:
        return None
    user = await session.get(User, auth.user_id)
    if user is None or not user.active:
        return None
    if now - auth.last_seen_at >= TOUCH_EVERY:
        write_later(
            session,
            update(AuthSession)
            .where(AuthSession.id == auth.id, AuthSession.last_seen_at < now)
            .values(last_seen_at=now),
        )
    return user
