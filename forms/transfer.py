"""Contracts of moving her record to another area: asked by her social worker, answered by the
receiving team, carried out on her pathway under the new area's rules."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from forms.area import AreaRules
from forms.common import Actor, Contract, Reason


class TransferStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class TransferRequest(BaseModel):
    """Her social worker asks another area to take her record on."""

    model_config = ConfigDict(extra="forbid")

    to_area: str = Field(min_length=1, max_length=64)
    reason: Reason


class TransferAnswer(BaseModel):
    """The receiving team's answer: accepted, or declined with a reason."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason | None = None


class TransferWithdrawal(BaseModel):
    """Her social worker takes back a transfer not yet accepted, saying why."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class MoveArea(Contract):
    """Update on her pathway: from now on she is held by `to_area` (once per transfer)."""

    transfer_id: UUID
    to_area: str
    reason: Reason
    actor: Actor


class AreaMoved(Contract):
    """Signal from her pathway to her conference and her support episode: her record is now
    held by `area`; what runs there goes on, named and counted under its rules."""

    transfer_id: UUID
    area: AreaRules


class TransferOut(BaseModel):
    """A transfer as the two teams see it: nothing of her record beyond what the receiving
    team needs to decide (where from, why, when)."""

    id: UUID
    woman_id: UUID
    from_area: str
    to_area: str
    reason: str
    status: TransferStatus
    requested_at: datetime
    answer_reason: str | None = None
    read_until: datetime | None = None
