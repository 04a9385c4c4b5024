"""Whose turn it is to write to a SQLite database.

SQLite has one write lock per database. A writer that finds it taken waits in SQLite's busy
handler, which polls in sleeps of up to 100 ms and serves nobody in order: with eight people at
once, one writer could wait ten times as long as another. Waymark's writers queue instead: within
a process on an asyncio lock (first come, first served), and between processes (the web app and
the worker) on an advisory lock on a file beside the database, which the kernel hands to the
waiting process the moment it is let go. A writer takes its turn as its transaction begins,
before `BEGIN IMMEDIATE`, and gives it back once its connection is back in the pool, after the
commit or rollback: the turn covers the time SQLite's own lock is held, and no more.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.util import await_only

log = logging.getLogger("waymark.db")


class WriteTurns:
    """The turns of one engine's writers in this process."""

    def __init__(self, lock_file: Path | None, timeout_seconds: float) -> None:
        self._path = lock_file  # None for an in-memory database: no other process shares it
        self._timeout = timeout_seconds
        self._fd: int | None = None
        self._pid = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = asyncio.Lock()
        self._holder: Any = None  # the pool's record of the connection whose turn it is

    async def take(self, holder: Any) -> None:
        """Wait for this connection's turn: first this process's, then the database's; not had
        within the timeout, the error SQLite's own wait gives (`locked()`)."""
        if holder is self._holder:  # a second transaction before it went back to the pool
            return
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new event loop (a test's): the old one's turns are gone
            self._forget_holder()
            self._loop, self._lock = loop, asyncio.Lock()
        deadline = loop.time() + self._timeout
        try:
            if self._lock.locked():  # as long as SQLite would wait: a turn never taken fails
                await asyncio.wait_for(self._lock.acquire(), self._timeout)
            else:
                await self._lock.acquire()  # free: taken at once, with no task to time it
            await self._lock_file(deadline - loop.time())
        except TimeoutError as exc:
            raise locked() from exc
        self._holder = holder

    def give_back(self, holder: Any) -> None:
        """The connection is back in the pool: the next writer's turn."""
        if holder is None or holder is not self._holder:
            return
        self._holder = None
        self._unlock_file()
        loop = self._loop
        if loop is None or _loop_of_this_thread() is loop:
            self._lock.release()
        else:  # a connection collected on another thread: release on the lock's own loop
            loop.call_soon_threadsafe(self._lock.release)

    async def _lock_file(self, seconds: float) -> None:
        """The database's turn, this process's being held; on failure this process's turn
        passes on (at once, or once a thread still waiting for the file has let it go)."""
        fd = self._file()
        if fd is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except BaseException:
            self._lock.release()
            raise
        waited = asyncio.get_running_loop().run_in_executor(None, fcntl.flock, fd, fcntl.LOCK_EX)
        try:
            await asyncio.wait_for(asyncio.shield(waited), max(seconds, 0))
        except BaseException:
            waited.add_done_callback(self._settle)  # the thread cannot be stopped
            raise

    def _settle(self, waited: asyncio.Future[None]) -> None:
        if not waited.cancelled() and waited.exception() is None:
            self._unlock_file()
        self._lock.release()

    def _file(self) -> int | None:
        if self._path is None:
            return None
        if self._fd is None or self._pid != os.getpid():  # a forked process opens its own
            try:  # a lock needs no more than reading: any process of the database's may take it
                self._fd = os.open(self._path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                log.warning("writers of other processes wait in SQLite's busy handler: %s", exc)
                self._path = None
                return None
            self._pid = os.getpid()
        return self._fd

    def close(self) -> None:
        """The engine is disposed of: its lock file is closed (opened again if it writes on)."""
        if self._fd is not None and self._pid == os.getpid() and self._holder is None:
            os.close(self._fd)
            self._fd = None

    def _unlock_file(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _forget_holder(self) -> None:
        if self._holder is not None:
            self._holder = None
            self._unlock_file()


def _loop_of_this_thread() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def lock_file_of(database: str | None) -> Path | None:
    """The file writers queue on, beside the database file; none for an in-memory one."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(f"{database}-write-turn")


def locked() -> OperationalError:
    """What SQLite's own wait raises when its lock is not had in time: callers treat both
    alike (the web app answers 503, an activity tries again)."""
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))


def begin_immediate_on_the_loop(conn: Any, busy_timeout_ms: int) -> None:
    """`BEGIN IMMEDIATE` on a connection whose statements run on the event loop's thread
    (`waymark.db.inline_sqlite`). With its turn taken, SQLite's lock is free unless a process
    outside the turns holds it (the `sqlite3` shell); that is waited out in the loop's own
    sleeps, never in SQLite's busy handler, which would stop everything else on the loop."""
    deadline = time.monotonic() + busy_timeout_ms / 1000
    pause = 0.001
    conn.exec_driver_sql("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                if "locked" not in str(exc.orig) or time.monotonic() + pause > deadline:
                    raise
            await_only(asyncio.sleep(pause))
            pause = min(pause * 2, 0.05)
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={busy_timeout_ms}")
