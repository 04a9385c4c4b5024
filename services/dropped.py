"""The one definition of "dropped": an open duty past its due time with no live escalation (an
escalation whose own next step is not yet due). The ledger, the API and pages, the oversight
sweep and the simulator all ask this module; the tests check it against an independent
derivation from the timeline and facts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_

from forms.ledger import BreachKind, Finding
from rules.wording import long_date
from waymark.db.models import Duty

OPEN = "open"
# The duties of the promise after a removal, and the part of it each one keeps.
PROMISE = {
    "named_worker": BreachKind.SUPPORT,
    "advocate": BreachKind.ADVOCATE,
    "contact": BreachKind.CONTACT,
}


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


def promise_findings(duties: Iterable[Duty], now: datetime) -> list[Finding]:
    """The parts of the promise after a removal that her dropped duties break, one a part."""
    found: dict[BreachKind, Finding] = {}
    for duty in duties:
        kind = PROMISE.get(duty.kind)
        if kind is not None and kind not in found and is_dropped(duty, now):
            detail = f"{duty.label}: owed since {long_date(duty.due_at)}, and nobody is chasing it"
            found[kind] = Finding(kind=kind, detail=detail[:300])
    return list(found.values())
