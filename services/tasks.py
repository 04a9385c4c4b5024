"""Finding her tasks by the start of their key (every task of one escalation, one breach, one
advocacy request): through her own index, as a key prefix alone (`LIKE 'x%'`) cannot use the
key's index on SQLite, nor on PostgreSQL outside the C collation, and reads every task."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_

from waymark.db.models import Task


def her_tasks_under(woman_id: uuid.UUID, prefix: str) -> ColumnElement[bool]:
    """Her tasks whose key starts with `prefix` (taken literally: `_` and `%` match only
    themselves)."""
    return and_(Task.woman_id == woman_id, Task.key.startswith(prefix, autoescape=True))
