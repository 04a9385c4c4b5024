"""The statutory clocks for both nations; every expected date is worked out by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from forms.area import AreaRules, Span, england_rules, scotland_rules
from forms.clocks import DeadlineKey
from rules.clocks import compute_deadlines

EDD = date(2026, 9, 10)  # 28+0 weeks' gestation is 18 June 2026 (84 days before)


def make_area(nation: str = "england", **overrides: object) -> AreaRules:
    base = england_rules() if nation == "england" else scotland_rules()
    return AreaRules.model_validate({**base.model_dump(), **overrides})


def d(text: str) -> date:
    return date.fromisoformat(text)


def dues(area: AreaRules, **dates: Any) -> dict[str, str]:
    return {item.key: item.due.isoformat() for item in compute_deadlines(area, **dates)}


# Strategy discussion Monday 2 March 2026, initial conference Friday 20 March 2026.
# England: Good Friday 3 April and Easter Monday 6 April are bank holidays.
# Scotland: Good Friday only. Calendar-day dates stay on weekends (29 March, 15 March, 20 June).
INITIAL_2026 = {
    "england": {
        "prebirth_conference_latest": "2026-06-18",
        "initial_conference": "2026-03-23",
        "conference_due": "2026-03-23",
        "notice_to_participants": "2026-03-13",
        "reports_to_woman": "2026-03-17",
        "decision_letter": "2026-03-23",
        "minutes": "2026-04-14",
        "first_core_group": "2026-04-07",
        "first_review": "2026-06-20",
    },
    "scotland": {
        "prebirth_conference_latest": "2026-03-29",
        "initial_conference": "2026-03-30",
        "conference_due": "2026-03-29",
        "notice_to_participants": "2026-03-15",
        "reports_to_woman": "2026-03-18",
        "decision_letter": "2026-03-23",
        "minutes": "2026-04-06",
        "first_core_group": "2026-04-13",
        "first_review": "2026-06-20",
    },
}


@pytest.mark.parametrize("nation", ["england", "scotland"])
def test_initial_conference_clocks(nation: str) -> None:
    result = dues(
        make_area(nation),
        edd=EDD,
        concern=d("2026-03-01"),
        strategy_discussion=d("2026-03-02"),
        conference=d("2026-03-20"),
    )
    assert result == INITIAL_2026[nation]


# Review conference Friday 18 December 2026: Christmas Day (Friday) and Boxing Day's
# substitute (Monday 28), New Year's Day (Friday 1 January 2027) and, in Scotland only,
# 2 January's substitute (Monday 4 January 2027).
REVIEW_2026 = {
    "england": {
        "prebirth_conference_latest": "2026-06-18",
        "conference_due": "2026-06-18",
        "notice_to_participants": "2026-12-11",
        "reports_to_woman": "2026-12-11",
        "decision_letter": "2026-12-21",
        "minutes": "2027-01-13",
        "next_review": "2027-06-18",
    },
    "scotland": {
        "prebirth_conference_latest": "2026-06-18",
        "conference_due": "2026-06-18",
        "notice_to_participants": "2026-12-13",
        "reports_to_woman": "2026-12-16",
        "decision_letter": "2026-12-21",
        "minutes": "2027-01-07",
        "next_review": "2027-06-18",
    },
}


@pytest.mark.parametrize("nation", ["england", "scotland"])
def test_review_conference_clocks(nation: str) -> None:
    result = dues(make_area(nation), edd=EDD, conference=d("2026-12-18"), conference_kind="review")
    assert result == REVIEW_2026[nation]


@pytest.mark.parametrize(
    ("nation", "key", "expected"),
    [
        # Conference Friday 24 December 2027: 27 and 28 December are substitute days in both.
        ("england", "decision_letter", "2027-12-29"),
        ("scotland", "decision_letter", "2027-12-29"),
        # England: 3 January 2028 off. Scotland: 3 and 4 January 2028 off.
        ("england", "first_core_group", "2028-01-12"),
        ("scotland", "first_core_group", "2028-01-20"),
        ("england", "notice_to_participants", "2027-12-17"),
        ("scotland", "notice_to_participants", "2027-12-19"),
    ],
)
def test_substitute_days_move_working_day_clocks(nation: str, key: str, expected: str) -> None:
    result = dues(make_area(nation), edd=d("2028-03-01"), conference=d("2027-12-24"))
    assert result[key] == expected


@pytest.mark.parametrize(
    ("nation", "birth", "expected"),
    [
        # 20 working days after Friday 1 May 2026 (May Day 4 May and 25 May off): 2 June.
        ("england", "2026-05-01", "2026-06-02"),
        # Born later: 3 months after the conference (20 June) comes first.
        ("england", "2026-06-01", "2026-06-20"),
        # Born before the conference, or on its day: the birth rule does not apply.
        ("england", "2026-03-10", "2026-06-20"),
        ("england", "2026-03-20", "2026-06-20"),
        # Scotland has no birth rule by default.
        ("scotland", "2026-05-01", "2026-06-20"),
    ],
)
def test_first_review_after_birth(nation: str, birth: str, expected: str) -> None:
    result = dues(make_area(nation), edd=EDD, conference=d("2026-03-20"), birth=d(birth))
    assert result["first_review"] == expected


def test_first_review_basis_names_both_rules() -> None:
    deadlines = compute_deadlines(
        england_rules(), edd=EDD, conference=d("2026-03-20"), birth=d("2026-05-01")
    )
    review = next(item for item in deadlines if item.key == "first_review")
    assert review.basis == (
        "the earlier of 3 months after the initial conference (20 March 2026) "
        "and 20 working days after the birth (1 May 2026)"
    )


@pytest.mark.parametrize(
    ("conference", "kind", "key", "expected"),
    [
        ("2026-11-30", "initial", "first_review", "2027-02-28"),
        ("2026-08-31", "review", "next_review", "2027-02-28"),
        ("2027-08-31", "review", "next_review", "2028-02-29"),
    ],
)
def test_month_clocks_clip_to_month_end(
    conference: str, kind: str, key: str, expected: str
) -> None:
    result = dues(england_rules(), edd=EDD, conference=d(conference), conference_kind=kind)
    assert result[key] == expected


@pytest.mark.parametrize(
    ("nation", "concern", "expected"),
    [
        ("scotland", None, "2026-06-18"),
        ("scotland", "2026-03-01", "2026-03-29"),
        ("scotland", "2026-06-01", "2026-06-18"),  # 29 June would be later than 28 weeks
        ("england", "2026-03-01", "2026-06-18"),  # England has no limit from the concern
    ],
)
def test_prebirth_conference_latest(nation: str, concern: str | None, expected: str) -> None:
    result = dues(make_area(nation), edd=EDD, concern=d(concern) if concern else None)
    assert result["prebirth_conference_latest"] == expected
    assert result["conference_due"] == expected


def test_only_keys_whose_inputs_are_given() -> None:
    assert [item.key for item in compute_deadlines(england_rules(), edd=EDD)] == [
        "prebirth_conference_latest",
        "conference_due",
    ]
    keys = [
        item.key
        for item in compute_deadlines(england_rules(), edd=EDD, strategy_discussion=d("2026-03-02"))
    ]
    assert keys == ["prebirth_conference_latest", "initial_conference", "conference_due"]


def test_each_key_at_most_once() -> None:
    deadlines = compute_deadlines(
        scotland_rules(),
        edd=EDD,
        concern=d("2026-03-01"),
        strategy_discussion=d("2026-03-02"),
        conference=d("2026-03-20"),
        birth=d("2026-05-01"),
    )
    keys = [item.key for item in deadlines]
    assert len(keys) == len(set(keys))
    assert set(keys) <= {key.value for key in DeadlineKey}


def test_basis_in_plain_words() -> None:
    deadlines = compute_deadlines(england_rules(), edd=EDD, strategy_discussion=d("2026-03-02"))
    basis = {item.key: item.basis for item in deadlines}
    assert basis["initial_conference"] == (
        "15 working days after the strategy discussion (2 March 2026)"
    )
    assert basis["prebirth_conference_latest"] == (
        "28+0 weeks' gestation (84 days before the estimated due date, 10 September 2026)"
    )
    assert basis["conference_due"].startswith("the earlier of")


def test_conference_before_strategy_discussion_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be before the strategy discussion"):
        compute_deadlines(
            england_rules(),
            edd=EDD,
            strategy_discussion=d("2026-03-02"),
            conference=d("2026-03-01"),
        )


def test_conference_on_the_day_of_the_strategy_discussion_is_allowed() -> None:
    result = dues(
        england_rules(), edd=EDD, strategy_discussion=d("2026-03-02"), conference=d("2026-03-02")
    )
    assert result["decision_letter"] == "2026-03-03"


@pytest.mark.parametrize(
    ("overrides", "key", "expected"),
    [
        (
            {"minutes_after_conference": Span(amount=20, unit="working_days")},
            "minutes",
            "2026-04-21",
        ),
        ({"prebirth_conference_gestation_weeks": 30}, "prebirth_conference_latest", "2026-07-02"),
        (
            {"initial_conference_after_strategy_discussion": Span(amount=15, unit="calendar_days")},
            "initial_conference",
            "2026-03-17",
        ),
        (
            {"reports_to_woman_before_initial": Span(amount=2, unit="working_days")},
            "reports_to_woman",
            "2026-03-18",
        ),
        ({"first_review_after_birth": None}, "first_review", "2026-06-20"),
        ({"local_holidays": [d("2026-03-16")]}, "initial_conference", "2026-03-24"),
    ],
)
def test_area_values_drive_the_clocks(
    overrides: dict[str, object], key: str, expected: str
) -> None:
    result = dues(
        make_area("england", **overrides),
        edd=EDD,
        strategy_discussion=d("2026-03-02"),
        conference=d("2026-03-20"),
        birth=d("2026-05-01"),
    )
    assert result[key] == expected
