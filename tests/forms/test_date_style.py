"""One date style on every page and letter: "6 December 2026", "10:00am", written only by
rules.wording. This walks every template and every module that writes words for
people, for dates and times written any other way."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rules.wording import clock_time, day_and_date, long_date

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted([*ROOT.glob("api/templates/*.j2"), *ROOT.glob("forms/templates/*.j2")])
# The modules whose words reach people (pages, letters, messages, tasks, timelines). The
# operators' command line and the simulator's reports keep ISO dates on purpose.
SOURCES = sorted(
    path
    for folder in (
        "api",
        "forms",
        "rules",
        "workflows",
        "activities",
        "services",
        "delivery",
        "waymark",
    )
    for path in (ROOT / folder).rglob("*.py")
    if not path.relative_to(ROOT).as_posix().startswith(("waymark/cli/", "waymark/simulate/"))
)
# A date or time formatted by hand: strftime, or an f-string format of a date or time.
BY_HAND = re.compile(r"strftime\(|:%[aAdbBYyHIMp]|%B")
# Machine-readable on purpose: a CHI number's digits, the audit chain's operator report, and
# the value of a time input (browsers need "14:30").
ALLOWED = {
    ("forms/identifiers.py", 'date_of_birth.strftime("%d%m%y")'),
    ("services/audit_trail.py", 'strftime("%Y-%m-%d %H:%M:%S UTC")'),
    ("api/pages/meetings.py", 'f"{starts:%H:%M}"'),
}
# In a template: a date shown as ISO text, not inside an attribute (value=, datetime=, min=).
ISO_IN_TEXT = re.compile(r">[^<]*\{\{[^}]*isoformat\(\)[^}]*\}\}")


def _by_hand(path: Path) -> list[str]:
    where = path.relative_to(ROOT).as_posix()
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if BY_HAND.search(line) and not any(
            where == file and snippet in line for file, snippet in ALLOWED
        ):
            found.append(f"{where}:{number}: {line.strip()}")
    return found


def test_no_module_formats_a_date_or_time_by_hand() -> None:
    found = [line for path in SOURCES for line in _by_hand(path)]
    assert not found, "use rules.wording:\n" + "\n".join(found)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_no_template_formats_a_date_or_time_itself(path: Path) -> None:
    text = path.read_text()
    assert not BY_HAND.search(text), "use the uk_date, uk_time or uk_datetime filter"
    assert not ISO_IN_TEXT.search(text), "an ISO date shown as text: use uk_date"


def test_the_walk_finds_what_it_looks_for() -> None:
    # The walk itself can fail: a hand-made date is caught, the formatter's words are not.
    assert BY_HAND.search('summary += f" on {left:%d %B %Y}"')
    assert BY_HAND.search('when = f" (after {to_uk(wait):%H:%M})"')
    assert ISO_IN_TEXT.search("<dd>{{ meeting.on.isoformat() }}</dd>")
    assert not ISO_IN_TEXT.search('<input value="{{ meeting.on.isoformat() }}">')
    assert len(TEMPLATES) > 50
    assert any(path.name == "wording.py" for path in SOURCES)


def test_the_one_style() -> None:
    assert long_date(date(2026, 12, 6)) == "6 December 2026"
    assert day_and_date(date(2026, 12, 6)) == "Sunday 6 December 2026"
    assert clock_time(datetime(2026, 12, 6, 10, 0, tzinfo=UTC)) == "10:00am"
