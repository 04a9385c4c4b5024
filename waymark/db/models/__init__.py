"""All tables, imported here so Alembic and the app see one metadata."""

from waymark.db.models.audit import AuditEvent
from waymark.db.models.people import AuthSession, Organisation, User
from waymark.db.models.women import (
    AdvocateAllocation,
    Involvement,
    Referral,
    TimelineEvent,
    Woman,
)

__all__ = [
    "AdvocateAllocation",
    "AuditEvent",
    "AuthSession",
    "Involvement",
    "Organisation",
    "Referral",
    "TimelineEvent",
    "User",
    "Woman",
]
