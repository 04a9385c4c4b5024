"""Servers started one ahead of need: while a test uses a server of its own, the next test's
server boots beside it, so no test waits for one to start.

Each test still gets a server nobody else has used: a time-skipping server's clock only ever
moves forward, and a dev server's records are the test's own. An idle time-skipping server's
clock keeps real time, so a spare's "now" is still now when a test takes it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Server = TypeVar("Server")
# A busy machine can fail a server's start (a port taken between choosing and binding it; the
# process not spawned, "Bad address"): it is started again, up to this many times in all.
ATTEMPTS = 3


class Spares(Generic[Server]):
    """Hands out freshly started servers, starting the next one as each is taken."""

    def __init__(
        self, start: Callable[[], Awaitable[Server]], stop: Callable[[Server], Awaitable[None]]
    ) -> None:
        self._start = start
        self._stop = stop
        self._next: asyncio.Future[Server] | None = None

    def _boot(self) -> asyncio.Future[Server]:
        return asyncio.ensure_future(self._started())

    async def _started(self) -> Server:
        for _ in range(ATTEMPTS - 1):
            try:
                return await self._start()
            except RuntimeError:  # how the SDK reports a server that did not start
                await asyncio.sleep(1)
        return await self._start()

    async def take(self) -> Server:
        """A server of the caller's own (the caller stops it); the next one starts now."""
        taken = self._next or self._boot()
        self._next = self._boot()
        return await taken

    async def close(self) -> None:
        """Stop the spare nobody took."""
        if self._next is not None:
            await self._stop(await self._next)
            self._next = None
