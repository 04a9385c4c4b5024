"""Escalation plans over weekends, bank holidays and clock changes, worked out by hand.

Times are UTC (a Z): 09:00 GMT is 09:00Z, 09:00 BST is 08:00Z.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from forms.area import AreaRules, Span, england_rules, scotland_rules
from forms.clock import ClockStep, Escalation
from rules.escalation import plan_escalation


def z(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_area(nation: str = "england", **overrides: object) -> AreaRules:
    base = england_rules() if nation == "england" else scotland_rules()
    return AreaRules.model_validate({**base.model_dump(), **overrides})


def steps(remind: str, manager: str, lead: str) -> list[ClockStep]:
    return [
        ClockStep(at=z(remind), action=Escalation.REMIND_OWNER),
        ClockStep(at=z(manager), action=Escalation.ESCALATE_MANAGER),
        ClockStep(at=z(lead), action=Escalation.ESCALATE_LEAD),
    ]


@pytest.mark.parametrize(
    ("nation", "due", "expected"),
    [
        # Friday 24 December 2027: Christmas and Boxing Day fall at the weekend, so Monday 27
        # and Tuesday 28 are substitute bank holidays in both nations.
        (
            "england",
            "2027-12-24",
            steps("2027-12-22T09:00", "2027-12-29T09:00", "2027-12-31T09:00"),
        ),
        (
            "scotland",
            "2027-12-24",
            steps("2027-12-22T09:00", "2027-12-29T09:00", "2027-12-31T09:00"),
        ),
        # Friday 31 December 2027: New Year's Day is a Saturday, so Monday 3 January is off in
        # both; Scotland's 2 January (a Sunday) moves to Tuesday 4 January.
        (
            "england",
            "2027-12-31",
            steps("2027-12-29T09:00", "2028-01-04T09:00", "2028-01-06T09:00"),
        ),
        (
            "scotland",
            "2027-12-31",
            steps("2027-12-29T09:00", "2028-01-05T09:00", "2028-01-07T09:00"),
        ),
        # Tuesday 29 December 2026: back over Monday 28 (Boxing Day substitute) and Friday 25.
        # Lead: New Year's Day is Friday 1 January 2027; Scotland also has Monday 4 January.
        (
            "england",
            "2026-12-29",
            steps("2026-12-23T09:00", "2026-12-30T09:00", "2027-01-04T09:00"),
        ),
        (
            "scotland",
            "2026-12-29",
            steps("2026-12-23T09:00", "2026-12-30T09:00", "2027-01-05T09:00"),
        ),
        # Friday 28 August 2026 (BST): England's summer bank holiday is Monday 31 August;
        # Scotland's was Monday 3 August.
        (
            "england",
            "2026-08-28",
            steps("2026-08-26T08:00", "2026-09-01T08:00", "2026-09-03T08:00"),
        ),
        (
            "scotland",
            "2026-08-28",
            steps("2026-08-26T08:00", "2026-08-31T08:00", "2026-09-02T08:00"),
        ),
        # Thursday 2 April 2026, before Easter: Good Friday in both, Easter Monday in England only.
        (
            "england",
            "2026-04-02",
            steps("2026-03-31T08:00", "2026-04-07T08:00", "2026-04-09T08:00"),
        ),
        (
            "scotland",
            "2026-04-02",
            steps("2026-03-31T08:00", "2026-04-06T08:00", "2026-04-08T08:00"),
        ),
        # Friday 27 March 2026: the reminder is in GMT, the escalations (after Sunday 29) in BST.
        (
            "england",
            "2026-03-27",
            steps("2026-03-25T09:00", "2026-03-30T08:00", "2026-04-01T08:00"),
        ),
        # Friday 23 October 2026: the reminder is in BST, the escalations (after Sunday 25) in GMT.
        (
            "england",
            "2026-10-23",
            steps("2026-10-21T08:00", "2026-10-26T09:00", "2026-10-28T09:00"),
        ),
        # Due on Saturday 10 January 2026: remind Thursday, escalate from Monday.
        (
            "england",
            "2026-01-10",
            steps("2026-01-08T09:00", "2026-01-12T09:00", "2026-01-14T09:00"),
        ),
    ],
)
def test_plan_escalation(nation: str, due: str, expected: list[ClockStep]) -> None:
    assert plan_escalation(make_area(nation), date.fromisoformat(due)) == expected


def test_local_holidays_are_skipped() -> None:
    # Wednesday 29 December 2027 closed locally: manager Thursday 30; lead Friday 31, then
    # Tuesday 4 January 2028 (Monday 3 is the New Year substitute).
    area = make_area(local_holidays=[date(2027, 12, 29)])
    expected = steps("2027-12-22T09:00", "2027-12-30T09:00", "2028-01-04T09:00")
    assert plan_escalation(area, date(2027, 12, 24)) == expected


def test_an_area_can_change_both_spans() -> None:
    area = make_area(
        clock_reminder_before=Span(amount=5, unit="working_days"),
        escalate_to_lead_after=Span(amount=1, unit="working_days"),
    )
    # Five working days before Friday 24 December 2027: 23, 22, 21, 20, then Friday 17.
    expected = steps("2027-12-17T09:00", "2027-12-29T09:00", "2027-12-30T09:00")
    assert plan_escalation(area, date(2027, 12, 24)) == expected


def test_steps_start_not_done_and_in_order() -> None:
    planned = plan_escalation(make_area(), date(2027, 12, 24))
    assert [step.done for step in planned] == [False, False, False]
    assert [step.at for step in planned] == sorted(step.at for step in planned)


# A clock that starts already overdue (a late referral; a conference booked at short notice).


def late(start: str, lead: str) -> list[ClockStep]:
    return [
        ClockStep(at=z(start), action=Escalation.LATE_START),
        ClockStep(at=z(lead), action=Escalation.ESCALATE_LEAD),
    ]


def test_a_clock_started_well_before_its_due_date_keeps_the_usual_chain() -> None:
    due = date(2027, 12, 24)
    now = z("2027-11-01T10:00")
    assert plan_escalation(make_area(), due, now) == plan_escalation(make_area(), due)


def test_a_clock_started_after_its_reminder_keeps_the_chain_its_reminder_goes_at_once() -> None:
    # Due Friday 24 December 2027, started Thursday 23: the reminder (Wednesday 22) is the only
    # step already due; the manager and the lead follow on their usual days.
    due = date(2027, 12, 24)
    now = z("2027-12-23T15:00")
    planned = plan_escalation(make_area(), due, now)
    assert planned == plan_escalation(make_area(), due)
    assert [step.action for step in planned if step.at <= now] == [Escalation.REMIND_OWNER]


@pytest.mark.parametrize(
    ("nation", "due", "now", "expected"),
    [
        # A late referral on Monday 10 January 2028, for a conference due Friday 24 December
        # 2027: owner and manager at once; the lead on the second working day, Wednesday 12.
        (
            "england",
            "2027-12-24",
            "2028-01-10T10:00",
            late("2028-01-10T10:00", "2028-01-12T09:00"),
        ),
        # Thursday 28 November 2030: Scotland's St Andrew's Day (Saturday 30) is kept on Monday
        # 2 December, so its lead hears on Tuesday 3; England's on Monday 2.
        (
            "scotland",
            "2030-11-01",
            "2030-11-28T15:00",
            late("2030-11-28T15:00", "2030-12-03T09:00"),
        ),
        (
            "england",
            "2030-11-01",
            "2030-11-28T15:00",
            late("2030-11-28T15:00", "2030-12-02T09:00"),
        ),
        # Started exactly when the manager would have been told (Wednesday 29 December 2027,
        # 09:00): late, so the manager hears once, with the owner.
        (
            "england",
            "2027-12-24",
            "2027-12-29T09:00",
            late("2027-12-29T09:00", "2027-12-31T09:00"),
        ),
    ],
)
def test_a_clock_started_past_its_manager_step_is_a_late_start(
    nation: str, due: str, now: str, expected: list[ClockStep]
) -> None:
    assert plan_escalation(make_area(nation), date.fromisoformat(due), z(now)) == expected


def test_a_late_start_never_fires_more_than_one_step_at_once() -> None:
    now = z("2028-01-10T10:00")
    for days_ago in range(0, 120):
        due = date(2028, 1, 10) - timedelta(days=days_ago)
        due_now = [s for s in plan_escalation(make_area(), due, now) if s.at <= now]
        assert len(due_now) <= 1, (due, due_now)


def test_a_late_start_uses_the_areas_span_to_the_lead() -> None:
    area = make_area(escalate_to_lead_after=Span(amount=5, unit="calendar_days"))
    assert plan_escalation(area, date(2027, 12, 24), z("2028-01-10T10:00")) == late(
        "2028-01-10T10:00", "2028-01-15T09:00"
    )
