"""SQLite for a tool that is the database's only process (the simulator): each statement runs on
the event loop's own thread instead of hopping to aiosqlite's driver thread and back.

Every statement through aiosqlite is two thread switches, and on a busy machine each waits for
the GIL; a write transaction of ten statements then holds SQLite's one write lock for tens of
milliseconds, and the simulator's activities queue behind it. A statement here blocks the loop
while it runs (well under a millisecond on a local file), which is the better trade when one
process does all the work. Units of work still take turns for the write lock
(`waymark.db.write_turn`), so a statement never waits in SQLite's busy handler."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any

import aiosqlite

CHUNK = 64  # rows per fetch, as aiosqlite's default


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose statements run in the caller's thread."""

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)


def inline_connector(path: str, timeout: float) -> Callable[[], Awaitable[aiosqlite.Connection]]:
    """An `async_creator` for `create_async_engine`: a connection to the file at `path`."""

    async def connect() -> aiosqlite.Connection:
        opened = functools.partial(sqlite3.connect, path, timeout=timeout, check_same_thread=False)
        return await InlineConnection(opened, CHUNK)

    return connect
