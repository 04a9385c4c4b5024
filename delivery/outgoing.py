"""What a sender is given and what it answers: the message, its result, and the Sender protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from forms.delivery import DeliveryStatus
from forms.referral import Channel


@dataclass(frozen=True)
class Outgoing:
    """One message, ready to send. `reference` (delivery id and attempt) links receipts back."""

    reference: str
    channel: Channel
    kind: str
    to: str | None = None
    # A letter's address: her name first, the postcode last.
    address: tuple[str, ...] = ()
    subject: str = ""
    body: str = ""
    invite: bytes | None = None
    invite_method: str | None = None
    # A letter: the PDF to print (her address in its address block) and the class of post.
    pdf: bytes | None = None
    postage: str = "second"


@dataclass(frozen=True)
class SendResult:
    """What the provider said: its id for the message, our status, a short error (no data)."""

    status: DeliveryStatus
    provider_ref: str | None = None
    error: str | None = None


class Sender(Protocol):
    """A way of sending: GOV.UK Notify, an SMTP server, or the local file outbox."""

    name: str

    async def send(self, message: Outgoing) -> SendResult:
        """Hand the message over; never raises for a provider's refusal or outage."""
        ...

    async def find(self, reference: str) -> SendResult | None:
        """The message sent earlier with this reference, if the provider can tell us."""
        ...

    async def status(self, provider_ref: str) -> DeliveryStatus | None:
        """The provider's latest status for a message, where it tracks one."""
        ...
