"""Texts from numbers we do not know: staff read them and say whose they are (R8.3), so a woman
who writes from a new phone is not left waiting. Matching starts her response clock."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from api.deps import Session, Temporal, require_role
from api.notify import tell_pathway
from delivery.inbound import match_text, unmatched_texts
from forms.common import Role
from waymark import audit
from waymark.db.models import ContactRequest
from waymark.security.policy import visible_woman
from waymark.security.principal import Principal

router = APIRouter(prefix="/api/v1/contact-requests", tags=["contact requests"])

# Social workers on duty and safeguarding leads triage texts nobody could match.
Triager = Annotated[
    Principal,
    Depends(
        require_role(Role.SOCIAL_WORKER, Role.SAFEGUARDING_LEAD, action="triage_unmatched_texts")
    ),
]


class UnmatchedText(BaseModel):
    id: uuid.UUID
    received_at: datetime
    text: str


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    woman_id: uuid.UUID


class Matched(BaseModel):
    id: uuid.UUID
    woman_id: uuid.UUID


@router.get("/unmatched")
async def list_unmatched(principal: Triager, session: Session) -> list[UnmatchedText]:
    """Texts waiting for a person to say whose they are, oldest first."""
    texts = await texts_seen_by(session, principal)
    return [UnmatchedText(id=row.id, received_at=row.received_at, text=row.note) for row in texts]


async def texts_seen_by(session: AsyncSession, principal: Principal) -> list[ContactRequest]:
    """The unmatched texts, each reading of one on the audit trail (API and page alike)."""
    texts = await unmatched_texts(session)
    for row in texts:
        audit.record(
            session,
            principal.actor(),
            action="view_unmatched_text",
            record_type="contact_request",
            record_id=row.id,
        )
    return texts


@router.post("/{request_id}/match")
async def match(
    request_id: uuid.UUID,
    body: MatchRequest,
    principal: Triager,
    session: Session,
    temporal: Temporal,
) -> Matched:
    """This text is hers: it joins her record and her worker must respond in time."""
    await match_and_tell(session, temporal, principal, request_id, body.woman_id)
    return Matched(id=request_id, woman_id=body.woman_id)


async def match_and_tell(
    session: AsyncSession,
    temporal: Client,
    principal: Principal,
    request_id: uuid.UUID,
    woman_id: uuid.UUID,
) -> None:
    """Match the text to her (if this person may see her record), then start her clock."""
    await visible_woman(session, principal, woman_id, action="match_text")
    row = await match_text(session, request_id, woman_id, principal.user_id)
    audit.record(
        session, principal.actor(), action="match_text", record_type="woman", record_id=woman_id
    )
    await session.commit()  # on her record before her pathway hears of it
    await tell_pathway(session, temporal, row)
