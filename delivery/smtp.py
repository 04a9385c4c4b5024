"""Sending email through an SMTP server, with a meeting's invite attached as text/calendar."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from delivery.outgoing import Outgoing, SendResult
from forms.delivery import DeliveryStatus
from waymark.settings import Settings

TIMEOUT_SECONDS = 30.0


def build_email(message: Outgoing, sender: str) -> EmailMessage:
    """The email; the Message-ID comes from the reference, so a resend is recognisable."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to or ""
    email["Subject"] = message.subject
    email["Message-ID"] = f"<{message.reference}@waymark>"
    email.set_content(message.body)
    if message.invite is not None:
        email.add_attachment(
            message.invite,
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": message.invite_method or "REQUEST", "charset": "utf-8"},
        )
    return email


def _failure(exc: Exception) -> SendResult:
    """A refused recipient or a 5xx reply is permanent; a 4xx reply temporary; else technical."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return SendResult(DeliveryStatus.PERMANENT_FAILURE, error="SMTP: recipient refused")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        code = exc.code
        status = (
            DeliveryStatus.PERMANENT_FAILURE
            if 500 <= code < 600
            else DeliveryStatus.TEMPORARY_FAILURE
            if 400 <= code < 500
            else DeliveryStatus.TECHNICAL_FAILURE
        )
        return SendResult(status, error=f"SMTP {code}")
    return SendResult(DeliveryStatus.TECHNICAL_FAILURE, error=f"SMTP: {type(exc).__name__}")


class SmtpSender:
    """Email through a mail server. Accepted by the server is "sending": no receipt follows."""

    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def send(self, message: Outgoing) -> SendResult:
        s = self._settings
        email = build_email(message, s.smtp_from_address)
        try:
            await aiosmtplib.send(
                email,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=s.smtp_password,
                start_tls=s.smtp_starttls,
                timeout=TIMEOUT_SECONDS,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            return _failure(exc)
        return SendResult(DeliveryStatus.SENDING, provider_ref=f"smtp-{message.reference}")

    async def find(self, reference: str) -> SendResult | None:
        return None  # a mail server cannot be asked what it accepted

    async def status(self, provider_ref: str) -> DeliveryStatus | None:
        return None
