"""Fault tests run the real thing as separate processes (the Temporal dev server on a file, the
worker) so that one can be killed, restarted or cut off from its database. Every module here is
marked `faults`: `pytest -m faults` runs only them, `-m "not faults"` leaves them out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.faults.service import Service, make_service, running, sqlite_copy


@pytest.fixture(scope="session")
def seeded_sqlite(sqlite_seeded: Path) -> Path:
    """The migrated SQLite file with the demo people (tests/conftest.py), copied for each fault
    test."""
    return sqlite_seeded


@pytest.fixture
async def sqlite_service(
    seeded_sqlite: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Service]:
    """A service on a SQLite copy of its own, its Temporal server started; a test changes its
    settings with `@pytest.mark.settings(name=value, ...)`."""
    marker = request.node.get_closest_marker("settings")
    changes = {name: str(value) for name, value in (marker.kwargs if marker else {}).items()}
    database_url = sqlite_copy(seeded_sqlite, tmp_path)
    async with running(make_service(tmp_path, database_url, **changes)) as service:
        yield service
