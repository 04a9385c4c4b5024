"""Oversight reports: discrepancies between the read model and Temporal, and compliance figures.

Ids, codes, counts and times only: nothing here names a woman or a member of staff.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import computed_field

from forms.common import Contract


class DiscrepancyKind(StrEnum):
    """What does not match between the database and Temporal."""

    # An open record (pathway, conference, support episode) with no running workflow.
    NO_RUNNING_WORKFLOW = "no_running_workflow"
    # A running workflow whose record is missing or already closed.
    NO_OPEN_RECORD = "no_open_record"
    # A future meeting with someone who has no notice still to come.
    MISSING_NOTICES = "missing_notices"
    # Notices are due but nothing is running to send them.
    DISPATCHER_NOT_RUNNING = "dispatcher_not_running"
    # Her record's stage is not the stage her running pathway is at (e.g. after a restore).
    STAGE_DIFFERS = "stage_differs"
    # The duty register does not say what the facts say is owed (or done).
    DUTY_DIFFERS = "duty_differs"


RecordType = Literal["woman", "conference", "support_episode", "meeting", "notices", "deadline"]


class Discrepancy(Contract):
    """One mismatch, named by ids and statuses only."""

    kind: DiscrepancyKind
    record_type: RecordType
    record_id: str | None = None
    workflow_id: str | None = None
    detail: str = ""

    def line(self) -> str:
        """One line for a terminal or a log: kind, record, workflow, detail."""
        parts = [self.kind.value, f"{self.record_type}={self.record_id or '-'}"]
        if self.workflow_id:
            parts.append(f"workflow={self.workflow_id}")
        if self.detail:
            parts.append(f"({self.detail})")
        return " ".join(parts)


class Rate(Contract):
    """How many of how many: the rate is None when there is nothing to count."""

    numerator: int = 0
    denominator: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float | None:
        return round(self.numerator / self.denominator, 4) if self.denominator else None


class Median(Contract):
    """The median of some durations in hours, and how many durations it is taken over."""

    count: int = 0
    median_hours: float | None = None


class Figures(Contract):
    """The figures for an area or one agency; None where the data has nothing for it."""

    conferences_on_time: Rate | None = None
    conferences_overdue: Rate | None = None
    reports_on_time: Rate | None = None
    adequate_notice: Rate | None = None
    advocate_acceptance: Median | None = None
    advocate_acknowledgement: Median | None = None
    advocate_acknowledged_in_time: Rate | None = None
    removals_with_advocate: Rate | None = None
    removal_to_advocate: Median | None = None


class AgencyCompliance(Contract):
    """The figures attributable to one agency (organisation)."""

    organisation_id: UUID
    code: str
    agency_kind: str
    figures: Figures


class Caseload(Contract):
    """One worker's open cases (by id) against the area's caseload guide."""

    user_id: UUID
    role: Literal["social_worker", "advocate"]
    organisation_id: UUID
    # Social workers: women she co-ordinates plus support episodes she is named worker for.
    coordinated: int = 0
    support_episodes: int = 0
    # Advocates: open accepted allocations.
    allocations: int = 0
    total: int = 0
    guide: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def over_guide(self) -> bool:
        return self.total > self.guide


class HerViews(Contract):
    """What women said after meetings in an area (R3): counts only, never who or her words."""

    asked: int = 0
    answered: int = 0
    went_well: int = 0
    went_partly: int = 0
    went_not_well: int = 0
    understood: int = 0
    not_understood: int = 0


class AreaCompliance(Contract):
    """An area's figures, the same figures by agency, and every worker's caseload."""

    area: str
    figures: Figures
    her_views: HerViews = HerViews()
    caseload_guide_social_worker: int
    caseload_guide_advocate: int
    agencies: list[AgencyCompliance] = []
    caseloads: list[Caseload] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def social_workers_within_guide(self) -> Rate:
        return self._within("social_worker")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def advocates_within_guide(self) -> Rate:
        return self._within("advocate")

    def _within(self, role: str) -> Rate:
        mine = [load for load in self.caseloads if load.role == role]
        return Rate(numerator=sum(not load.over_guide for load in mine), denominator=len(mine))


class ComplianceReport(Contract):
    """Compliance figures for one area or all of them, as at a moment."""

    generated_at: datetime
    areas: list[AreaCompliance]
