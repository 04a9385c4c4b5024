"""Keeping rendered documents on her record, and the people a letter names."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.area import AreaRules
from forms.documents import LetterFormat, Person, RenderedDocument
from services.escalation import coordinator
from services.invitees import current_advocate
from waymark.db.models import Document, Notice, Organisation, User, Woman


async def store(
    session: AsyncSession,
    woman_id: uuid.UUID,
    key: str,
    document: RenderedDocument,
    *,
    at: datetime,
    send_to_woman: bool = False,
) -> bool:
    """Keep the document (once, by key); for her, also a notice to send it at `at` (the
    workflow's time). False if kept before."""
    if await session.scalar(select(Document.id).where(Document.key == key)) is not None:
        return False
    session.add(
        Document(
            key=key,
            woman_id=woman_id,
            kind=document.kind.value,
            audience=document.audience,
            title=document.title,
            html=document.html,
        )
    )
    if send_to_woman:
        session.add(
            Notice(
                key=f"document:{key}:woman",
                woman_id=woman_id,
                recipient_kind="woman",
                kind=document.kind.value,
                send_at=at,
                summary=document.title,
            )
        )
    return True


async def her_people(session: AsyncSession, woman: Woman) -> tuple[Person | None, Person | None]:
    """Her advocate and her named worker, as a letter names them."""
    advocate = await current_advocate(session, woman)
    worker = await coordinator(session, woman)
    return (
        await _person(session, advocate, "Your independent advocate") if advocate else None,
        await _person(session, worker, "Your named worker") if worker else None,
    )


async def _person(session: AsyncSession, user: User, role: str) -> Person:
    org = await session.get(Organisation, user.organisation_id)
    return Person(
        name=user.display_name, role=role, organisation=org.name if org else None, email=user.email
    )


def her_formats(woman: Woman, area: AreaRules) -> list[LetterFormat]:
    """The versions of her letters she asked for (on her referral) that her area offers."""
    asked = (woman.contact or {}).get("formats") or []
    return [kind for kind in area.letter_formats if kind in asked]


def preferred_name(woman: Woman) -> str:
    return woman.preferred_name or woman.given_name
