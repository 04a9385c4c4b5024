"""Her voice after meetings (R3, R7): one short, optional question on her safe channel after a
meeting she was invited to; a text reply or the form answers it, and it goes on her record.

Never asked within the area's quiet period after a removal, nor once her baby's case has closed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from forms.area import AreaRules
from forms.oversight_reports import HerViews
from rules.uktime import uk_date
from rules.wording import long_date
from waymark.db.models import MeetingFeedback, Notice, SupportEpisode, TimelineEvent, Woman

KIND = "feedback_request"
# How it went, in her words: a text reply of 1, 2 or 3, or the form's choice.
WENT = {"1": "well", "2": "partly", "3": "not_well"}
WENT_WORDS = {"well": "It went well", "partly": "Partly", "not_well": "It did not go well"}
# A reply after this long is a new message from her, not an answer.
ANSWER_WITHIN = timedelta(days=14)
_YES = {"y", "yes", "yeah", "yep"}
_NO = {"n", "no", "nope"}


async def quiet_after_removal(
    session: AsyncSession, woman_id: uuid.UUID, at: datetime, area: AreaRules
) -> bool:
    """True within the area's quiet period after her baby was removed."""
    removed = await session.scalar(
        select(func.max(SupportEpisode.removal_on)).where(SupportEpisode.woman_id == woman_id)
    )
    if removed is None:
        return False
    days = (uk_date(at) - removed).days
    return 0 <= days < area.feedback_quiet_days_after_removal


async def ask_after_meeting(
    session: AsyncSession,
    woman: Woman,
    meeting_id: uuid.UUID,
    label: str,
    *,
    at: datetime,
    area: AreaRules,
) -> bool:
    """Write the request and its notice to her (the outbox) unless a rule says not to ask."""
    if woman.stage == "closed" or await quiet_after_removal(session, woman.id, at, area):
        return False
    if await session.scalar(
        select(MeetingFeedback.id).where(MeetingFeedback.meeting_id == meeting_id)
    ):
        return False
    session.add(
        MeetingFeedback(woman_id=woman.id, meeting_id=meeting_id, area_code=area.code, asked_at=at)
    )
    session.add(
        Notice(
            key=f"meeting:{meeting_id}:woman:{KIND}",
            woman_id=woman.id,
            meeting_id=meeting_id,
            recipient_kind="woman",
            kind=KIND,
            send_at=at,
            summary=f"How did the {label.lower()} on {long_date(at)} go for you?",
        )
    )
    return True


def question(summary: str, link: str, *, by_text: bool) -> str:
    """The words she receives: short, optional, and how to answer."""
    reply = (
        "reply to this text with 1 if it went well, 2 if partly, 3 if not, and Y or N for "
        "whether you understood what was said and the papers. Tell us anything that would "
        "have helped. Or answer here: "
        if by_text
        else "tell us how it went, whether you understood what was said and the papers, "
        "and what would have helped, here: "
    )
    return f"{summary} You do not have to answer. If you would like to, {reply}{link}"


async def new_link(session: AsyncSession, notice: Notice, public_url: str) -> str:
    """A fresh form link for this send; only its hash is kept."""
    row = await session.scalar(
        select(MeetingFeedback).where(MeetingFeedback.meeting_id == notice.meeting_id)
    )
    assert row is not None
    token = secrets.token_urlsafe(24)
    row.token_hash = token_hash(token)
    return f"{public_url}/feedback/{token}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def read_reply(text: str) -> tuple[str | None, bool | None, str]:
    """A text reply as (how it went, understood, her words)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    went = next((WENT[w] for w in words if w in WENT), None)
    understood = True if _YES & set(words) else False if _NO & set(words) else None
    return went, understood, text.strip()


async def open_request(
    session: AsyncSession, woman_id: uuid.UUID, received: datetime
) -> MeetingFeedback | None:
    """Her latest unanswered request that has been sent and is recent enough to answer."""
    sent = select(Notice.meeting_id).where(
        Notice.woman_id == woman_id,
        Notice.kind == KIND,
        Notice.status.in_(("created", "sending", "delivered")),
    )
    found = await session.scalar(
        select(MeetingFeedback)
        .where(
            MeetingFeedback.woman_id == woman_id,
            MeetingFeedback.status == "asked",
            MeetingFeedback.asked_at >= received - ANSWER_WITHIN,
            MeetingFeedback.asked_at <= received,
            MeetingFeedback.meeting_id.in_(sent),
        )
        .order_by(MeetingFeedback.asked_at.desc())
        .limit(1)
    )
    return found


def answer(
    session: AsyncSession,
    row: MeetingFeedback,
    *,
    went: str | None,
    understood: bool | None,
    would_help: str,
    via: str,
    at: datetime,
    reply_ref: str | None = None,
) -> None:
    """Her answer goes on the request and on her record's timeline."""
    row.went, row.understood, row.would_help = went, understood, would_help or None
    row.via, row.reply_ref, row.answered_at, row.status = via, reply_ref, at, "answered"
    row.token_hash = None
    session.add(
        TimelineEvent(
            event_key=f"meeting_feedback:{row.id}",
            woman_id=row.woman_id,
            kind="meeting_feedback",
            occurred_at=at,
            summary="She said how a meeting went for her",
            data={"meeting_id": str(row.meeting_id)},
        )
    )


async def by_token(session: AsyncSession, token: str) -> MeetingFeedback | None:
    """The open request a form link points to."""
    return await session.scalar(
        select(MeetingFeedback).where(
            MeetingFeedback.token_hash == token_hash(token), MeetingFeedback.status == "asked"
        )
    )


async def for_woman(session: AsyncSession, woman_id: uuid.UUID) -> list[MeetingFeedback]:
    """Her answers, newest first, for her social worker and advocate."""
    found = await session.scalars(
        select(MeetingFeedback)
        .where(MeetingFeedback.woman_id == woman_id, MeetingFeedback.status == "answered")
        .order_by(MeetingFeedback.answered_at.desc())
    )
    return list(found)


async def views_by_area(session: AsyncSession) -> dict[str, HerViews]:
    """Counts of what women said, by area: how many were asked, answered, and what."""
    found: dict[str, HerViews] = {}
    rows = await session.execute(
        select(
            MeetingFeedback.area_code,
            MeetingFeedback.status,
            MeetingFeedback.went,
            MeetingFeedback.understood,
        )
    )
    for area, status, went, understood in rows:
        views = found.setdefault(area, HerViews())
        views.asked += 1
        views.answered += status == "answered"
        if went is not None:
            setattr(views, f"went_{went}", getattr(views, f"went_{went}") + 1)
        if understood is not None:
            views.understood += understood
            views.not_understood += not understood
    return found
