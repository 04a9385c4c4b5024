"""A person's own account: choosing a new password (and so ending a first password's one use).
A refusal names the field and changes nothing; a change is audited and ends their other sessions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from waymark import audit
from waymark.db.models import AuthSession, User
from waymark.errors import Invalid
from waymark.security.passwords import hash_password, verify_password
from waymark.security.principal import Principal

MIN_LENGTH = 12
MAX_LENGTH = 200


def new_password_problem(user: User, current: str, new: str, again: str) -> tuple[str, str] | None:
    """What is wrong with the new password, as (field, words); None when it will do."""
    if len(new) < MIN_LENGTH:
        return "new", f"Your new password must be at least {MIN_LENGTH} characters long"
    if len(new) > MAX_LENGTH:
        return "new", f"Your new password must be {MAX_LENGTH} characters or fewer"
    if new == current:
        return "new", "Your new password must be different from your current one"
    if user.username.lower() in new.lower():
        return "new", "Your new password must not contain your username"
    if new != again:
        return "again", "The two new passwords are not the same: type it again"
    return None


async def change_password(
    session: AsyncSession,
    principal: Principal,
    *,
    current: str,
    new: str,
    again: str,
    keep_token_hash: str | None,
) -> None:
    """Check the current password and set a new one; every other session of theirs ends."""
    user = await session.get(User, principal.user_id)
    assert user is not None
    if not verify_password(user.password_hash, current):
        _audit(session, principal, "denied")
        raise Invalid("your current password is not right", [("current", "not right")])
    problem = new_password_problem(user, current, new, again)
    if problem is not None:
        raise Invalid(problem[1], [problem])
    user.password_hash = hash_password(new)
    user.password_must_change = False
    others = [AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None)]
    if keep_token_hash is not None:
        others.append(AuthSession.token_hash != keep_token_hash)
    await session.execute(update(AuthSession).where(*others).values(revoked_at=datetime.now(UTC)))
    _audit(session, principal, "allowed")


def _audit(session: AsyncSession, principal: Principal, outcome: str) -> None:
    audit.record(
        session,
        principal.actor(),
        action="change_own_password",
        record_type="user",
        record_id=principal.user_id,
        outcome=outcome,
    )
