"""Organisations (agencies, teams, advocacy services), users and their sign-in sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from waymark.db.base import Base, Timestamped


class Organisation(Timestamped, Base):
    """An agency or a team within one, always in one area."""

    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # children_social_care, maternity, drug_treatment, health_visiting, gp,
    # perinatal_mental_health, police, housing, advocacy, peer_support
    agency_kind: Mapped[str] = mapped_column(String(40))
    area_code: Mapped[str] = mapped_column(String(64), index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    # The team that receives new referrals for its area.
    receives_referrals: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(String(254))


class User(Timestamped, Base):
    """A member of staff; the role and organisation drive the record-level policy."""

    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Line manager: clocks escalate to them, and they are asked to offer supervision.
    manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    # A first password from an admin works once: then they must choose their own.
    password_must_change: Mapped[bool] = mapped_column(default=False, server_default=false())


class AuthSession(Timestamped, Base):
    """A bearer token or browser session; only the token's hash is stored."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
