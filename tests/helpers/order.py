"""The order files run in: the long ones first.

`make test` runs `pytest -n auto --dist loadfile --no-loadscope-reorder`: each file runs whole on
one worker, and the workers take files in the order collected. A long file taken last keeps one
worker busy while the other has nothing left, so the files measured longest (seconds on two
workers, SQLite and PostgreSQL legs together) are moved to the front, longest first; every other
file keeps its place. A file missing here only runs later; a name here that no longer exists
is simply never matched (`tests/test_order.py` keeps the list current).
"""

from __future__ import annotations

import pytest

# The fifteen files with the most worker-seconds in a full run with PostgreSQL (both legs),
# longest first (measured December 2026; the scale test's PostgreSQL seeding was cut since).
LONGEST_FIRST: tuple[str, ...] = (
    "tests/duties/test_scale.py",
    "tests/e2e/test_dev_command.py",
    "tests/api/planning/test_conferences.py",
    "tests/api/test_load.py",
    "tests/e2e/test_scale_out.py",
    "tests/api/test_fuzz.py",
    "tests/api/planning/test_meetings.py",
    "tests/pages/test_woman_page.py",
    "tests/workflows/test_support.py",
    "tests/api/planning/test_prebirth.py",
    "tests/simulate/test_examples.py",
    "tests/faults/test_database_outage.py",
    "tests/pages/test_people_pages.py",
    "tests/api/planning/test_transfers.py",
    "tests/e2e/test_backup_restore.py",
)


def longest_first(items: list[pytest.Item]) -> None:
    """Sort `items` in place: the files in `LONGEST_FIRST` first, in its order; the rest after,
    as collected (a stable sort, so each file's tests keep their order)."""
    rank = {path: place for place, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
