"""Choosing how a notice reaches each person. Pure: no I/O, the clock is passed in.

For her: only channels she marked safe, in her order; none safe means a person reaches her
instead; a phone call is a task for her worker; no texts or calls in her quiet hours; a letter
that cannot arrive before the meeting is doubled by another safe channel. For staff and
advocates: email (with an invite for meeting notices) and, when urgent, a text too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from forms.area import AreaRules
from forms.delivery import HerContact, QuietHours
from forms.referral import Channel
from rules.calendar import WorkingCalendar
from rules.post import arrives_before
from rules.uktime import to_uk, uk_date, uk_wall_to_utc
from rules.wording import clock_time

SENDABLE = (Channel.SMS, Channel.EMAIL, Channel.LETTER)
# Channels that reach a person at a moment (a text, a call): they wait for quiet hours to end.
INTRUSIVE = (Channel.SMS, Channel.PHONE)
DEFAULT_QUIET = QuietHours()
MEETING_CHANGES = ("meeting_scheduled", "meeting_rescheduled", "meeting_cancelled")

Assignee = Literal["her_worker", "recipient"]


@dataclass(frozen=True)
class NoticeFacts:
    """What channel choice needs to know about a notice."""

    kind: str
    summary: str
    urgent: bool = False
    meeting_starts_at: datetime | None = None


@dataclass(frozen=True)
class PlannedSend:
    channel: Channel
    not_before: datetime | None = None
    with_invite: bool = False


@dataclass(frozen=True)
class PlannedTask:
    """Work for a person instead of (or as well as) a message."""

    kind: str
    title: str
    assignee: Assignee = "her_worker"


@dataclass
class Plan:
    sends: list[PlannedSend] = field(default_factory=list)
    tasks: list[PlannedTask] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        """Nothing can be sent: only a person can pass this on."""
        return not self.sends


def usable(channel: Channel, contact: HerContact, has_address: bool) -> bool:
    """Whether we hold what this channel needs (a number, an address)."""
    if channel in (Channel.SMS, Channel.PHONE):
        return bool(contact.mobile)
    if channel is Channel.EMAIL:
        return bool(contact.email)
    return has_address


def safe_channels(contact: HerContact, has_address: bool) -> list[Channel]:
    """Her safe, usable channels in her order; a channel marked unsafe is never among them."""
    return [
        pref.channel
        for pref in contact.channels
        if pref.safe and usable(pref.channel, contact, has_address)
    ]


def still_allowed(channel: Channel, contact: HerContact, has_address: bool) -> bool:
    """At the moment of sending: the channel is still safe (she may have changed her mind)."""
    return channel in safe_channels(contact, has_address)


def quiet_until(now: datetime, quiet: QuietHours | None) -> datetime | None:
    """When her quiet hours end, if `now` falls inside them; else None."""
    hours = quiet or DEFAULT_QUIET
    local = to_uk(now)
    at = local.time()
    if hours.start == hours.end:
        return None
    overnight = hours.start > hours.end
    inside = (at >= hours.start or at < hours.end) if overnight else hours.start <= at < hours.end
    if not inside:
        return None
    day = local.date()
    if overnight and at >= hours.start:
        day += timedelta(days=1)
    return uk_wall_to_utc(day, hours.end)


def letter_in_time(now: datetime, meeting_starts_at: datetime | None, area: AreaRules) -> bool:
    """A letter sent now reaches her (by the area's class of post, on the post's real
    days) before the meeting day."""
    if meeting_starts_at is None:
        return True
    calendar = WorkingCalendar(area)
    year = uk_date(now).year
    holidays = calendar.bank_holidays(year) | calendar.bank_holidays(year + 1)
    return arrives_before(now, uk_date(meeting_starts_at), area.letter_class, holidays)


def plan_for_woman(
    contact: HerContact,
    has_address: bool,
    notice: NoticeFacts,
    *,
    now: datetime,
    area: AreaRules,
) -> Plan:
    """Her first safe channel; another as well when a letter would arrive too late."""
    channels = safe_channels(contact, has_address)
    if not channels:
        return Plan(tasks=[_in_person(notice.summary)])
    plan = Plan()
    _use(plan, channels[0], contact, notice, now)
    if channels[0] is Channel.LETTER and not letter_in_time(now, notice.meeting_starts_at, area):
        others = [c for c in channels[1:] if c is not Channel.LETTER]
        if others:
            _use(plan, others[0], contact, notice, now)
        else:
            plan.tasks.append(_in_person(notice.summary, "a letter cannot reach her in time"))
    return plan


def _use(
    plan: Plan, channel: Channel, contact: HerContact, notice: NoticeFacts, now: datetime
) -> None:
    wait = quiet_until(now, contact.quiet_hours) if channel in INTRUSIVE else None
    if channel is Channel.PHONE:
        when = f" (after {clock_time(wait)})" if wait else ""
        plan.tasks.append(PlannedTask("call_her", f"Call her{when} about: {notice.summary}"))
        return
    plan.sends.append(PlannedSend(channel, not_before=wait))


def _in_person(summary: str, why: str | None = None) -> PlannedTask:
    because = f" ({why})" if why else ""
    return PlannedTask("reach_in_person", f"Reach her in person about: {summary}{because}")


def plan_for_person(
    email: str | None, mobile: str | None, notice: NoticeFacts, *, now: datetime
) -> Plan:
    """An advocate or member of staff: email (an invite for meeting changes); urgent adds a text."""
    plan = Plan()
    if email:
        plan.sends.append(PlannedSend(Channel.EMAIL, with_invite=notice.kind in MEETING_CHANGES))
    if mobile and (notice.urgent or not email):
        plan.sends.append(PlannedSend(Channel.SMS, not_before=quiet_until(now, None)))
    if not plan.sends:
        plan.tasks.append(
            PlannedTask(
                "no_contact_details",
                f"A message for you could not be sent (no email or mobile on record): "
                f"{notice.summary}",
                assignee="recipient",
            )
        )
    return plan


def plan_for_agency(email: str | None, notice: NoticeFacts) -> Plan:
    """An agency or team: email to its shared address."""
    if email:
        return Plan(sends=[PlannedSend(Channel.EMAIL)])
    return Plan(
        tasks=[
            PlannedTask(
                "no_contact_details",
                f"A message for your team could not be sent (no team email on record): "
                f"{notice.summary}",
                assignee="recipient",
            )
        ]
    )
