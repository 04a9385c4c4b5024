"""Channel choice: safe channels in her order, never an unsafe one, a person when none is safe,
quiet hours, letters that would arrive too late, and staff, advocates and agencies."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from delivery.channels import (
    NoticeFacts,
    letter_in_time,
    plan_for_agency,
    plan_for_person,
    plan_for_woman,
    quiet_until,
)
from forms.delivery import HerContact, QuietHours
from forms.referral import Channel
from waymark.areas import get_area

# Tuesday 2 February 2027, 10:00 UK (GMT).
TUESDAY_10 = datetime(2027, 2, 2, 10, 0, tzinfo=UTC)
AREA = get_area("northmoor")


def contact(*channels: tuple[str, bool], **extra: Any) -> HerContact:
    prefs = [
        {"channel": c, "safe": safe, "unsafe_reason": None if safe else "shared with her partner"}
        for c, safe in channels
    ]
    base = {"mobile": "07700 900123", "email": "jay@example.org", "channels": prefs}
    return HerContact.model_validate({**base, **extra})


def notice(days_to_meeting: int | None = 10, **extra: Any) -> NoticeFacts:
    starts = TUESDAY_10 + timedelta(days=days_to_meeting) if days_to_meeting is not None else None
    return NoticeFacts(
        kind=extra.get("kind", "meeting_scheduled"),
        summary="Pre-birth planning meeting scheduled",
        urgent=extra.get("urgent", False),
        meeting_starts_at=starts,
    )


def chosen(her: HerContact, facts: NoticeFacts, now: datetime = TUESDAY_10) -> list[str]:
    plan = plan_for_woman(her, True, facts, now=now, area=AREA)
    return [s.channel.value for s in plan.sends]


@pytest.mark.parametrize(
    ("channels", "expected"),
    [
        ((("sms", True), ("email", True)), ["sms"]),
        ((("email", True), ("sms", True)), ["email"]),
        ((("sms", False), ("email", True)), ["email"]),
        ((("sms", False), ("letter", True)), ["letter"]),
        ((("letter", False), ("email", False), ("sms", True)), ["sms"]),
    ],
)
def test_her_first_safe_channel_in_her_order(
    channels: tuple[tuple[str, bool], ...], expected: list[str]
) -> None:
    assert chosen(contact(*channels), notice()) == expected


@pytest.mark.parametrize(
    "channels",
    [
        (("sms", False), ("email", False), ("letter", False)),
        (("phone", False),),
        (),
    ],
)
def test_no_safe_channel_means_no_send_and_a_person_reaches_her(
    channels: tuple[tuple[str, bool], ...],
) -> None:
    plan = plan_for_woman(contact(*channels), True, notice(), now=TUESDAY_10, area=AREA)
    assert plan.withheld
    assert plan.sends == []
    assert [t.title for t in plan.tasks] == [
        "Reach her in person about: Pre-birth planning meeting scheduled"
    ]
    assert plan.tasks[0].assignee == "her_worker"


def test_an_unsafe_channel_is_never_used_even_when_it_is_the_only_one_with_details() -> None:
    her = contact(("email", False), ("sms", True), mobile=None)
    plan = plan_for_woman(her, True, notice(), now=TUESDAY_10, area=AREA)
    assert plan.sends == []
    assert plan.withheld


def test_phone_is_a_task_to_call_her() -> None:
    plan = plan_for_woman(contact(("phone", True)), True, notice(), now=TUESDAY_10, area=AREA)
    assert plan.sends == []
    assert plan.tasks[0].kind == "call_her"
    assert plan.tasks[0].title.startswith("Call her about:")


def test_a_letter_that_cannot_arrive_in_time_also_goes_by_another_safe_channel() -> None:
    her = contact(("letter", True), ("email", False), ("sms", True))
    # Sent Tuesday, posted Wednesday, second class: arrives Friday, after a Thursday meeting.
    assert chosen(her, notice(days_to_meeting=2)) == ["letter", "sms"]
    # A meeting the following week: the letter is in time, so the letter alone.
    assert chosen(her, notice(days_to_meeting=7)) == ["letter"]


def test_a_late_letter_with_no_other_safe_channel_asks_a_person_too() -> None:
    her = contact(("letter", True), ("sms", False))
    plan = plan_for_woman(her, True, notice(days_to_meeting=1), now=TUESDAY_10, area=AREA)
    assert [s.channel for s in plan.sends] == [Channel.LETTER]
    assert "a letter cannot reach her in time" in plan.tasks[0].title


def test_letter_timing_uses_the_posts_real_days_over_a_weekend() -> None:
    friday = datetime(2027, 2, 5, 10, 0, tzinfo=UTC)
    # Sent Friday, posted Monday, second class: Tuesday, then Wednesday; a Thursday meeting is fine.
    assert letter_in_time(friday, friday + timedelta(days=6), AREA)
    assert not letter_in_time(friday, friday + timedelta(days=5), AREA)
    assert letter_in_time(friday, None, AREA)
    first_class = AREA.model_copy(update={"letter_class": "first"})
    assert letter_in_time(friday, friday + timedelta(days=5), first_class)


@pytest.mark.parametrize(
    ("uk_time", "until"),
    [
        (time(22, 30), datetime(2027, 2, 3, 8, 0, tzinfo=UTC)),
        (time(6, 15), datetime(2027, 2, 2, 8, 0, tzinfo=UTC)),
        (time(10, 0), None),
        (time(20, 59), None),
    ],
)
def test_quiet_hours_default_21_to_8_uk(uk_time: time, until: datetime | None) -> None:
    now = datetime.combine(TUESDAY_10.date(), uk_time, tzinfo=UTC)  # GMT: UK time is UTC
    assert quiet_until(now, None) == until


def test_quiet_hours_follow_british_summer_time() -> None:
    late_summer_evening = datetime(2027, 7, 1, 20, 30, tzinfo=UTC)  # 21:30 BST
    assert quiet_until(late_summer_evening, None) == datetime(2027, 7, 2, 7, 0, tzinfo=UTC)


def test_a_text_in_her_quiet_hours_waits_until_they_end_but_email_does_not() -> None:
    night = datetime(2027, 2, 2, 23, 0, tzinfo=UTC)
    her = contact(("sms", True), quiet_hours={"start": "20:00", "end": "09:30"})
    [send] = plan_for_woman(her, True, notice(), now=night, area=AREA).sends
    assert send.not_before == datetime(2027, 2, 3, 9, 30, tzinfo=UTC)
    by_email = contact(("email", True), quiet_hours=QuietHours().model_dump())
    [mail] = plan_for_woman(by_email, True, notice(), now=night, area=AREA).sends
    assert mail.not_before is None


def test_advocates_get_email_with_an_invite_and_a_text_too_when_urgent() -> None:
    plan = plan_for_person("ava@example.org", "07700 900999", notice(), now=TUESDAY_10)
    assert [(s.channel.value, s.with_invite) for s in plan.sends] == [("email", True)]
    urgent = plan_for_person("ava@example.org", "07700 900999", notice(urgent=True), now=TUESDAY_10)
    assert [s.channel.value for s in urgent.sends] == ["email", "sms"]
    reminder = plan_for_person("ava@example.org", None, notice(kind="reminder-1"), now=TUESDAY_10)
    assert reminder.sends[0].with_invite is False


def test_staff_without_contact_details_get_a_task_and_agencies_use_their_team_email() -> None:
    plan = plan_for_person(None, None, notice(), now=TUESDAY_10)
    assert plan.withheld
    assert plan.tasks[0].assignee == "recipient"
    assert [s.channel for s in plan_for_agency("team@example.org", notice()).sends] == [
        Channel.EMAIL
    ]
    assert plan_for_agency(None, notice()).withheld
