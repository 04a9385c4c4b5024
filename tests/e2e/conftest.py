"""End-to-end fixtures: the real Temporal dev server (a local binary), persisting to a file."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.conftest import DevServer, stop_dev_server
from tests.helpers.spares import Spares


@pytest.fixture
async def dev_server(dev_servers: Spares[DevServer]) -> AsyncIterator[DevServer]:
    """A dev server of this test's own (booted while the test before ran), its state in a
    SQLite file the test can read."""
    server = await dev_servers.take()
    try:
        yield server
    finally:
        await stop_dev_server(server)
