"""Words written before the one date style read in it on the pages."""

from __future__ import annotations

from rules.wording import readable_dates, readable_times


def test_iso_dates_in_older_words_read_as_the_one_date_style() -> None:
    assert readable_dates("15 working days after 2026-12-06 (2027-02-30 stays)") == (
        "15 working days after 6 December 2026 (2027-02-30 stays)"
    )
    assert readable_dates("extended from 2027-01-04: illness") == (
        "extended from 4 January 2027: illness"
    )


def test_24_hour_times_in_words_read_as_the_one_style() -> None:
    assert readable_times("open 09:00 to 17:30:00") == "open 9:00am to 5:30pm"
    assert readable_times("at 12:00, 00:15 and 2:30pm") == "at 12:00pm, 12:15am and 2:30pm"
