"""The Sender protocol, the message a sender is given, and which sender serves each channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from forms.delivery import DeliveryStatus
from forms.referral import Channel
from waymark.settings import Settings


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


class Senders:
    """The sender for each channel, built from the settings when first needed."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._built: dict[str, Sender] = {}

    def name_for(self, channel: Channel) -> str:
        """Which sender serves this channel under the configured delivery mode."""
        mode = self._settings.delivery
        if mode == "file":
            return "file"
        if channel is Channel.EMAIL:
            return mode
        return "notify" if self._settings.notify_api_key else "file"

    def for_channel(self, channel: Channel) -> Sender:
        return self.named(self.name_for(channel))

    def named(self, name: str) -> Sender:
        if name not in self._built:
            self._built[name] = self._build(name)
        return self._built[name]

    def _build(self, name: str) -> Sender:
        settings = self._settings
        if name == "notify":
            from delivery.notify import NotifySender

            if not settings.notify_api_key:
                raise RuntimeError("WAYMARK_NOTIFY_API_KEY must be set to send through Notify")
            return NotifySender(
                settings.notify_api_key, settings.notify_base_url, settings.notify_templates
            )
        if name == "smtp":
            from delivery.smtp import SmtpSender

            return SmtpSender(settings)
        from delivery.file_outbox import FileOutbox

        return FileOutbox(settings.state_dir / "outbox")
