"""Delivering notices: how she may be reached, the dispatcher's contracts, Notify's callbacks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from forms.common import Contract
from forms.referral import ChannelPreference, QuietHours


class DeliveryStatus(StrEnum):
    """A delivery's state: GOV.UK Notify's statuses, plus our own before and instead of sending."""

    PENDING = "pending"  # written, not yet handed to a provider (or waiting to try again)
    CREATED = "created"  # accepted by the provider
    SENDING = "sending"  # on its way; "sent" is never "delivered"
    DELIVERED = "delivered"
    PERMANENT_FAILURE = "permanent-failure"
    TEMPORARY_FAILURE = "temporary-failure"
    TECHNICAL_FAILURE = "technical-failure"
    SUPERSEDED = "superseded"  # the meeting changed again before this went
    WITHHELD = "withheld"  # no safe way to send it: a person was asked instead


RETRYABLE = frozenset({DeliveryStatus.TEMPORARY_FAILURE, DeliveryStatus.TECHNICAL_FAILURE})
IN_FLIGHT = frozenset({DeliveryStatus.CREATED, DeliveryStatus.SENDING})


class HerContact(BaseModel):
    """The delivery view of her stored contact preferences (other stored keys are ignored)."""

    model_config = ConfigDict(extra="ignore")

    mobile: str | None = None
    email: str | None = None
    channels: list[ChannelPreference] = Field(default_factory=list)
    quiet_hours: QuietHours | None = None


class DispatchRequest(Contract):
    """One round of the dispatcher: how many notices and deliveries to take at most."""

    batch_size: int = Field(default=50, ge=1, le=500)


class DispatchResult(Contract):
    """What a round did, and when the dispatcher should next run (from the worker's settings)."""

    deliveries_created: int = 0
    sent: int = 0
    failed: int = 0
    withheld: int = 0
    next_in_seconds: float = 30.0
    poll_every_seconds: float = 300.0


class PollResult(Contract):
    checked: int = 0
    changed: int = 0


class DispatcherInput(Contract):
    """The dispatcher loop's state, carried across continue-as-new."""

    # Rounds before continuing as new (the intervals come from the worker's settings).
    continue_after: int = Field(default=500, ge=2)
    last_poll_at: datetime | None = None


class NotifyCallback(BaseModel):
    """GOV.UK Notify's delivery receipt (fields we do not use are accepted and ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    reference: str | None = Field(default=None, max_length=200)
    status: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    notification_type: str | None = Field(default=None, max_length=20)


class NotifyInbound(BaseModel):
    """GOV.UK Notify's received-text callback."""

    model_config = ConfigDict(extra="ignore")

    id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    source_number: Annotated[str, StringConstraints(min_length=3, max_length=30)]
    destination_number: str | None = Field(default=None, max_length=30)
    content: str = Field(max_length=5000)
    date_received: datetime


class ContactRequested(Contract):
    """Signal to her pathway: she asked for contact (the words stay in the database)."""

    request_id: UUID
    woman_id: UUID
    received_at: datetime
    via: str = "sms"


class Acknowledgement(Contract):
    notice_id: UUID
    acknowledged_at: datetime


class CalendarLink(Contract):
    """A private address for her calendar feed; asking again replaces it."""

    url: str
    note: str = (
        "Keep this link private: anyone with it can see the times of your meetings. "
        "Asking for a new link stops the old one."
    )
