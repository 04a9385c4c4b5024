"""Calendar invites and feeds (iCalendar): one stable UID per meeting, SEQUENCE its version.

Nothing in an invite names her: invites get forwarded, so the summary names the meeting and a
short reference to her record only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Waymark//Meeting notices//EN"
Method = Literal["REQUEST", "CANCEL", "PUBLISH"]


@dataclass(frozen=True)
class MeetingFacts:
    """What an invite says about a meeting."""

    meeting_id: uuid.UUID
    woman_id: uuid.UUID
    label: str
    starts_at: datetime
    ends_at: datetime
    sequence: int
    venue: str | None = None
    cancelled: bool = False


def meeting_uid(meeting_id: uuid.UUID) -> str:
    """The meeting's UID: the same through every change, so calendars update one event."""
    return f"meeting-{meeting_id}@waymark"


def her_ref(woman_id: uuid.UUID) -> str:
    """A short reference to her record that does not identify her."""
    return str(woman_id)[:8]


def method_for(notice_kind: str) -> Method:
    return "CANCEL" if notice_kind == "meeting_cancelled" else "REQUEST"


def _event(
    meeting: MeetingFacts, *, stamp: datetime, organiser: str | None, attendee: str | None
) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting.meeting_id))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add(
        "summary", f"{meeting.label}: meeting about your client (ref {her_ref(meeting.woman_id)})"
    )
    event.add("description", "Details are in Waymark. Please do not forward this invitation.")
    if meeting.venue:
        event.add("location", meeting.venue)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if organiser:
        event.add("organizer", vCalAddress(f"mailto:{organiser}"))
    if attendee:
        person = vCalAddress(f"mailto:{attendee}")
        person.params["ROLE"] = vText("REQ-PARTICIPANT")
        person.params["RSVP"] = vText("FALSE")
        event.add("attendee", person, encode=False)
    return event


def _calendar(method: Method) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def invite(
    meeting: MeetingFacts,
    method: Method,
    *,
    stamp: datetime,
    organiser: str | None = None,
    attendee: str | None = None,
) -> bytes:
    """A single-event invite: REQUEST for a new or moved meeting, CANCEL for a cancelled one."""
    calendar = _calendar(method)
    if method == "CANCEL":
        meeting = replace(meeting, cancelled=True)
    calendar.add_component(_event(meeting, stamp=stamp, organiser=organiser, attendee=attendee))
    return bytes(calendar.to_ical())


def feed(meetings: list[MeetingFacts], *, stamp: datetime, name: str) -> bytes:
    """A subscription feed of meetings, with the same UIDs and SEQUENCEs as the invites."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        calendar.add_component(_event(meeting, stamp=stamp, organiser=None, attendee=None))
    return bytes(calendar.to_ical())
