"""Meeting rules: reminder times, short notice, clashes and busy weeks, worked out by hand.

UTC is written with a Z; in 2026 BST runs from Sunday 29 March to Sunday 25 October.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from temporalio import workflow
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from forms.meeting import MeetingDetails, MeetingFormat, MeetingKind, MeetingRef, MeetingStatus
from rules.meetings import clashes, is_short_notice, meetings_in_week, reminder_times

DEFAULT_REMINDERS = [7, 3, 1, 0]


def z(text: str) -> datetime:
    """An aware UTC datetime from "YYYY-MM-DDTHH:MM"."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_meeting(
    starts_at: str,
    *,
    status: MeetingStatus = MeetingStatus.SCHEDULED,
    meeting_id: UUID | None = None,
) -> MeetingRef:
    start = z(starts_at)
    return MeetingRef(
        meeting_id=meeting_id or uuid.uuid4(),
        kind=MeetingKind.CORE_GROUP,
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        details=MeetingDetails(starts_at=start, format=MeetingFormat.VIDEO),
        status=status,
    )


@pytest.mark.parametrize(
    ("starts_at", "expected"),
    [
        # Wednesday 14 January 2026, 10:00 GMT: 09:00 GMT is 09:00Z, 08:00 GMT is 08:00Z.
        (
            "2026-01-14T10:00",
            ["2026-01-07T09:00", "2026-01-11T09:00", "2026-01-13T09:00", "2026-01-14T08:00"],
        ),
        # Wednesday 15 July 2026, 14:00 BST (13:00Z): 09:00 BST is 08:00Z.
        (
            "2026-07-15T13:00",
            ["2026-07-08T08:00", "2026-07-12T08:00", "2026-07-14T08:00", "2026-07-15T07:00"],
        ),
        # The morning the clocks go forward, 10:00 BST (09:00Z): the earlier reminders are GMT,
        # the one on the day is 08:00 BST (07:00Z).
        (
            "2026-03-29T09:00",
            ["2026-03-22T09:00", "2026-03-26T09:00", "2026-03-28T09:00", "2026-03-29T07:00"],
        ),
        # Same morning at 08:00 BST (07:00Z): before 08:30, so 2 hours before (06:00 BST).
        (
            "2026-03-29T07:00",
            ["2026-03-22T09:00", "2026-03-26T09:00", "2026-03-28T09:00", "2026-03-29T05:00"],
        ),
        # The morning the clocks go back, 10:00 GMT: the earlier reminders are 09:00 BST.
        (
            "2026-10-25T10:00",
            ["2026-10-18T08:00", "2026-10-22T08:00", "2026-10-24T08:00", "2026-10-25T08:00"],
        ),
        # Same morning at 08:15 GMT: 2 hours before is 06:15 GMT (the change was at 01:00Z).
        (
            "2026-10-25T08:15",
            ["2026-10-18T08:00", "2026-10-22T08:00", "2026-10-24T08:00", "2026-10-25T06:15"],
        ),
        # 00:30 BST on Monday 15 June is 23:30Z on the 14th: the UK date is the 15th.
        (
            "2026-06-14T23:30",
            ["2026-06-08T08:00", "2026-06-12T08:00", "2026-06-14T08:00", "2026-06-14T21:30"],
        ),
    ],
)
def test_reminder_times(starts_at: str, expected: list[str]) -> None:
    times = reminder_times(z(starts_at), DEFAULT_REMINDERS, now=z("2026-01-01T00:00"))
    assert times == [z(text) for text in expected]
    assert all(moment.utcoffset() == timedelta(0) for moment in times)


@pytest.mark.parametrize(
    ("starts_at", "expected_on_the_day"),
    [
        ("2026-01-12T08:29", "2026-01-12T06:29"),
        ("2026-01-12T08:30", "2026-01-12T08:00"),
        # 08:29 and 08:30 BST are 07:29Z and 07:30Z.
        ("2026-06-15T07:29", "2026-06-15T05:29"),
        ("2026-06-15T07:30", "2026-06-15T07:00"),
    ],
)
def test_morning_of_switches_to_two_hours_before_an_early_start(
    starts_at: str, expected_on_the_day: str
) -> None:
    assert reminder_times(z(starts_at), [0], now=z("2026-01-01T00:00")) == [z(expected_on_the_day)]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # The 3-day reminder is exactly now: not after it, so dropped.
        ("2026-01-11T09:00", ["2026-01-13T09:00", "2026-01-14T08:00"]),
        ("2026-01-11T08:59", ["2026-01-11T09:00", "2026-01-13T09:00", "2026-01-14T08:00"]),
        ("2026-01-14T08:30", []),
        # Scheduled after the meeting has started (recording it late): nothing to send.
        ("2026-01-14T11:00", []),
    ],
)
def test_reminders_in_the_past_are_dropped(now: str, expected: list[str]) -> None:
    times = reminder_times(z("2026-01-14T10:00"), DEFAULT_REMINDERS, now=z(now))
    assert times == [z(text) for text in expected]


def test_reminders_are_sorted_and_unique_whatever_the_input_order() -> None:
    times = reminder_times(z("2026-01-14T10:00"), [0, 1, 7, 1, 0], now=z("2026-01-01T00:00"))
    assert times == [z("2026-01-07T09:00"), z("2026-01-13T09:00"), z("2026-01-14T08:00")]


def test_no_reminder_days_no_reminders() -> None:
    assert reminder_times(z("2026-01-14T10:00"), [], now=z("2026-01-01T00:00")) == []


def test_negative_reminder_days_are_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        reminder_times(z("2026-01-14T10:00"), [-1], now=z("2026-01-01T00:00"))


@pytest.mark.parametrize(
    ("now", "starts_at", "minimum", "short"),
    [
        # Monday 5 January to Saturday 10 January: 5 days.
        ("2026-01-05T12:00", "2026-01-10T10:00", 5, False),
        ("2026-01-05T12:00", "2026-01-09T17:00", 5, True),
        # Whole days by date, not by hours: 23:59 to 00:01 five dates later is still 5 days.
        ("2026-01-05T23:59", "2026-01-10T00:01", 5, False),
        # 23:30Z on 4 June is 00:30 BST on the 5th: 5 June to 9 June is 4 days, so short
        # (by UTC dates it would wrongly be 5).
        ("2026-06-04T23:30", "2026-06-09T09:00", 5, True),
        ("2026-06-04T23:30", "2026-06-10T09:00", 5, False),
        # Across the clock change: Thursday 26 March GMT to Tuesday 31 March BST is 5 days.
        ("2026-03-26T10:00", "2026-03-31T08:00", 5, False),
        ("2026-01-05T12:00", "2026-01-05T15:00", 0, False),
        ("2026-01-05T12:00", "2026-01-04T15:00", 0, True),
    ],
)
def test_is_short_notice(now: str, starts_at: str, minimum: int, short: bool) -> None:
    assert is_short_notice(z(starts_at), now=z(now), minimum_notice_days=minimum) is short


def test_clashes_on_the_same_uk_day() -> None:
    morning = make_meeting("2026-06-15T08:00")
    cancelled = make_meeting("2026-06-15T13:00", status=MeetingStatus.CANCELLED)
    just_after_midnight = make_meeting("2026-06-14T23:30")  # 00:30 BST on the 15th
    next_day = make_meeting("2026-06-15T23:30")  # 00:30 BST on the 16th
    held = make_meeting("2026-06-15T11:30", status=MeetingStatus.HELD)
    meetings = [morning, cancelled, next_day, held, just_after_midnight]

    found = clashes(meetings, z("2026-06-15T15:00"))

    assert found == [just_after_midnight, morning, held]


def test_the_meeting_being_rescheduled_does_not_clash_with_itself() -> None:
    moving = make_meeting("2026-06-15T10:00")
    other = make_meeting("2026-06-15T14:00")

    assert clashes([moving, other], z("2026-06-15T11:00"), ignore=moving.meeting_id) == [other]
    assert clashes([moving], z("2026-06-15T11:00"), ignore=moving.meeting_id) == []
    assert clashes([moving], z("2026-06-15T11:00")) == [moving]


def test_winter_late_evening_stays_on_its_own_day() -> None:
    late = make_meeting("2026-12-15T23:30")  # GMT: still 15 December
    assert clashes([late], z("2026-12-15T09:00")) == [late]
    assert clashes([late], z("2026-12-16T09:00")) == []


def test_meetings_in_week_uses_iso_weeks_of_uk_dates() -> None:
    # Sunday 14 June 2026 ends ISO week 24; Monday 15 June starts week 25.
    sunday_late = make_meeting("2026-06-14T22:30")  # 23:30 BST Sunday: week 24
    monday_early = make_meeting("2026-06-14T23:30")  # 00:30 BST Monday: week 25
    monday = make_meeting("2026-06-15T09:00")
    next_sunday = make_meeting("2026-06-21T19:00")
    cancelled = make_meeting("2026-06-17T09:00", status=MeetingStatus.CANCELLED)
    moving = make_meeting("2026-06-18T09:00")
    following_monday = make_meeting("2026-06-22T08:00")
    meetings = [
        sunday_late,
        monday_early,
        monday,
        next_sunday,
        cancelled,
        moving,
        following_monday,
    ]
    wednesday = z("2026-06-17T09:00")

    assert meetings_in_week(meetings, wednesday) == 4
    assert meetings_in_week(meetings, wednesday, ignore=moving.meeting_id) == 3
    assert meetings_in_week(meetings, z("2026-06-14T12:00")) == 1
    assert meetings_in_week(meetings, z("2026-06-22T12:00")) == 1
    assert meetings_in_week([], wednesday) == 0


def test_meetings_in_week_across_the_new_year() -> None:
    # ISO week 53 of 2026 runs from Monday 28 December 2026 to Sunday 3 January 2027.
    tuesday = make_meeting("2026-12-29T10:00")
    saturday = make_meeting("2027-01-02T10:00")
    monday = make_meeting("2027-01-04T10:00")

    assert meetings_in_week([tuesday, saturday, monday], z("2026-12-31T10:00")) == 2
    assert meetings_in_week([tuesday, saturday, monday], z("2027-01-04T12:00")) == 1


@workflow.defn(sandboxed=True)
class _RemindersInSandbox:
    """Runs the rules inside Temporal's workflow sandbox, where zoneinfo fails."""

    @workflow.run
    async def run(self, starts_at: str) -> list[str]:
        times = reminder_times(datetime.fromisoformat(starts_at), [7, 3, 1, 0], now=workflow.now())
        meeting = make_meeting("2035-07-11T09:00", meeting_id=workflow.uuid4())
        assert clashes([meeting], datetime.fromisoformat(starts_at)) == [meeting]
        return [moment.isoformat() for moment in times]


async def test_rules_run_inside_the_workflow_sandbox(temporal_env: WorkflowEnvironment) -> None:
    task_queue = f"meetings-{uuid.uuid4().hex[:8]}"
    # Any error fails the workflow at once, rather than retrying its task (and hanging) forever.
    worker = Worker(
        temporal_env.client,
        task_queue=task_queue,
        workflows=[_RemindersInSandbox],
        workflow_failure_exception_types=[Exception],
    )
    async with worker:
        result = await temporal_env.client.execute_workflow(
            _RemindersInSandbox.run,
            "2035-07-11T09:00:00+00:00",  # Wednesday 11 July 2035, 10:00 BST
            id=f"meetings-{uuid.uuid4()}",
            task_queue=task_queue,
        )
    expected = ["2035-07-04T08:00", "2035-07-08T08:00", "2035-07-10T08:00", "2035-07-11T07:00"]
    assert result == [z(text).isoformat() for text in expected]
