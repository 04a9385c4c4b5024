"""Reading scenarios: every mistake names the event (or field) it is in and what is wrong."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from waymark.simulate.context import SimClock
from waymark.simulate.scenario import ScenarioError, load_scenario, parse_scenario

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.toml"))


def scenario(*events: dict[str, Any], **woman: Any) -> dict[str, Any]:
    return {"start": "2027-01-04", "woman": {"edd": "2027-06-01", **woman}, "events": list(events)}


def error_of(data: dict[str, Any]) -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    return str(caught.value)


def test_a_bad_date_names_the_event_and_says_how_to_write_one() -> None:
    message = error_of(
        scenario(
            {"on": "2027-01-05", "do": "wait"},
            {"on": "2027-13-01", "do": "screening", "decision": "strategy_discussion"},
        )
    )
    assert message.startswith("event 2 (do = 'screening', on = 2027-13-01): on:")
    assert "'2027-13-01' is not a date; write it as YYYY-MM-DD" in message


def test_an_unknown_do_lists_the_kinds() -> None:
    message = error_of(scenario({"on": "2027-01-05", "do": "dance"}))
    assert "event 1 (do = 'dance', on = 2027-01-05): unknown do = 'dance'" in message
    assert "screening" in message
    assert "strategy_discussion" in message


def test_an_unknown_user_is_named_with_the_known_ones() -> None:
    message = error_of(
        scenario(
            {"on": "2027-01-05", "do": "screening", "decision": "early_help", "by": "bob.builder"}
        )
    )
    assert "event 1 (do = 'screening', on = 2027-01-05): by: unknown user 'bob.builder'" in message
    assert "sam.social" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (scenario({"on": "2027-01-05", "do": "screening"}), "decision: is required"),
        (scenario({"on": "2027-01-05", "do": "wait", "colour": "red"}), "colour: unknown field"),
        (scenario({"on": "2027-01-01", "do": "wait"}), "is before the start (2027-01-04)"),
        (
            scenario({"on": "2027-01-09", "do": "wait"}, {"on": "2027-01-08", "do": "wait"}),
            "event 2 (do = 'wait', on = 2027-01-08): is before the event above it",
        ),
        (
            scenario({"on": "2027-01-05", "do": "schedule_meeting"}),
            "give the meeting's date as meeting_on or days_later",
        ),
        ({"start": "2027-01-04", "woman": {}}, "woman: give her EDD as edd"),
        (
            {"start": "2027-01-04", "woman": {"edd": "2027-06-01", "area": "mars"}},
            "Unknown area 'mars'",
        ),
        (
            {"start": "2027-01-04", "woman": {"edd": "2027-06-01", "area": "england"}},
            "no team taking referrals in 'england'",
        ),
        ({"start": "someday", "woman": {"edd": "2027-06-01"}}, "start: 'someday' is not a date"),
        (
            {"start": "2027-01-04", "woman": {"edd": "2027-06-01"}, "events": {"on": 1}},
            "events: must be a list",
        ),
    ],
)
def test_each_mistake_says_where_and_what(data: dict[str, Any], expected: str) -> None:
    assert expected in error_of(data)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text("start = 2027-13-01\n")
    with pytest.raises(ScenarioError, match=r"case\.toml: not valid TOML"):
        load_scenario(path)


def test_json_scenarios_read_like_toml(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(
        '{"start": "2027-01-04", "woman": {"edd_in_days": 100},'
        ' "events": [{"on": "2027-01-05", "do": "screening",'
        ' "decision": "early_help", "at": "14:30"}]}'
    )
    loaded = load_scenario(path)
    assert loaded.woman.due_date(loaded.start) == date(2027, 4, 14)
    assert loaded.events[0].at == time(14, 30)
    assert loaded.last_day == date(2027, 1, 6)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_examples_parse_and_document_their_key_lines(path: Path) -> None:
    loaded = load_scenario(path)
    assert loaded.expect, "each example lists the key lines it must produce"


def test_past_starts_map_to_virtual_time_by_whole_weeks() -> None:
    today = date(2026, 11, 22)
    assert SimClock.for_start(date(2027, 1, 4), today).offset == timedelta(0)
    past = SimClock.for_start(date(2024, 3, 4), today)
    assert past.offset.days % 7 == 0
    assert date(2024, 3, 4) + past.offset > today
    virtual = date(2024, 3, 4) + past.offset
    assert past.retext(f"due {virtual:%d %B %Y} and {virtual.isoformat()}") == (
        "due 04 March 2024 and 2024-03-04"
    )
