"""Writing the audit trail. Callers add the row inside their own transaction (fail closed)."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from forms.common import Actor
from waymark.db.models import AuditEvent

log = logging.getLogger("waymark.audit")


def record(
    session: AsyncSession,
    actor: Actor | None,
    *,
    action: str,
    record_type: str,
    record_id: uuid.UUID | str | None,
    outcome: str = "allowed",
    detail: str | None = None,
) -> None:
    """Add one audit row to the session's transaction. Ids only: never personal data."""
    session.add(
        AuditEvent(
            actor_user_id=actor.user_id if actor else None,
            actor_role=actor.role.value if actor else None,
            organisation_id=actor.organisation_id if actor else None,
            action=action,
            record_type=record_type,
            record_id=str(record_id) if record_id is not None else None,
            request_id=actor.request_id if actor else None,
            outcome=outcome,
            detail=detail,
        )
    )
    if outcome != "allowed":
        log.warning(
            "%s %s on %s %s by user %s (request %s)",
            outcome,
            action,
            record_type,
            record_id,
            actor.user_id if actor else "-",
            actor.request_id if actor else "-",
        )
