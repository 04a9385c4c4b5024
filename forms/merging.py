"""Contracts of merging two records that turn out to be one woman."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from forms.clock import Clock
from forms.common import Actor, Contract, Reason
from forms.meeting import MeetingRef


class MergeRequest(BaseModel):
    """A safeguarding lead's merge: the record named in the path goes on; this one ends."""

    model_config = ConfigDict(extra="forbid")

    merge_woman_id: UUID
    reason: Reason
    # Records held by two areas are merged only when the lead says she knows.
    across_areas: bool = False


class AbsorbRecord(Contract):
    """Update on the pathway that goes on: take over the merged pathway's clocks and meetings.
    The merge id keeps it idempotent."""

    merge_id: UUID
    merged_woman_id: UUID
    clocks: dict[str, Clock] = Field(default_factory=dict)
    meetings: dict[str, MeetingRef] = Field(default_factory=dict)
    coordinator_id: UUID | None = None
    reason: Reason
    actor: Actor


class MergeInto(Contract):
    """Update on the pathway being merged: it ends, saying which record it was merged into."""

    merge_id: UUID
    into_woman_id: UUID
    reason: Reason
    actor: Actor


class MergeOutcome(BaseModel):
    """What the lead is told: which record goes on, and what moved to it."""

    merge_id: UUID
    woman_id: UUID
    merged_woman_id: UUID
    moved: dict[str, int]
