"""The test servers' spares (`tests/helpers/spares.py`): a server that fails to start is
started again, up to `ATTEMPTS` times in all; then the failure is the test's."""

from __future__ import annotations

import pytest

from tests.helpers.spares import ATTEMPTS, Spares


class Flaky:
    """Fails to start `failures` times, then starts (each server is its attempt's number)."""

    def __init__(self, failures: int) -> None:
        self.failures, self.attempts, self.stopped = failures, 0, list[int]()

    async def start(self) -> int:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise RuntimeError("Failed starting Temporal dev server: Bad address (os error 14)")
        return self.attempts

    async def stop(self, server: int) -> None:
        self.stopped.append(server)


async def test_a_server_that_fails_to_start_is_started_again() -> None:
    flaky = Flaky(failures=ATTEMPTS - 1)
    spares = Spares(flaky.start, flaky.stop)
    assert await spares.take() == ATTEMPTS  # the last attempt started
    await spares.close()  # the spare started meanwhile is stopped
    assert flaky.stopped == [ATTEMPTS + 1]


async def test_a_server_that_never_starts_fails_the_test_that_needs_it() -> None:
    flaky = Flaky(failures=10 * ATTEMPTS)
    spares = Spares(flaky.start, flaky.stop)
    with pytest.raises(RuntimeError, match="Bad address"):
        await spares.take()
    with pytest.raises(RuntimeError, match="Bad address"):
        await spares.close()  # the spare booting meanwhile failed as well
    assert flaky.attempts == 2 * ATTEMPTS  # each tried ATTEMPTS times, no more
    assert flaky.stopped == []
