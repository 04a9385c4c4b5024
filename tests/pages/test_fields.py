"""A time typed as people write it ("10:00am", the one style of the pages) or as a time input
sends it ("14:30") is the same time; anything else is kept as typed, for the contract to refuse."""

from __future__ import annotations

from datetime import date, time

import pytest

from api.pages.fields import clock, day, local_datetime


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("10:00am", time(10, 0)),
        ("2:30pm", time(14, 30)),
        ("2.30 PM", time(14, 30)),
        ("12:00pm", time(12, 0)),
        ("12:15am", time(0, 15)),
        ("9am", time(9, 0)),
        ("14:30", time(14, 30)),
    ],
)
def test_a_time_as_people_write_it(typed: str, meant: time) -> None:
    assert clock(typed) == meant


@pytest.mark.parametrize("typed", ["13:00pm", "half two", "25:00"])
def test_a_time_that_is_not_one_is_kept_as_typed(typed: str) -> None:
    assert local_datetime("2027-03-02", typed) == f"2027-03-02T{typed}"


@pytest.mark.parametrize(
    "typed", ["27 March 1995", "27 Mar 1995", "27/3/1995", "27 3 1995", "1995-03-27"]
)
def test_a_date_as_people_write_it(typed: str) -> None:
    assert day(typed) == date(1995, 3, 27)


@pytest.mark.parametrize("typed", ["31 February 1995", "27 Ma 1995", "next Tuesday"])
def test_a_date_that_is_not_one_is_kept_as_typed(typed: str) -> None:
    assert day(typed) == typed
