"""Sending through GOV.UK Notify with its official (synchronous) client, run in a thread."""

from __future__ import annotations

import asyncio
import io
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from delivery.outgoing import Outgoing, SendResult
from forms.delivery import DeliveryStatus
from forms.referral import Channel

# Notify's statuses (all channels, letters included) as ours; a letter is never "delivered".
NOTIFY_STATUSES: dict[str, DeliveryStatus] = {
    "created": DeliveryStatus.CREATED,
    "sending": DeliveryStatus.SENDING,
    "pending": DeliveryStatus.SENDING,
    "sent": DeliveryStatus.SENDING,
    "accepted": DeliveryStatus.SENDING,
    "received": DeliveryStatus.SENDING,
    "pending-virus-check": DeliveryStatus.SENDING,
    "delivered": DeliveryStatus.DELIVERED,
    "permanent-failure": DeliveryStatus.PERMANENT_FAILURE,
    "temporary-failure": DeliveryStatus.TEMPORARY_FAILURE,
    "technical-failure": DeliveryStatus.TECHNICAL_FAILURE,
    "validation-failed": DeliveryStatus.PERMANENT_FAILURE,
    "virus-scan-failed": DeliveryStatus.PERMANENT_FAILURE,
    "cancelled": DeliveryStatus.PERMANENT_FAILURE,
}


def from_notify(status: str) -> DeliveryStatus | None:
    """Our status for one of Notify's; None for a status we do not know."""
    return NOTIFY_STATUSES.get(status.strip().lower())


def _error(exc: APIError) -> SendResult:
    """A refusal we cannot fix by retrying (400) is permanent; auth, limits and outages are not."""
    code = exc.status_code
    kind = "error"
    try:
        errors = exc.response.json().get("errors") if exc.response is not None else None
        kind = str(errors[0].get("error", "error")) if errors else "error"
    except (ValueError, AttributeError, IndexError, TypeError):
        pass
    status = DeliveryStatus.PERMANENT_FAILURE if code == 400 else DeliveryStatus.TECHNICAL_FAILURE
    return SendResult(status, error=f"Notify {code}: {kind}"[:200])


class NotifySender:
    """GOV.UK Notify: texts, emails and letters from templates chosen per notice kind."""

    name = "notify"

    def __init__(self, api_key: str, base_url: str, templates: dict[str, str]) -> None:
        self._api_key = api_key
        self._base_url = base_url
        self._templates = templates

    def template_for(self, kind: str, channel: Channel) -> str | None:
        """`<kind>:<channel>`, then the kind without its number (reminder-2 → reminder), then
        the channel's own template."""
        base = kind.split("-")[0]
        for key in (f"{kind}:{channel.value}", f"{base}:{channel.value}", channel.value):
            if key in self._templates:
                return self._templates[key]
        return None

    def _client(self) -> NotificationsAPIClient:
        # The client is not thread-safe: one per call (it only holds a requests session).
        return NotificationsAPIClient(self._api_key, base_url=self._base_url)

    async def send(self, message: Outgoing) -> SendResult:
        template = self.template_for(message.kind, message.channel)
        if message.pdf is not None:
            template = "precompiled"
        if template is None:
            return SendResult(
                DeliveryStatus.TECHNICAL_FAILURE,
                error=f"no Notify template for {message.kind} by {message.channel.value}",
            )
        try:
            response = await asyncio.to_thread(self._send, message, template)
        except APIError as exc:
            return _error(exc)
        return SendResult(DeliveryStatus.CREATED, provider_ref=str(response["id"]))

    def _send(self, message: Outgoing, template: str) -> dict[str, Any]:
        client = self._client()
        values = {"subject": message.subject, "body": message.body}
        if message.channel is Channel.SMS:
            return client.send_sms_notification(
                message.to, template, personalisation=values, reference=message.reference
            )
        if message.channel is Channel.EMAIL:
            return client.send_email_notification(
                message.to, template, personalisation=values, reference=message.reference
            )
        if message.pdf is not None:
            return client.send_precompiled_letter_notification(
                message.reference, io.BytesIO(message.pdf), postage=message.postage
            )
        lines = {f"address_line_{n}": line for n, line in enumerate(message.address[:7], 1)}
        return client.send_letter_notification(
            template, {**lines, **values}, reference=message.reference
        )

    async def status(self, provider_ref: str) -> DeliveryStatus | None:
        try:
            found = await asyncio.to_thread(self._client().get_notification_by_id, provider_ref)
        except APIError:
            return None
        return from_notify(str(found.get("status", "")))

    async def find(self, reference: str) -> SendResult | None:
        try:
            found = await asyncio.to_thread(
                self._client().get_all_notifications, reference=reference
            )
        except APIError:
            return None
        for item in found.get("notifications", []):
            status = from_notify(str(item.get("status", "")))
            if status is not None:
                return SendResult(status, provider_ref=str(item["id"]))
        return None
