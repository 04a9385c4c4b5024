"""GOV.UK Notify's callbacks: delivery receipts, and texts she sends us.

Notify authenticates with the bearer token configured in its settings (ours:
WAYMARK_NOTIFY_CALLBACK_TOKEN); anything else is a 401 before the body is looked at.
"""

from __future__ import annotations

import hmac
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select
from temporalio.service import RPCError

from api.commands import tell
from api.declared import CONTACT_REQUESTED
from api.deps import AppSettings, Session, Temporal
from delivery.inbound import answer_by_text, record_text, task_for_worker
from delivery.notify import from_notify
from delivery.outcomes import RetryRule, apply_result
from forms.delivery import ContactRequested, NotifyCallback, NotifyInbound
from waymark import audit
from waymark.db.models import ContactRequest, Delivery
from waymark.errors import Invalid, NotFound, NotSignedIn
from waymark.settings import Settings

router = APIRouter(prefix="/api/v1/notify", tags=["notify"])
log = logging.getLogger("waymark.notify")


async def notify_caller(request: Request, settings: AppSettings) -> None:
    """Only Notify, with the configured bearer token, may call these routes."""
    expected = settings.notify_callback_token
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if (
        not expected
        or scheme.lower() != "bearer"
        or not hmac.compare_digest(token.encode(), expected.encode())
    ):
        raise NotSignedIn("the callback token is missing or wrong")


FromNotify = Annotated[None, Depends(notify_caller)]


def _rule(settings: Settings) -> RetryRule:
    return RetryRule(
        max_attempts=settings.delivery_max_attempts,
        first_wait=timedelta(seconds=settings.delivery_retry_seconds),
    )


@router.post("/callback")
async def delivery_receipt(
    body: NotifyCallback, _: FromNotify, session: Session, settings: AppSettings
) -> dict[str, str]:
    """Notify's delivery receipt: the delivery takes the status it reports."""
    status = from_notify(body.status)
    if status is None:
        raise Invalid(f"unknown status '{body.status[:40]}'")
    delivery = await session.scalar(select(Delivery).where(Delivery.provider_ref == body.id))
    if delivery is None:
        if await _earlier_attempt(session, body.reference):
            return {"status": "ignored: a later attempt replaced this message"}
        raise NotFound("no message with that id")
    now = datetime.now(UTC)
    await apply_result(session, delivery, status, now=now, rule=_rule(settings))
    audit.record(
        session, None, action="notify_receipt", record_type="delivery", record_id=delivery.id
    )
    return {"status": delivery.status}


async def _earlier_attempt(session: Session, reference: str | None) -> bool:
    """A receipt for an attempt we have since retried (our reference is "<delivery>.<n>")."""
    try:
        delivery_id = uuid.UUID((reference or "").rpartition(".")[0])
    except ValueError:
        return False
    return await session.get(Delivery, delivery_id) is not None


@router.post("/inbound", status_code=201)
async def received_text(
    body: NotifyInbound, _: FromNotify, session: Session, temporal: Temporal
) -> dict[str, str]:
    """A text to our number: a contact request for her (or for staff to match), and her
    pathway is told. A reply to a question about a meeting is her answer to it instead."""
    answered = await answer_by_text(session, body)
    if answered is not None:
        audit.record(
            session,
            None,
            action="receive_feedback",
            record_type="woman",
            record_id=answered.woman_id,
        )
        return {"id": str(answered.id), "status": "feedback"}
    request, created = await record_text(session, body)
    audit.record(
        session, None, action="receive_text", record_type="contact_request", record_id=request.id
    )
    matched = "matched" if request.woman_id else "unmatched"
    if created and request.woman_id is not None:
        await session.commit()  # on record before her pathway hears of it
        await tell_pathway(session, temporal, request)
    return {"id": str(request.id), "status": matched}


async def tell_pathway(session: Session, temporal: Temporal, request: ContactRequest) -> None:
    """Start her response clock: her pathway is signalled, or (not running) her worker tasked."""
    signal = ContactRequested(
        request_id=request.id,
        woman_id=request.woman_id,
        received_at=request.received_at,
    )
    try:
        await tell(temporal, CONTACT_REQUESTED, f"pathway-{request.woman_id}", signal)
    except RPCError as exc:
        # Her pathway is not running (or Temporal is down): a person responds directly.
        log.warning("contact request %s not signalled: %s", request.id, exc.status.name)
        await task_for_worker(session, request)
