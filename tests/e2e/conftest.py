"""End-to-end fixtures: the real Temporal dev server (a local binary), persisting to a file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.conftest import codec_for_tests
from waymark.temporal.binaries import find_binary
from waymark.temporal.codec import make_data_converter
from workflows import search


@pytest.fixture
async def dev_server(tmp_path: Path) -> AsyncIterator[tuple[WorkflowEnvironment, Path]]:
    """A dev server of this test's own, its state in a SQLite file the test can read."""
    db_file = tmp_path / "temporal.db"
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=find_binary("temporal"),
        dev_server_database_filename=str(db_file),
        data_converter=make_data_converter(codec_for_tests()),
        search_attributes=search.ALL,
    )
    try:
        yield env, db_file
    finally:
        await env.shutdown()
