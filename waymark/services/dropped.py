"""The one definition of "dropped": an open duty past its due time with no live escalation (an
escalation whose own next step is not yet due). The ledger, the API and pages, the oversight
sweep and the simulator all ask this module; the tests check it against an independent
derivation from the timeline and facts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_

from waymark.db.models import Duty

OPEN = "open"


def is_dropped(duty: Duty, now: datetime) -> bool:
    """This duty, at `now`: owed, late, and nobody is being chased about it."""
    if duty.status != OPEN or duty.due_at > now:
        return False
    return duty.next_escalation_at is None or duty.next_escalation_at <= now


def dropped(now: datetime) -> ColumnElement[bool]:
    """The same test as a SQL condition, served by the (status, area, due) index."""
    return and_(
        Duty.status == OPEN,
        Duty.due_at <= now,
        or_(Duty.next_escalation_at.is_(None), Duty.next_escalation_at <= now),
    )


def overdue(now: datetime) -> ColumnElement[bool]:
    """Owed and late, whether or not an escalation is chasing it (what the ledger lists)."""
    return and_(Duty.status == OPEN, Duty.due_at <= now)
