"""Turning a delivery into the message a sender is given, checked again at the moment of
sending: a meeting that changed since makes it superseded; a channel she no longer marks safe
is not used (a person reaches her instead)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from delivery.calendar import MeetingFacts, her_ref, invite, method_for
from delivery.channels import MEETING_CHANGES, still_allowed
from delivery.dispatch import has_address
from delivery.letters import notice_letter, pdf
from delivery.outcomes import CHANNEL_WORDS
from delivery.outgoing import Outgoing
from forms.common import Nation
from forms.delivery import DeliveryStatus, HerContact
from forms.labels import meeting_label
from forms.meeting import MeetingKind
from forms.referral import Channel
from rules.uktime import uk_date
from services import documents, feedback
from waymark.areas import get_area
from waymark.db.models import Delivery, Document, Meeting, Notice, Organisation, User, Woman


@dataclass(frozen=True)
class NotSent:
    """Why a delivery will not go, and the task a person is given instead (if any)."""

    status: DeliveryStatus
    task: str | None = None


@dataclass(frozen=True)
class Recipient:
    to: str | None
    address: tuple[str, ...] = ()


def meeting_facts(meeting: Meeting, nation: Nation) -> MeetingFacts:
    """A meeting as an invite or feed describes it."""
    venue = (meeting.venue or {}).get("name")
    return MeetingFacts(
        meeting_id=meeting.id,
        woman_id=meeting.woman_id,
        label=meeting_label(MeetingKind(meeting.kind), nation),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        sequence=meeting.sequence,
        venue=str(venue) if venue else None,
        cancelled=meeting.status == "cancelled",
    )


def _her_recipient(woman: Woman, channel: Channel) -> Recipient | None:
    contact = HerContact.model_validate(woman.contact or {})
    if not still_allowed(channel, contact, has_address(woman)):
        return None
    if channel is Channel.LETTER:
        a = woman.address
        name = f"{woman.preferred_name or woman.given_name} {woman.family_name}"
        lines = [name, a.get("line1"), a.get("line2"), a.get("town"), a.get("postcode")]
        return Recipient(None, tuple(str(x) for x in lines if x))
    return Recipient(contact.mobile if channel is Channel.SMS else contact.email)


async def recipient(session: AsyncSession, notice: Notice, channel: Channel) -> Recipient | None:
    """Where this channel reaches the notice's recipient now; None if it may not be used."""
    if notice.recipient_kind == "woman":
        woman = await session.get(Woman, notice.woman_id)
        return _her_recipient(woman, channel) if woman else None
    if notice.recipient_user_id is not None:
        user = await session.get(User, notice.recipient_user_id)
        if user is None or not user.active:
            return None
        to = user.mobile if channel is Channel.SMS else user.email
        return Recipient(to) if to and channel is not Channel.LETTER else None
    org = await session.get(Organisation, notice.recipient_organisation_id)
    return Recipient(org.email) if org and org.email and channel is Channel.EMAIL else None


def text_for(notice: Notice, public_url: str) -> tuple[str, str]:
    """Subject and body: plain words; for staff a reference to her record, never her name."""
    if notice.recipient_kind == "woman":
        return notice.summary, (
            f"{notice.summary}\n\nIf you would like to talk about this, "
            "please contact your named worker."
        )
    ref = her_ref(notice.woman_id)
    lines = [
        notice.summary,
        "",
        f"This is about a woman you work with (ref {ref}).",
        f"Her record in Waymark: {public_url}/api/v1/women/{notice.woman_id}",
    ]
    if notice.recipient_kind == "advocate" and notice.kind in MEETING_CHANGES:
        lines.append(f"Please acknowledge this notice in Waymark (notice {notice.id}).")
    return f"{notice.summary} (ref {ref})", "\n".join(lines)


async def prepare(
    session: AsyncSession,
    delivery: Delivery,
    *,
    now: datetime,
    public_url: str,
    organiser: str,
) -> Outgoing | NotSent:
    """The message for this attempt, or why it must not be sent."""
    notice = await session.get(Notice, delivery.notice_id)
    assert notice is not None
    meeting = await session.get(Meeting, notice.meeting_id) if notice.meeting_id else None
    if notice.status == DeliveryStatus.SUPERSEDED.value or (
        meeting is not None and meeting.sequence > notice.sequence
    ):
        return NotSent(DeliveryStatus.SUPERSEDED)
    channel = Channel(delivery.channel)
    found = await recipient(session, notice, channel)
    if found is None:
        return NotSent(DeliveryStatus.WITHHELD, _instead(notice, channel))
    subject, body = text_for(notice, public_url)
    if notice.kind == feedback.KIND:
        link = await feedback.new_link(session, notice, public_url)
        body = feedback.question(notice.summary, link, by_text=channel is Channel.SMS)
    calendar, method = None, None
    if channel is Channel.EMAIL and meeting is not None and _invites(notice):
        method = method_for(notice.kind)
        facts = meeting_facts(meeting, await _nation(session, notice))
        calendar = invite(facts, method, stamp=now, organiser=organiser, attendee=found.to)
    letter, postage = (None, "second")
    if channel is Channel.LETTER:
        letter, postage = await _letter(session, notice, found, now, body)
    return Outgoing(
        reference=f"{delivery.id}.{delivery.attempts}",
        channel=channel,
        kind=notice.kind,
        to=found.to,
        address=found.address,
        subject=subject,
        body=body,
        invite=calendar,
        invite_method=method,
        pdf=letter,
        postage=postage,
    )


async def _letter(
    session: AsyncSession, notice: Notice, found: Recipient, now: datetime, body: str
) -> tuple[bytes | None, str]:
    """Her letter as Notify prints it: the stored document the notice sends (or the notice
    itself in a letter), her address in the address block; and the area's class of post."""
    woman = await session.get(Woman, notice.woman_id)
    assert woman is not None
    area = get_area(woman.area_code)
    html = None
    if notice.key.startswith("document:"):
        key = notice.key.removeprefix("document:").removesuffix(":woman")
        html = await session.scalar(select(Document.html).where(Document.key == key))
    if html is None:
        words = body if notice.kind == feedback.KIND else notice.summary
        html = notice_letter(area.name, words, uk_date(now), documents.her_formats(woman, area))
    return await asyncio.to_thread(pdf, html, address=found.address), area.letter_class


def _instead(notice: Notice, channel: Channel) -> str:
    """The task for a person when the chosen channel can no longer be used."""
    how = CHANNEL_WORDS.get(channel.value, channel.value)
    if notice.recipient_kind == "woman":
        return f"Reach her in person about: {notice.summary} (a {how} can no longer be used)"
    return f"A message could not be sent by {how}: {notice.summary}"


def _invites(notice: Notice) -> bool:
    """Meeting changes to staff, advocates and agencies carry a calendar invite."""
    return notice.kind in MEETING_CHANGES and notice.recipient_kind != "woman"


async def _nation(session: AsyncSession, notice: Notice) -> Nation:
    woman = await session.get(Woman, notice.woman_id)
    return get_area(woman.area_code).nation if woman else Nation.ENGLAND
