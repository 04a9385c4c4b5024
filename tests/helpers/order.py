"""The order files run in: the long ones first.

`make test` runs `pytest -n <cores + 1> --dist loadfile --no-loadscope-reorder`: each file runs
whole on one worker, and the workers take files in the order collected. A long file taken last
keeps one worker busy while the others have nothing left, so the files measured longest (seconds
on a worker, SQLite and PostgreSQL legs together) are moved to the front, longest first; every other
file keeps its place. A file missing here only runs later; a name here that no longer exists
is simply never matched (`tests/test_order.py` keeps the list current).
"""

from __future__ import annotations

import pytest

# The fifteen files with the most worker-seconds in a full run with PostgreSQL (both legs, three
# workers on two cores), longest first (measured 7 December 2026).
LONGEST_FIRST: tuple[str, ...] = (
    "tests/e2e/test_accessibility.py",
    "tests/faults/test_database_outage.py",
    "tests/oversight/test_end_to_end.py",
    "tests/duties/test_support_duties.py",
    "tests/api/planning/test_conferences.py",
    "tests/e2e/test_browser_journey.py",
    "tests/e2e/test_dev_command.py",
    "tests/simulate/test_population.py",
    "tests/api/test_load.py",
    "tests/faults/test_worker_killed.py",
    "tests/pages/test_support_pages.py",
    "tests/pages/test_access.py",
    "tests/e2e/test_scale_out.py",
    "tests/workflows/test_support.py",
    "tests/workflows/test_conference.py",
)


def longest_first(items: list[pytest.Item]) -> None:
    """Sort `items` in place: the files in `LONGEST_FIRST` first, in its order; the rest after,
    as collected (a stable sort, so each file's tests keep their order)."""
    rank = {path: place for place, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
