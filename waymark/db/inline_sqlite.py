"""SQLite for the worker and the simulator: each statement runs on the event loop's own thread
instead of hopping to aiosqlite's driver thread and back (`make_engine(url, inline=True)`).

Every statement through aiosqlite is two thread switches, and on a busy machine each waits for
the GIL; a write transaction of ten statements then holds SQLite's one write lock for tens of
milliseconds, and other writers queue behind it. A statement here blocks the loop while it runs
(well under a millisecond on a local file), which is the better trade for short statements: the
worker's activities (referrals through the whole service went from 20 to 25 a second) and the
simulator's. It does not block waiting for anyone: a write waits for its turn
(`waymark.db.write_turn`, in a thread when another process has it) before it asks for SQLite's
lock, so never in SQLite's busy handler, and in WAL mode a read waits for no writer. The web app
keeps aiosqlite: its reads can be long (a ledger page, a search) and would hold up every other
request meanwhile. SQLite's lock held by a process that takes no turns (the `sqlite3` shell) is
waited out in the loop's own sleeps (`write_turn.begin_immediate_on_the_loop`), not on it."""

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
