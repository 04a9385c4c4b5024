"""The duty register as people see it: what is owed to her, by whom, since when, what has
been done; a lead's decision to waive one."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from forms.common import Contract, Reason


class DutyView(Contract):
    id: UUID
    woman_id: UUID
    kind: str
    label: str
    owed_by_user_id: UUID | None = None
    owed_by_organisation_id: UUID | None = None
    owed_by: str | None = None
    opened_at: datetime
    due_at: datetime
    status: str
    escalation_level: int = 0
    next_escalation_at: datetime | None = None
    dropped: bool = False


class DutyPage(Contract):
    """Overdue duties of an area, longest overdue first; `next` continues the listing."""

    area: str
    at: datetime
    duties: list[DutyView] = Field(default_factory=list)
    next: str | None = None


class WaiveDuty(Contract):
    """A safeguarding lead decides a duty is no longer owed: always with a reason."""

    reason: Reason
