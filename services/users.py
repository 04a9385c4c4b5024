"""Staff accounts, as an admin manages them: adding a user with a one-off password, changing a
user's role and organisation, deactivating and reactivating, and an advocate's profile. The
rules live here so the pages and any API share them; a refusal raises before anything changes.
Every change is audited; the caller's request owns the transaction."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forms.advocacy import ProfileRequest
from forms.common import Role
from forms.users import AccessChange, NewUser
from services import advocacy_views as views
from waymark import audit
from waymark.areas import UnknownAreaError, get_area
from waymark.db.models import AdvocateProfile, AuthSession, Organisation, User
from waymark.errors import Conflict, Invalid, NotFound
from waymark.security.passwords import hash_password
from waymark.security.principal import Principal

# A new account's first password: about 96 bits, shown to the admin once and never stored.
PASSWORD_BYTES = 12


async def area_organisations(session: AsyncSession, area: str) -> list[Organisation]:
    """The organisations in this area, by name."""
    rows = await session.scalars(
        select(Organisation).where(Organisation.area_code == area).order_by(Organisation.name)
    )
    return list(rows)


async def area_user(session: AsyncSession, area: str, user_id: uuid.UUID) -> User:
    """A user whose organisation is in this area; anyone else is a 404."""
    user = await session.get(User, user_id)
    org = await session.get(Organisation, user.organisation_id) if user else None
    if user is None or org is None or org.area_code != area:
        raise NotFound("no such user in your area")
    return user


async def _organisation_in_area(session: AsyncSession, area: str, org_id: uuid.UUID) -> None:
    org = await session.get(Organisation, org_id)
    if org is None or org.area_code != area:
        raise Invalid("choose an organisation in your area")


async def create_user(
    session: AsyncSession, principal: Principal, body: NewUser
) -> tuple[User, str]:
    """Add an account; returns it and its first password (only its argon2 hash is kept)."""
    await _organisation_in_area(session, principal.area_code, body.organisation_id)
    taken = await session.scalar(
        select(User.id).where(func.lower(User.username) == body.username.lower()).limit(1)
    )
    if taken is not None:
        raise Conflict(f"the username {body.username} is already taken: choose another")
    password = secrets.token_urlsafe(PASSWORD_BYTES)
    user = User(
        username=body.username,
        display_name=body.display_name,
        role=body.role.value,
        organisation_id=body.organisation_id,
        password_hash=hash_password(password),
        active=True,
        password_must_change=True,
    )
    session.add(user)
    await session.flush()
    _audit(session, principal, "create_user", user, detail=f"role {body.role.value}")
    return user, password


async def _active_admins(session: AsyncSession, area: str) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(User)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.area_code == area, User.role == Role.ADMIN.value, User.active)
    )
    return int(count or 0)


async def _keeps_an_admin(session: AsyncSession, principal: Principal, user: User) -> None:
    """Refuse to take away the area's last active admin (nobody could manage accounts)."""
    if user.role == Role.ADMIN.value and user.active:
        if await _active_admins(session, principal.area_code) <= 1:
            raise Conflict("this is the last active admin in your area: add another admin first")


async def change_access(
    session: AsyncSession, principal: Principal, user: User, body: AccessChange
) -> User:
    """Change a user's role and organisation (never your own role, nor the last admin's)."""
    await _organisation_in_area(session, principal.area_code, body.organisation_id)
    if body.role.value != user.role:
        if user.id == principal.user_id:
            raise Conflict("you cannot change your own role: ask another admin")
        await _keeps_an_admin(session, principal, user)
    detail = f"role {user.role} to {body.role.value}"
    user.role, user.organisation_id = body.role.value, body.organisation_id
    await session.flush()
    _audit(session, principal, "change_user_access", user, detail=detail)
    return user


async def set_active(
    session: AsyncSession, principal: Principal, user: User, *, active: bool
) -> User:
    """Reactivate, or deactivate (never yourself, nor the last admin): their sessions end."""
    if not active:
        if user.id == principal.user_id:
            raise Conflict("you cannot deactivate your own account: ask another admin")
        await _keeps_an_admin(session, principal, user)
        await session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
    else:
        user.failed_logins, user.locked_until = 0, None
    user.active = active
    await session.flush()
    _audit(session, principal, "reactivate_user" if active else "deactivate_user", user)
    return user


async def save_advocate_profile(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, body: ProfileRequest
) -> tuple[User, AdvocateProfile]:
    """An advocate's capacity, languages, areas and leave, as the API and the pages set it."""
    advocate = await views.advocate_account(session, user_id, area=principal.area_code)
    try:
        for area in body.areas:
            get_area(area)
    except UnknownAreaError as exc:
        raise Invalid(str(exc)) from exc
    return advocate, await views.save_profile(session, principal, advocate, body)


def _audit(
    session: AsyncSession, principal: Principal, action: str, user: User, detail: str = ""
) -> None:
    audit.record(
        session,
        principal.actor(),
        action=action,
        record_type="user",
        record_id=user.id,
        detail=detail or None,
    )
