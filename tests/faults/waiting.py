"""Waiting, in real time, for what a real process does next."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def eventually(what: str, check: Callable[[], Awaitable[bool]], seconds: float) -> None:
    """Poll `check` without blocking the event loop; fail naming `what` after `seconds`."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        await asyncio.sleep(0.2)
